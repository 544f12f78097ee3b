//! Program samplers, one per grammar.

pub mod bv;
mod consts;
pub mod strings;
