//! The metadata section of a GGUF file (key-value pairs), read without touching the weights.
//!
//! The tokenizer and chat template live there. llama.cpp exposes only scalar metadata through its API,
//! while the tokenizer needs the token, type and merge arrays, so the (small, stable) format is read here.
//! Layout (GGUF v2/v3, little-endian): magic `GGUF`, u32 version, u64 tensor count, u64 key count, then per
//! key a string (u64 length + bytes), a u32 type and the value; arrays are a u32 element type, a u64
//! length and the elements.

use std::collections::HashMap;
use std::io::Read;

/// One metadata value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    U8(u8),
    I8(i8),
    U16(u16),
    I16(i16),
    U32(u32),
    I32(i32),
    U64(u64),
    I64(i64),
    F32(f32),
    F64(f64),
    Bool(bool),
    String(String),
    Array(Vec<Value>),
}

impl Value {
    /// The value as a u32, if it is a non-negative integer that fits.
    pub fn to_u32(&self) -> Result<u32, String> {
        let wide: i128 = match *self {
            Self::U8(v) => v.into(),
            Self::I8(v) => v.into(),
            Self::U16(v) => v.into(),
            Self::I16(v) => v.into(),
            Self::U32(v) => v.into(),
            Self::I32(v) => v.into(),
            Self::U64(v) => v.into(),
            Self::I64(v) => v.into(),
            _ => return Err(format!("expected an integer, found {}", self.kind())),
        };
        u32::try_from(wide).map_err(|_| format!("{wide} does not fit a u32"))
    }

    /// The value as an i32, if it is an integer that fits.
    pub fn to_i32(&self) -> Result<i32, String> {
        match *self {
            Self::I32(v) => Ok(v),
            _ => self.to_u32().and_then(|v| i32::try_from(v).map_err(|_| format!("{v} does not fit an i32"))),
        }
    }

    /// The value as a string.
    pub fn to_string(&self) -> Result<&String, String> {
        match self {
            Self::String(s) => Ok(s),
            _ => Err(format!("expected a string, found {}", self.kind())),
        }
    }

    /// The value as an array.
    pub fn to_vec(&self) -> Result<&Vec<Value>, String> {
        match self {
            Self::Array(v) => Ok(v),
            _ => Err(format!("expected an array, found {}", self.kind())),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::String(_) => "a string",
            Self::Array(_) => "an array",
            Self::Bool(_) => "a boolean",
            Self::F32(_) | Self::F64(_) => "a float",
            _ => "an integer",
        }
    }
}

/// The metadata of one GGUF file.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    pub version: u32,
    pub tensor_count: u64,
    pub entries: HashMap<String, Value>,
}

/// Lengths above this are taken as a corrupt file rather than allocated.
const MAX_LEN: u64 = 1 << 28;

struct Reader<R> {
    inner: R,
    offset: u64,
}

