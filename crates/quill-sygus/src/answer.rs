//! Printing answers the way SyGuS-Comp solvers do.

use quill_lang::FunDef;

/// Prints the answer to a problem: one `(define-fun NAME (ARGS) SORT BODY)` per function to
/// synthesize, separated by newlines (no trailing newline). The checkers of the competition read
/// exactly this, and [`crate::parse`] reads each line back as a `define-fun`.
pub fn format_answer(defs: &[FunDef]) -> String {
    defs.iter().map(FunDef::to_string).collect::<Vec<_>>().join("\n")
}
