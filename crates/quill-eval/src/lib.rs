//! Evaluation of terms with the semantics of SMT-LIB 2.6.
//!
//! Evaluation never panics: an operation that SMT-LIB leaves unspecified (integer division by zero),
//! a result Quill cannot represent (an integer beyond 64 bits, a string beyond [`MAX_STRING_LEN`]),
//! or an ill-formed term gives an [`EvalError`], which the search treats as "this candidate does not
//! fit" rather than as a failure of the program.

mod bv;
pub mod column;
mod native;
mod ops;
mod term;

pub use column::{apply_columns, apply_func_columns, eval_columns, Column};
pub use ops::apply;
pub use term::{eval, eval_with, Context};

/// The longest string an evaluation may build. Candidate programs such as repeated self-concatenation
/// would otherwise grow exponentially and exhaust memory.
pub const MAX_STRING_LEN: usize = 1 << 16;

/// Why an evaluation has no value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// SMT-LIB leaves `(div x 0)` and `(mod x 0)` unspecified (total but uninterpreted), so no value
    /// can be claimed for them.
    #[error("integer division by zero is unspecified in SMT-LIB")]
    DivisionByZero,
    #[error("integer overflow beyond 64 bits")]
    Overflow,
    #[error("string longer than {MAX_STRING_LEN} characters")]
    StringTooLong,
    #[error("code point {0} cannot be represented")]
    BadCodePoint(i64),
    /// The term is ill-sorted, has the wrong number of arguments, or refers to something absent
    /// (a variable beyond the environment, a hole, a function under synthesis with no body).
    #[error("ill-formed term: {0}")]
    IllFormed(String),
}

pub type EvalResult = Result<quill_lang::Value, EvalError>;
