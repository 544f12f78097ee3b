//! Examples carried over to new inputs: each word of an example's input is lengthened by one
//! letter in its middle, and the output is changed the same way where it copies that word (or
//! left alone where it shows no trace of it). A string transformation that generalizes copies,
//! finds and cuts by the structure of its input, so it maps the changed input to the changed
//! output; one that fits by coincidence (a start position that is the input's length minus
//! something, a constant offset) does not. The carried examples are guesses, so they only ever
//! weigh in the ranking and steer one further search ([`search`]); they never decide whether a
//! program fits.

use quill_lang::{Func, Grammar, Op, ProdKind, Production, Term, Value};
use quill_search::{Config, Example, Outcome, Task};

/// A program found by the carried search joins the pool only if it is at most this many nodes
/// larger than the smallest program already found. A general program that the first searches
/// missed replaces their constant offsets by positions found in the input, a few nodes each
/// (BUSTLE's "last name, first name" swap: 18 nodes against the overfit's 14); when the carried
/// guesses are wrong for a task, what fits them is a chain of characters picked one by one or a
/// trick with `str.to_int` (seen on BUSTLE and PROSE: 18 nodes against 12, 37 against 1), which
/// must not displace the program found first.
const CARRIED_SIZE_SLACK: usize = 4;

/// At most this many carried examples per task.
const MAX_CARRIED: usize = 24;

/// Words shorter than this are not changed: a one- or two-letter word lengthened in its middle is
/// too often an abbreviation or a number whose meaning changes.
const MIN_WORD: usize = 3;

/// Examples made from `examples` by lengthening one word of one string input each, with the
/// output the task would give if it copies by structure. Only string outputs are carried; an
/// example whose output could be either changed or not (it holds a piece of the word that spans
/// the change) gives none for that word.
pub(crate) fn carried(examples: &[Example]) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    for e in examples {
        let Value::Str(output) = &e.output else { continue };
        let output = output.to_rust_string();
        for (i, input) in e.inputs.iter().enumerate() {
            let Value::Str(s) = input else { continue };
            let s = s.to_rust_string();
            for word in words(&s) {
                let Some(new_output) = carry_output(&output, &word) else { continue };
                let mut inputs = e.inputs.clone();
                inputs[i] = Value::str(&replace_word(&s, &word, &lengthen(&word)));
                if examples.iter().any(|x| x.inputs == inputs) || out.iter().any(|x| x.inputs == inputs) {
                    continue;
                }
                out.push(Example { inputs, output: Value::str(&new_output) });
                if out.len() == MAX_CARRIED {
                    return out;
                }
            }
        }
    }
    out
}

/// When no program found so far maps every `carried` example (see [`carried`]), one more search, on the examples and
/// the carried ones together, for a program that does: the general program is often larger than
/// the overfits found first, and the carried examples rule those out. `None` when there are no carried examples, some candidate already maps them all, or the
/// budget is spent. Its answers fit the real examples too, so they join the pool as any other,
/// if not much larger than the smallest program found (see [`CARRIED_SIZE_SLACK`]).
pub(crate) fn search(task: &Task, carried: &[Example], found: &[Term], config: &Config) -> Option<Outcome> {
    let maps_all = |t: &Term| carried.iter().all(|e| quill_search::fits(t, e));
    if carried.is_empty() || found.iter().any(maps_all) || config.timeout.is_zero() {
        return None;
    }
    let examples = task.examples.iter().chain(carried).cloned().collect();
    let (grammar, costs) = without_case_splits(&task.grammar, config.costs.as_deref());
    let augmented = Task { examples, grammar, ..task.clone() };
    if quill_search::contradictory(&augmented.examples) {
        return None;
    }
    let mut out = quill_search::synthesize(&augmented, &Config { costs, ..config.clone() });
    let smallest = found.iter().map(Term::size).min().unwrap_or(0);
    out.answers.retain(|t| t.size() <= smallest + CARRIED_SIZE_SLACK);
    Some(out)
}

