//! The SyGuS-IF front end of Quill.
//!
//! It reads synthesis problems written in SyGuS-IF 2.1 (and in the older version 1 syntax that the
//! 2019 competition still used) into Quill's language: functions to synthesize with their grammars,
//! helper definitions, universally quantified variables and constraints. Everything the problem
//! names is resolved and sort-checked here, so later stages never see a name or a sort error.
//! Constructs Quill cannot handle are refused with a message naming the file, line and column.

mod answer;
mod error;
mod examples;
mod grammar;
mod inline;
mod logic;
mod parse;

pub use answer::format_answer;
pub use error::SygusError;
pub use examples::Example;
pub use logic::default_grammar;

use quill_lang::{FunDef, Grammar, Sort, Symbol, Term, Value};
use std::path::Path;
use std::sync::Arc;

/// A synthesis problem as read from a SyGuS-IF file.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The logic of `set-logic` (empty when the file has none).
    pub logic: String,
    /// The functions to synthesize, in the order they were declared; `Func::Synth { index, .. }`
    /// in constraints is an index into this list.
    pub synth_funs: Vec<SynthFun>,
    /// The `define-fun` helpers, in order. Later helpers, grammars and constraints call them as
    /// `Func::Defined`. A helper whose body calls a function under synthesis is listed too, but
    /// it is inlined wherever it is called, so constraints only ever call closed helpers.
    pub defined: Vec<Arc<FunDef>>,
    /// The universally quantified variables (`declare-var`, and v1's `declare-fun x () S`);
    /// `Term::Var` indices in constraints refer to this list.
    pub declared_vars: Vec<(Symbol, Sort)>,
    /// The constraints, each a Boolean term. Assumptions (`assume`) are folded in as
    /// `(=> assumption constraint)` so that the list alone is the specification.
    pub constraints: Vec<Constraint>,
    /// `set-option`, `set-info` and `set-feature` commands as (keyword as written, value as text).
    pub options: Vec<(String, String)>,
    /// The syntax version the file was written in.
    pub version: Version,
    /// Inputs the user has without their outputs (the rest of a spreadsheet column), each a
    /// value per parameter of the first function to synthesize. They constrain nothing; a solver
    /// may use them to choose among programs that fit the constraints (one that fails or gives
    /// nothing on real inputs is likely an overfit). SyGuS-IF has no syntax for them, so a parsed
    /// file has none; `quill synth` reads them from `--inputs` or a table's blank output cells.
    pub unlabeled: Vec<Vec<Value>>,
}

/// The version of SyGuS-IF a file uses, detected from its syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// Version 1 (single-list grammars, `(BitVec n)`, `declare-fun` for variables, ...).
    V1,
    /// Version 2.x (grammars with a predeclaration list).
    V2,
}

/// A function to synthesize.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthFun {
    pub name: Symbol,
    pub params: Vec<(Symbol, Sort)>,
    pub ret: Sort,
    /// The grammar its body must be derived from; non-terminal 0 is the start symbol and has the
    /// return sort. Parameters appear in it as `Term::Var` with the parameter's position as index.
    pub grammar: Grammar,
    /// Whether the file gave the grammar; when it did not, `grammar` is the default grammar of the
    /// logic (see [`default_grammar`]).
    pub grammar_given: bool,
}

/// One constraint of the specification.
#[derive(Clone, Debug, PartialEq)]
pub struct Constraint {
    /// A Boolean term over `declared_vars`, calling the functions to synthesize.
    pub term: Term,
    /// The line of the `constraint` command, for messages.
    pub line: u32,
}

impl Problem {
    /// The input/output examples, when the problem is programming-by-example: exactly one function
    /// to synthesize and every constraint `(= (f lit..) lit)` or `(= lit (f lit..))` with literal
    /// arguments. A problem without constraints is not considered one (there is nothing to learn
    /// from). Otherwise `None`.
    pub fn examples(&self) -> Option<Vec<Example>> {
        examples::extract(self)
    }
}

/// Parses the text of a SyGuS-IF file; `file` is the name that error messages give.
pub fn parse(text: &str, file: &str) -> Result<Problem, SygusError> {
    let run = || parse::problem(text).map_err(|e| e.into_error(file));
    // Terms are converted recursively, one call per nesting level (the reader allows 1000), and an
    // unoptimised build needs a few KiB per level: more than the 2 MiB a spawned thread (a test,
    // a worker) usually has. Parsing therefore runs on a thread of its own with a large stack,
    // which the operating system only commits as far as it is used.
    std::thread::scope(|s| {
        match std::thread::Builder::new()
            .name("quill-sygus-parse".into())
            .stack_size(PARSE_STACK)
            .spawn_scoped(s, run)
        {
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread could be started: parse on the caller's stack, which suffices for every
            // real benchmark.
            Err(_) => run(),
        }
    })
}

/// The stack size of the parsing thread.
const PARSE_STACK: usize = 64 << 20;

/// Reads and parses a SyGuS-IF file; errors name it as the path was given.
pub fn parse_file(path: &Path) -> Result<Problem, SygusError> {
    let file = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|source| SygusError::Io { file: file.clone(), source })?;
    parse(&text, &file)
}
