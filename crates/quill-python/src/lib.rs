//! Python for Quill's answers.
//!
//! [`export`] prints synthesized functions as ordinary Python 3 source whose behaviour is exactly the
//! SMT-LIB semantics of the term, so that an answer can be read, reviewed and pasted into a program.

pub mod export;

pub use export::{function, module};
