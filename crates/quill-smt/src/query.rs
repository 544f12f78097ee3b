//! The SMT-LIB query that asks whether some input breaks a constraint.
//!
//! The query declares each declared variable as a constant, defines every helper the constraints
//! and candidates call (dependencies first), defines each candidate under its function's name, and
//! asserts the negated conjunction of the constraints: `unsat` proves the candidates, a model of
//! `sat` is a counterexample.
//!
//! Every name is printed with a suffix of its own, `NAME!v0` for declared variable 0, `!p` for
//! parameters, `!h` for helpers and `!f` for functions under synthesis. Names in SyGuS files may
//! coincide with names z3 predefines beyond SMT-LIB (benchmarks define helpers called `min` and
//! `max`), and a parameter may share its name with a function; the suffixes make every symbol of
//! the query distinct from z3's and from each other, while keeping the text readable.

use crate::{order_candidates, signatures, SmtError};
use quill_lang::term::write_symbol;
use quill_lang::{FunDef, Func, Op, Sort, Term, Value};
use quill_sygus::Problem;
use rustc_hash::FxHashMap;
use std::fmt::Write;
use std::sync::Arc;

/// A query, in parts: the verifier sends `commands` and asks for the values of `vars`.
#[derive(Clone, Debug)]
pub(crate) struct Query {
    pub logic: &'static str,
    /// Declarations, definitions and the negated specification, one command per line.
    pub commands: String,
    /// The printed names of the declared variables, in order.
    pub vars: Vec<String>,
    pub sorts: Vec<Sort>,
}

/// The whole SMT-LIB script the verifier sends for these candidates (for inspection and tests).
pub fn smt_query(problem: &Problem, candidates: &[FunDef]) -> Result<String, SmtError> {
    let q = build(problem, candidates)?;
    Ok(format!("(set-logic {})\n{}(check-sat)\n", q.logic, q.commands))
}

pub(crate) fn build(problem: &Problem, candidates: &[FunDef]) -> Result<Query, SmtError> {
    let ordered = order_candidates(&signatures(problem), candidates)?;
    let mut p = Printer::default();
    // Helpers first, in the order they are first needed; then the candidates, which may call
    // them; then the constraints, which may call both.
    for c in &ordered {
        if c.body.calls_synth() {
            return Err(SmtError::Unsupported(format!(
                "the candidate for `{}` calls a function under synthesis",
                c.name
            )));
        }
        p.collect(&c.body)?;
    }
    for c in &problem.constraints {
        p.collect(&c.term)?;
    }
    let mut out = String::new();
    let vars: Vec<String> =
        problem.declared_vars.iter().enumerate().map(|(i, (n, _))| mangle(n, 'v', i)).collect();
    for (name, (_, sort)) in vars.iter().zip(&problem.declared_vars) {
        p.note_sort(*sort);
        let _ = writeln!(out, "(declare-fun {name} () {sort})");
    }
    for i in 0..p.helpers.len() {
        let def = p.helpers[i].clone();
        let name = p.helper_names[i].clone();
        p.define(&mut out, &name, &def)?;
    }
    p.synth = ordered.iter().enumerate().map(|(i, c)| mangle(&c.name, 'f', i)).collect();
    for (i, c) in ordered.iter().enumerate() {
        let name = p.synth[i].clone();
        p.define(&mut out, &name, c)?;
    }
    // Each distinct call gets a name, defined once: a specification calls the function many times
    // with the same arguments (`max(x, y) >= x and max(x, y) >= y ..`), and z3 would otherwise
    // expand the candidate's body at every call, which for large conditional candidates made
    // queries tens of times slower.
    let mut calls = Vec::new();
    for c in &problem.constraints {
        collect_calls(&c.term, &mut calls);
    }
    for (i, call) in calls.iter().enumerate() {
        let name = format!("call!c{i}");
        let mut value = String::new();
        p.term(&mut value, call, &vars)?;
        let _ = writeln!(out, "(declare-fun {name} () {})\n(assert (= {name} {value}))", call.sort());
        p.named_calls.push((call.clone(), name));
    }
    let mut spec = Vec::with_capacity(problem.constraints.len());
    for c in &problem.constraints {
        let mut s = String::new();
        p.term(&mut s, &c.term, &vars)?;
        spec.push(s);
    }
    let spec = match spec.len() {
        0 => "true".to_string(),
        1 => spec.remove(0),
        _ => format!("(and {})", spec.join(" ")),
    };
    let _ = writeln!(out, "(assert (not {spec}))");
    // Pure bit-vector queries go to z3's bit-blasting solver, which is several times faster on
    // them than the general one; anything else gets every theory.
    let logic = if p.int_or_string { "ALL" } else { "QF_BV" };
    let sorts = problem.declared_vars.iter().map(|v| v.1).collect();
    Ok(Query { logic, commands: out, vars, sorts })
}

