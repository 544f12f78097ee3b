//! The field helper for grammars from examples: `(field s d k)`, the `k`-th piece of `s` split on
//! the separator `d` (Python's `s.split(d)[k]`), counted from 0, or from the end when `k` is
//! negative (every separator is found by a scan from the left, as Python's is; quill-eval's tests
//! compare the two). "The city in `Name, 12 Main St, Springfield, IL`" is `(field x ", " 2)`, size 4,
//! where SMT-LIB needs two `str.indexof`s, a subtraction and a `str.substr` (size 15 or more),
//! out of reach of a search within seconds; what the search reaches instead from three
//! examples is a character offset that happens to fit them, and fails on the next row.
//!
//! As the other helpers, it is a `define-fun` in SMT-LIB itself (no recursion: the pieces are
//! unrolled up to [`MAX_FIELD`] from the front, and the last two pieces are found by unrolled
//! steps, [`BACK_DEPTH`] of them), so a problem that offers it stays a plain SyGuS-IF file that
//! cvc5 reads and z3 checks.

use crate::numbers::define_all;
use crate::term::FunDef;
use std::sync::Arc;

/// The highest piece index from the front that `field` reaches; beyond it it gives "".
pub const MAX_FIELD: i64 = 4;

/// How many separators `field` looks past from the front to find the last piece (`k` = -1) or
/// the one before it (-2); on text with more, those pieces are taken after the first
/// `BACK_DEPTH` separators instead. SMT-LIB has no loops and z3 has no `str.rev`, so the search
/// for the last separator is unrolled into one small function per step.
pub const BACK_DEPTH: usize = 12;

/// The helpers' SMT-LIB text, callees first. A piece that is not there (the third of `a,b`) is
/// "", as is every piece on an empty separator.
fn text() -> Vec<String> {
    let mut out: Vec<String> = vec![
        // The text before the first `d` (all of `s` without one) and after it ("" without one).
        "(define-fun field_head ((s String) (d String)) String \
         (ite (str.contains s d) (str.substr s 0 (str.indexof s d 0)) s))"
            .into(),
        "(define-fun field_tail ((s String) (d String)) String (ite (str.contains s d) \
         (str.substr s (+ (str.indexof s d 0) (str.len d)) (str.len s)) \"\"))"
            .into(),
        // The last piece and the one before it, looking past at most 0 separators.
        "(define-fun field_end0 ((s String) (d String)) String s)".into(),
        "(define-fun field_pen0 ((s String) (d String)) String \"\")".into(),
    ];
    // Each step moves past one separator while another follows.
    for n in 1..=BACK_DEPTH {
        let m = n - 1;
        out.push(format!(
            "(define-fun field_end{n} ((s String) (d String)) String \
             (ite (str.contains s d) (field_end{m} (field_tail s d) d) s))"
        ));
        out.push(format!(
            "(define-fun field_pen{n} ((s String) (d String)) String \
             (ite (str.contains (field_tail s d) d) (field_pen{m} (field_tail s d) d) \
             (ite (str.contains s d) (field_head s d) \"\")))"
        ));
    }
    let mut front = "\"\"".to_string();
    for k in (0..=MAX_FIELD).rev() {
        let mut piece = "s".to_string();
        for _ in 0..k {
            piece = format!("(field_tail {piece} d)");
        }
        front = format!("(ite (= k {k}) (field_head {piece} d) {front})");
    }
    out.push(format!(
        "(define-fun field ((s String) (d String) (k Int)) String (ite (= d \"\") \"\" (ite (< k 0) \
         (ite (= k (- 1)) (field_end{BACK_DEPTH} s d) (ite (= k (- 2)) (field_pen{BACK_DEPTH} s d) \"\")) \
         {front})))"
    ));
    out
}

/// The pieces grammars let `field` take: the first ones it reaches and the last two.
pub fn pieces() -> impl Iterator<Item = i64> {
    (0..=MAX_FIELD).chain([-1, -2])
}

/// The separators a grammar lets `field` split on for these examples' inputs: a space, and every
/// character that is neither a letter nor a digit, alone, doubled (`//`), with a space after it
/// (`, `) or before it (` (`), where the examples' inputs hold it: every example's, or more than
/// half of them and two at least, since a row without the separator is one piece (`Dallas
/// Cowboys (2)` and `New York Jets` are both piece 0 on ` (`).
pub fn separators<'a>(rows: impl IntoIterator<Item = (&'a [String], &'a str)>) -> Vec<String> {
    let rows: Vec<&[String]> = rows.into_iter().map(|(inputs, _)| inputs).collect();
    let mut out = vec![" ".to_string()];
    let held = |d: &str| rows.iter().filter(|r| r.iter().any(|i| i.contains(d))).count();
    let enough = |n: usize| n == rows.len() || (n >= 2 && 2 * n > rows.len());
    for c in rows
        .iter()
        .flat_map(|r| r.iter())
        .flat_map(|i| i.chars())
        .filter(|c| !c.is_alphanumeric() && *c != ' ')
    {
        for d in [c.to_string(), format!("{c}{c}"), format!("{c} "), format!(" {c}")] {
            if !out.contains(&d) && enough(held(&d)) {
                out.push(d);
            }
        }
    }
    out
}

