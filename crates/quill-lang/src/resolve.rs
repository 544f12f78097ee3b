//! Turning s-expressions into sorts and well-sorted terms, given what names are in scope.

use crate::op::Op;
use crate::sexpr::{Pos, SExpr, SKind};
use crate::sort::{Sort, MAX_BV_WIDTH};
use crate::term::{Func, Symbol, Term, Var};
use crate::value::{Str, Value};
use std::collections::HashMap;

/// A name error, sort error or unsupported construct, with where it is.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{pos}: {message}")]
pub struct ResolveError {
    pub pos: Pos,
    pub message: String,
}

fn err<T>(e: &SExpr, message: impl Into<String>) -> Result<T, ResolveError> {
    Err(ResolveError { pos: e.pos, message: message.into() })
}

/// The names visible to a term: variables (innermost last), functions, sort aliases, and, while a
/// grammar's rules are read, its non-terminals.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub vars: Vec<(String, Term)>,
    pub funcs: HashMap<String, Func>,
    pub sorts: HashMap<String, Sort>,
    pub nonterminals: Vec<(String, Sort)>,
}

impl Scope {
    /// Parses a sort: `Int`, `Bool`, `String`, `(_ BitVec n)`, the SyGuS-IF v1 `(BitVec n)`, or an
    /// alias from `define-sort`.
    pub fn sort(&self, e: &SExpr) -> Result<Sort, ResolveError> {
        match &e.kind {
            SKind::Symbol { name, .. } => match name.as_str() {
                "Int" => Ok(Sort::Int),
                "Bool" => Ok(Sort::Bool),
                "String" => Ok(Sort::String),
                "Real" => {
                    err(e, "the sort Real is not supported (Quill handles Int, Bool, String and BitVec)")
                }
                other => self
                    .sorts
                    .get(other)
                    .copied()
                    .map_or_else(|| err(e, format!("unknown sort `{other}`")), Ok),
            },
            SKind::List(items) => {
                let words: Vec<Option<&str>> = items.iter().map(SExpr::symbol).collect();
                let width = match (words.as_slice(), items.len()) {
                    ([Some("_"), Some("BitVec"), _], 3) => &items[2],
                    ([Some("BitVec"), _], 2) => &items[1],
                    ([Some("Array"), ..], _) => return err(e, "the sort Array is not supported"),
                    _ => return err(e, format!("expected a sort, found {}", e)),
                };
                let w = numeral(width)?;
                if w == 0 || w > MAX_BV_WIDTH as u64 {
                    return err(
                        width,
                        format!("bit-vector width {w} is not supported (1 to {MAX_BV_WIDTH})"),
                    );
                }
                Ok(Sort::BitVec(w as u32))
            }
            _ => err(e, format!("expected a sort, found {}", e.describe())),
        }
    }

    /// Converts a term. Non-terminal names (when `nonterminals` is set) become holes numbered in
    /// order of appearance, and their ids are appended to `nt_args`.
    pub fn term(&self, e: &SExpr) -> Result<Term, ResolveError> {
        self.term_in(e, &mut Vec::new())
    }

    /// Like [`Scope::term`], collecting the non-terminals the term mentions.
    pub fn term_in(&self, e: &SExpr, nt_args: &mut Vec<usize>) -> Result<Term, ResolveError> {
        Conv { scope: self, vars: Vec::new(), nt_args, holes: 0 }.term(e)
    }
}

/// Parses a numeral atom into a `u64`.
pub fn numeral(e: &SExpr) -> Result<u64, ResolveError> {
    match &e.kind {
        SKind::Numeral(n) => n.parse().map_or_else(|_| err(e, format!("numeral {n} is too large")), Ok),
        _ => err(e, format!("expected a numeral, found {}", e.describe())),
    }
}

