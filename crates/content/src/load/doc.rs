//! A TOML text inside a content file, for turning byte offsets and keys into line numbers.

use crate::frontmatter::line_of;
use std::ops::Range;

/// A TOML text inside a file, for turning byte offsets and keys into line numbers.
pub(super) struct Doc<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
    pub(super) first_line: usize,
}

impl Doc<'_> {
    pub(super) fn all(&self) -> Range<usize> {
        0..self.text.len()
    }

    pub(super) fn line_at(&self, offset: usize) -> usize {
        line_of(self.text, offset, self.first_line)
    }

    /// Offset of the line in `range` that assigns `key` (`key = ...` or `[key]`), at the
    /// start of a line when `line_start`, anywhere (inline tables) otherwise.
    pub(super) fn key_offset(
        &self,
        range: Range<usize>,
        key: &str,
        line_start: bool,
    ) -> Option<usize> {
        let mut off = range.start;
        for line in self.text[range].split_inclusive('\n') {
            let t = line.trim();
            if t == format!("[{key}]") {
                return Some(off);
            }
            let mut search = 0;
            while let Some(pos) = line[search..].find(key) {
                let at = search + pos;
                let before = line[..at].trim();
                let before_ok = if line_start {
                    before.is_empty()
                } else {
                    before.is_empty() || before.ends_with(['{', ',', '['])
                };
                let after = line[at + key.len()..].trim_start();
                if before_ok && after.starts_with('=') {
                    return Some(off);
                }
                search = at + key.len();
            }
            off += line.len();
        }
        None
    }

    pub(super) fn key_line(&self, range: Range<usize>, key: &str) -> usize {
        let start = range.start;
        self.key_offset(range, key, true)
            .map(|o| self.line_at(o))
            .unwrap_or_else(|| self.line_at(start))
    }

    /// Line of the quoted `value` given for `key` in `range`.
    pub(super) fn value_line(&self, range: Range<usize>, key: &str, value: &str) -> usize {
        let from = self
            .key_offset(range.clone(), key, false)
            .unwrap_or(range.start);
        let hay = &self.text[from..range.end];
        [format!("\"{value}\""), format!("'{value}'")]
            .iter()
            .filter_map(|q| hay.find(q.as_str()))
            .min()
            .map(|o| self.line_at(from + o))
            .unwrap_or_else(|| self.line_at(from))
    }
}
