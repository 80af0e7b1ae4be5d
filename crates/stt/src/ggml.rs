//! whisper.cpp's ggml model file: writing it (for the converter) and checking its structure
//! (before whisper.cpp sees it: its loader trusts the file and can abort the whole process on
//! garbage, e.g. by allocating from a nonsense mel-filter size).
//!
//! Layout, little-endian: u32 magic, 11 i32 hparams, mel filters (i32 n_mel, i32 n_fft,
//! f32 data), vocabulary (i32 count, each token i32 length + bytes), then tensors until EOF:
//! i32 n_dims, i32 name length, i32 type, i32 dims (innermost first), name, data.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::Path;

pub const GGML_MAGIC: u32 = 0x6767_6d6c;
pub const TYPE_F32: i32 = 0;
pub const TYPE_F16: i32 = 1;

/// The model's hyperparameters in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hparams {
    pub n_vocab: i32,
    pub n_audio_ctx: i32,
    pub n_audio_state: i32,
    pub n_audio_head: i32,
    pub n_audio_layer: i32,
    pub n_text_ctx: i32,
    pub n_text_state: i32,
    pub n_text_head: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
    pub ftype: i32,
}

impl Hparams {
    fn to_array(self) -> [i32; 11] {
        [
            self.n_vocab,
            self.n_audio_ctx,
            self.n_audio_state,
            self.n_audio_head,
            self.n_audio_layer,
            self.n_text_ctx,
            self.n_text_state,
            self.n_text_head,
            self.n_text_layer,
            self.n_mels,
            self.ftype,
        ]
    }

    fn from_array(a: [i32; 11]) -> Self {
        Hparams {
            n_vocab: a[0],
            n_audio_ctx: a[1],
            n_audio_state: a[2],
            n_audio_head: a[3],
            n_audio_layer: a[4],
            n_text_ctx: a[5],
            n_text_state: a[6],
            n_text_head: a[7],
            n_text_layer: a[8],
            n_mels: a[9],
            ftype: a[10],
        }
    }

    /// How many tensors whisper.cpp's loader insists on (it rejects a file with fewer).
    pub fn expected_tensors(&self) -> usize {
        7 + 15 * self.n_audio_layer.max(0) as usize + 4 + 24 * self.n_text_layer.max(0) as usize
    }
}

fn i32s(out: &mut impl Write, values: &[i32]) -> io::Result<()> {
    for v in values {
        out.write_all(&v.to_le_bytes())?;
    }
    Ok(())
}

pub fn write_header(out: &mut impl Write, h: &Hparams) -> io::Result<()> {
    out.write_all(&GGML_MAGIC.to_le_bytes())?;
    i32s(out, &h.to_array())
}

pub fn write_mel_filters(
    out: &mut impl Write,
    n_mel: usize,
    n_fft: usize,
    data: &[f64],
) -> io::Result<()> {
    i32s(out, &[n_mel as i32, n_fft as i32])?;
    for &w in data {
        out.write_all(&(w as f32).to_le_bytes())?;
    }
    Ok(())
}

pub fn write_vocab(out: &mut impl Write, tokens: &[Vec<u8>]) -> io::Result<()> {
    i32s(out, &[tokens.len() as i32])?;
    for t in tokens {
        i32s(out, &[t.len() as i32])?;
        out.write_all(t)?;
    }
    Ok(())
}

/// Writes one tensor. `shape` is in PyTorch order (outermost first); ggml wants it reversed.
pub fn write_tensor(
    out: &mut impl Write,
    name: &str,
    shape: &[usize],
    ttype: i32,
    data: &[u8],
) -> io::Result<()> {
    i32s(out, &[shape.len() as i32, name.len() as i32, ttype])?;
    for &d in shape.iter().rev() {
        i32s(out, &[d as i32])?;
    }
    out.write_all(name.as_bytes())?;
    out.write_all(data)
}

