//! Writing example-based tasks (BUSTLE, PROSE) as SyGuS-IF v2 problems, so that Quill and cvc5
//! solve the very same file.
//!
//! The problem has the shape of the SyGuS-Comp PBE strings track (`pbe_slia/euphony`): one function
//! `f` over String parameters `_arg_0 ..`, non-terminals `ntString`, `ntInt`, `ntBool` with the track's
//! operators, and one `(constraint (= (f in..) out))` per training example. Three additions, each
//! measured on BUSTLE with a held-out example (session 7): `str.replace_all` (SMT-LIB 2.6; "remove
//! every `-`"), a helper `last_indexof` (the position of the last occurrence, defined in the file
//! with cvc5's `str.rev`, so that cvc5 reads the same file; "the part after the last `/`", and
//! from one example it is smaller than the offsets that overfit: 57 → 64 of 86 answers right on
//! the held-out example without the model), and cvc5's `str.to_upper`/`str.to_lower` when the
//! examples change case ([`case_changes`]). Plain `str.rev` in the grammar was tried and dropped: it
//! gave the search short, wrong shortcuts (one task lost, one gained). Since session 11 the file
//! also defines the number, month and clock helpers the examples call for ([`example_helpers`]:
//! rounding, padding, month names, the 12-hour clock), and since session 13 `field`, a piece of
//! separated text, written in SMT-LIB so that every solver and checker reads the same file.
//!
//! Constants. The competition grammars list, besides `""` and `" "`, the separators and fixed words a
//! task needs, picked by hand from its examples. The same idea, made mechanical so that it can be
//! applied to any task:
//! - every character of a training output that is neither a letter, a digit nor a space (the
//!   separators: `.`, `-`, `/`, `@`, ...), in order of first appearance;
//! - every such character that occurs in the inputs of every training example: the separators a
//!   general program splits its input at (`.` of `happy.jpg` → `happy`, `_` of `bob_acme.com` →
//!   `acme.com`) even when the outputs never show them. Requiring every example keeps the grammar
//!   small, and a separator the examples do not share cannot be what a general program looks for;
//! - such a separator with a space after it (`, `) or before it (` (`), when every example's
//!   inputs have it so: what `field` splits on, so that its pieces need no trimming. `field`'s
//!   separators are these constants' non-terminal `ntSep`, and its pieces the literals of
//!   `ntPiece`;
//! - words (maximal runs of letters and digits) of a training output that do not occur in that
//!   example's inputs, so cannot have been copied from them (fixed text such as `Inc` or `root`),
//!   the [`MAX_WORDS`] most frequent ones (a word such as `8013451987` from `801-345-1987` is kept
//!   although it is computed: the search's Occam rule sets aside programs that copy a lone example's
//!   output; dropping such words, when tried, lost PROSE tasks whose general answers need them, such
//!   as `30AM` or `0x87`);
//! - for integers, `0` to `5` and `-1`, as in the `from_2018` grammars.
//!
//! Nothing is taken from the held-out examples.

use crate::suite::Example;
use quill_lang::{Sort, Str, Value};
use std::fmt::Write;

/// The most words of the outputs added as constants; more would blow up the grammar.
pub const MAX_WORDS: usize = 8;

/// The name of the function to synthesize.
pub const FUNCTION: &str = "f";

