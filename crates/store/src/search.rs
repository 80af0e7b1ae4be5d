//! Full-text search (SQLite FTS5, porter stemming) over the embedded content. The index is
//! derived data: the engine rebuilds it whenever the content version it was built from
//! differs from the running binary's.

use crate::{Store, StoreError};
use rusqlite::{params, OptionalExtension};

const INDEX_VERSION_KEY: &str = "search_index_content_version";

/// One document to index.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDoc {
    /// "card", "glossary" or "prompt".
    pub kind: String,
    pub id: String,
    pub title: String,
    pub body: String,
}

/// A match, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredHit {
    pub kind: String,
    pub id: String,
    pub title: String,
    /// An excerpt with matched words wrapped in `**`.
    pub snippet: String,
}

/// Title matches weigh this many times a body match in the ranking (bm25 column weights).
const TITLE_WEIGHT: f64 = 10.0;

/// Turns what a person typed into an FTS5 query: every word quoted (so `-`, `:`, `"` and
/// the like are never query syntax), all words required.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect();
    if words.is_empty() {
        None
    } else {
        Some(words.join(" "))
    }
}

impl Store {
    /// The content version the search index was built from, if it was built.
    pub fn search_index_version(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                params![INDEX_VERSION_KEY],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Replaces the whole index with `docs` and records `version`, in one transaction.
    pub fn rebuild_search_index(
        &mut self,
        version: &str,
        docs: &[SearchDoc],
    ) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM search_index", [])?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO search_index (kind, doc_id, title, body) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for d in docs {
                insert.execute(params![d.kind, d.id, d.title, d.body])?;
            }
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![INDEX_VERSION_KEY, version],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Documents matching every word of `text` (stemmed, case-insensitive), best first:
    /// bm25 with a title match worth [`TITLE_WEIGHT`] body matches.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<StoredHit>, StoreError> {
        let Some(query) = fts_query(text) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare(
            "SELECT kind, doc_id, title, snippet(search_index, 3, '**', '**', '…', 16)
             FROM search_index WHERE search_index MATCH ?1
             ORDER BY bm25(search_index, 0.0, 0.0, ?2, 1.0), kind, doc_id
             LIMIT ?3",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let hits = stmt
            .query_map(params![query, TITLE_WEIGHT, limit], |r| {
                Ok(StoredHit {
                    kind: r.get(0)?,
                    id: r.get(1)?,
                    title: r.get(2)?,
                    snippet: r.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn typed_text_never_becomes_query_syntax() {
        assert_eq!(
            fts_query("top-p: \"NEAR\" OR *").as_deref(),
            Some("\"top\" \"p\" \"NEAR\" \"OR\"")
        );
        assert_eq!(fts_query("  -- "), None);
    }
}
