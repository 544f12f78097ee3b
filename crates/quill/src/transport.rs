//! Examples carried over to new inputs: each word of an example's input is lengthened by one
//! letter in its middle, and the output is changed the same way where it copies that word (or
//! left alone where it shows no trace of it). A string transformation that generalizes copies,
//! finds and cuts by the structure of its input, so it maps the changed input to the changed
//! output; one that fits by coincidence (a start position that is the input's length minus
//! something, a constant offset) does not. The carried examples are guesses, so they only ever
//! weigh in the ranking; they never decide whether a program fits.

use quill_lang::Value;
use quill_search::Example;

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