impl<R: Read> Reader<R> {
    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut buf = [0u8; N];
        self.inner.read_exact(&mut buf).map_err(|e| format!("at byte {}: {e}", self.offset))?;
        self.offset += N as u64;
        Ok(buf)
    }

    fn u32(&mut self) -> Result<u32, String> {
        self.bytes().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64, String> {
        self.bytes().map(u64::from_le_bytes)
    }

    fn len(&mut self, what: &str) -> Result<u64, String> {
        let at = self.offset;
        let n = self.u64()?;
        if n > MAX_LEN {
            return Err(format!("at byte {at}: {what} length {n} is implausible (corrupt file?)"));
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, String> {
        let n = self.len("string")?;
        let mut buf = vec![0u8; n as usize];
        self.inner.read_exact(&mut buf).map_err(|e| format!("at byte {}: {e}", self.offset))?;
        self.offset += n;
        String::from_utf8(buf).map_err(|_| format!("at byte {}: a string is not UTF-8", self.offset - n))
    }

    fn value(&mut self, kind: u32, depth: usize) -> Result<Value, String> {
        Ok(match kind {
            0 => Value::U8(self.bytes::<1>()?[0]),
            1 => Value::I8(self.bytes::<1>()?[0] as i8),
            2 => Value::U16(self.bytes().map(u16::from_le_bytes)?),
            3 => Value::I16(self.bytes().map(i16::from_le_bytes)?),
            4 => Value::U32(self.u32()?),
            5 => Value::I32(self.bytes().map(i32::from_le_bytes)?),
            6 => Value::F32(self.bytes().map(f32::from_le_bytes)?),
            7 => Value::Bool(self.bytes::<1>()?[0] != 0),
            8 => Value::String(self.string()?),
            9 if depth == 0 => {
                let element = self.u32()?;
                let n = self.len("array")?;
                let mut items = Vec::with_capacity(n.min(1 << 20) as usize);
                for _ in 0..n {
                    items.push(self.value(element, depth + 1)?);
                }
                Value::Array(items)
            }
            10 => Value::U64(self.u64()?),
            11 => Value::I64(self.bytes().map(i64::from_le_bytes)?),
            12 => Value::F64(self.bytes().map(f64::from_le_bytes)?),
            other => return Err(format!("at byte {}: unknown value type {other}", self.offset - 4)),
        })
    }
}

impl Metadata {
    /// Reads the header and metadata from the start of a GGUF file; the reader is left at the tensor
    /// infos. Errors name the byte offset where the file stops making sense.
    pub fn read(reader: impl Read) -> Result<Self, String> {
        let mut r = Reader { inner: reader, offset: 0 };
        let magic = r.bytes::<4>()?;
        if &magic != b"GGUF" {
            return Err("not a GGUF file (the first four bytes are not `GGUF`)".into());
        }
        let version = r.u32()?;
        if !(2..=3).contains(&version) {
            return Err(format!("GGUF version {version} is not supported (2 and 3 are)"));
        }
        let tensor_count = r.u64()?;
        let count = r.len("key count")?;
        let mut entries = HashMap::with_capacity(count as usize);
        for _ in 0..count {
            let key = r.string()?;
            let kind = r.u32()?;
            let value = r.value(kind, 0).map_err(|e| format!("key `{key}`: {e}"))?;
            entries.insert(key, value);
        }
        Ok(Self { version, tensor_count, entries })
    }

    /// The value of a key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend((s.len() as u64).to_le_bytes());
        out.extend(s.as_bytes());
    }

    #[test]
    fn reads_scalars_strings_and_arrays() {
        let mut f = b"GGUF".to_vec();
        f.extend(3u32.to_le_bytes());
        f.extend(0u64.to_le_bytes());
        f.extend(3u64.to_le_bytes());
        string(&mut f, "general.architecture");
        f.extend(8u32.to_le_bytes());
        string(&mut f, "qwen2");
        string(&mut f, "n");
        f.extend(4u32.to_le_bytes());
        f.extend(7u32.to_le_bytes());
        string(&mut f, "tokens");
        f.extend(9u32.to_le_bytes());
        f.extend(8u32.to_le_bytes());
        f.extend(2u64.to_le_bytes());
        string(&mut f, "a");
        string(&mut f, "bc");
        let m = Metadata::read(&f[..]).unwrap();
        assert_eq!(m.get("general.architecture").unwrap().to_string().unwrap(), "qwen2");
        assert_eq!(m.get("n").unwrap().to_u32(), Ok(7));
        let list = m.get("tokens").unwrap().to_vec().unwrap();
        assert_eq!(list, &vec![Value::String("a".into()), Value::String("bc".into())]);
    }

    #[test]
    fn truncated_or_corrupt_files_are_errors_not_panics() {
        assert!(Metadata::read(&b"GGU"[..]).is_err());
        assert!(Metadata::read(&b"XXXX\x03\0\0\0"[..]).is_err());
        let mut f = b"GGUF".to_vec();
        f.extend(3u32.to_le_bytes());
        f.extend(0u64.to_le_bytes());
        f.extend(1u64.to_le_bytes());
        f.extend(u64::MAX.to_le_bytes());
        let e = Metadata::read(&f[..]).unwrap_err();
        assert!(e.contains("implausible"), "{e}");
    }
}
