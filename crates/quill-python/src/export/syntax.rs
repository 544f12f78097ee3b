//! The lexical level of the generated Python: identifiers and literals.

use super::helpers;
use quill_lang::value::bv_mask;
use quill_lang::Value;
use std::collections::HashSet;
use std::fmt::Write;

/// Python's keywords, which cannot name a parameter or a function.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
    "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// The built-in functions the generated code calls. A parameter or function with one of these names
/// would shadow the built-in, so such names are renamed as keywords are.
const BUILTINS: &[&str] = &["abs", "chr", "int", "len", "min", "ord", "str"];

/// A set of names already in use in some scope, which hands out fresh ones.
#[derive(Clone, Debug, Default)]
pub struct Names {
    taken: HashSet<String>,
}

impl Names {
    /// The names no generated identifier may take: keywords, the built-ins the code calls, and the
    /// helpers (whether or not they are emitted, so that adding one never changes other names).
    pub fn reserved() -> Names {
        let mut taken: HashSet<String> = KEYWORDS.iter().chain(BUILTINS).map(|s| s.to_string()).collect();
        taken.extend(helpers::ALL.iter().map(|h| h.name().to_string()));
        Names { taken }
    }

    pub fn insert(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }

    /// `wanted` if it is free, else `wanted` with underscores appended until it is; the result is
    /// taken from then on. Appending keeps the original name visible in the renamed one.
    pub fn fresh(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_string();
        while self.taken.contains(&name) {
            name.push('_');
        }
        self.taken.insert(name.clone());
        name
    }

    /// `stem`, then `stem2`, `stem3`, ...: the first that is free (for local variables).
    pub fn numbered(&mut self, stem: &str) -> String {
        let mut name = stem.to_string();
        let mut n = 1;
        while self.taken.contains(&name) {
            n += 1;
            name = format!("{stem}{n}");
        }
        self.taken.insert(name.clone());
        name
    }
}

/// An ASCII Python identifier for an SMT-LIB symbol: characters outside `[A-Za-z0-9_]` become `_`,
/// and a leading digit gets a `_` before it. A symbol with no letter or digit at all (such as `+`)
/// says nothing worth keeping, so it becomes `fallback`. Keywords are left to [`Names::fresh`].
pub fn identifier(symbol: &str, fallback: &str) -> String {
    if !symbol.chars().any(|c| c.is_ascii_alphanumeric()) {
        return fallback.to_string();
    }
    let mut out: String = symbol.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// A Python string literal in double quotes. Letters and digits of any script are kept as they are
/// for readability; quotes, backslashes, control characters and every other non-ASCII character are
/// escaped so that invisible or combining characters cannot hide in the source.
pub fn string_literal(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len() + 2);
    out.push('"');
    for &c in chars {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            ' '..='~' => out.push(c),
            c if !c.is_ascii() && c.is_alphanumeric() => out.push(c),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// A bit-vector literal as an unsigned Python int: hexadecimal with one digit per four bits when the
/// width allows, else binary with one digit per bit, so that the width stays visible.
pub fn bv_literal(width: u32, bits: u64) -> String {
    if width.is_multiple_of(4) {
        format!("0x{:0w$x}", bits, w = (width / 4) as usize)
    } else {
        format!("0b{:0w$b}", bits, w = width as usize)
    }
}

/// The mask of the low `width` bits, in hexadecimal (`0xff`).
pub fn mask(width: u32) -> String {
    format!("{:#x}", bv_mask(width))
}

/// A literal for a value, and whether it is a negative number (which needs parentheses in more
/// places than an atom does).
pub fn literal(v: &Value) -> (String, bool) {
    match v {
        Value::Bool(b) => ((if *b { "True" } else { "False" }).to_string(), false),
        Value::Int(i) => (i.to_string(), *i < 0),
        Value::Str(s) => (string_literal(s.chars()), false),
        Value::BitVec { width, bits } => (bv_literal(*width, *bits), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_sanitized_and_keywords_renamed() {
        assert_eq!(identifier("a.b", "_arg_0"), "a_b");
        assert_eq!(identifier("1st", "_arg_0"), "_1st");
        assert_eq!(identifier("+", "_arg_3"), "_arg_3");
        let mut names = Names::reserved();
        assert_eq!(names.fresh("lambda"), "lambda_");
        assert_eq!(names.fresh("len"), "len_");
        assert_eq!(names.fresh("len"), "len__");
        assert_eq!(names.fresh("_substr"), "_substr_");
        assert_eq!(names.numbered("pos"), "pos");
        assert_eq!(names.numbered("pos"), "pos2");
    }

    #[test]
    fn string_literals_escape_what_python_would_misread() {
        let lit = |s: &str| string_literal(&s.chars().collect::<Vec<_>>());
        assert_eq!(lit("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(lit("x\ny\u{7f}"), r#""x\ny\x7f""#);
        assert_eq!(lit("Zürich ١"), "\"Zürich ١\"");
        assert_eq!(lit("\u{301}\u{1F600}"), r#""\u0301\U0001f600""#);
    }

    #[test]
    fn bit_vector_literals_show_their_width() {
        assert_eq!(bv_literal(8, 0x0f), "0x0f");
        assert_eq!(bv_literal(5, 3), "0b00011");
        assert_eq!(mask(8), "0xff");
        assert_eq!(mask(64), "0xffffffffffffffff");
    }
}
