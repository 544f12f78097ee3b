//! Program samplers, one per grammar.

pub mod bv;
mod consts;
/// The delimiters sampled programs search for and split on.
pub use consts::DELIMS;
mod formats;
pub mod strings;
