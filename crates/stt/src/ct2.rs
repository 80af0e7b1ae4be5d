//! Reader for CTranslate2's `model.bin` (format versions 5 and 6, as written by
//! ctranslate2 3.x/4.x): a flat list of named, typed arrays plus aliases.
//!
//! Layout: u32 version, length-prefixed spec name, u32 revision, u32 variable count, then per
//! variable: name, u8 rank, u32 dims[rank], u8 dtype, u32 byte count, data; then u32 alias
//! count and (alias name, target name) pairs. Strings are u16-length-prefixed and
//! NUL-terminated. Everything is little-endian.

use std::collections::HashMap;
use std::ops::Range;

/// CTranslate2's element types, by their on-disk code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ct2Dtype {
    F32,
    I8,
    I16,
    I32,
    F16,
    Bf16,
}

impl Ct2Dtype {
    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Ct2Dtype::F32,
            1 => Ct2Dtype::I8,
            2 => Ct2Dtype::I16,
            3 => Ct2Dtype::I32,
            4 => Ct2Dtype::F16,
            5 => Ct2Dtype::Bf16,
            _ => return None,
        })
    }

    pub fn size(self) -> usize {
        match self {
            Ct2Dtype::I8 => 1,
            Ct2Dtype::I16 | Ct2Dtype::F16 | Ct2Dtype::Bf16 => 2,
            Ct2Dtype::F32 | Ct2Dtype::I32 => 4,
        }
    }
}

/// One variable; `data` indexes into the model's byte buffer.
#[derive(Debug, Clone)]
pub struct Ct2Variable {
    pub name: String,
    pub shape: Vec<usize>,
    pub dtype: Ct2Dtype,
    pub data: Range<usize>,
}

/// A parsed model. Holds the whole file (~75 MB for tiny.en) so tensors can be sliced
/// without copying.
#[derive(Debug)]
pub struct Ct2Model {
    pub version: u32,
    pub spec: String,
    pub revision: u32,
    bytes: Vec<u8>,
    variables: Vec<Ct2Variable>,
    index: HashMap<String, usize>,
    aliases: HashMap<String, String>,
}

/// Why a `model.bin` could not be read; turned into a user-facing message by the converter.
#[derive(Debug, thiserror::Error)]
pub enum Ct2FormatError {
    #[error("the file ends early at byte {0}")]
    Truncated(usize),
    #[error("unsupported CTranslate2 format version {0} (supported: 5 and 6)")]
    Version(u32),
    #[error("variable '{name}' has unknown element type code {code}")]
    Dtype { name: String, code: u8 },
    #[error("variable '{name}' says {declared} bytes but its shape needs {expected}")]
    Size {
        name: String,
        declared: usize,
        expected: usize,
    },
    #[error("a name is not valid UTF-8 at byte {0}")]
    Name(usize),
    #[error("{0} unexpected bytes after the last alias")]
    Trailing(usize),
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Result<Range<usize>, Ct2FormatError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(Ct2FormatError::Truncated(self.bytes.len()))?;
        let r = self.pos..end;
        self.pos = end;
        Ok(r)
    }
    fn u8(&mut self) -> Result<u8, Ct2FormatError> {
        let r = self.take(1)?;
        Ok(self.bytes[r.start])
    }
    fn u16(&mut self) -> Result<u16, Ct2FormatError> {
        let r = self.take(2)?;
        Ok(u16::from_le_bytes([
            self.bytes[r.start],
            self.bytes[r.start + 1],
        ]))
    }
    fn u32(&mut self) -> Result<u32, Ct2FormatError> {
        let r = self.take(4)?;
        let mut b = [0u8; 4];
        b.copy_from_slice(&self.bytes[r]);
        Ok(u32::from_le_bytes(b))
    }
    fn string(&mut self) -> Result<String, Ct2FormatError> {
        let at = self.pos;
        let len = self.u16()? as usize;
        let r = self.take(len)?;
        let raw = &self.bytes[r];
        let raw = raw.strip_suffix(&[0]).unwrap_or(raw);
        String::from_utf8(raw.to_vec()).map_err(|_| Ct2FormatError::Name(at))
    }
}

