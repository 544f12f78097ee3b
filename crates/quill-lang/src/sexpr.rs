//! An SMT-LIB s-expression reader that remembers where everything came from.
//!
//! It implements the SMT-LIB 2.6 lexical rules that SyGuS-IF inherits: `;` comments, `|quoted|`
//! symbols, string literals with `""` for a quote, numerals, decimals, `#x`/`#b` literals and
//! `:keywords`. Every error names the line and column and what was expected.

use std::fmt;

/// A position in the source text, 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// An atom or a list, with the position of its first character.
#[derive(Clone, Debug, PartialEq)]
pub struct SExpr {
    pub pos: Pos,
    pub kind: SKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SKind {
    /// A symbol; `quoted` records whether it was written `|..|`, which makes it never a keyword
    /// or reserved word.
    Symbol {
        name: String,
        quoted: bool,
    },
    Keyword(String),
    /// A numeral, kept as text so that no size limit applies while reading.
    Numeral(String),
    Decimal(String),
    /// `#x...` digits (without the prefix).
    Hex(String),
    /// `#b...` digits (without the prefix).
    Binary(String),
    /// A string literal after `""` is read as `"`; `\u` escapes are left for the string theory.
    Str(String),
    List(Vec<SExpr>),
}

/// A lexical or structural error in s-expression text.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{pos}: {message}")]
pub struct ReadError {
    pub pos: Pos,
    pub message: String,
}

impl SExpr {
    pub fn symbol(&self) -> Option<&str> {
        match &self.kind {
            SKind::Symbol { name, .. } => Some(name),
            _ => None,
        }
    }
    pub fn list(&self) -> Option<&[SExpr]> {
        match &self.kind {
            SKind::List(items) => Some(items),
            _ => None,
        }
    }
    /// A short description for error messages ("a list", "the symbol `x`", ...).
    pub fn describe(&self) -> String {
        match &self.kind {
            SKind::Symbol { name, .. } => format!("the symbol `{name}`"),
            SKind::Keyword(k) => format!("the keyword `:{k}`"),
            SKind::Numeral(n) => format!("the numeral {n}"),
            SKind::Decimal(n) => format!("the decimal {n}"),
            SKind::Hex(h) => format!("the literal #x{h}"),
            SKind::Binary(b) => format!("the literal #b{b}"),
            SKind::Str(_) => "a string literal".to_string(),
            SKind::List(items) if items.is_empty() => "an empty list".to_string(),
            SKind::List(_) => "a list".to_string(),
        }
    }
}

impl fmt::Display for SExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            SKind::Symbol { name, quoted: true } => write!(f, "|{name}|"),
            SKind::Symbol { name, .. } => f.write_str(name),
            SKind::Keyword(k) => write!(f, ":{k}"),
            SKind::Numeral(n) | SKind::Decimal(n) => f.write_str(n),
            SKind::Hex(h) => write!(f, "#x{h}"),
            SKind::Binary(b) => write!(f, "#b{b}"),
            SKind::Str(s) => write!(f, "\"{}\"", s.replace('"', "\"\"")),
            SKind::List(items) => {
                f.write_str("(")?;
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{it}")?;
                }
                f.write_str(")")
            }
        }
    }
}

/// Reads every s-expression in `text`.
pub fn read_all(text: &str) -> Result<Vec<SExpr>, ReadError> {
    let mut r = Reader { chars: text.chars().collect(), i: 0, pos: Pos { line: 1, col: 1 } };
    let mut out = Vec::new();
    loop {
        r.skip_space();
        if r.peek().is_none() {
            return Ok(out);
        }
        out.push(r.read()?);
    }
}

/// Reads exactly one s-expression.
pub fn read_one(text: &str) -> Result<SExpr, ReadError> {
    let mut all = read_all(text)?;
    match all.len() {
        1 => Ok(all.remove(0)),
        0 => Err(ReadError {
            pos: Pos { line: 1, col: 1 },
            message: "expected an s-expression, found nothing".into(),
        }),
        _ => Err(ReadError { pos: all[1].pos, message: "expected one s-expression, found more".into() }),
    }
}

/// The deepest list nesting accepted. Everything downstream (term conversion, evaluation,
/// printing, dropping) recurses over the tree, so the bound keeps hostile input from overflowing the
/// stack; real benchmark files nest a few dozen levels.
pub const MAX_DEPTH: usize = 1000;

struct Reader {
    chars: Vec<char>,
    i: usize,
    pos: Pos,
}

