//! The tensor mapping of the conversion: each ggml tensor whisper.cpp expects, written from
//! its CTranslate2 variable (fused projections split back, types recoded).

use super::ConvertError;
use crate::ct2::{Ct2Dtype, Ct2Model, Ct2Variable};
use crate::ggml::{self, Hparams, TYPE_F16, TYPE_F32};
use crate::half::{bf16_to_f32, f16_to_f32, f32_to_f16};
use std::io::{self, Write};

/// How a tensor is stored in the ggml file.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    /// Matrices and conv kernels: f16, like upstream's f16 models.
    F16,
    /// 1-D tensors and positional embeddings: whisper.cpp creates these as f32.
    F32,
    /// Conv biases: f32, and whisper.cpp wants them as [n, 1].
    ConvBias,
}

pub(super) enum EmitError {
    Io(io::Error),
    Convert(ConvertError),
}

impl From<io::Error> for EmitError {
    fn from(e: io::Error) -> Self {
        EmitError::Io(e)
    }
}

impl From<ConvertError> for EmitError {
    fn from(e: ConvertError) -> Self {
        EmitError::Convert(e)
    }
}

pub(super) struct Emitter<'a, W: Write> {
    pub(super) model: &'a Ct2Model,
    pub(super) out: W,
    pub(super) n_tensors: usize,
}

impl<W: Write> Emitter<'_, W> {
    /// Writes part `part` of `of` equal row blocks of CTranslate2 variable `src` (a fused
    /// projection is split along its first axis) as ggml tensor `name` of shape `shape`.
    fn tensor(
        &mut self,
        name: &str,
        src: &str,
        (part, of): (usize, usize),
        shape: &[usize],
        kind: Kind,
    ) -> Result<(), EmitError> {
        let var: &Ct2Variable = self
            .model
            .get(src)
            .ok_or_else(|| ConvertError::Layout(format!("variable '{src}' is missing")))?;
        let mut want = shape.to_vec();
        want[0] *= of;
        if var.shape != want {
            return Err(ConvertError::Layout(format!(
                "'{src}' has shape {:?}, expected {want:?}",
                var.shape
            ))
            .into());
        }
        let data = self.model.data(var);
        let part_len = data.len() / of;
        let data = &data[part * part_len..(part + 1) * part_len];
        let (ttype, out_shape): (i32, Vec<usize>) = match kind {
            Kind::F16 => (TYPE_F16, shape.to_vec()),
            Kind::F32 => (TYPE_F32, shape.to_vec()),
            Kind::ConvBias => (TYPE_F32, vec![shape[0], 1]),
        };
        let bytes = recode(data, var.dtype, ttype, src)?;
        ggml::write_tensor(&mut self.out, name, &out_shape, ttype, &bytes)?;
        self.n_tensors += 1;
        Ok(())
    }
}

/// Re-encodes little-endian elements from CTranslate2's type into ggml's f16 or f32.
fn recode(data: &[u8], from: Ct2Dtype, to: i32, src: &str) -> Result<Vec<u8>, ConvertError> {
    let pairs = || {
        data.chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
    };
    let quads = || {
        data.chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
    };
    Ok(match (from, to) {
        (Ct2Dtype::F16, TYPE_F16) | (Ct2Dtype::F32, TYPE_F32) => data.to_vec(),
        (Ct2Dtype::F16, _) => pairs().flat_map(|h| f16_to_f32(h).to_le_bytes()).collect(),
        (Ct2Dtype::Bf16, TYPE_F16) => pairs()
            .flat_map(|b| f32_to_f16(bf16_to_f32(b)).to_le_bytes())
            .collect(),
        (Ct2Dtype::Bf16, _) => pairs().flat_map(|b| bf16_to_f32(b).to_le_bytes()).collect(),
        (Ct2Dtype::F32, _) => quads().flat_map(|f| f32_to_f16(f).to_le_bytes()).collect(),
        (Ct2Dtype::I8, _) => {
            return Err(ConvertError::Quantized {
                name: src.to_string(),
            })
        }
        (other, _) => {
            return Err(ConvertError::Layout(format!(
                "'{src}' holds {other:?} values, expected floats"
            )))
        }
    })
}