/// The string constants of the grammar for these training examples (see the module docs).
pub fn string_constants(train: &[Example]) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new(), " ".into()];
    for e in train {
        for c in out_chars(e) {
            let s = c.to_string();
            if !c.is_alphanumeric() && c != ' ' && !out.contains(&s) {
                out.push(s);
            }
        }
    }
    let separators = |e: &Example| -> Vec<char> {
        let mut cs: Vec<char> = Vec::new();
        for c in e.inputs.iter().flat_map(|v| value_text(v).chars().collect::<Vec<_>>()) {
            if !c.is_alphanumeric() && c != ' ' && !cs.contains(&c) {
                cs.push(c);
            }
        }
        cs
    };
    if let Some((first, rest)) = train.split_first() {
        let others: Vec<Vec<char>> = rest.iter().map(separators).collect();
        for c in separators(first) {
            let s = c.to_string();
            if others.iter().all(|o| o.contains(&c)) && !out.contains(&s) {
                out.push(s);
            }
        }
    }
    // A separator written with a space after it (`Main St, Springfield`) or before it
    // (`Green Bay Packers (2)`) in every input is a constant too, so that `field` splits on the
    // whole of it and its pieces need no trimming: the two-character ones of `field`'s separators.
    let rows = rows(train);
    let spaced = quill_lang::fields::separators(rows.iter().map(|(i, o)| (i.as_slice(), o.as_str())));
    for d in spaced.into_iter().filter(|d| d.chars().count() > 1) {
        if !out.contains(&d) {
            out.push(d);
        }
    }
    // Words counted by the number of examples they appear in, ties broken by first appearance.
    let mut words: Vec<(String, usize)> = Vec::new();
    for e in train {
        let output: String = out_chars(e).iter().collect();
        let inputs: Vec<String> = e.inputs.iter().map(value_text).collect();
        let mut seen_here: Vec<&str> = Vec::new();
        for w in output.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            if inputs.iter().any(|i| i.contains(w)) || seen_here.contains(&w) {
                continue;
            }
            seen_here.push(w);
            match words.iter_mut().find(|(x, _)| x == w) {
                Some((_, n)) => *n += 1,
                None => words.push((w.to_string(), 1)),
            }
        }
    }
    // A stable sort keeps first-appearance order among equal counts.
    words.sort_by_key(|w| std::cmp::Reverse(w.1));
    for (w, _) in words.into_iter().take(MAX_WORDS) {
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

fn out_chars(e: &Example) -> Vec<char> {
    e.output.as_str().map(|s| s.chars().to_vec()).unwrap_or_default()
}

fn value_text(v: &Value) -> String {
    v.as_str().map(Str::to_rust_string).unwrap_or_default()
}

/// Whether the training examples change case (see [`quill_lang::grammar::case_changes`]).
pub fn case_changes(train: &[Example]) -> bool {
    let rows: Vec<(Vec<String>, String)> = train
        .iter()
        .map(|e| (e.inputs.iter().map(value_text).collect(), out_chars(e).iter().collect()))
        .collect();
    quill_lang::grammar::case_changes(rows.iter().map(|(i, o)| (i.as_slice(), o.as_str())))
}

/// The helpers a grammar for these examples offers (see [`quill_lang::grammar::example_helpers`]).
pub fn example_helpers(train: &[Example]) -> quill_lang::grammar::ExampleHelpers {
    quill_lang::grammar::example_helpers(&rows(train))
}

/// The training examples as (inputs, output) texts, as `quill_lang`'s example analyses read them.
fn rows(train: &[Example]) -> Vec<(Vec<String>, String)> {
    train.iter().map(|e| (e.inputs.iter().map(value_text).collect(), out_chars(e).iter().collect())).collect()
}

/// The SyGuS-IF v2 text of a strings PBE problem with `arity` String parameters. `title` goes in a
/// leading comment (the suite and task name, never task content).
pub fn write_sl(title: &str, arity: usize, train: &[Example]) -> String {
    let params: Vec<String> = (0..arity).map(|i| format!("_arg_{i}")).collect();
    let mut s = String::new();
    let _ = writeln!(s, "; {}", title.replace('\n', " "));
    let _ = writeln!(s, "; Generated by quill bench: {} training examples.", train.len());
    s.push_str("(set-logic SLIA)\n\n");
    // The last-occurrence helper (see `quill_lang::grammar::last_indexof`), offered for integers.
    let _ = writeln!(s, "{}\n", quill_lang::grammar::last_indexof());
    // The number, month and clock helpers the examples call for (see
    // `quill_lang::grammar::example_helpers`), defined callees first.
    let helpers = example_helpers(train);
    for d in &helpers.defined {
        let _ = writeln!(s, "{d}");
    }
    if !helpers.defined.is_empty() {
        s.push('\n');
    }
    let decls: Vec<String> = params.iter().map(|p| format!("({p} String)")).collect();
    let _ = writeln!(s, "(synth-fun {FUNCTION} ({}) String", decls.join(" "));
    let constants = string_constants(train);
    let consts: Vec<String> = constants.iter().map(|c| Value::str(c).to_string()).collect();
    // `field` splits on one of the separators among the constants and takes a piece by a literal
    // index (`quill_lang::fields::pieces`), as `Grammar::offer_field` has it for table rows.
    let seps: Vec<String> = constants
        .iter()
        .filter(|c| !c.is_empty() && !c.chars().any(char::is_alphanumeric))
        .map(|c| Value::str(c).to_string())
        .collect();
    let field = helpers.offered.iter().any(|d| quill_lang::fields::is_offered(d)) && !seps.is_empty();
    let field_nts = if field { " (ntSep String) (ntPiece Int)" } else { "" };
    // `round_step` and `num_at` take their last arguments from non-terminals of literals, as
    // `Grammar::offer_helpers` has it.
    let mut literal_nts: Vec<&quill_lang::grammar::LiteralArg> = Vec::new();
    for d in &helpers.offered {
        for lit in quill_lang::grammar::literal_args(&d.name) {
            if !literal_nts.iter().any(|l| l.nt == lit.nt) {
                literal_nts.push(lit);
            }
        }
    }
    let literal_decls: String = literal_nts.iter().map(|l| format!(" ({} Int)", l.nt)).collect();
    let _ = writeln!(
        s,
        "    ((Start String) (ntString String) (ntInt Int) (ntBool Bool){field_nts}{literal_decls})"
    );
    s.push_str("    ((Start String (ntString))\n");
    // Productions beyond the track's: case operators and helpers, and the helpers' literals.
    let mut string_extra =
        if case_changes(train) { " (str.to_upper ntString) (str.to_lower ntString)" } else { "" }.to_string();
    let mut int_extra = String::new();
    for d in &helpers.offered {
        let args: String = if quill_lang::fields::is_offered(d) {
            if !field {
                continue;
            }
            " ntString ntSep ntPiece".to_string()
        } else {
            let literals = quill_lang::grammar::literal_args(&d.name);
            let own = &d.params[..d.params.len().saturating_sub(literals.len())];
            own.iter()
                .map(|p| format!(" nt{}", p.1))
                .chain(literals.iter().map(|l| format!(" {}", l.nt)))
                .collect()
        };
        let production = format!(" ({}{args})", d.name);
        match d.ret {
            Sort::Int => int_extra.push_str(&production),
            _ => string_extra.push_str(&production),
        }
    }
    for n in &helpers.int_constants {
        // SMT-LIB writes a negative literal as `(- 2)`, as `Value`'s display does.
        let _ = write!(int_extra, " {}", Value::Int(*n));
    }
    let _ = writeln!(
        s,
        "    (ntString String ({} {} (str.++ ntString ntString) (str.replace ntString ntString ntString) \
         (str.at ntString ntInt) (str.from_int ntInt) (ite ntBool ntString ntString) \
         (str.substr ntString ntInt ntInt) (str.replace_all ntString ntString ntString){string_extra}))",
        params.join(" "),
        consts.join(" ")
    );
    let _ = writeln!(
        s,
        "    (ntInt Int (0 1 2 3 4 5 (- 1) (+ ntInt ntInt) (- ntInt ntInt) (str.len ntString) \
         (str.to_int ntString) (ite ntBool ntInt ntInt) (str.indexof ntString ntString ntInt) \
         (last_indexof ntString ntString){int_extra}))"
    );
    s.push_str(
        "    (ntBool Bool (true false (= ntInt ntInt) (str.prefixof ntString ntString) \
         (str.suffixof ntString ntString) (str.contains ntString ntString)))",
    );
    if field {
        let pieces: Vec<String> = quill_lang::fields::pieces().map(|k| Value::Int(k).to_string()).collect();
        let _ =
            write!(s, "\n    (ntSep String ({}))\n    (ntPiece Int ({}))", seps.join(" "), pieces.join(" "));
    }
    for l in literal_nts {
        let values: Vec<String> = l.values.iter().map(|k| Value::Int(*k).to_string()).collect();
        let _ = write!(s, "\n    ({} Int ({}))", l.nt, values.join(" "));
    }
    s.push_str("))\n\n");
    for e in train {
        let ins: Vec<String> = e.inputs.iter().map(Value::to_string).collect();
        let _ = writeln!(s, "(constraint (= ({FUNCTION} {}) {}))", ins.join(" "), e.output);
    }
    s.push_str("\n(check-synth)\n");
    s
}

/// The first two examples with equal inputs and different outputs, if any: such a specification has
/// no solution, and "infeasible" is the right answer.
pub fn contradiction(examples: &[Example]) -> Option<(usize, usize)> {
    let mut by_input: std::collections::HashMap<&[Value], usize> = std::collections::HashMap::new();
    for (i, e) in examples.iter().enumerate() {
        match by_input.get(e.inputs.as_slice()) {
            Some(&j) if examples[j].output != e.output => return Some((j, i)),
            Some(_) => {}
            None => {
                by_input.insert(&e.inputs, i);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(ins: &[&str], out: &str) -> Example {
        Example { inputs: ins.iter().map(|s| Value::str(s)).collect(), output: Value::str(out) }
    }

    #[test]
    fn constants_are_separators_and_new_words() {
        let train = [ex(&["john smith"], "Smith, J. (Inc)"), ex(&["ann lee"], "Lee, A. (Inc)")];
        let c = string_constants(&train);
        assert_eq!(&c[..2], &["".to_string(), " ".to_string()]);
        for want in [",", ".", "(", ")", "Inc"] {
            assert!(c.contains(&want.to_string()), "{want} missing from {c:?}");
        }
        // Words copied from the input (after case change they are new, so "Smith" is kept; "ann" is not).
        assert!(!c.contains(&"ann".to_string()));
        assert_eq!(c.iter().position(|x| x == "Inc"), Some(6), "{c:?}");
    }

    #[test]
    fn separators_every_input_shares_are_constants() {
        let train = [ex(&["happy.jpg", "a-b"], "happy"), ex(&["sales data.csv", "c_d"], "sales data")];
        let c = string_constants(&train);
        assert!(c.contains(&".".to_string()), "{c:?}");
        // `-` and `_` each occur in one example's inputs only.
        assert!(!c.contains(&"-".to_string()) && !c.contains(&"_".to_string()), "{c:?}");
        // Output separators come first, and nothing is listed twice.
        let c = string_constants(&[ex(&["a.b"], "a.")]);
        assert_eq!(c, vec!["".to_string(), " ".into(), ".".into()]);
    }

    #[test]
    fn a_separator_with_a_space_beside_it_in_every_input_is_a_constant() {
        let c = string_constants(&[ex(&["Lee, Ann (1)"], "Ann"), ex(&["Ng, Bo (2)"], "Bo")]);
        assert!(c.contains(&", ".to_string()) && c.contains(&" (".to_string()), "{c:?}");
        // `(` has no space after it, and `a,b` has none after its comma.
        assert!(!c.contains(&"( ".to_string()), "{c:?}");
        let c = string_constants(&[ex(&["Lee, Ann"], "Ann"), ex(&["Ng,Bo"], "Bo")]);
        assert!(!c.contains(&", ".to_string()), "{c:?}");
    }

    #[test]
    fn written_problem_escapes_strings_and_lists_examples() {
        let text = write_sl("t", 2, &[ex(&["a\"b", "\n"], "x")]);
        assert!(text.contains(r#"(constraint (= (f "a""b" "\u{a}") "x"))"#), "{text}");
        assert!(text.contains("(synth-fun f ((_arg_0 String) (_arg_1 String)) String"));
    }

    #[test]
    fn case_operators_only_when_an_output_changes_case() {
        assert!(case_changes(&[ex(&["john smith"], "SMITH")]));
        assert!(case_changes(&[ex(&["a"], "a"), ex(&["Ann Lee"], "ann")]));
        assert!(!case_changes(&[ex(&["john smith"], "smith, j.")]));
        // A new word is a constant, not a case change.
        assert!(!case_changes(&[ex(&["john"], "Mr john")]));
        let text = write_sl("t", 1, &[ex(&["ab"], "AB")]);
        assert!(text.contains("(str.to_upper ntString)"), "{text}");
        assert!(!write_sl("t", 1, &[ex(&["ab"], "b")]).contains("str.to_upper"));
        // The last-occurrence helper is defined before the function and offered for integers.
        let def = text.find("(define-fun last_indexof").expect("helper defined");
        assert!(def < text.find("(synth-fun").unwrap() && text.contains("(last_indexof ntString ntString)"));
        // Read back, it is Quill's own definition, which the model's vocabulary has a token for.
        let problem = quill_sygus::parse(&text, "t.sl").expect("the written file parses");
        assert!(problem.defined.iter().any(|d| **d == quill_lang::grammar::last_indexof()));
    }

    #[test]
    fn number_helpers_only_when_the_examples_compute_numbers() {
        let text = write_sl("t", 1, &[ex(&["12338"], "12350"), ex(&["781"], "800")]);
        assert!(
            text.contains("(round_dec ntString ntInt)")
                && text.contains("(floor_to ntInt ntInt) 50 (- 2) (- 3)"),
            "{text}"
        );
        // Every helper is defined before it is called, so the file reads back with all of them.
        let problem = quill_sygus::parse(&text, "t.sl").expect("the written file parses");
        for d in quill_lang::numbers::definitions() {
            assert!(problem.defined.iter().any(|p| **p == *d), "{} is not defined", d.name);
        }
        let copied = write_sl("t", 1, &[ex(&["(555) 010-4477"], "010-4477")]);
        assert!(!copied.contains("round_dec") && !copied.contains("dec_pow10"), "{copied}");
        // A month number made a name: the month helpers, with their internal table defined too.
        let months = write_sl("t", 1, &[ex(&["2019-11-05"], "Nov 2019")]);
        assert!(months.contains("(month_abbr ntInt)") && months.contains("(month_num ntString)"), "{months}");
        assert!(
            months.contains("(define-fun dates_month_at") && !months.contains("(dates_month_at ntString)")
        );
        assert!(quill_sygus::parse(&months, "t.sl").is_ok());
    }

    #[test]
    fn field_splits_on_a_separator_constant_and_takes_a_literal_piece() {
        let train = [
            ex(&["Ann Lee, 12 Main St, Springfield"], "Springfield"),
            ex(&["Bo Ng, 3 Elm Rd, Dover"], "Dover"),
        ];
        let text = write_sl("t", 1, &train);
        assert!(text.contains("(field ntString ntSep ntPiece)"), "{text}");
        assert!(text.contains(r#"(ntSep String (" " "," ", "))"#), "{text}");
        assert!(text.contains("(ntPiece Int (0 1 2 3 4 (- 1) (- 2)))"), "{text}");
        // The file reads back with the helper defined.
        let problem = quill_sygus::parse(&text, "t.sl").expect("the written file parses");
        assert!(problem.defined.iter().any(|d| &*d.name == "field"));
        // Without a piece of separated input in an output, no field.
        assert!(!write_sl("t", 1, &[ex(&["Springfield"], "SPRINGFIELD")]).contains("define-fun field"));
    }

    #[test]
    fn contradictions_are_found() {
        assert_eq!(contradiction(&[ex(&["a"], "1"), ex(&["b"], "2"), ex(&["a"], "1")]), None);
        assert_eq!(contradiction(&[ex(&["a"], "1"), ex(&["b"], "2"), ex(&["a"], "3")]), Some((0, 2)));
    }
}
