//! Tests written in a description: doctest lines (`>>> f(2)` then `4`) and inline equations
//! (`f(2) == 4`, `f(2) -> 4`, `f(2) returns 4`). When a user gives only a sentence, these are the
//! only checks Quill can hold a candidate to.

/// Assert lines for the examples in `text` that call `name`.
pub fn asserts_in(text: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if let Some(call) = line.strip_prefix(">>>").map(str::trim) {
            if let Some(expected) =
                lines.get(i + 1).map(|l| l.trim()).filter(|l| !l.is_empty() && !l.starts_with(">>>"))
            {
                if call.starts_with(name) {
                    out.push(format!("assert {call} == {expected}"));
                }
                i += 2;
                continue;
            }
        }
        for sep in ["==", "->", "=>", " returns ", " should return ", " gives "] {
            if let Some(a) = inline(line, name, sep) {
                out.push(a);
                break;
            }
        }
        i += 1;
    }
    out.dedup();
    out
}

/// `name(args) SEP expected` somewhere in a line, with balanced parentheses in the call.
fn inline(line: &str, name: &str, sep: &str) -> Option<String> {
    let start = line.find(&format!("{name}("))?;
    let call_start = &line[start..];
    let mut depth = 0;
    let mut end = None;
    for (i, c) in call_start.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    end = Some(i + 1);
                    break;
                }
            }
            _ => {}
        }
    }
    let call = &call_start[..end?];
    let rest = call_start[call.len()..].trim_start();
    let expected = expression_prefix(rest.strip_prefix(sep.trim())?.trim());
    if expected.is_empty() {
        return None;
    }
    Some(format!("assert {call} == {expected}"))
}

/// The Python expression at the start of `s`, up to the end of the sentence around it: a
/// top-level `. `, `, `, `;` or backtick outside brackets and quotes.
fn expression_prefix(s: &str) -> &str {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        let next_blank = chars.get(k + 1).is_none_or(|(_, n)| n.is_whitespace());
        match quote {
            Some(_) if c == '\\' => k += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                '`' | ';' if depth == 0 => return s[..i].trim(),
                '.' | ',' if depth == 0 && next_blank => return s[..i].trim(),
                _ => {}
            },
        }
        k += 1;
    }
    s.trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doctest_and_inline_examples_become_asserts() {
        let text = "Return the domain of an email address.\n>>> domain(\"a@b.com\")\n'b.com'\n\
                    For example domain('x@y.org') == 'y.org'. Also:\n`domain('q@r.io') -> 'r.io'`.";
        assert_eq!(
            asserts_in(text, "domain"),
            vec![
                "assert domain(\"a@b.com\") == 'b.com'",
                "assert domain('x@y.org') == 'y.org'",
                "assert domain('q@r.io') == 'r.io'",
            ]
        );
    }

    #[test]
    fn descriptions_without_examples_give_none() {
        assert!(asserts_in("Write a function to reverse words in a string.", "reverse_words").is_empty());
    }
}
