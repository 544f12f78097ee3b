//! Inputs without outputs (see [`quill_sygus::Problem::unlabeled`]) as evidence for choosing
//! among the programs that fit the examples.
//!
//! A spreadsheet user gives a few outputs and has the whole column of inputs. A program that fits
//! three rows by character offsets usually breaks on the others: it fails to evaluate, or gives
//! the empty string where no example's output is empty. A general program does neither. So the
//! programs that fit are ordered first by how many unlabeled inputs they break on; the usual order
//! (the model's, or the search's) decides among programs that break on as many.

use quill_lang::{Sort, Term, Value};
use quill_search::{Config, Example, Outcome, Task};

/// At most this many unlabeled inputs are tried per candidate: enough to tell a general program
/// from an overfit one, and cheap next to the search even for a pool of a hundred programs.
pub(crate) const MAX_UNLABELED: usize = 64;

/// The unlabeled inputs that can be given to the function: as many values as it has parameters,
/// each of its parameter's sort, none equal to an example's inputs; at most [`MAX_UNLABELED`].
pub(crate) fn usable(unlabeled: &[Vec<Value>], params: &[Sort], examples: &[Example]) -> Vec<Vec<Value>> {
    let mut out: Vec<Vec<Value>> = Vec::new();
    for row in unlabeled {
        let fits = row.len() == params.len() && row.iter().zip(params).all(|(v, s)| v.sort() == *s);
        if fits && !examples.iter().any(|e| e.inputs == *row) && !out.contains(row) {
            out.push(row.clone());
        }
        if out.len() == MAX_UNLABELED {
            break;
        }
    }
    out
}

/// On how many of `inputs` the program breaks: it fails to evaluate, gives the empty string
/// although no example's output is empty, gives a negative number although no example's output
/// is negative (`str.to_int` of what is not a number is -1), or gives a text that starts or ends
/// with a kind of character (a letter, a digit, a space, punctuation) that no example's output
/// starts or ends with, as the first three letters of a two-letter first name do ("Jo "). The
/// kinds are coarse on purpose: a right output may well change case ("quick" beside "The") or
/// hold a space the examples lack ("pivot table.xls"). They are not compared when an example's
/// output is a number written as text, where a sign the examples lack is an ordinary output.
/// Last, it breaks when it writes a number otherwise than the examples do (see
/// [`crate::digits::Style`]): a day `03` where no example's number has a leading zero, or a year
/// of one digit.
pub(crate) fn breaks(t: &Term, inputs: &[Vec<Value>], examples: &[Example]) -> u32 {
    let empty_ok = examples.iter().any(|e| is_empty(&e.output));
    let negative_ok = examples.iter().any(|e| is_negative(&e.output));
    let numeric = examples.iter().any(|e| is_number_text(&e.output));
    let seen: Vec<Ends> = examples.iter().filter_map(|e| ends(&e.output)).collect();
    let style = crate::digits::Style::of(examples);
    let broken = inputs.iter().filter(|i| match quill_eval::eval(t, i) {
        Err(_) => true,
        Ok(v) if is_empty(&v) => !empty_ok,
        Ok(v) if is_negative(&v) => !negative_ok,
        Ok(v) => (!numeric && ends(&v).is_some_and(|o| !seen.contains(&o))) || style.off(i, &v),
    });
    broken.count() as u32
}

fn is_empty(v: &Value) -> bool {
    matches!(v, Value::Str(s) if s.is_empty())
}

fn is_negative(v: &Value) -> bool {
    matches!(v, Value::Int(n) if *n < 0)
}

/// The kinds of a text's first and last character.
type Ends = (Kind, Kind);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Letter,
    Digit,
    Space,
    Other,
}

fn kind(c: char) -> Kind {
    if c.is_alphabetic() {
        Kind::Letter
    } else if c.is_numeric() {
        Kind::Digit
    } else if c.is_whitespace() {
        Kind::Space
    } else {
        Kind::Other
    }
}

fn ends(v: &Value) -> Option<Ends> {
    let Value::Str(s) = v else { return None };
    let s = s.to_rust_string();
    Some((kind(s.chars().next()?), kind(s.chars().last()?)))
}

fn is_number_text(v: &Value) -> bool {
    let Value::Str(s) = v else { return false };
    let s = s.to_rust_string();
    s.chars().any(|c| c.is_ascii_digit()) && s.parse::<f64>().is_ok()
}

