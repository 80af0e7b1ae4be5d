//! One string field of a JSON object, read while the object is still being streamed: the
//! interviewer asks for `{"gaps": [...], "targets": [...], "question": "..."}` and shows the
//! question as it forms, long before the closing brace arrives.
//!
//! Hand-written on purpose: incremental JSON parsers (e.g. `struson`, `actson`) hand out
//! complete values, and a string value is exactly what must be seen while it grows. This is a
//! tokenizer for the subset that matters (nesting, strings, escapes) and nothing else; the
//! finished text is still parsed and validated by serde as a whole.

/// Follows a JSON text piece by piece and exposes the decoded value of one top-level string
/// field (`"name": "..."` directly inside the outermost object) as far as it has arrived.
#[derive(Debug, Clone)]
pub struct JsonFieldStream {
    field: String,
    /// Containers open now: `true` for an object, `false` for an array.
    stack: Vec<bool>,
    /// Inside an object, the next string is a key (before its colon).
    expect_key: bool,
    in_string: bool,
    /// The string being read is a key.
    string_is_key: bool,
    /// The string being read is the wanted field's value.
    capturing: bool,
    /// After a backslash: the escape's characters so far (`u` and up to 4 hex digits).
    escape: Option<String>,
    /// A high surrogate waiting for its low half.
    high_surrogate: Option<u16>,
    key: String,
    /// The last key read in the outermost object, until its value starts.
    pending_key: Option<String>,
    value: String,
    /// The field's string has ended.
    complete: bool,
    /// The field was found (its string began).
    found: bool,
}

impl JsonFieldStream {
    pub fn new(field: impl Into<String>) -> Self {
        JsonFieldStream {
            field: field.into(),
            stack: Vec::new(),
            expect_key: false,
            in_string: false,
            string_is_key: false,
            capturing: false,
            escape: None,
            high_surrogate: None,
            key: String::new(),
            pending_key: None,
            value: String::new(),
            complete: false,
            found: false,
        }
    }

    /// Feeds the next piece of the JSON text. Returns true when the field's text grew.
    pub fn push(&mut self, piece: &str) -> bool {
        let before = self.value.len();
        for c in piece.chars() {
            self.step(c);
        }
        self.value.len() != before
    }

    /// The field's decoded text so far (empty until its value starts).
    pub fn text(&self) -> &str {
        &self.value
    }

    /// True once the field's value began.
    pub fn found(&self) -> bool {
        self.found
    }

