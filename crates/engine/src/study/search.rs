//! Full-text search over cards, glossary terms and prompts: the documents indexed, the index
//! rebuilt when the content changes, and queries.

use crate::{Engine, EngineError};
use rehearse_content::Content;
use rehearse_core::{SearchHit, SearchHitKind};
use rehearse_store::{SearchDoc, Store, StoreError};
use sha2::{Digest, Sha256};

/// Markdown emphasis and code marks dropped, so snippets read as text and the `**` the
/// search puts around matches is the only emphasis.
fn plain(markdown: &str) -> String {
    markdown.replace("**", "").replace('`', "")
}

/// Every card, glossary term and prompt as a search document.
pub(crate) fn search_docs(content: &Content) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    for c in content.cards() {
        let mut body = plain(&c.body);
        for kp in &c.key_points {
            body.push('\n');
            body.push_str(&kp.text);
        }
        if !c.tags.is_empty() {
            body.push('\n');
            body.push_str(&c.tags.join(" "));
        }
        docs.push(SearchDoc {
            kind: SearchHitKind::Card.as_str().into(),
            id: c.id.clone(),
            title: c.title.clone(),
            body,
        });
    }
    for t in content.glossary() {
        docs.push(SearchDoc {
            kind: SearchHitKind::Glossary.as_str().into(),
            id: t.id.clone(),
            title: t.term.clone(),
            body: plain(&t.definition),
        });
    }
    for p in content.prompts() {
        let mut body = plain(&p.brief);
        for hint in &p.scale_hints {
            body.push('\n');
            body.push_str(hint);
        }
        docs.push(SearchDoc {
            kind: SearchHitKind::Prompt.as_str().into(),
            id: p.id.clone(),
            title: p.title.clone(),
            body,
        });
    }
    docs
}

/// A fingerprint of the indexed documents: when it changes, the index is rebuilt.
pub(crate) fn content_version(docs: &[SearchDoc]) -> String {
    let mut h = Sha256::new();
    for d in docs {
        for field in [&d.kind, &d.id, &d.title, &d.body] {
            h.update(field.as_bytes());
            h.update([0u8]);
        }
    }
    hex::encode(h.finalize())
}

/// Rebuilds the search index unless it already holds this content. Returns whether it did.
pub(crate) fn ensure_search_index(
    content: &Content,
    store: &mut Store,
) -> Result<bool, EngineError> {
    let docs = search_docs(content);
    let version = content_version(&docs);
    if store.search_index_version()?.as_deref() == Some(version.as_str()) {
        return Ok(false);
    }
    store.rebuild_search_index(&version, &docs)?;
    tracing::debug!(docs = docs.len(), "rebuilt the search index");
    Ok(true)
}

impl Engine {
    /// Full-text search over cards, glossary and prompts, best first (a title match ranks
    /// above a body match). Every word must occur; words are stemmed ("embeddings" finds
    /// "embedding").
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, EngineError> {
        let hits = self.store()?.search(query, limit)?;
        hits.into_iter()
            .map(|h| {
                let kind = SearchHitKind::parse(&h.kind).ok_or_else(|| {
                    StoreError::Inconsistent(format!("search index kind '{}'", h.kind))
                })?;
                Ok(SearchHit {
                    kind,
                    id: h.id,
                    title: h.title,
                    snippet: h.snippet,
                })
            })
            .collect()
    }
}