/// Interprets the escapes of an SMT-LIB 2.6 string literal: `\u{d..}` (1 to 5 hex digits) and
/// `\udddd` (exactly 4); any other backslash stands for itself.
pub fn unescape_string(raw: &str) -> Result<Vec<char>, String> {
    let cs: Vec<char> = raw.chars().collect();
    let mut out = Vec::with_capacity(cs.len());
    let mut i = 0;
    while i < cs.len() {
        if cs[i] == '\\' && cs.get(i + 1) == Some(&'u') {
            let (digits, next) = if cs.get(i + 2) == Some(&'{') {
                let end = cs[i + 3..].iter().position(|c| *c == '}').map(|p| p + i + 3);
                match end {
                    Some(end) if (1..=5).contains(&(end - i - 3)) => {
                        (cs[i + 3..end].iter().collect::<String>(), end + 1)
                    }
                    _ => (String::new(), 0),
                }
            } else if i + 6 <= cs.len() {
                (cs[i + 2..i + 6].iter().collect::<String>(), i + 6)
            } else {
                (String::new(), 0)
            };
            if next > 0 && digits.chars().all(|c| c.is_ascii_hexdigit()) {
                let code = u32::from_str_radix(&digits, 16).map_err(|e| e.to_string())?;
                match char::from_u32(code) {
                    Some(c) if code <= 0x2FFFF => {
                        out.push(c);
                        i = next;
                        continue;
                    }
                    _ => {
                        return Err(format!(
                            "escape \\u{{{digits}}} is not a code point of the string theory"
                        ))
                    }
                }
            }
        }
        out.push(cs[i]);
        i += 1;
    }
    Ok(out)
}

struct Conv<'a> {
    scope: &'a Scope,
    /// `let` bindings, innermost last: each name stands for a term.
    vars: Vec<(String, Term)>,
    nt_args: &'a mut Vec<usize>,
    holes: u32,
}

