//! Answers as Python 3 source.
//!
//! A term becomes one Python function whose result is exactly the SMT-LIB value of the term for every
//! input on which Quill's evaluator gives a value (where it reports an error, such as a division by
//! zero or an overflow beyond 64 bits, the Python code may do anything). Plain Python is used where it
//! is exact: `a + b` for `str.++`, `s.startswith(t)`, `t in s`, `c if p else e`, chained
//! comparisons. Where SMT-LIB and Python differ (out-of-range indices, Euclidean division, bit-vector
//! wrap-around, division by zero) the code calls a small helper such as `_substr`, emitted once
//! before the functions. Bit-vectors are unsigned ints below `2**width`.

mod expr;
mod helpers;
mod ops;
mod syntax;

use expr::Callees;
use helpers::Helper;
use quill_lang::{FunDef, Func, Sort, Term};
use std::collections::BTreeSet;
use syntax::{identifier, Names};

/// The definition as a Python module of its own: the helpers it needs, any `define-fun` functions it
/// calls, then the function itself.
pub fn function(def: &FunDef) -> String {
    module(std::slice::from_ref(def))
}

/// Several definitions as one Python module. Helpers and `define-fun` functions they share are
/// emitted once, before their first use; functions keep their order and their names where those are
/// valid Python (others are renamed, see [`syntax::identifier`]).
pub fn module(defs: &[FunDef]) -> String {
    let mut order: Vec<&FunDef> = Vec::new();
    for def in defs {
        collect_defined(&def.body, &mut order);
        if !order.contains(&def) {
            order.push(def);
        }
    }
    let mut module_names = Names::reserved();
    let callees = Callees {
        entries: order
            .iter()
            .enumerate()
            .map(|(i, d)| (*d, module_names.fresh(&identifier(&d.name, &format!("_fun_{i}")))))
            .collect(),
    };
    let mut used = BTreeSet::new();
    let functions: Vec<String> =
        callees.entries.iter().map(|(def, name)| render_function(def, name, &callees, &mut used)).collect();
    let mut sections: Vec<&str> = used.iter().map(|h: &Helper| h.code()).collect();
    sections.extend(functions.iter().map(String::as_str));
    // PEP 8: two blank lines between top-level definitions.
    sections.join("\n\n")
}

/// Appends the `define-fun` functions a term calls, each after the ones it calls itself.
fn collect_defined<'a>(t: &'a Term, order: &mut Vec<&'a FunDef>) {
    if let Term::App(f, args) = t {
        args.iter().for_each(|a| collect_defined(a, order));
        if let Func::Defined(d) = f {
            // Quill's last-occurrence helper is written as `s.rfind(t)` in place, and `field`
            // as the module helper `_field`.
            if !order.contains(&&**d) && !expr::in_place(d) {
                collect_defined(&d.body, order);
                order.push(&**d);
            }
        }
    }
}

/// The Python functions a term calls, so that no parameter or local variable shadows them.
fn called(t: &Term, callees: &Callees, out: &mut Vec<String>) {
    if let Term::App(f, args) = t {
        if !matches!(f, Func::Builtin(_)) && !matches!(f, Func::Defined(d) if expr::in_place(d)) {
            out.push(callees.name_of(f));
        }
        args.iter().for_each(|a| called(a, callees, out));
    }
}

/// The type hint of a sort. Bit-vectors are plain ints; their widths go in a comment.
fn hint(sort: Sort) -> &'static str {
    match sort {
        Sort::Bool => "bool",
        Sort::Int | Sort::BitVec(_) => "int",
        Sort::String => "str",
    }
}

fn render_function(def: &FunDef, name: &str, callees: &Callees, used: &mut BTreeSet<Helper>) -> String {
    let mut names = Names::reserved();
    let mut calls = Vec::new();
    called(&def.body, callees, &mut calls);
    calls.iter().for_each(|c| names.insert(c));
    let params: Vec<String> = def
        .params
        .iter()
        .enumerate()
        .map(|(i, (p, _))| names.fresh(&identifier(p, &format!("_arg_{i}"))))
        .collect();
    let signature: Vec<String> =
        params.iter().zip(&def.params).map(|(p, (_, sort))| format!("{p}: {}", hint(*sort))).collect();
    let mut out = format!("def {name}({}) -> {}:\n", signature.join(", "), hint(def.ret));
    if let Some(comment) = widths_comment(def, &params) {
        out.push_str(&format!("    # {comment}\n"));
    }
    for line in expr::body(&def.body, &params, names, callees, used) {
        out.push_str(&format!("    {line}\n"));
    }
    out
}

/// A comment giving the width of each bit-vector parameter and of a bit-vector result, which the
/// `int` type hints cannot say.
fn widths_comment(def: &FunDef, params: &[String]) -> Option<String> {
    let mut items: Vec<String> = params
        .iter()
        .zip(&def.params)
        .filter_map(|(p, (_, sort))| match sort {
            Sort::BitVec(w) => Some(format!("{p} has {w} bits")),
            _ => None,
        })
        .collect();
    if let Sort::BitVec(w) = def.ret {
        items.push(format!("the result has {w} bits"));
    }
    (!items.is_empty()).then(|| format!("Bit-vectors are unsigned ints: {}.", items.join(", ")))
}