/// The field helpers, callees first; only `field` is offered.
pub fn definitions() -> Vec<Arc<FunDef>> {
    let text = text();
    define_all(&text.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Whether a definition is the one grammars offer.
pub fn is_offered(d: &FunDef) -> bool {
    &*d.name == "field"
}

/// Whether the examples pick pieces out of separated text: some example's output contains a
/// piece (trimmed of spaces, not empty) of one of its inputs split on a character that is not a
/// letter or digit, or a piece of such a piece ([`holds_piece`]), or its letters are initials of an input's words (`Hone Albert` → `h.a.`, the
/// first letter of piece 1 is `(str.at (field x " " 1) 0)`). Grammars offer `field` only then,
/// since one more production with three arguments widens every search.
pub fn splits<'a>(rows: impl IntoIterator<Item = (&'a [String], &'a str)>) -> bool {
    rows.into_iter().any(|(inputs, output)| {
        inputs.iter().any(|input| holds_piece(input, output, 2) || initials(input, output))
    })
}

/// Whether `output` holds a piece of `text` split on a character that is not a letter or digit,
/// or, for `depth` above 1, a piece of such a piece (`Ann.Lee@mail.com` → `Lee`, piece 1 of piece
/// 0 on `@` split on `.`). Pieces are trimmed, since `, ` splits too (see [`separators`]).
fn holds_piece(text: &str, output: &str, depth: usize) -> bool {
    let mut seps: Vec<char> = text.chars().filter(|c| !c.is_alphanumeric()).collect();
    seps.sort_unstable();
    seps.dedup();
    seps.iter().any(|&c| {
        text.split(c).any(|p| {
            let t = p.trim();
            (!t.is_empty() && output.contains(t)) || (depth > 1 && holds_piece(p, output, depth - 1))
        })
    })
}

/// Whether the letters of `output`, two or more and no digits with them, are the first letters of
/// words of `input` in order, in either case (some words may be left out).
fn initials(input: &str, output: &str) -> bool {
    let letters: Vec<char> =
        output.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
    if letters.len() < 2 || output.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let firsts = input
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase);
    let mut want = letters.iter().peekable();
    for c in firsts {
        if want.peek() == Some(&&c) {
            want.next();
        }
    }
    want.peek().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_are_those_every_example_has() {
        let rows = [
            (vec!["Lee, Ann (2)".to_string()], "Ann".to_string()),
            (vec!["Ng, Bo/3".to_string()], "Bo".to_string()),
        ];
        let seps = separators(rows.iter().map(|(i, o)| (i.as_slice(), o.as_str())));
        assert_eq!(seps, vec![" ", ",", ", "]);
        // A separator most rows hold counts, and so does a doubled one.
        let teams = [
            (vec!["Green Bay Packers (2)".to_string()], "Green Bay Packers".to_string()),
            (vec!["New York Jets".to_string()], "New York Jets".to_string()),
            (vec!["Dallas Cowboys (2)".to_string()], "Dallas Cowboys".to_string()),
            (vec!["https=//a.net/x".to_string()], "a.net/x".to_string()),
        ];
        let seps = separators(teams.iter().map(|(i, o)| (i.as_slice(), o.as_str())));
        assert_eq!(seps, vec![" "]);
        let seps = separators(teams[..3].iter().map(|(i, o)| (i.as_slice(), o.as_str())));
        assert_eq!(seps, vec![" ", "(", " (", ")"]);
        let urls = [
            (vec!["https=//exceljet.net/catalog".to_string()], "exceljet.net/catalog".to_string()),
            (vec!["ftp=//someserver.com".to_string()], "someserver.com".to_string()),
        ];
        let seps = separators(urls.iter().map(|(i, o)| (i.as_slice(), o.as_str())));
        assert_eq!(seps, vec![" ", "=", "/", "//", "."]);
    }

    #[test]
    fn splitting_examples_are_told_from_others() {
        let row = |i: &str, o: &str| (vec![i.to_string()], o.to_string());
        let city = [row("Ann Lee, 12 Main St, Springfield", "Springfield")];
        assert!(splits(city.iter().map(|(i, o)| (i.as_slice(), o.as_str()))));
        let spaced = [row("Lee, Ann", "Ann")];
        assert!(splits(spaced.iter().map(|(i, o)| (i.as_slice(), o.as_str()))));
        // Without a separator there is no piece to take.
        let word = [row("Springfield", "SPRINGFIELD")];
        assert!(!splits(word.iter().map(|(i, o)| (i.as_slice(), o.as_str()))));
        // Initials take the first letter of pieces.
        for out in ["h.a.", "H A", "ha"] {
            let initials = [row("Hone T. Albert", out)];
            assert!(splits(initials.iter().map(|(i, o)| (i.as_slice(), o.as_str()))), "{out}");
        }
        // A piece of a piece counts.
        let email = [row("Hone.Albert@southridgevideo.com", "Albert")];
        assert!(splits(email.iter().map(|(i, o)| (i.as_slice(), o.as_str()))));
        let name = [row("Hone Albert", "Hone")];
        assert!(splits(name.iter().map(|(i, o)| (i.as_slice(), o.as_str()))));
        let other = [row("Hone Albert", "Hall")];
        assert!(!splits(other.iter().map(|(i, o)| (i.as_slice(), o.as_str()))));
    }
}
