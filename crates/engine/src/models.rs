//! Speech models for the shells: the catalogue with each model's state, downloading one,
//! installing a ggml file the user already has, and finding the model a setting names.
//!
//! Catalogue models live in the models folder under their upstream file names; custom ones
//! (a ggml file that matches no catalogue entry) in `<models>/custom/<name>.bin` with the id
//! `custom/<name>`.

use crate::{Engine, EngineError};
use rehearse_core::{DownloadPhase, InstalledModel, ModelDownloadProgress, ModelInfo, ModelState};
use rehearse_stt::download::{copy_verified, part_path};
use rehearse_stt::models::{sha256_file, ModelSpec, MODELS};
use rehearse_stt::ModelError;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tracing::{info, warn};

pub use rehearse_stt::{CancelToken, DownloadOptions};

/// Ids of models installed from a file that matches no catalogue entry start with this.
pub const CUSTOM_PREFIX: &str = "custom/";

/// Receives download progress; called from the downloading thread.
pub type DownloadSink = Arc<dyn Fn(ModelDownloadProgress) + Send + Sync>;

fn custom_dir(models_dir: &Path) -> PathBuf {
    models_dir.join("custom")
}

/// "custom/name" -> `<models>/custom/name.bin`, if the name is a plain file name.
fn custom_path(models_dir: &Path, id: &str) -> Option<PathBuf> {
    let name = id.strip_prefix(CUSTOM_PREFIX)?;
    is_plain_name(name).then(|| custom_dir(models_dir).join(format!("{name}.bin")))
}

/// Whether `id` names a custom model ("custom/NAME" with a plain file name), installed or not.
pub fn is_custom_model_id(id: &str) -> bool {
    id.strip_prefix(CUSTOM_PREFIX).is_some_and(is_plain_name)
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// A custom model's name from its file name: "ggml-my model.bin" -> "my-model".
fn custom_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let stem = stem.strip_prefix("ggml-").unwrap_or(&stem);
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_start_matches('.').to_string();
    if name.is_empty() {
        "model".to_string()
    } else {
        name
    }
}

