//! The language of Quill: sorts, values, operators, terms and grammars.
//!
//! Everything here is pure data and pure functions: no I/O, no global state. Every term prints as an
//! SMT-LIB s-expression ([`Term`]'s `Display`) and parses back through [`sexpr`] and [`resolve`].

pub mod bins;
pub mod calendar;
pub mod dates;
pub mod decimals;
pub mod fields;
pub mod grammar;
pub mod numbers;
pub mod op;
pub mod resolve;
pub mod runs;
pub mod sexpr;
pub mod sort;
pub mod term;
pub mod times;
pub mod value;
pub mod weeks;

pub use grammar::{Grammar, NonTerminal, NtId, ProdKind, Production};
pub use op::Op;
pub use sort::Sort;
pub use term::{FunDef, Func, Symbol, Term, Var};
pub use value::{Str, Value};
