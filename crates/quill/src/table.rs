//! Problems from a table of examples (CSV or JSON rows): inputs in the leading columns, the
//! output in the last.

use quill_lang::grammar::case_changes;
use quill_lang::{Func, Grammar, Op, Sort, Symbol, Term, Value};
use quill_sygus::{Constraint, Problem, SynthFun, Version};

/// A row of a table: input cells and the output cell, as text.
pub type Row = (Vec<String>, String);

/// Guesses a cell's sort: integers where every cell of the column is one, strings otherwise.
fn column_sort<'a>(cells: impl Iterator<Item = &'a str>) -> Sort {
    let mut any = false;
    for c in cells {
        any = true;
        if c.parse::<i64>().is_err() {
            return Sort::String;
        }
    }
    if any {
        Sort::Int
    } else {
        Sort::String
    }
}

fn value(sort: Sort, cell: &str) -> Value {
    match sort {
        Sort::Int => Value::Int(cell.parse().unwrap_or(0)),
        _ => Value::str(cell),
    }
}

/// Builds a PBE problem `f(names..)` over the default string grammar from rows of examples.
pub fn problem_from_rows(names: &[String], rows: &[Row]) -> Problem {
    let arity = names.len();
    let sorts: Vec<Sort> = (0..arity).map(|i| column_sort(rows.iter().map(|r| r.0[i].as_str()))).collect();
    let ret = column_sort(rows.iter().map(|r| r.1.as_str()));
    let params: Vec<(Symbol, Sort)> =
        names.iter().zip(&sorts).map(|(n, s)| (Symbol::from(n.as_str()), *s)).collect();
    let case = ret == Sort::String && case_changes(rows.iter().map(|(i, o)| (i.as_slice(), o.as_str())));
    let extra: &[Op] = if case { &[Op::StrToUpper, Op::StrToLower] } else { &[] };
    let grammar = Grammar::default_strings_with(&params, ret, extra);
    let synth = Func::Synth { index: 0, name: "f".into(), params: sorts.clone(), ret };
    let constraints = rows
        .iter()
        .enumerate()
        .map(|(i, (ins, out))| {
            let args = ins.iter().zip(&sorts).map(|(c, s)| Term::Lit(value(*s, c))).collect();
            Constraint {
                term: Term::app(Op::Eq, vec![Term::App(synth.clone(), args), Term::Lit(value(ret, out))]),
                line: i as u32 + 1,
            }
        })
        .collect();
    Problem {
        logic: "SLIA".into(),
        synth_funs: vec![SynthFun { name: "f".into(), params, ret, grammar, grammar_given: false }],
        defined: vec![],
        declared_vars: vec![],
        constraints,
        options: vec![],
        version: Version::V2,
    }
}