/// What `inspect` learned about a structurally sound file.
#[derive(Debug, Clone)]
pub struct GgmlInfo {
    pub hparams: Hparams,
    pub n_tokens: usize,
    pub n_tensors: usize,
    pub file_size: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum GgmlError {
    #[error("cannot read it: {0}")]
    Io(#[from] io::Error),
    #[error("it is not a whisper.cpp ggml model (wrong magic number)")]
    NotGgml,
    #[error("it is truncated ({0})")]
    Truncated(String),
    #[error("its contents are inconsistent ({0})")]
    Invalid(String),
}

/// Bytes per block and elements per block of the tensor types whisper.cpp models use.
fn type_layout(ttype: i32) -> Option<(u64, u64)> {
    Some(match ttype {
        0 => (4, 1),   // f32
        1 => (2, 1),   // f16
        2 => (18, 32), // q4_0
        3 => (20, 32), // q4_1
        6 => (22, 32), // q5_0
        7 => (24, 32), // q5_1
        8 => (34, 32), // q8_0
        _ => return None,
    })
}

struct Reader {
    inner: BufReader<File>,
    pos: u64,
    len: u64,
}

impl Reader {
    fn i32(&mut self, what: &str) -> Result<i32, GgmlError> {
        let mut b = [0u8; 4];
        self.inner
            .read_exact(&mut b)
            .map_err(|e| eof(e, what, self.pos))?;
        self.pos += 4;
        Ok(i32::from_le_bytes(b))
    }

    fn skip(&mut self, n: u64, what: &str) -> Result<(), GgmlError> {
        if self.pos + n > self.len {
            return Err(GgmlError::Truncated(format!(
                "{what} needs {n} bytes at offset {}, the file has {}",
                self.pos, self.len
            )));
        }
        self.inner.seek_relative(n as i64)?;
        self.pos += n;
        Ok(())
    }

    fn bytes(&mut self, n: usize, what: &str) -> Result<Vec<u8>, GgmlError> {
        let mut v = vec![0u8; n];
        self.inner
            .read_exact(&mut v)
            .map_err(|e| eof(e, what, self.pos))?;
        self.pos += n as u64;
        Ok(v)
    }
}

fn eof(e: io::Error, what: &str, at: u64) -> GgmlError {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        GgmlError::Truncated(format!("{what} at offset {at} is cut off"))
    } else {
        GgmlError::Io(e)
    }
}

fn check(ok: bool, msg: impl FnOnce() -> String) -> Result<(), GgmlError> {
    if ok {
        Ok(())
    } else {
        Err(GgmlError::Invalid(msg()))
    }
}

/// Walks the whole file structure (header, filters, vocabulary, every tensor header; tensor
/// data is skipped, not read) and checks it is complete and plausible. Cheap: ~170 seeks.
pub fn inspect(path: &Path) -> Result<GgmlInfo, GgmlError> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    let mut r = Reader {
        inner: BufReader::new(file),
        pos: 0,
        len,
    };
    let magic = r.i32("magic").map_err(|_| GgmlError::NotGgml)?;
    if magic as u32 != GGML_MAGIC {
        return Err(GgmlError::NotGgml);
    }
    let mut a = [0i32; 11];
    for v in &mut a {
        *v = r.i32("header")?;
    }
    let h = Hparams::from_array(a);
    let sane = |v: i32, max: i32| (1..=max).contains(&v);
    check(
        sane(h.n_vocab, 1_000_000)
            && sane(h.n_audio_ctx, 100_000)
            && sane(h.n_text_ctx, 100_000)
            && sane(h.n_audio_state, 16_384)
            && h.n_text_state == h.n_audio_state
            && sane(h.n_audio_head, 1024)
            && sane(h.n_text_head, 1024)
            && sane(h.n_audio_layer, 256)
            && sane(h.n_text_layer, 256)
            && sane(h.n_mels, 1024)
            && (0..=100_000).contains(&h.ftype),
        || format!("implausible header {h:?}"),
    )?;
    let n_mel = r.i32("mel filter header")?;
    let n_fft = r.i32("mel filter header")?;
    check(sane(n_mel, 1024) && sane(n_fft, 8192), || {
        format!("mel filter size {n_mel} x {n_fft}")
    })?;
    r.skip(n_mel as u64 * n_fft as u64 * 4, "mel filters")?;
    let n_tokens = r.i32("vocabulary size")?;
    check((0..=h.n_vocab).contains(&n_tokens), || {
        format!("{n_tokens} tokens for n_vocab {}", h.n_vocab)
    })?;
    for i in 0..n_tokens {
        let l = r.i32("token length")?;
        check((0..=4096).contains(&l), || {
            format!("token {i} has length {l}")
        })?;
        r.skip(l as u64, "token")?;
    }
    let mut n_tensors = 0usize;
    while r.pos < len {
        let n_dims = r.i32("tensor header")?;
        let name_len = r.i32("tensor header")?;
        let ttype = r.i32("tensor header")?;
        check((1..=4).contains(&n_dims) && sane(name_len, 1024), || {
            format!("tensor {n_tensors} header: {n_dims} dims, name length {name_len}")
        })?;
        let mut elems = 1u64;
        let mut ne0 = 1u64;
        for d in 0..n_dims {
            let ne = r.i32("tensor dims")?;
            check(sane(ne, 1 << 24), || {
                format!("tensor {n_tensors} dimension {ne}")
            })?;
            if d == 0 {
                ne0 = ne as u64;
            }
            elems *= ne as u64;
        }
        let name = r.bytes(name_len as usize, "tensor name")?;
        let name = String::from_utf8_lossy(&name).into_owned();
        let (block_bytes, block_elems) = type_layout(ttype).ok_or_else(|| {
            GgmlError::Invalid(format!("tensor '{name}' has unknown type {ttype}"))
        })?;
        check(ne0.is_multiple_of(block_elems), || {
            format!("tensor '{name}' rows do not fill blocks")
        })?;
        r.skip(elems / block_elems * block_bytes, "tensor data")?;
        n_tensors += 1;
    }
    check(n_tensors == h.expected_tensors(), || {
        format!(
            "{n_tensors} tensors, a model of this size has {}",
            h.expected_tensors()
        )
    })?;
    Ok(GgmlInfo {
        hparams: h,
        n_tokens: n_tokens as usize,
        n_tensors,
        file_size: len,
    })
}