impl Ct2Model {
    pub fn parse(bytes: Vec<u8>) -> Result<Self, Ct2FormatError> {
        let mut c = Cursor {
            bytes: &bytes,
            pos: 0,
        };
        let version = c.u32()?;
        if !(5..=6).contains(&version) {
            return Err(Ct2FormatError::Version(version));
        }
        let spec = c.string()?;
        let revision = c.u32()?;
        let count = c.u32()? as usize;
        let mut variables = Vec::with_capacity(count.min(100_000));
        for _ in 0..count {
            let name = c.string()?;
            let rank = c.u8()? as usize;
            let mut shape = Vec::with_capacity(rank);
            for _ in 0..rank {
                shape.push(c.u32()? as usize);
            }
            let code = c.u8()?;
            let dtype = Ct2Dtype::from_code(code).ok_or_else(|| Ct2FormatError::Dtype {
                name: name.clone(),
                code,
            })?;
            let declared = c.u32()? as usize;
            let expected = shape.iter().product::<usize>() * dtype.size();
            if declared != expected {
                return Err(Ct2FormatError::Size {
                    name,
                    declared,
                    expected,
                });
            }
            let data = c.take(declared)?;
            variables.push(Ct2Variable {
                name,
                shape,
                dtype,
                data,
            });
        }
        let mut aliases = HashMap::new();
        let n_aliases = c.u32()?;
        for _ in 0..n_aliases {
            let alias = c.string()?;
            let target = c.string()?;
            aliases.insert(alias, target);
        }
        if c.pos != bytes.len() {
            return Err(Ct2FormatError::Trailing(bytes.len() - c.pos));
        }
        let index = variables
            .iter()
            .enumerate()
            .map(|(i, v)| (v.name.clone(), i))
            .collect();
        Ok(Ct2Model {
            version,
            spec,
            revision,
            bytes,
            variables,
            index,
            aliases,
        })
    }

    pub fn variables(&self) -> &[Ct2Variable] {
        &self.variables
    }

    /// Looks a variable up by name, following an alias if there is one.
    pub fn get(&self, name: &str) -> Option<&Ct2Variable> {
        let name = self.aliases.get(name).map(String::as_str).unwrap_or(name);
        self.index.get(name).map(|&i| &self.variables[i])
    }

    pub fn data(&self, var: &Ct2Variable) -> &[u8] {
        &self.bytes[var.data.clone()]
    }

    /// An integer scalar (CTranslate2 stores config values such as `num_heads` as 0-d arrays).
    pub fn scalar_int(&self, name: &str) -> Option<i64> {
        let v = self.get(name)?;
        if !v.shape.is_empty() {
            return None;
        }
        let d = self.data(v);
        Some(match v.dtype {
            Ct2Dtype::I8 => d[0] as i8 as i64,
            Ct2Dtype::I16 => i16::from_le_bytes([d[0], d[1]]) as i64,
            Ct2Dtype::I32 => i32::from_le_bytes([d[0], d[1], d[2], d[3]]) as i64,
            _ => return None,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a model.bin in memory; also used by the converter's unit tests.
    pub(crate) fn build(vars: &[(&str, &[u32], u8, Vec<u8>)], aliases: &[(&str, &str)]) -> Vec<u8> {
        fn s(out: &mut Vec<u8>, x: &str) {
            out.extend_from_slice(&((x.len() + 1) as u16).to_le_bytes());
            out.extend_from_slice(x.as_bytes());
            out.push(0);
        }
        let mut out = Vec::new();
        out.extend_from_slice(&6u32.to_le_bytes());
        s(&mut out, "WhisperSpec");
        out.extend_from_slice(&3u32.to_le_bytes());
        out.extend_from_slice(&(vars.len() as u32).to_le_bytes());
        for (name, shape, dtype, data) in vars {
            s(&mut out, name);
            out.push(shape.len() as u8);
            for d in *shape {
                out.extend_from_slice(&d.to_le_bytes());
            }
            out.push(*dtype);
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(data);
        }
        out.extend_from_slice(&(aliases.len() as u32).to_le_bytes());
        for (a, t) in aliases {
            s(&mut out, a);
            s(&mut out, t);
        }
        out
    }

    #[test]
    fn parses_variables_scalars_and_aliases() {
        let bytes = build(
            &[
                ("enc/num_heads", &[], 2, 6i16.to_le_bytes().to_vec()),
                (
                    "emb/weight",
                    &[2, 1],
                    0,
                    [1.0f32, 2.0].iter().flat_map(|f| f.to_le_bytes()).collect(),
                ),
            ],
            &[("proj/weight", "emb/weight")],
        );
        let m = Ct2Model::parse(bytes).unwrap();
        assert_eq!(m.spec, "WhisperSpec");
        assert_eq!(m.scalar_int("enc/num_heads"), Some(6));
        let v = m.get("proj/weight").unwrap();
        assert_eq!(v.shape, vec![2, 1]);
        assert_eq!(m.data(v).len(), 8);
    }

    #[test]
    fn rejects_truncation_bad_sizes_and_versions() {
        let good = build(&[("a", &[4], 4, vec![0; 8])], &[]);
        for cut in [3, 10, good.len() - 1] {
            assert!(
                Ct2Model::parse(good[..cut].to_vec()).is_err(),
                "cut at {cut}"
            );
        }
        let bad_size = build(&[("a", &[4], 4, vec![0; 6])], &[]);
        assert!(matches!(
            Ct2Model::parse(bad_size),
            Err(Ct2FormatError::Size { .. })
        ));
        let mut old = good.clone();
        old[0] = 2;
        assert!(matches!(
            Ct2Model::parse(old),
            Err(Ct2FormatError::Version(2))
        ));
    }
}