/// The plain search; when the task has unlabeled `inputs`, it collects a pool of programs that fit
/// (the guided solver's, [`crate::guided::pool_config`]: the smallest program that fits is often
/// the overfit one) and returns them ordered by [`breaks`], the search's own order (smaller first) among those that
/// break on as many.
pub(crate) fn search(task: &Task, config: &Config, inputs: &[Vec<Value>]) -> Outcome {
    if inputs.is_empty() {
        return quill_search::synthesize(task, config);
    }
    let mut out = quill_search::synthesize(task, &crate::guided::pool_config(config));
    let mut ranked: Vec<(u32, Term)> =
        out.answers.drain(..).map(|t| (breaks(&t, inputs, &task.examples), t)).collect();
    // A stable sort keeps the search's order among programs that break alike.
    ranked.sort_by_key(|(b, _)| *b);
    out.answers = ranked.into_iter().map(|(_, t)| t).take(config.top_k.max(1)).collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use quill_lang::{Op, Var};

    fn x() -> Term {
        Term::Var(Var { index: 0, name: "x".into(), sort: Sort::String })
    }

    fn ex(i: &str, o: &str) -> Example {
        Example { inputs: vec![Value::str(i)], output: Value::str(o) }
    }

    #[test]
    fn only_usable_rows_are_kept() {
        let examples = [ex("Ann Lee", "Ann")];
        let rows = [
            vec![Value::str("Jo Li")],
            vec![Value::Int(3)],
            vec![Value::str("Ann Lee")],
            vec![Value::str("Jo Li")],
            vec![Value::str("a"), Value::str("b")],
        ];
        // The integer has the wrong sort, "Ann Lee" is an example's input, the repeat and the
        // row of two cells do not count.
        assert_eq!(usable(&rows, &[Sort::String], &examples), vec![vec![Value::str("Jo Li")]]);
    }

    #[test]
    fn an_offset_breaks_where_a_separator_does_not() {
        // The first word of "Ann Lee" and "Bob Ray": three characters, or up to the space.
        let examples = [ex("Ann Lee", "Ann"), ex("Bob Ray", "Bob")];
        let zero = Term::Lit(Value::Int(0));
        let three = Term::app(Op::StrSubstr, vec![x(), zero.clone(), Term::Lit(Value::Int(3))]);
        let space = Term::app(Op::StrIndexOf, vec![x(), Term::Lit(Value::str(" ")), zero.clone()]);
        let word = Term::app(Op::StrSubstr, vec![x(), zero, space]);
        // "Jo " ends in a space, "Kimberly Ng" gives "Kim": only the first is unlike "Ann".
        let inputs = [vec![Value::str("Jo Li")], vec![Value::str("Kimberly Ng")]];
        assert_eq!(breaks(&three, &inputs, &examples), 1);
        assert_eq!(breaks(&word, &inputs, &examples), 0);
        // Without a space the separator program gives "" (the index is -1).
        let inputs = [vec![Value::str("Kim")]];
        assert_eq!(breaks(&word, &inputs, &examples), 1);
        assert_eq!(breaks(&three, &inputs, &examples), 0);
        // An example with an empty output makes the empty string an ordinary output.
        let with_empty = [ex("Ann Lee", "Ann"), ex("", "")];
        assert_eq!(breaks(&word, &inputs, &with_empty), 0);
    }

    #[test]
    fn outlines_are_not_compared_for_numbers() {
        // "102" has no decimal point and "-14" starts with a sign: right outputs of numbers.
        let examples = [ex("123.4567", "123.46"), ex("76.2", "76.2")];
        let inputs = [vec![Value::str("102")], vec![Value::str("-14")]];
        assert_eq!(breaks(&x(), &inputs, &examples), 0);
        // For names, an output that ends in a space is unlike "Ann".
        assert_eq!(breaks(&x(), &[vec![Value::str("Jo ")]], &[ex("Ann Lee", "Ann")]), 1);
    }

    #[test]
    fn only_the_kinds_of_the_first_and_last_character_are_compared() {
        // Another case, or a space the examples lack, is an ordinary output; a trailing comma
        // where the examples end in letters is not.
        let examples = [ex("The quick fox", "The"), ex("c=/a/shotcut.xls", "shotcut.xls")];
        let fine = [vec![Value::str("quick")], vec![Value::str("pivot table.xls")]];
        assert_eq!(breaks(&x(), &fine, &examples), 0);
        assert_eq!(breaks(&x(), &[vec![Value::str("ABV Trucking Inc,")]], &examples), 1);
    }

    #[test]
    fn a_number_read_from_the_wrong_place_is_negative() {
        // The number in "AB-12-X" by its offset reads "-H" in "G-8-HH": -1.
        let examples = [Example { inputs: vec![Value::str("AB-12-X")], output: Value::Int(12) }];
        let offset = Term::app(
            Op::StrToInt,
            vec![Term::app(Op::StrSubstr, vec![x(), Term::Lit(Value::Int(3)), Term::Lit(Value::Int(2))])],
        );
        assert_eq!(breaks(&offset, &[vec![Value::str("G-8-HH")]], &examples), 1);
        assert_eq!(breaks(&offset, &[vec![Value::str("CD-34-Y")]], &examples), 0);
        let signed = [Example { inputs: vec![Value::str("AB-12-X")], output: Value::Int(-12) }];
        assert_eq!(breaks(&offset, &[vec![Value::str("G-8-HH")]], &signed), 0);
    }
}
