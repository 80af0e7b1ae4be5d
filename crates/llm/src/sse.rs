//! A reader for `text/event-stream` bodies.
//!
//! Hand-written on purpose: the SSE crates are built for async streams (eventsource-stream) or
//! bring their own HTTP client, and OpenAI-style streams use a tiny subset of the format
//! (`data:` lines, blank-line separated, `:` comments). This follows the WHATWG parsing rules
//! for that subset and caps an event's size so a broken server cannot exhaust memory.

use std::io::{self, BufRead, Read};

/// Largest single event accepted (1 MiB): an OpenAI chunk is a few hundred bytes.
const MAX_EVENT_BYTES: usize = 1 << 20;

pub(crate) struct SseReader<R> {
    inner: R,
    line: Vec<u8>,
}

impl<R: BufRead> SseReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self {
            inner,
            line: Vec::new(),
        }
    }

    /// The data of the next event, or `None` at the end of the stream. An event cut off by the
    /// end of the stream (no blank line after it) is dropped, as the specification says.
    pub(crate) fn next_event(&mut self) -> io::Result<Option<String>> {
        let mut data = String::new();
        let mut has_data = false;
        loop {
            self.line.clear();
            let n = Read::take(self.inner.by_ref(), MAX_EVENT_BYTES as u64 + 1)
                .read_until(b'\n', &mut self.line)?;
            if n == 0 {
                return Ok(None);
            }
            if self.line.last() != Some(&b'\n') {
                if self.line.len() > MAX_EVENT_BYTES {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "a stream event is over 1 MiB",
                    ));
                }
                // The stream ended inside a line.
                return Ok(None);
            }
            while matches!(self.line.last(), Some(b'\n' | b'\r')) {
                self.line.pop();
            }
            if self.line.is_empty() {
                if has_data {
                    return Ok(Some(data));
                }
                continue;
            }
            let line = std::str::from_utf8(&self.line).map_err(|_| {
                io::Error::new(io::ErrorKind::InvalidData, "a stream line is not UTF-8")
            })?;
            if line.starts_with(':') {
                continue;
            }
            let (field, value) = match line.split_once(':') {
                Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
                None => (line, ""),
            };
            if field == "data" {
                if has_data {
                    data.push('\n');
                }
                data.push_str(value);
                has_data = true;
                if data.len() > MAX_EVENT_BYTES {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "a stream event is over 1 MiB",
                    ));
                }
            }
            // `event`, `id`, `retry` and unknown fields carry nothing we use.
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(input: &str) -> Vec<String> {
        let mut r = SseReader::new(input.as_bytes());
        let mut out = Vec::new();
        while let Some(e) = r.next_event().unwrap() {
            out.push(e);
        }
        out
    }

    #[test]
    fn parses_data_comments_and_crlf() {
        let got = events(
            ": ping\n\ndata: {\"a\":1}\r\n\r\nevent: x\ndata:b\ndata: c\n\ndata: [DONE]\n\n",
        );
        assert_eq!(got, vec!["{\"a\":1}", "b\nc", "[DONE]"]);
    }

    #[test]
    fn drops_an_unterminated_event() {
        assert_eq!(events("data: a\n\ndata: b\n"), vec!["a"]);
        assert_eq!(events("data: a\n\ndata: b"), vec!["a"]);
    }
}