/// The parts of a witness query: the declarations and definitions, then the specification, kept
/// apart so that the verifier can assert the specification or its negation.
#[derive(Clone, Debug)]
pub(crate) struct WitnessQuery {
    pub logic: &'static str,
    /// The declared variables fixed to the point, the helpers, the output constant and the
    /// function under synthesis defined as that constant.
    pub prelude: String,
    pub spec: String,
    /// The printed name of the output constant.
    pub out: String,
    pub ret: Sort,
}

/// A query about the value the function under synthesis must take at one point, for a
/// specification that calls it on a single input there: the function is defined as a constant
/// `out` (so every call at this point returns `out`) and the variables are fixed to the point.
pub(crate) fn build_witness(problem: &Problem, point: &[Value]) -> Result<WitnessQuery, SmtError> {
    let [f] = problem.synth_funs.as_slice() else {
        return Err(SmtError::Unsupported(
            "witness queries need exactly one function under synthesis".into(),
        ));
    };
    if point.len() != problem.declared_vars.len() {
        return Err(SmtError::IllFormed(format!(
            "the point has {} values for {} variables",
            point.len(),
            problem.declared_vars.len()
        )));
    }
    let mut p = Printer::default();
    for c in &problem.constraints {
        p.collect(&c.term)?;
    }
    let mut out = String::new();
    let vars: Vec<String> =
        problem.declared_vars.iter().enumerate().map(|(i, (n, _))| mangle(n, 'v', i)).collect();
    for ((name, (_, sort)), value) in vars.iter().zip(&problem.declared_vars).zip(point) {
        p.note_sort(*sort);
        let _ = writeln!(out, "(define-fun {name} () {sort} {value})");
    }
    for i in 0..p.helpers.len() {
        let def = p.helpers[i].clone();
        let name = p.helper_names[i].clone();
        p.define(&mut out, &name, &def)?;
    }
    let out_name = mangle("quill", 'o', 0);
    p.note_sort(f.ret);
    let _ = writeln!(out, "(declare-fun {out_name} () {})", f.ret);
    let name = mangle(&f.name, 'f', 0);
    p.synth = vec![name.clone()];
    let _ = write!(out, "(define-fun {name} (");
    for (i, (n, sort)) in f.params.iter().enumerate() {
        p.note_sort(*sort);
        let _ = write!(out, "{}({} {sort})", if i > 0 { " " } else { "" }, mangle(n, 'p', i));
    }
    let _ = writeln!(out, ") {} {out_name})", f.ret);
    let mut spec = Vec::with_capacity(problem.constraints.len());
    for c in &problem.constraints {
        let mut s = String::new();
        p.term(&mut s, &c.term, &vars)?;
        spec.push(s);
    }
    let spec = match spec.len() {
        0 => "true".to_string(),
        1 => spec.remove(0),
        _ => format!("(and {})", spec.join(" ")),
    };
    let logic = if p.int_or_string { "ALL" } else { "QF_BV" };
    Ok(WitnessQuery { logic, prelude: out, spec, out: out_name, ret: f.ret })
}

/// The distinct calls of functions under synthesis whose arguments call none, innermost first.
fn collect_calls(t: &Term, out: &mut Vec<Term>) {
    if let Term::App(f, args) = t {
        args.iter().for_each(|a| collect_calls(a, out));
        if matches!(f, Func::Synth { .. }) && !args.iter().any(Term::calls_synth) && !out.contains(t) {
            out.push(t.clone());
        }
    }
}

/// `NAME!KINDINDEX`, quoted when needed. Names holding `|` or `\` cannot be quoted and are
/// replaced; the suffix alone keeps the symbol unique.
fn mangle(name: &str, kind: char, index: usize) -> String {
    let base = if name.contains(['|', '\\']) { "_" } else { name };
    let mut s = String::new();
    let _ = write_symbol(&mut s, &format!("{base}!{kind}{index}"));
    s
}