fn is_symbol_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "~!@$%^&*_-+=<>.?/".contains(c)
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += 1;
        if c == '\n' {
            self.pos.line += 1;
            self.pos.col = 1;
        } else {
            self.pos.col += 1;
        }
        Some(c)
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if c == ';' {
                while let Some(c) = self.bump() {
                    if c == '\n' {
                        break;
                    }
                }
            } else if c.is_whitespace() {
                self.bump();
            } else {
                break;
            }
        }
    }

    fn err<T>(&self, pos: Pos, message: impl Into<String>) -> Result<T, ReadError> {
        Err(ReadError { pos, message: message.into() })
    }

    fn take_while(&mut self, f: impl Fn(char) -> bool) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek().filter(|c| f(*c)) {
            s.push(c);
            self.bump();
        }
        s
    }

    fn read(&mut self) -> Result<SExpr, ReadError> {
        // Lists are read with an explicit stack so that deeply nested input cannot overflow the
        // call stack.
        let mut stack: Vec<(Pos, Vec<SExpr>)> = Vec::new();
        loop {
            self.skip_space();
            let pos = self.pos;
            let item = match self.peek() {
                None => {
                    let open = stack.last().map(|s| s.0).unwrap_or(pos);
                    return self.err(
                        pos,
                        format!("expected `)` to close the list opened at {open}, found the end of the file"),
                    );
                }
                Some('(') => {
                    if stack.len() >= MAX_DEPTH {
                        return self.err(
                            pos,
                            format!("lists nested deeper than {MAX_DEPTH} levels are not supported"),
                        );
                    }
                    self.bump();
                    stack.push((pos, Vec::new()));
                    continue;
                }
                Some(')') => {
                    self.bump();
                    match stack.pop() {
                        Some((p, items)) => SExpr { pos: p, kind: SKind::List(items) },
                        None => return self.err(pos, "unexpected `)` with no list open"),
                    }
                }
                Some(_) => self.atom()?,
            };
            match stack.last_mut() {
                Some((_, items)) => items.push(item),
                None => return Ok(item),
            }
        }
    }

    fn atom(&mut self) -> Result<SExpr, ReadError> {
        let pos = self.pos;
        let c = self.peek().expect("atom called at a character");
        let kind = match c {
            '"' => {
                self.bump();
                let mut s = String::new();
                loop {
                    match self.bump() {
                        None => {
                            return self.err(pos, "unterminated string literal (expected a closing `\"`)")
                        }
                        Some('"') if self.peek() == Some('"') => {
                            self.bump();
                            s.push('"');
                        }
                        Some('"') => break,
                        Some(c) => s.push(c),
                    }
                }
                SKind::Str(s)
            }
            '|' => {
                self.bump();
                let mut s = String::new();
                loop {
                    match self.bump() {
                        None => return self.err(pos, "unterminated quoted symbol (expected a closing `|`)"),
                        Some('|') => break,
                        Some('\\') => return self.err(self.pos, "a quoted symbol may not contain `\\`"),
                        Some(c) => s.push(c),
                    }
                }
                SKind::Symbol { name: s, quoted: true }
            }
            '#' => {
                self.bump();
                match self.bump() {
                    Some('x') => {
                        let d = self.take_while(|c| c.is_ascii_hexdigit());
                        if d.is_empty() {
                            return self.err(pos, "expected hexadecimal digits after `#x`");
                        }
                        SKind::Hex(d)
                    }
                    Some('b') => {
                        let d = self.take_while(|c| c == '0' || c == '1');
                        if d.is_empty() {
                            return self.err(pos, "expected binary digits after `#b`");
                        }
                        SKind::Binary(d)
                    }
                    _ => return self.err(pos, "expected `#x` or `#b` literal"),
                }
            }
            ':' => {
                self.bump();
                let k = self.take_while(is_symbol_char);
                if k.is_empty() {
                    return self.err(pos, "expected a keyword name after `:`");
                }
                SKind::Keyword(k)
            }
            c if c.is_ascii_digit() => {
                let n = self.take_while(|c| c.is_ascii_digit());
                if self.peek() == Some('.') {
                    self.bump();
                    let frac = self.take_while(|c| c.is_ascii_digit());
                    SKind::Decimal(format!("{n}.{frac}"))
                } else if self.peek().is_some_and(is_symbol_char) {
                    return self.err(
                        pos,
                        format!(
                            "a numeral `{n}` is followed by `{}`: symbols may not start with a digit",
                            self.peek().unwrap_or(' ')
                        ),
                    );
                } else {
                    SKind::Numeral(n)
                }
            }
            c if is_symbol_char(c) => SKind::Symbol { name: self.take_while(is_symbol_char), quoted: false },
            c => return self.err(pos, format!("unexpected character `{}`", c.escape_default())),
        };
        Ok(SExpr { pos, kind })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_atoms_lists_and_positions() {
        let e = read_all("; comment\n(f \"a\"\"b\" |x y| #xFF #b01 -3 :k 1.5)").unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].pos, Pos { line: 2, col: 1 });
        let items = e[0].list().unwrap();
        assert_eq!(items[1].kind, SKind::Str("a\"b".into()));
        assert_eq!(items[2].kind, SKind::Symbol { name: "x y".into(), quoted: true });
        assert_eq!(items[3].kind, SKind::Hex("FF".into()));
        assert_eq!(items[4].kind, SKind::Binary("01".into()));
        assert_eq!(items[5].symbol(), Some("-3"));
        assert_eq!(items[6].kind, SKind::Keyword("k".into()));
        assert_eq!(items[7].kind, SKind::Decimal("1.5".into()));
        assert_eq!(items[7].pos, Pos { line: 2, col: 33 });
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = read_all("(a\n  (b c)").unwrap_err();
        assert_eq!(e.pos, Pos { line: 2, col: 8 });
        assert!(e.message.contains("opened at 1:1"), "{e}");
        let e = read_all("(a \"open").unwrap_err();
        assert_eq!(e.pos, Pos { line: 1, col: 4 });
        assert!(read_all(")").unwrap_err().message.contains("unexpected `)`"));
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let text = "(".repeat(200_000) + &")".repeat(200_000);
        assert!(read_all(&text).unwrap_err().message.contains("nested deeper"));
        let ok = "(".repeat(MAX_DEPTH) + &")".repeat(MAX_DEPTH);
        assert!(read_all(&ok).is_ok());
    }
}
