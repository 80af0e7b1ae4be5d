//! Saving an exported whiteboard image. The UI renders the board (Excalidraw draws it, with its
//! fonts inlined) and hands over the bytes; this checks they are what they claim to be and
//! writes them into the data folder's `exports/`, never over an earlier export.

use crate::{Engine, EngineError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Larger than any board image; beyond it the bytes are not one.
pub const MAX_BOARD_IMAGE_BYTES: usize = 64 * 1024 * 1024;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The image formats a board is exported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardImageFormat {
    Svg,
    Png,
}

impl BoardImageFormat {
    /// `"svg"` or `"png"` (any case); anything else is refused.
    pub fn from_extension(ext: &str) -> Result<Self, EngineError> {
        match ext.to_ascii_lowercase().as_str() {
            "svg" => Ok(BoardImageFormat::Svg),
            "png" => Ok(BoardImageFormat::Png),
            other => Err(EngineError::BoardExport(format!(
                "unknown image format '{other}'; a board is exported as svg or png"
            ))),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            BoardImageFormat::Svg => "svg",
            BoardImageFormat::Png => "png",
        }
    }

    fn check(self, bytes: &[u8]) -> Result<(), EngineError> {
        let ok = match self {
            BoardImageFormat::Png => bytes.starts_with(PNG_SIGNATURE),
            BoardImageFormat::Svg => {
                std::str::from_utf8(bytes).is_ok_and(|text| text.contains("<svg"))
            }
        };
        if ok {
            Ok(())
        } else {
            Err(EngineError::BoardExport(format!(
                "the board image is not a valid {} file",
                self.extension()
            )))
        }
    }
}

impl Engine {
    /// The folder exported files go to: `exports/` in the data folder.
    pub fn exports_dir(&self) -> PathBuf {
        self.paths().data_dir.join("exports")
    }

    /// Writes an exported board image (`ext` "svg" or "png") as `exports/<name>.<ext>`;
    /// returns the path written. `name` is reduced to safe characters.
    pub fn export_board_file(
        &self,
        name: &str,
        ext: &str,
        bytes: &[u8],
    ) -> Result<PathBuf, EngineError> {
        let format = BoardImageFormat::from_extension(ext)?;
        write_board_image(&self.exports_dir(), name, format, bytes)
    }
}

/// Checks and writes a board image into `dir` (created when missing), as a new file: an
/// existing export of the same name gets a `-2`, `-3`... sibling instead of being replaced.
pub fn write_board_image(
    dir: &Path,
    name: &str,
    format: BoardImageFormat,
    bytes: &[u8],
) -> Result<PathBuf, EngineError> {
    if bytes.len() > MAX_BOARD_IMAGE_BYTES {
        return Err(EngineError::BoardExport(format!(
            "the board image is {} MB, more than the {} MB an export may be",
            bytes.len() / (1024 * 1024),
            MAX_BOARD_IMAGE_BYTES / (1024 * 1024)
        )));
    }
    format.check(bytes)?;
    crate::vault::create_private_dir(dir)?;
    let stem = safe_stem(name);
    for n in 1..1000u32 {
        let file = if n == 1 {
            format!("{stem}.{}", format.extension())
        } else {
            format!("{stem}-{n}.{}", format.extension())
        };
        let path = dir.join(file);
        // create_new: two exports in the same second never overwrite each other.
        match crate::vault::private_open_options()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(bytes)
                    .and_then(|()| f.sync_all())
                    .map_err(|source| EngineError::Io {
                        path: path.clone(),
                        source,
                    })?;
                tracing::info!(path = %path.display(), bytes = bytes.len(), "exported the board");
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(source) => return Err(EngineError::Io { path, source }),
        }
    }
    Err(EngineError::BoardExport(format!(
        "too many exports named '{stem}' in {}",
        dir.display()
    )))
}

/// Letters, digits, `-`, `_` and inner dots only; at most 80 characters; never empty.
fn safe_stem(name: &str) -> String {
    let mut stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .take(80)
        .collect();
    stem = stem.trim_matches(|c| c == '.' || c == '-').to_string();
    if stem.is_empty() {
        "board".to_string()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &[u8] = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="4" height="4"/></svg>"#;

    #[test]
    fn writes_a_new_file_each_time_and_never_overwrites() {
        let dir = tempfile::tempdir().expect("temp dir");
        let exports = dir.path().join("exports");
        let first = write_board_image(&exports, "doc-qa-10k-20261125", BoardImageFormat::Svg, SVG)
            .expect("first");
        let second = write_board_image(&exports, "doc-qa-10k-20261125", BoardImageFormat::Svg, SVG)
            .expect("second");
        assert_eq!(first, exports.join("doc-qa-10k-20261125.svg"));
        assert_eq!(second, exports.join("doc-qa-10k-20261125-2.svg"));
        assert_eq!(std::fs::read(&first).expect("read"), SVG);
        assert_eq!(std::fs::read(&second).expect("read"), SVG);
    }

    #[test]
    fn refuses_bytes_that_are_not_the_format_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err =
            write_board_image(dir.path(), "b", BoardImageFormat::Png, SVG).expect_err("svg as png");
        assert!(err.to_string().contains("not a valid png"), "{err}");
        let err = write_board_image(dir.path(), "b", BoardImageFormat::Svg, b"\x89PNG\r\n\x1a\n")
            .expect_err("png as svg");
        assert!(err.to_string().contains("not a valid svg"), "{err}");
        assert!(BoardImageFormat::from_extension("exe").is_err());
        assert_eq!(
            BoardImageFormat::from_extension("PNG").expect("png"),
            BoardImageFormat::Png
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).expect("dir").count(),
            0,
            "nothing written"
        );
    }

    #[test]
    fn names_cannot_leave_the_exports_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let png = [PNG_SIGNATURE, b"rest"].concat();
        let path = write_board_image(dir.path(), "../../etc/passwd", BoardImageFormat::Png, &png)
            .expect("write");
        assert_eq!(path.parent(), Some(dir.path()));
        assert_eq!(
            path.file_name().and_then(|n| n.to_str()),
            Some("etc-passwd.png")
        );
        let path =
            write_board_image(dir.path(), "...", BoardImageFormat::Png, &png).expect("write");
        assert_eq!(path.file_name().and_then(|n| n.to_str()), Some("board.png"));
    }
}
