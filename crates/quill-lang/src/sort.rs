//! Sorts (types) of the language.

use std::fmt;

/// A sort of the SMT-LIB theories Quill supports.
///
/// Bit-vectors are limited to 64 bits because values are stored in a `u64`; wider sorts are refused
/// by the front end with a message rather than computed wrongly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sort {
    Bool,
    Int,
    String,
    BitVec(u32),
}

/// The widest bit-vector sort the evaluator represents exactly.
pub const MAX_BV_WIDTH: u32 = 64;

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Sort::Bool => f.write_str("Bool"),
            Sort::Int => f.write_str("Int"),
            Sort::String => f.write_str("String"),
            Sort::BitVec(w) => write!(f, "(_ BitVec {w})"),
        }
    }
}
