//! Quantising a whisper.cpp ggml model (f16/f32 weights) to q8_0 or q5_1, exactly as
//! whisper.cpp's own `quantize` tool does (examples/quantize + common-ggml.cpp): every 2-D
//! weight matrix is quantised with ggml's `ggml_quantize_chunk`; biases, norms, the
//! convolutions and the positional embeddings are copied unchanged; the header's ftype
//! becomes the quantisation's ftype plus ggml's quantisation version times 1000.
//!
//! The catalogue's quantised models pin upstream's files, made from upstream's f16 file,
//! which differs from our conversion by a few bytes of vocabulary; a file quantised here is
//! therefore installed as a custom model (`rehearse models install-file`).

use crate::half::f16_to_f32;
use crate::models::Quantisation;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;
use whisper_rs::whisper_rs_sys as sys;

#[derive(Debug, thiserror::Error)]
pub enum QuantiseError {
    #[error("cannot read or write the model: {0}")]
    Io(#[from] io::Error),
    #[error("not a model this can quantise: {0}")]
    Unsupported(String),
}

/// Tensors whisper.cpp's tool never quantises (besides everything that is not 2-D).
const KEEP: &[&str] = &[
    "encoder.conv1.bias",
    "encoder.conv2.bias",
    "encoder.positional_embedding",
    "decoder.positional_embedding",
];

/// ggml's tensor type ids and whisper.cpp's file-type ids.
const TYPE_F32: i32 = 0;
const TYPE_F16: i32 = 1;

fn ids(q: Quantisation) -> Result<(sys::ggml_type, i32), QuantiseError> {
    match q {
        Quantisation::Q8_0 => Ok((sys::ggml_type_GGML_TYPE_Q8_0, 7)),
        Quantisation::Q5_1 => Ok((sys::ggml_type_GGML_TYPE_Q5_1, 9)),
        Quantisation::F16 => Err(QuantiseError::Unsupported(
            "f16 is not a quantisation".into(),
        )),
    }
}

fn read_i32(r: &mut impl Read) -> io::Result<i32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(i32::from_le_bytes(b))
}

/// Reads an i32 at a tensor boundary: `None` at a clean end of file.
fn read_i32_or_end(r: &mut impl Read) -> io::Result<Option<i32>> {
    let mut b = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match r.read(&mut b[got..])? {
            0 if got == 0 => return Ok(None),
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => got += n,
        }
    }
    Ok(Some(i32::from_le_bytes(b)))
}

fn copy_exact(r: &mut impl Read, w: &mut impl Write, n: u64) -> io::Result<()> {
    let copied = io::copy(&mut r.take(n), w)?;
    if copied != n {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(())
}

/// Writes `src` quantised to `to` into `dst`. Returns how many tensors were quantised.
/// The file is structure-checked first (`inspect`), so a damaged one fails cleanly.
pub fn quantise_model(src: &Path, dst: &Path, to: Quantisation) -> Result<usize, QuantiseError> {
    let info = crate::ggml::inspect(src)
        .map_err(|e| QuantiseError::Unsupported(format!("{}: {e}", src.display())))?;
    if info.hparams.ftype % 1000 != 0 && info.hparams.ftype % 1000 != 1 {
        return Err(QuantiseError::Unsupported(format!(
            "{} is already quantised (ftype {})",
            src.display(),
            info.hparams.ftype
        )));
    }
    let (qtype, ftype) = ids(to)?;
    let mut r = BufReader::new(File::open(src)?);
    let mut w = BufWriter::new(File::create(dst)?);

    // Magic and hyperparameters; the 11th is ftype.
    let mut header = [0i32; 12];
    for v in &mut header {
        *v = read_i32(&mut r)?;
    }
    header[11] = (sys::GGML_QNT_VERSION * sys::GGML_QNT_VERSION_FACTOR) as i32 + ftype;
    for v in header {
        w.write_all(&v.to_le_bytes())?;
    }
    // Mel filters and vocabulary, unchanged.
    let n_mel = read_i32(&mut r)?;
    let n_fft = read_i32(&mut r)?;
    w.write_all(&n_mel.to_le_bytes())?;
    w.write_all(&n_fft.to_le_bytes())?;
    copy_exact(&mut r, &mut w, n_mel as u64 * n_fft as u64 * 4)?;
    let n_tokens = read_i32(&mut r)?;
    w.write_all(&n_tokens.to_le_bytes())?;
    for _ in 0..n_tokens {
        let len = read_i32(&mut r)?;
        w.write_all(&len.to_le_bytes())?;
        copy_exact(&mut r, &mut w, len as u64)?;
    }

    let mut quantised = 0;
    while let Some(n_dims) = read_i32_or_end(&mut r)? {
        let name_len = read_i32(&mut r)?;
        let ttype = read_i32(&mut r)?;
        let mut ne = Vec::with_capacity(n_dims as usize);
        for _ in 0..n_dims {
            ne.push(read_i32(&mut r)? as i64);
        }
        let mut name = vec![0u8; name_len as usize];
        r.read_exact(&mut name)?;
        let name_str = String::from_utf8_lossy(&name).into_owned();
        let elems: i64 = ne.iter().product();
        let elem_bytes = match ttype {
            TYPE_F32 => 4,
            TYPE_F16 => 2,
            other => {
                return Err(QuantiseError::Unsupported(format!(
                    "tensor {name_str} has type {other}"
                )))
            }
        };
        let mut data = vec![0u8; (elems * elem_bytes) as usize];
        r.read_exact(&mut data)?;

        let quantise = n_dims == 2 && !KEEP.contains(&name_str.as_str()) && ne[0] % 32 == 0;
        let (out_type, out_data) = if quantise {
            let values: Vec<f32> = if ttype == TYPE_F16 {
                data.chunks_exact(2)
                    .map(|b| f16_to_f32(u16::from_le_bytes([b[0], b[1]])))
                    .collect()
            } else {
                data.chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect()
            };
            // Quantised data is never larger than f32.
            let mut out = vec![0u8; values.len() * 4];
            // SAFETY: `values` holds nrows * n_per_row floats; `out` has room for at least
            // that many f32s, more than any quantised encoding of them takes; no imatrix.
            let size = unsafe {
                sys::ggml_quantize_chunk(
                    qtype,
                    values.as_ptr(),
                    out.as_mut_ptr().cast(),
                    0,
                    elems / ne[0],
                    ne[0],
                    std::ptr::null(),
                )
            };
            out.truncate(size);
            quantised += 1;
            (qtype as i32, out)
        } else {
            (ttype, data)
        };
        w.write_all(&n_dims.to_le_bytes())?;
        w.write_all(&name_len.to_le_bytes())?;
        w.write_all(&out_type.to_le_bytes())?;
        for d in &ne {
            w.write_all(&(*d as i32).to_le_bytes())?;
        }
        w.write_all(&name)?;
        w.write_all(&out_data)?;
    }
    w.flush()?;
    // Our own checker must accept what we wrote.
    crate::ggml::inspect(dst)
        .map_err(|e| QuantiseError::Unsupported(format!("the quantised file is wrong: {e}")))?;
    Ok(quantised)
}