/// The verified file of model `id` (catalogue: size + sha256; custom: complete ggml structure).
pub(crate) fn verified_model_path(models_dir: &Path, id: &str) -> Result<PathBuf, EngineError> {
    if let Some(spec) = rehearse_stt::models::find_model(id) {
        let path = rehearse_stt::model_path(models_dir, spec);
        rehearse_stt::verify_model(&path, spec)?;
        return Ok(path);
    }
    let path =
        custom_path(models_dir, id).ok_or_else(|| EngineError::UnknownModel(id.to_string()))?;
    if !path.is_file() {
        return Err(EngineError::UnknownModel(id.to_string()));
    }
    rehearse_stt::inspect_model(&path).map_err(|e| EngineError::NotAModel {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    Ok(path)
}

fn catalogue_info(models_dir: &Path, spec: &ModelSpec, active: &str) -> ModelInfo {
    let path = rehearse_stt::model_path(models_dir, spec);
    let part = std::fs::metadata(part_path(&path)).map_or(0, |m| m.len());
    let (state, message) = match rehearse_stt::verify_model(&path, spec) {
        Ok(()) => (ModelState::Verified, None),
        Err(ModelError::Missing { .. }) if part > 0 => (
            ModelState::Partial,
            Some(format!(
                "{:.1} of {:.1} MB downloaded; download again to resume",
                part as f64 / 1e6,
                spec.download_pin().size_bytes as f64 / 1e6
            )),
        ),
        Err(e @ ModelError::Missing { .. }) => (ModelState::NotInstalled, Some(e.to_string())),
        Err(e) => (ModelState::Damaged, Some(e.to_string())),
    };
    ModelInfo {
        id: spec.id.to_string(),
        file_name: spec.file_name.to_string(),
        size_bytes: spec.size_bytes,
        sha256: spec.sha256.to_string(),
        english_only: spec.english_only,
        quantisation: spec.quantisation.as_str().to_string(),
        speed_note: spec.speed_note.to_string(),
        source: spec.source.to_string(),
        url: spec.url.map(str::to_string),
        custom: false,
        state,
        partial_bytes: if state == ModelState::Partial {
            part
        } else {
            0
        },
        message,
        active: spec.id == active,
    }
}

fn custom_infos(models_dir: &Path, active: &str) -> Vec<ModelInfo> {
    let Ok(entries) = std::fs::read_dir(custom_dir(models_dir)) else {
        return Vec::new();
    };
    let mut out: Vec<ModelInfo> = entries
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            if path.extension().is_none_or(|x| x != "bin") {
                return None;
            }
            let name = path.file_stem()?.to_string_lossy().into_owned();
            let id = format!("{CUSTOM_PREFIX}{name}");
            let size = e.metadata().map_or(0, |m| m.len());
            let check = rehearse_stt::inspect_model(&path);
            Some(ModelInfo {
                file_name: format!("custom/{name}.bin"),
                size_bytes: size,
                sha256: String::new(),
                english_only: false,
                quantisation: "unknown".into(),
                speed_note: "unknown (a custom model)".into(),
                source: "installed from a local file".into(),
                url: None,
                custom: true,
                state: if check.is_ok() {
                    ModelState::Verified
                } else {
                    ModelState::Damaged
                },
                partial_bytes: 0,
                message: check.err().map(|e| format!("not a usable ggml model: {e}")),
                active: id == active,
                id,
            })
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

impl Engine {
    /// Every catalogue model with its state (installed ones are checksummed: ~0.3 s per
    /// 100 MB), then the custom ones.
    pub fn models(&self) -> Vec<ModelInfo> {
        let dir = &self.paths().models_dir;
        let active = self.settings().model_id.as_str();
        let mut out: Vec<ModelInfo> = MODELS
            .iter()
            .map(|spec| catalogue_info(dir, spec, active))
            .collect();
        out.extend(custom_infos(dir, active));
        out
    }

    /// The verified file of any installed model (catalogue or custom).
    pub fn verified_model_by_id(&self, id: &str) -> Result<PathBuf, EngineError> {
        verified_model_path(&self.paths().models_dir, id)
    }

    /// Downloads catalogue model `id` from its address (or `url`, for mirrors and tests),
    /// resuming a partial download, verifying the checksum before the file appears. Blocks;
    /// `cancel` stops it from another thread (the part file is kept for the next attempt).
    pub fn download_model(
        &self,
        id: &str,
        url: Option<&str>,
        progress: DownloadSink,
        cancel: &CancelToken,
    ) -> Result<PathBuf, EngineError> {
        self.download_model_with(id, url, progress, cancel, &DownloadOptions::default())
    }

    /// [`Engine::download_model`] with explicit timeouts.
    pub fn download_model_with(
        &self,
        id: &str,
        url: Option<&str>,
        progress: DownloadSink,
        cancel: &CancelToken,
        options: &DownloadOptions,
    ) -> Result<PathBuf, EngineError> {
        let spec = rehearse_stt::models::find_model(id)
            .ok_or_else(|| EngineError::UnknownModel(id.to_string()))?;
        let url = url
            .or(spec.url)
            .ok_or_else(|| EngineError::NotDownloadable(id.to_string()))?;
        let dest = rehearse_stt::model_path(&self.paths().models_dir, spec);
        let report = |phase, bytes, total| {
            progress(ModelDownloadProgress {
                model_id: id.to_string(),
                phase,
                bytes,
                total,
            })
        };
        if rehearse_stt::verify_model(&dest, spec).is_ok() {
            info!(
                model = id,
                "already installed and verified; nothing to download"
            );
            let size = std::fs::metadata(&dest).map_or(spec.size_bytes, |m| m.len());
            report(DownloadPhase::Done, size, size);
            return Ok(dest);
        }
        // A damaged file stays in place until a verified one replaces it by rename. Upstream's
        // file first (what the catalogue address serves), then any other accepted file.
        let mut accepted = vec![spec.download_pin()];
        accepted.extend(spec.pins().filter(|p| *p != spec.download_pin()));
        info!(model = id, url, "downloading speech model");
        let path = rehearse_stt::download_file(url, &dest, &accepted, options, cancel, &mut |p| {
            let phase = match p.phase {
                rehearse_stt::DownloadPhase::Fetching => DownloadPhase::Fetching,
                rehearse_stt::DownloadPhase::Verifying => DownloadPhase::Verifying,
                rehearse_stt::DownloadPhase::Done => DownloadPhase::Done,
            };
            report(phase, p.bytes, p.total)
        })?;
        Ok(path)
    }

    /// Installs a ggml file from disk. A file that is byte-for-byte a catalogue model is
    /// installed as that model; any other complete ggml model as `custom/<name>`, with a
    /// warning (its bytes cannot be checked against a known checksum).
    pub fn install_model_file(&self, src: &Path) -> Result<InstalledModel, EngineError> {
        let not_a_model = |reason: String| EngineError::NotAModel {
            path: src.to_path_buf(),
            reason,
        };
        let meta = std::fs::metadata(src).map_err(|source| EngineError::Io {
            path: src.to_path_buf(),
            source,
        })?;
        if !meta.is_file() {
            return Err(not_a_model("it is not a file".into()));
        }
        // Magic, header, vocabulary and every tensor: whisper.cpp must never see garbage.
        rehearse_stt::inspect_model(src).map_err(|e| not_a_model(e.to_string()))?;
        let models_dir = &self.paths().models_dir;
        let size = meta.len();
        let mut sha = None;
        let mut same_size_as = None;
        for spec in MODELS {
            let Some(pin) = spec.pin_for_size(size) else {
                continue;
            };
            let got = match &sha {
                Some(s) => s,
                None => sha.insert(sha256_file(src).map_err(|source| EngineError::Io {
                    path: src.to_path_buf(),
                    source,
                })?),
            };
            if got == pin.sha256 {
                let dest = rehearse_stt::model_path(models_dir, spec);
                copy_verified(src, &dest, Some(pin)).map_err(|e| EngineError::Install {
                    path: dest.clone(),
                    reason: e.to_string(),
                })?;
                info!(
                    model = spec.id,
                    "installed a catalogue model from a local file"
                );
                return Ok(InstalledModel {
                    id: spec.id.to_string(),
                    path: dest.display().to_string(),
                    custom: false,
                    warning: None,
                });
            }
            same_size_as = Some(spec.id);
        }
        let name = custom_name(src);
        let id = format!("{CUSTOM_PREFIX}{name}");
        let dest = custom_dir(models_dir).join(format!("{name}.bin"));
        copy_verified(src, &dest, None).map_err(|e| EngineError::Install {
            path: dest.clone(),
            reason: e.to_string(),
        })?;
        let mut warning = format!(
            "{} matches no model in the catalogue, so its bytes could not be checked against a known checksum; it is installed as the custom model '{id}'",
            src.display()
        );
        if let Some(like) = same_size_as {
            warning.push_str(&format!(
                " (it has the size of '{like}' but not its checksum: if it should be '{like}', it is damaged)"
            ));
        }
        warn!("{warning}");
        Ok(InstalledModel {
            id,
            path: dest.display().to_string(),
            custom: true,
            warning: Some(warning),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_names_are_plain_file_names() {
        assert_eq!(custom_name(Path::new("/x/ggml-my model.bin")), "my-model");
        assert_eq!(custom_name(Path::new("/x/..hidden.bin")), "hidden");
        assert_eq!(custom_name(Path::new("/x/ü.bin")), "-");
        assert!(custom_path(Path::new("/m"), "custom/../etc").is_none());
        assert!(custom_path(Path::new("/m"), "custom/").is_none());
        assert_eq!(
            custom_path(Path::new("/m"), "custom/a.b"),
            Some(PathBuf::from("/m/custom/a.b.bin"))
        );
        assert!(custom_path(Path::new("/m"), "base.en").is_none());
    }
}