#[derive(Default)]
struct Printer {
    /// Helpers in definition order, each after the helpers it calls.
    helpers: Vec<Arc<FunDef>>,
    helper_names: Vec<String>,
    by_name: FxHashMap<Arc<str>, usize>,
    /// Printed names of the functions under synthesis, by index.
    synth: Vec<String>,
    /// Whether any integer or string appears (which rules out the bit-vector logic).
    int_or_string: bool,
    /// Calls printed as the name of a constant defined equal to them.
    named_calls: Vec<(Term, String)>,
}

impl Printer {
    fn note_sort(&mut self, s: Sort) {
        self.int_or_string |= matches!(s, Sort::Int | Sort::String);
    }

    /// Adds the helpers `t` calls, transitively, each after those it calls.
    fn collect(&mut self, t: &Term) -> Result<(), SmtError> {
        let Term::App(f, args) = t else { return Ok(()) };
        // z3 rejects cvc5's string extensions as unknown symbols; saying so here names the cause.
        if let Func::Builtin(op) = f {
            if op.is_extension() {
                return Err(SmtError::Unsupported(format!(
                    "`{op}` is a cvc5 extension that z3 does not know"
                )));
            }
        }
        if let Func::Defined(d) = f {
            match self.by_name.get(&d.name) {
                Some(&i) if Arc::ptr_eq(&self.helpers[i], d) || self.helpers[i] == *d => {}
                Some(_) => {
                    return Err(SmtError::IllFormed(format!("two different helpers are named `{}`", d.name)))
                }
                None => {
                    // Constraints never call such helpers (the front end inlines them), so a call
                    // comes from a candidate, which would make it recursive.
                    if d.body.calls_synth() {
                        return Err(SmtError::Unsupported(format!(
                            "a candidate calls `{}`, a helper that calls a function under synthesis",
                            d.name
                        )));
                    }
                    self.collect(&d.body)?;
                    self.by_name.insert(d.name.clone(), self.helpers.len());
                    self.helper_names.push(mangle(&d.name, 'h', self.helpers.len()));
                    self.helpers.push(d.clone());
                }
            }
        }
        args.iter().try_for_each(|a| self.collect(a))
    }

    fn define(&mut self, out: &mut String, name: &str, def: &FunDef) -> Result<(), SmtError> {
        let params: Vec<String> =
            def.params.iter().enumerate().map(|(i, (n, _))| mangle(n, 'p', i)).collect();
        let _ = write!(out, "(define-fun {name} (");
        for (i, (p, (_, sort))) in params.iter().zip(&def.params).enumerate() {
            self.note_sort(*sort);
            let _ = write!(out, "{}({p} {sort})", if i > 0 { " " } else { "" });
        }
        self.note_sort(def.ret);
        let _ = write!(out, ") {} ", def.ret);
        self.term(out, &def.body, &params)?;
        out.push_str(")\n");
        Ok(())
    }

    /// Prints `t`, whose variables are named by `vars` (by index).
    fn term(&mut self, out: &mut String, t: &Term, vars: &[String]) -> Result<(), SmtError> {
        match t {
            Term::Var(v) => {
                self.note_sort(v.sort);
                let name = vars.get(v.index as usize).ok_or_else(|| {
                    SmtError::IllFormed(format!("variable `{}` (index {}) is not in scope", v.name, v.index))
                })?;
                out.push_str(name);
            }
            Term::Lit(v) => {
                self.note_sort(v.sort());
                let _ = write!(out, "{v}");
            }
            Term::Hole(..) => {
                return Err(SmtError::Candidates("a candidate has an unfilled hole".into()));
            }
            Term::App(Func::Synth { .. }, _) if self.named_calls.iter().any(|(c, _)| c == t) => {
                let (_, name) = self.named_calls.iter().find(|(c, _)| c == t).expect("checked");
                out.push_str(name);
            }
            Term::App(f, args) => {
                let name = match f {
                    Func::Builtin(op) => {
                        self.int_or_string |= int_or_string_op(*op);
                        op.to_string()
                    }
                    Func::Defined(d) => {
                        self.note_sort(d.ret);
                        let i = self.by_name.get(&d.name).copied().ok_or_else(|| {
                            SmtError::IllFormed(format!("helper `{}` was not collected", d.name))
                        })?;
                        self.helper_names[i].clone()
                    }
                    Func::Synth { index, name, ret, .. } => {
                        self.note_sort(*ret);
                        self.synth.get(*index as usize).cloned().ok_or_else(|| {
                            SmtError::IllFormed(format!("`{name}` is not a function under synthesis here"))
                        })?
                    }
                };
                if args.is_empty() {
                    out.push_str(&name);
                    return Ok(());
                }
                let _ = write!(out, "({name}");
                for a in args {
                    out.push(' ');
                    self.term(out, a, vars)?;
                }
                out.push(')');
            }
        }
        Ok(())
    }
}

