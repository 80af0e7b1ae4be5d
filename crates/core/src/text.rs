/// Lower-cases, turns punctuation into spaces (apostrophes are dropped so "don't" stays one
/// word) and collapses whitespace, so that quotes can be compared with transcripts whatever
/// whisper did with commas and capitals.
pub fn normalize_for_match(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for ch in text.chars() {
        if ch == '\'' || ch == '\u{2019}' {
            continue;
        }
        if ch.is_alphanumeric() {
            for lower in ch.to_lowercase() {
                out.push(lower);
            }
            last_space = false;
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// True when `quote` occurs in `transcript` after normalising both, on word boundaries.
pub fn quote_occurs_in(quote: &str, transcript: &str) -> bool {
    let q = normalize_for_match(quote);
    if q.is_empty() {
        return false;
    }
    let t = format!(" {} ", normalize_for_match(transcript));
    t.contains(&format!(" {q} "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_punctuation_and_spacing() {
        assert_eq!(
            normalize_for_match("  We'll use a CACHE -- Redis, maybe?  "),
            "well use a cache redis maybe"
        );
    }

    #[test]
    fn quotes_match_on_word_boundaries_only() {
        let t = "First, I'd clarify the requirements. Then: a vector store!";
        assert!(quote_occurs_in("clarify the requirements", t));
        assert!(quote_occurs_in("THEN a vector store", t));
        assert!(!quote_occurs_in("larify the", t));
        assert!(!quote_occurs_in("a graph database", t));
        assert!(!quote_occurs_in("  ...  ", t));
    }
}