impl Conv<'_> {
    fn term(&mut self, e: &SExpr) -> Result<Term, ResolveError> {
        match &e.kind {
            SKind::Numeral(n) => match n.parse::<i64>() {
                Ok(i) => Ok(Term::Lit(Value::Int(i))),
                Err(_) => err(e, format!("integer literal {n} does not fit in 64 bits")),
            },
            SKind::Decimal(_) => err(e, "decimal literals (Real) are not supported"),
            SKind::Hex(h) => bits_literal(e, h, 16, 4),
            SKind::Binary(b) => bits_literal(e, b, 2, 1),
            SKind::Str(raw) => match unescape_string(raw) {
                Ok(cs) => Ok(Term::Lit(Value::Str(Str::from(cs)))),
                Err(m) => err(e, m),
            },
            SKind::Keyword(k) => err(e, format!("expected a term, found the keyword `:{k}`")),
            SKind::Symbol { name, .. } => self.symbol(e, name),
            SKind::List(items) => self.list(e, items),
        }
    }

    fn symbol(&mut self, e: &SExpr, name: &str) -> Result<Term, ResolveError> {
        if let Some((_, t)) = self.vars.iter().rev().find(|(n, _)| n == name) {
            return Ok(t.clone());
        }
        if let Some((_, t)) = self.scope.vars.iter().rev().find(|(n, _)| n == name) {
            return Ok(t.clone());
        }
        if let Some(id) = self.scope.nonterminals.iter().position(|(n, _)| n == name) {
            let hole = Term::Hole(self.nt_args.len() as u32, self.scope.nonterminals[id].1);
            self.nt_args.push(id);
            return Ok(hole);
        }
        match name {
            "true" => return Ok(Term::Lit(Value::Bool(true))),
            "false" => return Ok(Term::Lit(Value::Bool(false))),
            _ => {}
        }
        // Some SyGuS-IF v1 files write negative numbers as symbols such as `-1`.
        if let Some(digits) =
            name.strip_prefix('-').filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        {
            return match digits.parse::<i64>() {
                Ok(i) => Ok(Term::Lit(Value::Int(-i))),
                Err(_) => err(e, format!("integer literal {name} does not fit in 64 bits")),
            };
        }
        if let Some(f) = self.scope.funcs.get(name) {
            return self.apply(e, f.clone(), Vec::new());
        }
        err(e, format!("unknown symbol `{name}`"))
    }

    fn list(&mut self, e: &SExpr, items: &[SExpr]) -> Result<Term, ResolveError> {
        let Some(head) = items.first() else {
            return err(e, "expected a term, found an empty list");
        };
        match head.symbol() {
            Some("let") => return self.let_term(e, items),
            Some("!") if items.len() >= 2 => return self.term(&items[1]),
            Some("_") => return self.indexed_literal(e, items),
            Some("exists" | "forall") => return err(head, "quantifiers inside terms are not supported"),
            // `(? S)` is a hole of sort S in a sketch; holes are numbered in order of appearance.
            Some("?") if items.len() == 2 && head.symbol().is_some() => {
                let sort = self.scope.sort(&items[1])?;
                let hole = Term::Hole(self.holes, sort);
                self.holes += 1;
                return Ok(hole);
            }
            _ => {}
        }
        let func = match &head.kind {
            SKind::Symbol { name, .. } => match self.scope.funcs.get(name.as_str()) {
                Some(f) => f.clone(),
                None => match Op::from_name(name) {
                    Some(op) => Func::Builtin(op),
                    None => return err(head, format!("unknown function `{name}`")),
                },
            },
            SKind::List(idx) if idx.first().and_then(SExpr::symbol) == Some("_") => {
                let name = idx.get(1).and_then(SExpr::symbol).unwrap_or("");
                let nums = idx
                    .get(2..)
                    .unwrap_or_default()
                    .iter()
                    .map(|n| {
                        numeral(n).and_then(|v| {
                            u32::try_from(v).map_err(|_| ResolveError {
                                pos: n.pos,
                                message: format!("index {v} is too large"),
                            })
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                match Op::from_indexed(name, &nums) {
                    Some(op) => Func::Builtin(op),
                    None => return err(head, format!("unknown indexed operator {head}")),
                }
            }
            _ => return err(head, format!("expected a function name, found {}", head.describe())),
        };
        let args = items[1..].iter().map(|a| self.term(a)).collect::<Result<Vec<_>, _>>()?;
        self.apply(e, func, args)
    }

    fn apply(&mut self, e: &SExpr, func: Func, args: Vec<Term>) -> Result<Term, ResolveError> {
        // `(- 5)` is how SMT-LIB writes the literal -5; fold it so it is a constant, not a call.
        if let (Func::Builtin(Op::Sub), [Term::Lit(Value::Int(n))]) = (&func, args.as_slice()) {
            if let Some(neg) = n.checked_neg() {
                return Ok(Term::Lit(Value::Int(neg)));
            }
        }
        let sorts: Vec<Sort> = args.iter().map(Term::sort).collect();
        match func.result_sort(&sorts) {
            Ok(_) => Ok(Term::App(func, args)),
            Err(se) => err(e, se.to_string()),
        }
    }

    fn let_term(&mut self, e: &SExpr, items: &[SExpr]) -> Result<Term, ResolveError> {
        let (Some(binds), Some(body), 3) = (items.get(1).and_then(SExpr::list), items.get(2), items.len())
        else {
            return err(e, "expected `(let ((name term) ..) body)`");
        };
        let mut new = Vec::new();
        for b in binds {
            match b.list() {
                Some([n, t]) if n.symbol().is_some() => {
                    new.push((n.symbol().unwrap_or("").to_string(), self.term(t)?))
                }
                // SyGuS-IF v1 writes the bound term's sort too: `(name Sort term)`.
                Some([n, s, t]) if n.symbol().is_some() => {
                    let sort = self.scope.sort(s)?;
                    let bound = self.term(t)?;
                    if bound.sort() != sort {
                        return err(
                            t,
                            format!("expected a term of sort {sort}, found one of sort {}", bound.sort()),
                        );
                    }
                    new.push((n.symbol().unwrap_or("").to_string(), bound))
                }
                _ => return err(b, "expected a binding `(name term)`"),
            }
        }
        let depth = self.vars.len();
        self.vars.extend(new);
        let out = self.term(body);
        self.vars.truncate(depth);
        out
    }

    fn indexed_literal(&mut self, e: &SExpr, items: &[SExpr]) -> Result<Term, ResolveError> {
        // `(_ bvN w)`: the bit-vector of width w with value N.
        if let ([_, v, w], Some(name)) = (items, items.get(1).and_then(SExpr::symbol)) {
            if let Some(digits) = name.strip_prefix("bv") {
                let w = numeral(w)?;
                let Ok(value) = digits.parse::<u128>() else {
                    return err(v, format!("bad bit-vector literal {name}"));
                };
                if w == 0 || w > MAX_BV_WIDTH as u64 {
                    return err(e, format!("bit-vector width {w} is not supported (1 to {MAX_BV_WIDTH})"));
                }
                return Ok(Term::Lit(Value::bv(w as u32, value as u64)));
            }
        }
        err(e, format!("expected a term, found {e}"))
    }
}

fn bits_literal(e: &SExpr, digits: &str, radix: u32, bits_per_digit: usize) -> Result<Term, ResolveError> {
    let width = digits.len() * bits_per_digit;
    if width > MAX_BV_WIDTH as usize {
        return err(
            e,
            format!("bit-vector literal of {width} bits is wider than the supported {MAX_BV_WIDTH}"),
        );
    }
    let v = u64::from_str_radix(digits, radix)
        .map_err(|x| ResolveError { pos: e.pos, message: x.to_string() })?;
    Ok(Term::Lit(Value::bv(width as u32, v)))
}

/// A variable term (a convenience for building scopes).
pub fn var(index: usize, name: &str, sort: Sort) -> Term {
    Term::Var(Var { index: index as u32, name: Symbol::from(name), sort })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sexpr::read_one;

    fn scope() -> Scope {
        let mut s = Scope::default();
        s.vars.push(("x".into(), var(0, "x", Sort::String)));
        s.vars.push(("n".into(), var(1, "n", Sort::Int)));
        s
    }

    fn round_trip(text: &str) -> String {
        scope().term(&read_one(text).unwrap()).unwrap().to_string()
    }

    #[test]
    fn terms_print_as_they_were_read() {
        for t in [
            "(str.++ x \" \")",
            "(str.substr x 0 (- n 1))",
            "(ite (str.prefixof \"a\" x) (str.len x) (- 1))",
            "((_ extract 7 0) #x1234)",
            "(bvadd #x01 (_ bv3 8))",
        ] {
            let once = round_trip(t);
            assert_eq!(round_trip(&once), once, "{t}");
        }
        assert_eq!(round_trip("(- 1)"), "(- 1)");
        assert_eq!(round_trip("(bvadd #x01 (_ bv3 8))"), "(bvadd #x01 #x03)");
        assert_eq!(round_trip("(let ((y (str.++ x x))) (str.len y))"), "(str.len (str.++ x x))");
        assert_eq!(round_trip("(let ((y String (str.++ x x))) (str.len y))"), "(str.len (str.++ x x))");
    }

    #[test]
    fn string_escapes_follow_smtlib() {
        assert_eq!(unescape_string(r"a\u{48}\u0049\x").unwrap(), vec!['a', 'H', 'I', '\\', 'x']);
        assert_eq!(round_trip(r#""\u{5c}u{41}""#), r#""\u{5c}u{41}""#);
    }

    #[test]
    fn errors_say_where_and_what() {
        let e = scope().term(&read_one("(str.++ x\n  (str.len x))").unwrap()).unwrap_err();
        assert_eq!(e.pos.line, 1);
        assert!(e.message.contains("cannot be applied"), "{e}");
        let e = scope().term(&read_one("(foo x)").unwrap()).unwrap_err();
        assert!(e.message.contains("unknown function `foo`"));
        let e = scope().term(&read_one("((_) x)").unwrap()).unwrap_err();
        assert!(e.message.contains("unknown indexed operator"), "{e}");
        let e = scope().term(&read_one("((_ zero_extend 4294967295) #x1)").unwrap()).unwrap_err();
        assert!(e.message.contains("cannot be applied"), "{e}");
        let e = scope().term(&read_one("((_ zero_extend 4294967296) #x1)").unwrap()).unwrap_err();
        assert!(e.message.contains("too large"), "{e}");
    }
}
