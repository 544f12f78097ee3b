//! Program samplers, one per grammar.

pub mod bv;
mod consts;
mod formats;
pub mod strings;
