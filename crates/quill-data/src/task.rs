//! The saved form of a task (one JSON line) and reading its program and values back.

use crate::sample::bv::PRELUDE;
use crate::DataError;
use quill_lang::resolve::Scope;
use quill_lang::sexpr::read_one;
use quill_lang::term::write_symbol;
use quill_lang::{Sort, Term, Value};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// One task: a program, its parameters, examples and execution trace. Field order is the order
/// of the JSON line; readers may rely on it only through field names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// `s-000123` (strings) or `b-000123` (bit-vectors): the position in the data set.
    pub id: String,
    /// `strings` or `bv`.
    pub domain: String,
    /// The grammar the program is derived from: `strings` (`Grammar::for_examples` with case
    /// operators: the SLIA operators of the PBE strings track, `str.replace_all`, `str.to_upper`,
    /// `str.to_lower`, the `last_indexof` helper and, where the inputs hold numbers or dates, the
    /// number and date helpers) or `pbe_bv` (the PBE bit-vector track's grammar, whose helpers
    /// `ehad arba shesh smol im` are defined by [`PRELUDE`]).
    pub grammar: String,
    /// Parameter names and sorts (SMT-LIB syntax: `String`, `Int`, `(_ BitVec 64)`).
    pub params: Vec<(String, String)>,
    pub ret: String,
    /// The program in SyGuS-IF term syntax over the parameter names.
    pub program: String,
    /// Its number of nodes.
    pub size: usize,
    pub examples: Vec<Example>,
    /// Every proper subterm that is an application, in prefix order (each occurrence), as
    /// `[text, value on example 1, value on example 2, ..]`.
    pub trace: Vec<Vec<String>>,
    /// The input generator of each parameter (`name`, `date`, `int`, `bv64`, ..): the task's
    /// input domain, which with the probe outputs identifies its behaviour.
    #[serde(default)]
    pub gens: Vec<String>,
}

/// One example: argument values and the output, each an SMT-LIB literal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    pub inputs: Vec<String>,
    pub output: String,
}

impl Task {
    /// The parameter sorts.
    pub fn param_sorts(&self) -> Result<Vec<Sort>, DataError> {
        self.params.iter().map(|(_, s)| self.sort(s)).collect()
    }

    /// The return sort.
    pub fn ret_sort(&self) -> Result<Sort, DataError> {
        self.sort(&self.ret)
    }

    fn sort(&self, text: &str) -> Result<Sort, DataError> {
        let e = read_one(text).map_err(|e| self.bad(format!("sort `{text}`: {e}")))?;
        Scope::default().sort(&e).map_err(|e| self.bad(format!("sort `{text}`: {e}")))
    }

    fn bad(&self, message: String) -> DataError {
        DataError::Task { id: self.id.clone(), message }
    }

    /// Reads the program back with the SyGuS-IF front end (as a `define-fun` over the parameters,
    /// after the bit-vector helpers for `pbe_bv` or the Quill string helpers it calls for strings).
    /// Variables index the parameters in order.
    pub fn parse_program(&self) -> Result<Term, DataError> {
        let mut text = String::new();
        let (logic, prelude) = match self.grammar.as_str() {
            "pbe_bv" => ("BV", PRELUDE.to_string()),
            // String programs may call Quill's helpers (the last occurrence, numbers, dates), as
            // grammars for examples do.
            _ => ("SLIA", string_prelude(&self.program)),
        };
        let mut params = String::new();
        for (n, s) in &self.params {
            params.push_str(" (");
            write_symbol(&mut params, n).map_err(|e| self.bad(e.to_string()))?;
            params.push_str(&format!(" {s})"));
        }
        text.push_str(&format!("(set-logic {logic})\n{prelude}\n"));
        text.push_str(&format!("(synth-fun quill_unused ({params}) {})\n", self.ret));
        text.push_str(&format!("(define-fun quill_program ({params}) {} {})\n", self.ret, self.program));
        let problem = quill_sygus::parse(&text, &self.id).map_err(|e| self.bad(e.to_string()))?;
        let def = problem.defined.last().ok_or_else(|| self.bad("no definition read".into()))?;
        Ok(def.body.clone())
    }

    /// The examples as values: `(inputs, output)` per example.
    pub fn example_values(&self) -> Result<Vec<(Vec<Value>, Value)>, DataError> {
        self.examples
            .iter()
            .map(|e| {
                let ins = e.inputs.iter().map(|v| self.value(v)).collect::<Result<Vec<_>, _>>()?;
                Ok((ins, self.value(&e.output)?))
            })
            .collect()
    }

    /// Reads one SMT-LIB literal (`"a""b"`, `42`, `(- 3)`, `#x..`, `true`).
    pub fn value(&self, text: &str) -> Result<Value, DataError> {
        let e = read_one(text).map_err(|e| self.bad(format!("value `{text}`: {e}")))?;
        let t = Scope::default().term(&e).map_err(|e| self.bad(format!("value `{text}`: {e}")))?;
        quill_eval::eval(&t, &[]).map_err(|e| self.bad(format!("value `{text}`: {e}")))
    }
}

/// The definitions of Quill's string helpers that `program` calls, directly or through another
/// helper, in definition order. Only those: reading all twenty of them back costs several times
/// more than the program itself, for each of the hundreds of thousands of tasks training loads.
fn string_prelude(program: &str) -> String {
    static TEXTS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    let texts = TEXTS.get_or_init(|| {
        quill_lang::grammar::quill_helpers().map(|d| (format!("({} ", d.name), d.to_string())).collect()
    });
    // Definitions come callees first, so a walk from the last one sees each caller before its callees.
    let mut needed = vec![false; texts.len()];
    for i in (0..texts.len()).rev() {
        let call = &texts[i].0;
        needed[i] = program.contains(call.as_str())
            || texts.iter().zip(&needed).skip(i + 1).any(|((_, text), n)| *n && text.contains(call.as_str()));
    }
    texts
        .iter()
        .zip(&needed)
        .filter(|(_, n)| **n)
        .map(|((_, text), _)| text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}