/// The grammar without its `ite` productions (and the costs without theirs). With them, more
/// examples are fitted by more case splits, which memorize the carried examples instead of
/// generalizing; the carried search looks for one uniform program or none.
fn without_case_splits(grammar: &Grammar, costs: Option<&[Vec<u32>]>) -> (Grammar, Option<Vec<Vec<u32>>>) {
    fn splits(t: &Term) -> bool {
        match t {
            Term::App(f, args) => *f == Func::Builtin(Op::Ite) || args.iter().any(splits),
            _ => false,
        }
    }
    let keep = |p: &Production| match &p.kind {
        ProdKind::Apply(f) => *f != Func::Builtin(Op::Ite),
        ProdKind::Template(t) => !splits(t),
        _ => true,
    };
    let mut grammar = grammar.clone();
    let costs = costs.map(|c| {
        grammar
            .nonterminals
            .iter()
            .zip(c)
            .map(|(n, c)| n.productions.iter().zip(c).filter(|(p, _)| keep(p)).map(|(_, &c)| c).collect())
            .collect()
    });
    for n in &mut grammar.nonterminals {
        n.productions.retain(keep);
    }
    (grammar, costs)
}

/// The maximal runs of letters and digits in `s`.
fn words_of(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// The distinct maximal runs of letters and digits in `s` that are long enough to change and hold
/// a letter. Runs of digits alone are left: they are mostly fixed-width fields (years, zip codes,
/// parts of phone numbers) that no user would lengthen, and a program taking "the last five
/// characters" of them is right.
fn words(s: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for w in words_of(s) {
        let changeable = w.chars().count() >= MIN_WORD && w.chars().any(char::is_alphabetic);
        if changeable && !found.iter().any(|f| f == w) {
            found.push(w.to_string());
        }
    }
    found
}

/// Where a word is changed: the index of its middle character, which is doubled.
fn middle(word: &[char]) -> usize {
    word.len() / 2
}

fn lengthen(word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let m = middle(&chars);
    chars.insert(m, chars[m]);
    chars.into_iter().collect()
}

/// Replaces every whole-word occurrence of `word` in `s` (bounded by non-alphanumerics).
fn replace_word(s: &str, word: &str, by: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        out.push_str(if run == word { by } else { run });
        run.clear();
    };
    for c in s.chars() {
        if c.is_alphanumeric() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The output after `word` is lengthened in the input: each copy of the word (a whole word of
/// the output, as written, in upper case or in lower case) is lengthened too; with no copy, the
/// output stays unless it holds a piece of the word around its middle, or is a number (numbers
/// are often computed from the input, lengths included), in which case nothing is carried. Only
/// whole words count as copies: "chang" inside "achang" or "the" inside "godfather" is a
/// coincidence of letters, not the word copied.
fn carry_output(output: &str, word: &str) -> Option<String> {
    let forms = [word.to_string(), word.to_uppercase(), word.to_lowercase()];
    let mut carried = output.to_string();
    let mut copied = false;
    for form in &forms {
        if words_of(&carried).any(|w| w == form) {
            carried = replace_word(&carried, form, &lengthen(form));
            copied = true;
        }
    }
    if copied {
        return Some(carried);
    }
    if output.is_empty() || output.chars().all(|c| c.is_ascii_digit() || ".,-+ ".contains(c)) {
        return None;
    }
    let chars: Vec<char> = word.to_lowercase().chars().collect();
    let m = middle(&chars);
    let lower = output.to_lowercase();
    let spans_middle = |a: usize, b: usize| a <= m && m < b && b - a >= 2;
    let overlaps = (0..chars.len())
        .flat_map(|a| (a + 2..=chars.len()).map(move |b| (a, b)))
        .filter(|&(a, b)| spans_middle(a, b))
        .any(|(a, b)| lower.contains(&chars[a..b].iter().collect::<String>()));
    (!overlaps).then(|| output.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn ex(input: &str, output: &str) -> Example {
        Example { inputs: vec![Value::str(input)], output: Value::str(output) }
    }

    fn pairs(examples: &[Example]) -> Vec<(String, String)> {
        let s = |v: &Value| match v {
            Value::Str(s) => s.to_rust_string(),
            other => format!("{other:?}"),
        };
        examples.iter().map(|e| (s(&e.inputs[0]), s(&e.output))).collect()
    }

    /// "Ann Lee" gives "Ann", "Bob Day" gives "Bob", over a grammar that can take a prefix of a
    /// fixed length or up to the first space.
    fn first_word_task() -> Task {
        let text = include_str!("../tests/fixtures/first-word.sl");
        let p = quill_sygus::parse(text, "first_word.sl").unwrap();
        let f = &p.synth_funs[0];
        let examples =
            p.examples().unwrap().into_iter().map(|e| Example { inputs: e.inputs, output: e.output });
        Task {
            params: f.params.clone(),
            ret: f.ret,
            grammar: f.grammar.clone(),
            examples: examples.collect(),
            sketch: None,
        }
    }

    #[test]
    fn the_carried_search_runs_only_when_no_program_maps_the_carried_examples() {
        let task = first_word_task();
        let s = Term::Var(quill_lang::Var { index: 0, name: "s".into(), sort: quill_lang::Sort::String });
        let int = |n| Term::Lit(Value::Int(n));
        let offset = Term::app(quill_lang::Op::StrSubstr, vec![s.clone(), int(0), int(3)]);
        let config = Config { timeout: Duration::from_secs(5), ..Config::default() };
        let carried = carried(&task.examples);
        let more =
            search(&task, &carried, std::slice::from_ref(&offset), &config).expect("the offset misses");
        assert!(!more.answers.is_empty());
        for t in &more.answers {
            assert!(task.examples.iter().chain(&carried).all(|e| quill_search::fits(t, e)), "{t}");
        }
        assert!(search(&task, &carried, &more.answers[..1], &config).is_none());
        let spent = Config { timeout: Duration::ZERO, ..config };
        assert!(search(&task, &carried, &[offset], &spent).is_none());
    }

    #[test]
    fn a_copied_word_is_lengthened_in_the_output_too() {
        let got = pairs(&carried(&[ex("home/Excel/Sheet1.xls", "Sheet1.xls")]));
        assert!(got.contains(&("homme/Excel/Sheet1.xls".into(), "Sheet1.xls".into())), "{got:?}");
        assert!(got.contains(&("home/Excel/Sheeet1.xls".into(), "Sheeet1.xls".into())), "{got:?}");
        assert!(got.contains(&("home/Excel/Sheet1.xlls".into(), "Sheet1.xlls".into())), "{got:?}");
    }

    #[test]
    fn a_word_in_another_case_is_carried_in_that_case() {
        let got = pairs(&carried(&[ex("john smith", "SMITH")]));
        assert!(got.contains(&("john smiith".into(), "SMIITH".into())), "{got:?}");
        assert!(got.contains(&("johhn smith".into(), "SMITH".into())), "{got:?}");
    }

    #[test]
    fn a_piece_of_the_word_around_its_middle_makes_the_guess_unsafe() {
        // "eet1" could be the word's last four letters or a fixed cut; either way it holds the
        // doubled letter, so no output can be guessed for that word.
        assert_eq!(carry_output("eet1", "Sheet1"), None);
        // A prefix that ends before the middle is unchanged by doubling the middle.
        assert_eq!(carry_output("Sh", "Sheet1"), Some("Sh".into()));
        // Letters that only look like the word are not a copy of it, and "chang" inside "achang"
        // is a piece around its middle: nothing can be guessed.
        assert_eq!(carry_output("achang", "chang"), None);
        assert_eq!(carry_output("The godfather", "The"), Some("Thhe godfather".into()));
        // Numbers are often computed (a length, a sum), so they are never guessed unchanged.
        assert_eq!(carry_output("42", "Sheet1"), None);
    }

    #[test]
    fn short_words_and_non_string_outputs_are_left_alone() {
        assert!(carried(&[ex("a b", "b a")]).is_empty());
        assert!(carried(&[ex("Oslo 12345", "12345")]).iter().all(|e| e.output == Value::str("12345")));
        let int = Example { inputs: vec![Value::str("Sheet1")], output: Value::Int(6) };
        assert!(carried(&[int]).is_empty());
    }
}
