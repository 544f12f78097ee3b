//! Problems from a table of examples (CSV or JSON rows): inputs in the leading columns, the
//! output in the last.

use quill_lang::grammar::{case_changes, example_helpers};
use quill_lang::{Func, Grammar, Op, ProdKind, Sort, Symbol, Term, Value};
use quill_sygus::{Constraint, Problem, SynthFun, Version};
use std::sync::Arc;

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
    problem_from_table(names, rows, &[])
}

/// Builds a PBE problem as [`problem_from_rows`] does, with `unlabeled` rows of input cells (rows
/// whose output the user left for Quill to fill) as the problem's unlabeled inputs. A column is
/// read as integers only when its cells in both kinds of row are.
pub fn problem_from_table(names: &[String], rows: &[Row], unlabeled: &[Vec<String>]) -> Problem {
    let arity = names.len();
    let sorts: Vec<Sort> = (0..arity)
        .map(|i| {
            column_sort(
                rows.iter()
                    .map(|r| r.0[i].as_str())
                    .chain(unlabeled.iter().filter_map(|u| u.get(i)).map(String::as_str)),
            )
        })
        .collect();
    let ret = column_sort(rows.iter().map(|r| r.1.as_str()));
    let params: Vec<(Symbol, Sort)> =
        names.iter().zip(&sorts).map(|(n, s)| (Symbol::from(n.as_str()), *s)).collect();
    let case = ret == Sort::String && case_changes(rows.iter().map(|(i, o)| (i.as_slice(), o.as_str())));
    let mut grammar = Grammar::for_examples(&params, ret, case);
    // The problem defines the helpers the grammar offers, so that its answers print and check.
    let mut defined = vec![Arc::new(quill_lang::grammar::last_indexof())];
    let helpers = example_helpers(rows);
    grammar.offer_helpers(&helpers.offered);
    if helpers.offered.iter().any(|h| quill_lang::fields::is_offered(h)) {
        grammar.offer_field(&quill_lang::fields::separators(
            rows.iter().map(|(i, o)| (i.as_slice(), o.as_str())),
        ));
    }
    defined.extend(helpers.defined);
    // With the number helpers come the rounding step and padding width the outputs suggest and
    // the usual negative shifts, as in `quill bench`'s files (`round to 50` needs the literal 50).
    if let Some(int) = grammar.nt_of_sort(Sort::Int) {
        for &n in &helpers.int_constants {
            let kind = ProdKind::Leaf(Term::Lit(Value::Int(n)));
            grammar.nonterminals[int].productions.push(quill_lang::Production { kind, args: vec![] });
        }
    }
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
        defined,
        declared_vars: vec![],
        constraints,
        options: vec![],
        version: Version::V2,
        unlabeled: unlabeled
            .iter()
            .filter(|u| u.len() == arity)
            .map(|u| u.iter().zip(&sorts).map(|(c, s)| value(*s, c)).collect())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(pairs: &[(&str, &str)]) -> Vec<Row> {
        pairs.iter().map(|(i, o)| (vec![i.to_string()], o.to_string())).collect()
    }

    fn ops(p: &Problem) -> Vec<Op> {
        let g = &p.synth_funs[0].grammar;
        g.nonterminals
            .iter()
            .flat_map(|n| &n.productions)
            .filter_map(|p| match &p.kind {
                quill_lang::ProdKind::Apply(Func::Builtin(op)) => Some(*op),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn round_step_takes_its_places_and_step_from_literals() {
        let names = ["price".to_string()];
        let p = problem_from_rows(&names, &rows(&[("3.48", "3.5"), ("17.66", "17.7")]));
        let g = &p.synth_funs[0].grammar;
        let nt = |name: &str| g.nonterminals.iter().position(|n| n.name.to_string() == name);
        let (places, steps) = (nt("ntPlaces").expect("ntPlaces"), nt("ntStep").expect("ntStep"));
        assert_eq!(g.nonterminals[places].productions.len(), quill_lang::decimals::PLACES.len());
        assert_eq!(g.nonterminals[steps].productions.len(), quill_lang::decimals::STEPS.len());
        let args: Vec<_> = g
            .nonterminals
            .iter()
            .flat_map(|n| &n.productions)
            .filter(|p| matches!(&p.kind, quill_lang::ProdKind::Apply(Func::Defined(d)) if &*d.name == "round_step"))
            .map(|p| p.args.clone())
            .collect();
        assert_eq!(args.len(), 1, "one round_step production");
        assert_eq!(&args[0][1..], &[places, steps]);
        // Without decimals, neither the helper nor its non-terminals are there.
        // `num_at` takes its run from literals of its own as well.
        let log = problem_from_rows(&names, &rows(&[("size 206: a size 96: b", "206->96")]));
        let run = log.synth_funs[0].grammar.nonterminals.iter().find(|n| n.name.to_string() == "ntRun");
        assert_eq!(run.map(|n| n.productions.len()), Some(quill_lang::runs::RUNS.len()));
        let whole = problem_from_rows(&names, &rows(&[("12338", "12350"), ("800", "800")]));
        assert!(whole.synth_funs[0].grammar.nonterminals.iter().all(|n| n.name.to_string() != "ntStep"));
    }

    #[test]
    fn case_operators_come_with_rows_that_change_case() {
        let names = ["name".to_string()];
        let upper = problem_from_rows(&names, &rows(&[("john smith", "SMITH"), ("ann lee", "LEE")]));
        assert!(ops(&upper).contains(&Op::StrToUpper) && ops(&upper).contains(&Op::StrReplaceAll));
        let plain = problem_from_rows(&names, &rows(&[("john smith", "smith"), ("ann lee", "lee")]));
        assert!(!ops(&plain).contains(&Op::StrToUpper) && ops(&plain).contains(&Op::StrReplaceAll));
        let helper = |p: &Problem| {
            p.synth_funs[0].grammar.nonterminals.iter().flat_map(|n| &n.productions).any(|p| {
                matches!(&p.kind, quill_lang::ProdKind::Apply(Func::Defined(d)) if &*d.name == "last_indexof")
            })
        };
        assert!(helper(&plain) && helper(&upper));
        // The case-changing rows are solved, which needs the operator.
        let config = crate::Config { timeout: std::time::Duration::from_secs(10), ..Default::default() };
        let s = crate::solve(&upper, &config, None, None).unwrap();
        let body = &s.answers[0][0].body;
        assert!(body.to_string().contains("str.to_upper"), "{body}");
    }
}

#[cfg(test)]
mod number_tests {
    use super::*;

    fn rows(pairs: &[(&str, &str)]) -> Vec<Row> {
        pairs.iter().map(|(i, o)| (vec![i.to_string()], o.to_string())).collect()
    }

    /// The best answer the search alone finds in 10 s.
    fn answer(p: &Problem) -> Term {
        let config = crate::Config { timeout: std::time::Duration::from_secs(10), ..Default::default() };
        crate::solve(p, &config, None, None).unwrap().answers[0][0].body.clone()
    }

    #[test]
    fn rows_that_round_numbers_are_solved_with_the_number_helpers() {
        let names = ["price".to_string()];
        let p =
            problem_from_rows(&names, &rows(&[("3.14159", "3.14"), ("2.71828", "2.72"), ("10", "10.00")]));
        assert!(
            p.defined.iter().any(|d| &*d.name == "round_dec")
                && p.defined.iter().any(|d| &*d.name == "dec_pow10")
        );
        let body = &answer(&p);
        assert!(body.to_string().contains("round_dec"), "{body}");
        // On a number it has not seen, the answer rounds as asked.
        let got = quill_eval::eval(body, &[Value::str("1.005")]).unwrap();
        assert_eq!(got, Value::str("1.01"));
        // Rows that only copy numbers get no number helpers.
        let copy = problem_from_rows(&names, &[(vec!["(555) 010-4477".into()], "010-4477".into())]);
        assert!(!copy.defined.iter().any(|d| &*d.name == "round_dec"));
    }

    #[test]
    fn rows_that_round_to_the_nearest_half_are_solved_with_round_step() {
        let names = ["price".to_string()];
        let p = problem_from_rows(&names, &rows(&[("3.48", "3.5"), ("1.82", "2.0"), ("2342.35", "2342.5")]));
        let body = &answer(&p);
        assert!(body.to_string().contains("round_step"), "{body}");
        for (input, want) in [("10.76", "11.0"), ("1284.42", "1284.5"), ("23224.98", "23225.0")] {
            assert_eq!(quill_eval::eval(body, &[Value::str(input)]).unwrap(), Value::str(want), "{body}");
        }
    }

    #[test]
    fn rows_that_bin_numbers_are_solved_with_bin_range() {
        let names = ["score".to_string()];
        let p =
            problem_from_rows(&names, &rows(&[("163", "160-169"), ("111", "110-119"), ("111", "110-119")]));
        let body = &answer(&p);
        assert!(body.to_string().contains("bin_range"), "{body}");
        // Not a lookup of the two outputs: other scores get their own bins. The column holds
        // numbers, so the function takes an integer.
        for (input, want) in [(88, "80-89"), (6, "0-9"), (54, "50-59"), (1234, "1230-1239")] {
            assert_eq!(quill_eval::eval(body, &[Value::Int(input)]).unwrap(), Value::str(want), "{body}");
        }
    }

    #[test]
    fn rows_that_take_runs_of_digits_are_solved_with_num_at() {
        let names = ["line".to_string()];
        let p = problem_from_rows(
            &names,
            &rows(&[
                ("type size =  206: Iste.Quia type size =  96: Harum", "206->96"),
                ("type size =  242: Cumque.Non type size =  74: Exercitationem", "242->74"),
                ("type size =  235: Porro.Sed type size =  66: Velit Porro", "235->66"),
            ]),
        );
        let body = &answer(&p);
        assert!(body.to_string().contains("num_at"), "{body}");
        // The number of digits changes on rows it has not seen, and the answer follows them.
        for (input, want) in [
            ("type size =  81: Eveniet.Dicta type size =  207: Repellat", "81->207"),
            ("type size =  1850: A type size =  3: B", "1850->3"),
        ] {
            assert_eq!(quill_eval::eval(body, &[Value::str(input)]).unwrap(), Value::str(want), "{body}");
        }
    }

    #[test]
    fn rows_that_round_to_a_step_get_the_step() {
        let names = ["amount".to_string()];
        let p = problem_from_rows(&names, &rows(&[("12338", "12350"), ("781", "800"), ("4120", "4100")]));
        assert_eq!(answer(&p).to_string(), "(round_to amount 50)");
    }

    #[test]
    fn rows_that_turn_cents_into_dollars_shift_by_a_literal() {
        let names = ["cents".to_string()];
        let p = problem_from_rows(&names, &rows(&[("1250", "12.50"), ("399", "3.99"), ("7", "0.07")]));
        // `(- 2)` is a literal of the grammar, as in the model's training data; without it the
        // search builds the amount from smaller literals. The column holds whole numbers, so it
        // is read as integers.
        assert_eq!(answer(&p).to_string(), "(shift_dec (str.from_int cents) (- 2))");
    }

    #[test]
    fn rows_that_name_months_get_the_month_helpers() {
        let names = ["date".to_string()];
        let p = problem_from_rows(
            &names,
            &rows(&[("2019-11-05", "Nov 2019"), ("2021-03-17", "Mar 2021"), ("1988-12-30", "Dec 1988")]),
        );
        assert!(p.defined.iter().any(|d| &*d.name == "month_abbr"));
        let body = &answer(&p);
        let got = quill_eval::eval(body, &[Value::str("1999-07-04")]).unwrap();
        assert_eq!(got, Value::str("Jul 1999"), "{body}");
    }

    #[test]
    fn rows_that_take_a_piece_of_separated_text_split_it() {
        let names = ["address".to_string()];
        let p = problem_from_rows(
            &names,
            &rows(&[
                ("Ann Lee, 12 Main St, Springfield, IL", "Springfield"),
                ("Bo Ng, 3 Elm Rd, Dover, DE", "Dover"),
                ("Cy Oz, 9 Oak Ave, Salem, OR", "Salem"),
            ]),
        );
        // The third piece between `, `: without `field` the search finds character offsets or
        // nothing within its budget.
        assert_eq!(answer(&p).to_string(), r#"(field address ", " 2)"#);
    }
}

#[cfg(test)]
mod helper_tests {
    use super::*;

    #[test]
    fn last_indexof_finds_the_last_occurrence_as_rfind_does() {
        let h = Arc::new(quill_lang::grammar::last_indexof());
        let call = |s: &str, t: &str| {
            let args = vec![Term::Lit(Value::str(s)), Term::Lit(Value::str(t))];
            quill_eval::eval(&Term::App(Func::Defined(h.clone()), args), &[])
        };
        for (s, t, want) in
            [("a/b/c", "/", 3), ("a//b", "//", 1), ("abc", "/", -1), ("abc", "", 3), ("", "", 0)]
        {
            assert_eq!(call(s, t), Ok(Value::Int(want)), "last_indexof({s:?}, {t:?})");
        }
    }
}
