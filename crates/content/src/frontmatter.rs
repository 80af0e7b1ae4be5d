use crate::ContentError;

/// Splits a Markdown file with `+++` TOML front matter into (front matter, line where it
/// starts, body).
pub(crate) fn split<'a>(
    file: &str,
    text: &'a str,
) -> Result<(&'a str, usize, &'a str), ContentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
        .ok_or_else(|| {
            ContentError::invalid(file, 1, "expected '+++' front matter on the first line")
        })?;
    let end = rest.find("\n+++").ok_or_else(|| {
        ContentError::invalid(file, 1, "front matter is not closed by a '+++' line")
    })?;
    let front = &rest[..=end];
    let body_start = end + "\n+++".len();
    let body = rest[body_start..].trim_start_matches(['\r', '\n']);
    Ok((front, 2, body))
}

/// Line number (1-based) of a byte offset in `text`, shifted by `first_line - 1`.
pub(crate) fn line_of(text: &str, offset: usize, first_line: usize) -> usize {
    let offset = offset.min(text.len());
    first_line + text[..offset].bytes().filter(|b| *b == b'\n').count()
}

pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
    first_line: usize,
) -> Result<T, ContentError> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| line_of(text, s.start, first_line))
            .unwrap_or(first_line);
        ContentError::invalid(file, line, e.message().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let (front, line, body) = split("a.md", "+++\nid = \"x\"\n+++\nHello\n").unwrap();
        assert_eq!(front, "id = \"x\"\n");
        assert_eq!(line, 2);
        assert_eq!(body, "Hello\n");
    }

    #[test]
    fn missing_front_matter_is_an_error_naming_the_file() {
        let err = split("p.md", "no front matter").unwrap_err().to_string();
        assert!(err.contains("p.md") && err.contains("line 1"), "{err}");
        let err = split("p.md", "+++\nid = 1\n").unwrap_err().to_string();
        assert!(err.contains("not closed"), "{err}");
    }

    #[test]
    fn toml_errors_point_at_the_line() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            id: String,
        }
        let err = parse_toml::<T>("p.md", "\n\nid = = 3\n", 2)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 4"), "{err}");
    }
}
