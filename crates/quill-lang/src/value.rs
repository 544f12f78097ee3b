//! Runtime values and their SMT-LIB literal syntax.

use crate::sort::Sort;
use std::fmt;
use std::sync::Arc;

/// An SMT-LIB string: a sequence of Unicode code points, indexed by code point as the theory
/// requires (not by byte), so `str.at` and `str.substr` are O(1).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Str(Arc<[char]>);

impl Str {
    pub fn new(chars: impl Into<Arc<[char]>>) -> Self {
        Str(chars.into())
    }
    pub fn chars(&self) -> &[char] {
        &self.0
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The string as ordinary Rust text (for output and Python export).
    pub fn to_rust_string(&self) -> String {
        self.0.iter().collect()
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        Str(s.chars().collect::<Vec<_>>().into())
    }
}

impl From<Vec<char>> for Str {
    fn from(v: Vec<char>) -> Self {
        Str(v.into())
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_rust_string())
    }
}

/// A value of some [`Sort`].
///
/// Integers are 64-bit: an operation whose exact result does not fit is an evaluation error (see
/// `quill-eval`), never a silently wrapped number. Bit-vectors keep their width and their bits in the
/// low `width` bits of a `u64`, with the unused high bits always zero.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Str(Str),
    BitVec { width: u32, bits: u64 },
}

/// The mask of the low `width` bits.
pub fn bv_mask(width: u32) -> u64 {
    if width >= 64 {
        u64::MAX
    } else {
        (1u64 << width) - 1
    }
}

impl Value {
    pub fn sort(&self) -> Sort {
        match self {
            Value::Bool(_) => Sort::Bool,
            Value::Int(_) => Sort::Int,
            Value::Str(_) => Sort::String,
            Value::BitVec { width, .. } => Sort::BitVec(*width),
        }
    }

    pub fn str(s: &str) -> Value {
        Value::Str(Str::from(s))
    }

    /// A bit-vector of `width` bits holding `bits` truncated to that width.
    pub fn bv(width: u32, bits: u64) -> Value {
        Value::BitVec { width, bits: bits & bv_mask(width) }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&Str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bv(&self) -> Option<u64> {
        match self {
            Value::BitVec { bits, .. } => Some(*bits),
            _ => None,
        }
    }

    /// A default value of a sort, used to fill inputs that a specification leaves free.
    pub fn default_of(sort: Sort) -> Value {
        match sort {
            Sort::Bool => Value::Bool(false),
            Sort::Int => Value::Int(0),
            Sort::String => Value::str(""),
            Sort::BitVec(w) => Value::bv(w, 0),
        }
    }
}

/// Writes a string literal in SMT-LIB 2.6 syntax: `"` doubled, and every character outside printable
/// ASCII (and the backslash, which would otherwise start an escape) as `\u{..}`.
pub fn write_string_literal(f: &mut impl fmt::Write, chars: &[char]) -> fmt::Result {
    f.write_char('"')?;
    for &c in chars {
        match c {
            '"' => f.write_str("\"\"")?,
            '\\' => f.write_str("\\u{5c}")?,
            ' '..='~' => f.write_char(c)?,
            _ => write!(f, "\\u{{{:x}}}", c as u32)?,
        }
    }
    f.write_char('"')
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) if *i < 0 => write!(f, "(- {})", i.unsigned_abs()),
            Value::Int(i) => write!(f, "{i}"),
            Value::Str(s) => write_string_literal(f, s.chars()),
            Value::BitVec { width, bits } => {
                if width % 4 == 0 {
                    write!(f, "#x{:0w$x}", bits, w = (*width / 4) as usize)
                } else {
                    write!(f, "#b{:0w$b}", bits, w = *width as usize)
                }
            }
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