    /// True once the field's closing quote arrived.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    fn step(&mut self, c: char) {
        if self.in_string {
            self.string_char(c);
            return;
        }
        match c {
            '{' => {
                self.value_starts();
                self.stack.push(true);
                self.expect_key = true;
            }
            '[' => {
                self.value_starts();
                self.stack.push(false);
                self.expect_key = false;
            }
            '}' | ']' => {
                self.stack.pop();
                self.expect_key = false;
            }
            ',' => {
                self.expect_key = self.stack.last() == Some(&true);
                self.pending_key = None;
            }
            ':' => self.expect_key = false,
            '"' => {
                self.in_string = true;
                self.string_is_key = self.expect_key && self.stack.last() == Some(&true);
                if self.string_is_key {
                    self.key.clear();
                } else {
                    let wanted = self.stack.len() == 1
                        && self.pending_key.as_deref() == Some(self.field.as_str())
                        && !self.found;
                    self.pending_key = None;
                    if wanted {
                        self.capturing = true;
                        self.found = true;
                    }
                }
            }
            _ => {
                // Whitespace, or a literal (number, true, false, null): a value that is not a
                // string means the wanted key (if it was the one) has no string value.
                if !c.is_whitespace() {
                    self.pending_key = None;
                }
            }
        }
    }

    /// A non-string value starts: the pending key (if any) does not name a string.
    fn value_starts(&mut self) {
        self.pending_key = None;
    }

    fn string_char(&mut self, c: char) {
        if let Some(esc) = self.escape.as_mut() {
            if esc.is_empty() {
                let simple = match c {
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '/' => Some('/'),
                    'b' => Some('\u{8}'),
                    'f' => Some('\u{c}'),
                    'n' => Some('\n'),
                    'r' => Some('\r'),
                    't' => Some('\t'),
                    'u' => None,
                    // Not valid JSON; keep the character (serde rejects the whole later).
                    other => Some(other),
                };
                match simple {
                    Some(ch) => {
                        self.escape = None;
                        self.emit(ch);
                    }
                    None => esc.push('u'),
                }
                return;
            }
            esc.push(c);
            if esc.len() == 5 {
                let hex = esc[1..].to_string();
                self.escape = None;
                if let Ok(unit) = u16::from_str_radix(&hex, 16) {
                    self.emit_utf16(unit);
                }
            }
            return;
        }
        match c {
            '\\' => self.escape = Some(String::new()),
            '"' => {
                self.in_string = false;
                if self.string_is_key {
                    self.expect_key = false;
                    if self.stack.len() == 1 {
                        self.pending_key = Some(std::mem::take(&mut self.key));
                    }
                } else if self.capturing {
                    self.capturing = false;
                    self.complete = true;
                }
            }
            other => self.emit(other),
        }
    }

    fn emit_utf16(&mut self, unit: u16) {
        if (0xD800..0xDC00).contains(&unit) {
            self.high_surrogate = Some(unit);
            return;
        }
        let ch = match self.high_surrogate.take() {
            Some(high) if (0xDC00..0xE000).contains(&unit) => {
                char::decode_utf16([high, unit]).next().and_then(Result::ok)
            }
            _ => char::from_u32(u32::from(unit)),
        };
        if let Some(ch) = ch {
            self.emit(ch);
        }
    }

    fn emit(&mut self, ch: char) {
        if self.string_is_key {
            self.key.push(ch);
        } else if self.capturing {
            self.value.push(ch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed_in_pieces(json: &str, size: usize) -> (Vec<String>, JsonFieldStream) {
        let mut s = JsonFieldStream::new("question");
        let mut seen = Vec::new();
        let chars: Vec<char> = json.chars().collect();
        for piece in chars.chunks(size) {
            let piece: String = piece.iter().collect();
            if s.push(&piece) {
                seen.push(s.text().to_string());
            }
        }
        (seen, s)
    }

    #[test]
    fn grows_with_the_stream_and_decodes_escapes() {
        let json = r#"{"gaps": ["evaluation", "question"], "targets": ["tradeoffs"], "nested": {"question": "no"}, "question": "You said \"500 tokens\":\nwhat about tables? \u00e9\ud83d\ude00"}"#;
        for size in [1, 2, 3, 7, 1000] {
            let (seen, s) = feed_in_pieces(json, size);
            let whole: serde_json::Value = serde_json::from_str(json).unwrap();
            assert_eq!(s.text(), whole["question"].as_str().unwrap(), "size {size}");
            assert!(s.is_complete() && s.found());
            if size == 1 {
                assert!(seen.len() > 10, "{seen:?}");
                assert!(seen.windows(2).all(|w| w[1].starts_with(&w[0])));
            }
        }
    }

    #[test]
    fn ignores_the_name_as_a_value_or_deeper_key() {
        let (_, s) = feed_in_pieces(r#"{"a": "question", "b": {"question": "x"}, "c": 1}"#, 1);
        assert!(!s.found());
        assert_eq!(s.text(), "");
        let (_, s) = feed_in_pieces(r#"{"question": 5, "later": "y"}"#, 1);
        assert!(!s.found());
    }

    #[test]
    fn a_cut_stream_keeps_what_arrived() {
        let (_, s) = feed_in_pieces(r#"{"targets": ["depth"], "question": "What happens wh"#, 4);
        assert_eq!(s.text(), "What happens wh");
        assert!(!s.is_complete());
    }
}
