//! Turns CTranslate2's `vocabulary.txt` (one GPT-2 byte-level BPE string per line) back into
//! the raw token bytes whisper.cpp stores.

/// GPT-2's `bytes_to_unicode` table: printable bytes map to themselves, the other 68 bytes to
/// U+0100 upwards in byte order, so that every token is printable text.
fn byte_for_char(c: char) -> Option<u8> {
    let printable = |b: u32| {
        (0x21..=0x7e).contains(&b) || (0xa1..=0xac).contains(&b) || (0xae..=0xff).contains(&b)
    };
    let cp = c as u32;
    if printable(cp) {
        return Some(cp as u8);
    }
    let n = cp.checked_sub(256)?;
    (0u32..=255)
        .filter(|&b| !printable(b))
        .nth(n as usize)
        .map(|b| b as u8)
}

/// Decodes one BPE string into its bytes; `None` if it holds a character outside the table.
pub fn decode_token(token: &str) -> Option<Vec<u8>> {
    token.chars().map(byte_for_char).collect()
}

/// Whether a vocabulary line is a special token such as `<|endoftext|>`.
pub fn is_special(token: &str) -> bool {
    token.starts_with("<|") && token.ends_with("|>")
}

/// The regular (non-special) tokens of a vocabulary file, decoded to bytes. whisper.cpp only
/// stores these and derives the special tokens from their count and `n_vocab`.
/// Errors carry the 1-based line number of the undecodable token.
pub fn regular_tokens(text: &str) -> Result<Vec<Vec<u8>>, usize> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if is_special(line) {
            return Ok(out);
        }
        out.push(decode_token(line).ok_or(i + 1)?);
    }
    // No special token at all: drop the empty string after a final newline.
    if out.last().is_some_and(|t| t.is_empty()) {
        out.pop();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gpt2_byte_level_strings() {
        assert_eq!(decode_token("Ġthe").unwrap(), b" the");
        assert_eq!(decode_token("Ċ").unwrap(), b"\n");
        assert_eq!(decode_token("ĉ").unwrap(), b"\t");
        assert_eq!(decode_token("Ā").unwrap(), vec![0u8]);
        // "é" in UTF-8 is C3 A9, spelled Ã© in byte-level BPE.
        assert_eq!(decode_token("Ã©").unwrap(), "é".as_bytes());
        assert_eq!(decode_token("ł").unwrap(), vec![0xa0]);
        assert_eq!(decode_token("Ń").unwrap(), vec![0xad]); // the last remapped byte
        assert!(decode_token("\u{4e00}").is_none());
    }

    #[test]
    fn all_256_bytes_are_reachable() {
        let mut seen = [false; 256];
        for cp in 0x21u32..0x200 {
            if let Some(b) = char::from_u32(cp).and_then(byte_for_char) {
                seen[b as usize] = true;
            }
        }
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn stops_at_the_first_special_token() {
        let toks = regular_tokens("!\nĠa\n<|endoftext|>\n<|en|>\n").unwrap();
        assert_eq!(toks, vec![b"!".to_vec(), b" a".to_vec()]);
        assert_eq!(regular_tokens("a\nb\n").unwrap().len(), 2);
        assert_eq!(regular_tokens("a\n\u{4e00}\n"), Err(2));
    }
}