/// All tensors, in the order of OpenAI's state dict (any order loads; a fixed one keeps the
/// output byte-identical run to run).
pub(super) fn write_tensors<W: Write>(
    e: &mut Emitter<'_, W>,
    h: &Hparams,
) -> Result<(), EmitError> {
    use Kind::*;
    let s = h.n_audio_state as usize;
    let whole = (0, 1);
    e.tensor(
        "encoder.positional_embedding",
        "encoder/position_encodings/encodings",
        whole,
        &[h.n_audio_ctx as usize, s],
        F32,
    )?;
    e.tensor(
        "encoder.conv1.weight",
        "encoder/conv1/weight",
        whole,
        &[s, h.n_mels as usize, 3],
        F16,
    )?;
    e.tensor(
        "encoder.conv1.bias",
        "encoder/conv1/bias",
        whole,
        &[s],
        ConvBias,
    )?;
    e.tensor(
        "encoder.conv2.weight",
        "encoder/conv2/weight",
        whole,
        &[s, s, 3],
        F16,
    )?;
    e.tensor(
        "encoder.conv2.bias",
        "encoder/conv2/bias",
        whole,
        &[s],
        ConvBias,
    )?;
    for i in 0..h.n_audio_layer {
        let (g, c) = (format!("encoder.blocks.{i}"), format!("encoder/layer_{i}"));
        self_attention(e, &g, &c, s)?;
        mlp(e, &g, &c, s)?;
    }
    layer_norm(e, "encoder.ln_post", "encoder/layer_norm", s)?;

    e.tensor(
        "decoder.positional_embedding",
        "decoder/position_encodings/encodings",
        whole,
        &[h.n_text_ctx as usize, s],
        F32,
    )?;
    e.tensor(
        "decoder.token_embedding.weight",
        "decoder/embeddings/weight",
        whole,
        &[h.n_vocab as usize, s],
        F16,
    )?;
    for i in 0..h.n_text_layer {
        let (g, c) = (format!("decoder.blocks.{i}"), format!("decoder/layer_{i}"));
        self_attention(e, &g, &c, s)?;
        // Cross-attention: CTranslate2's linear_0 is the query, linear_1 the fused key/value
        // (computed once from the encoder output), linear_2 the output projection.
        let (ga, ca) = (format!("{g}.cross_attn"), format!("{c}/attention"));
        e.tensor(
            &format!("{ga}.query.weight"),
            &format!("{ca}/linear_0/weight"),
            whole,
            &[s, s],
            F16,
        )?;
        e.tensor(
            &format!("{ga}.query.bias"),
            &format!("{ca}/linear_0/bias"),
            whole,
            &[s],
            F32,
        )?;
        e.tensor(
            &format!("{ga}.key.weight"),
            &format!("{ca}/linear_1/weight"),
            (0, 2),
            &[s, s],
            F16,
        )?;
        e.tensor(
            &format!("{ga}.value.weight"),
            &format!("{ca}/linear_1/weight"),
            (1, 2),
            &[s, s],
            F16,
        )?;
        e.tensor(
            &format!("{ga}.value.bias"),
            &format!("{ca}/linear_1/bias"),
            (1, 2),
            &[s],
            F32,
        )?;
        e.tensor(
            &format!("{ga}.out.weight"),
            &format!("{ca}/linear_2/weight"),
            whole,
            &[s, s],
            F16,
        )?;
        e.tensor(
            &format!("{ga}.out.bias"),
            &format!("{ca}/linear_2/bias"),
            whole,
            &[s],
            F32,
        )?;
        layer_norm(
            e,
            &format!("{g}.cross_attn_ln"),
            &format!("{ca}/layer_norm"),
            s,
        )?;
        mlp(e, &g, &c, s)?;
    }
    layer_norm(e, "decoder.ln", "decoder/layer_norm", s)?;
    Ok(())
}

fn layer_norm<W: Write>(
    e: &mut Emitter<'_, W>,
    g: &str,
    c: &str,
    s: usize,
) -> Result<(), EmitError> {
    e.tensor(
        &format!("{g}.weight"),
        &format!("{c}/gamma"),
        (0, 1),
        &[s],
        Kind::F32,
    )?;
    e.tensor(
        &format!("{g}.bias"),
        &format!("{c}/beta"),
        (0, 1),
        &[s],
        Kind::F32,
    )
}

/// Self-attention: CTranslate2's linear_0 is query, key and value stacked along the output
/// axis. Whisper's key projection has no bias (CTranslate2 stores zeros); dropping it is
/// exact anyway, as a key bias shifts every score of a query equally and softmax ignores that.
fn self_attention<W: Write>(
    e: &mut Emitter<'_, W>,
    g: &str,
    c: &str,
    s: usize,
) -> Result<(), EmitError> {
    let (ga, ca) = (format!("{g}.attn"), format!("{c}/self_attention"));
    let fused_w = format!("{ca}/linear_0/weight");
    let fused_b = format!("{ca}/linear_0/bias");
    e.tensor(
        &format!("{ga}.query.weight"),
        &fused_w,
        (0, 3),
        &[s, s],
        Kind::F16,
    )?;
    e.tensor(
        &format!("{ga}.query.bias"),
        &fused_b,
        (0, 3),
        &[s],
        Kind::F32,
    )?;
    e.tensor(
        &format!("{ga}.key.weight"),
        &fused_w,
        (1, 3),
        &[s, s],
        Kind::F16,
    )?;
    e.tensor(
        &format!("{ga}.value.weight"),
        &fused_w,
        (2, 3),
        &[s, s],
        Kind::F16,
    )?;
    e.tensor(
        &format!("{ga}.value.bias"),
        &fused_b,
        (2, 3),
        &[s],
        Kind::F32,
    )?;
    e.tensor(
        &format!("{ga}.out.weight"),
        &format!("{ca}/linear_1/weight"),
        (0, 1),
        &[s, s],
        Kind::F16,
    )?;
    e.tensor(
        &format!("{ga}.out.bias"),
        &format!("{ca}/linear_1/bias"),
        (0, 1),
        &[s],
        Kind::F32,
    )?;
    layer_norm(e, &format!("{g}.attn_ln"), &format!("{ca}/layer_norm"), s)
}

fn mlp<W: Write>(e: &mut Emitter<'_, W>, g: &str, c: &str, s: usize) -> Result<(), EmitError> {
    let whole = (0, 1);
    e.tensor(
        &format!("{g}.mlp.0.weight"),
        &format!("{c}/ffn/linear_0/weight"),
        whole,
        &[4 * s, s],
        Kind::F16,
    )?;
    e.tensor(
        &format!("{g}.mlp.0.bias"),
        &format!("{c}/ffn/linear_0/bias"),
        whole,
        &[4 * s],
        Kind::F32,
    )?;
    e.tensor(
        &format!("{g}.mlp.2.weight"),
        &format!("{c}/ffn/linear_1/weight"),
        whole,
        &[s, 4 * s],
        Kind::F16,
    )?;
    e.tensor(
        &format!("{g}.mlp.2.bias"),
        &format!("{c}/ffn/linear_1/bias"),
        whole,
        &[s],
        Kind::F32,
    )?;
    layer_norm(e, &format!("{g}.mlp_ln"), &format!("{c}/ffn/layer_norm"), s)
}