/// Whether an operator belongs to the theory of integers or of strings.
fn int_or_string_op(op: Op) -> bool {
    use Op::*;
    matches!(
        op,
        Add | Sub
            | Mul
            | Div
            | Mod
            | Abs
            | Lt
            | Le
            | Gt
            | Ge
            | StrConcat
            | StrLen
            | StrAt
            | StrSubstr
            | StrPrefixOf
            | StrSuffixOf
            | StrContains
            | StrIndexOf
            | StrReplace
            | StrReplaceAll
            | StrToInt
            | StrFromInt
            | StrLt
            | StrLe
            | StrIsDigit
            | StrToCode
            | StrFromCode
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use quill_lang::resolve::var;

    fn problem(text: &str) -> Problem {
        quill_sygus::parse(text, "test.sl").unwrap()
    }

    #[test]
    fn names_get_suffixes_helpers_come_first_and_bit_vectors_their_logic() {
        let p = problem(
            "(set-logic BV)\n(define-fun min () (_ BitVec 4) #x8)\n(define-fun unused () Bool true)\n\
             (define-fun |odd name| ((a (_ BitVec 4))) (_ BitVec 4) (bvadd a min))\n\
             (synth-fun f ((a (_ BitVec 4))) (_ BitVec 4))\n(declare-var a (_ BitVec 4))\n\
             (constraint (= (f a) (|odd name| a)))",
        );
        let body = Term::app(Op::BvAdd, vec![var(0, "a", Sort::BitVec(4)), Term::Lit(Value::bv(4, 8))]);
        let c = FunDef {
            name: "f".into(),
            params: vec![("a".into(), Sort::BitVec(4))],
            ret: Sort::BitVec(4),
            body,
        };
        assert_eq!(
            smt_query(&p, &[c]).unwrap(),
            "(set-logic QF_BV)\n(declare-fun a!v0 () (_ BitVec 4))\n(define-fun min!h0 () (_ BitVec 4) #x8)\n\
             (define-fun |odd name!h1| ((a!p0 (_ BitVec 4))) (_ BitVec 4) (bvadd a!p0 min!h0))\n\
             (define-fun f!f0 ((a!p0 (_ BitVec 4))) (_ BitVec 4) (bvadd a!p0 #x8))\n\
             (declare-fun call!c0 () (_ BitVec 4))\n(assert (= call!c0 (f!f0 a!v0)))\n\
             (assert (not (= call!c0 (|odd name!h1| a!v0))))\n(check-sat)\n"
        );
    }

    #[test]
    fn cvc5_extensions_are_refused_by_name() {
        let p =
            problem("(synth-fun f ((s String)) String)\n(declare-var s String)\n(constraint (= (f s) s))");
        let body = Term::app(Op::StrRev, vec![var(0, "s", Sort::String)]);
        let c =
            FunDef { name: "f".into(), params: vec![("s".into(), Sort::String)], ret: Sort::String, body };
        let err = smt_query(&p, &[c]).unwrap_err().to_string();
        assert!(err.contains("`str.rev` is a cvc5 extension"), "{err}");
    }

    #[test]
    fn integers_or_strings_anywhere_need_every_theory() {
        let p = problem(
            "(synth-fun f ((a (_ BitVec 4))) Bool)\n(declare-var a (_ BitVec 4))\n\
             (constraint (f a))\n(constraint (=> (f a) (= 0 (str.len \"\"))))",
        );
        let c = FunDef {
            name: "f".into(),
            params: vec![("a".into(), Sort::BitVec(4))],
            ret: Sort::Bool,
            body: Term::Lit(Value::Bool(true)),
        };
        let q = smt_query(&p, &[c]).unwrap();
        assert!(q.starts_with("(set-logic ALL)\n") && q.contains("(and call!c0 (=> call!c0"), "{q}");
    }
}
