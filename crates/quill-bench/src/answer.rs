//! Reading what a solver printed: `(define-fun ...)` answers, or a claim that the problem is
//! infeasible.
//!
//! Solvers wrap answers differently (cvc5 1.0 prints them inside one extra pair of parentheses; a
//! solver may print log lines around them), so the answer is found by scanning for `(define-fun` and
//! taking the balanced s-expression that starts there, instead of reading the whole output as one.

use quill_lang::resolve::{var, Scope};
use quill_lang::sexpr::{read_one, SExpr};
use quill_lang::{FunDef, Func, Symbol};
use quill_sygus::Problem;

/// What a solver claimed.
#[derive(Clone, Debug, PartialEq)]
pub enum Claim {
    /// Definitions, as printed (possibly not well-formed: the checker decides).
    Defs(Vec<RawDef>),
    Infeasible,
    /// Nothing recognisable: the first line of output, if any, says what it printed instead.
    Nothing(String),
}

/// One `define-fun` as printed.
#[derive(Clone, Debug, PartialEq)]
pub struct RawDef {
    pub name: String,
    pub sexpr: SExpr,
}

impl RawDef {
    /// The definition as SMT-LIB text (on one line).
    pub fn text(&self) -> String {
        self.sexpr.to_string()
    }
}

/// Reads a solver's standard output.
pub fn read_claim(stdout: &str) -> Result<Claim, String> {
    let mut defs = Vec::new();
    let mut first_error = None;
    // A candidate that does not read as a definition (a log line mentioning `(define-fun`) is
    // skipped; it is an error only when no candidate reads.
    for start in define_fun_starts(stdout) {
        let read = matching_close(stdout, start)
            .ok_or_else(|| "a `(define-fun` is not closed".to_string())
            .and_then(|end| read_one(&stdout[start..=end]).map_err(|e| format!("answer: {e}")))
            .and_then(|sexpr| {
                let name = sexpr.list().and_then(|l| l.get(1)).and_then(SExpr::symbol);
                let name = name.ok_or("a `define-fun` without a name")?.to_string();
                Ok(RawDef { name, sexpr })
            });
        match read {
            Ok(d) => defs.push(d),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if let (true, Some(e)) = (defs.is_empty(), first_error) {
        return Err(e);
    }
    if !defs.is_empty() {
        return Ok(Claim::Defs(defs));
    }
    let first = stdout.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("").to_string();
    if first == "infeasible" || first == "(infeasible)" {
        return Ok(Claim::Infeasible);
    }
    Ok(Claim::Nothing(first))
}

/// Byte offsets of every `(define-fun` outside string literals and quoted symbols.
fn define_fun_starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut in_str = false;
    let mut in_sym = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' if !in_sym => in_str = !in_str,
            '|' if !in_str => in_sym = !in_sym,
            '(' if !in_str && !in_sym => {
                let rest = text[i + 1..].trim_start();
                if rest.strip_prefix("define-fun").is_some_and(|r| r.starts_with(char::is_whitespace)) {
                    out.push(i);
                }
            }
            _ => {}
        }
    }
    out
}

/// The offset of the `)` that closes the `(` at `start`. A doubled `""` inside a string literal
/// toggles twice, which is exactly right.
fn matching_close(text: &str, start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_str = false;
    let mut in_sym = false;
    for (i, c) in text[start..].char_indices() {
        match c {
            '"' if !in_sym => in_str = !in_str,
            '|' if !in_str => in_sym = !in_sym,
            '(' if !in_str && !in_sym => depth += 1,
            ')' if !in_str && !in_sym => {
                depth -= 1;
                if depth == 0 {
                    return Some(start + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Why printed definitions do not resolve.
#[derive(Clone, Debug, PartialEq)]
pub enum AnswerError {
    /// The answer does not fit the problem (a function missing, other parameter or return sorts, not
    /// a `define-fun` shape): it is wrong whatever its body means.
    Mismatch(String),
    /// A body Quill's language cannot read (an operator it lacks, say): another check may decide.
    Unreadable(String),
}

impl AnswerError {
    pub fn message(&self) -> &str {
        match self {
            AnswerError::Mismatch(m) | AnswerError::Unreadable(m) => m,
        }
    }
}

/// Resolves the printed definitions against the problem: one per function to synthesize, in the
/// problem's order, with the declared parameter and return sorts. Bodies may call the problem's
/// helpers.
pub fn resolve(problem: &Problem, defs: &[RawDef]) -> Result<Vec<FunDef>, AnswerError> {
    use AnswerError::{Mismatch, Unreadable};
    let mut scope = Scope::default();
    for d in &problem.defined {
        scope.funcs.insert(d.name.to_string(), Func::Defined(d.clone()));
    }
    let mut out = Vec::new();
    for sf in &problem.synth_funs {
        let raw = defs
            .iter()
            .find(|d| d.name == *sf.name)
            .ok_or_else(|| Mismatch(format!("no definition of `{}`", sf.name)))?;
        let items = raw.sexpr.list().unwrap_or(&[]);
        let [_, _, params, ret, body] = items else {
            return Err(Mismatch(format!("`{}`: expected (define-fun name ((x S) ..) S body)", sf.name)));
        };
        let mut s = scope.clone();
        let mut names = Vec::new();
        for (i, p) in params.list().ok_or(Mismatch("parameters are not a list".into()))?.iter().enumerate() {
            let Some((name, sort)) = (match p.list() {
                Some([n, sort]) => n.symbol().map(|n| (n, sort)),
                _ => None,
            }) else {
                return Err(Mismatch(format!("`{}`: parameter {} is not (name Sort)", sf.name, i + 1)));
            };
            let sort = scope.sort(sort).map_err(|e| Unreadable(e.to_string()))?;
            s.vars.push((name.to_string(), var(i, name, sort)));
            names.push((Symbol::from(name), sort));
        }
        let declared: Vec<_> = sf.params.iter().map(|p| p.1).collect();
        if names.iter().map(|p| p.1).collect::<Vec<_>>() != declared {
            return Err(Mismatch(format!("`{}`: parameter sorts differ from the synth-fun", sf.name)));
        }
        let ret = scope.sort(ret).map_err(|e| Unreadable(e.to_string()))?;
        if ret != sf.ret {
            return Err(Mismatch(format!("`{}`: returns {ret} where {} was asked", sf.name, sf.ret)));
        }
        let body = s.term(body).map_err(|e| Unreadable(format!("`{}`: {e}", sf.name)))?;
        if body.sort() != ret {
            return Err(Mismatch(format!("`{}`: the body is a {}, not a {ret}", sf.name, body.sort())));
        }
        out.push(FunDef { name: sf.name.clone(), params: names, ret, body });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_and_bare_answers_are_found() {
        let cvc5 = "(\n(define-fun f ((name String)) String (str.substr name 0 3))\n)\n";
        let Claim::Defs(d) = read_claim(cvc5).unwrap() else { panic!() };
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].name, "f");
        let noisy = "log: \"(define-fun\" (define-fun broken\n(define-fun g ((x Int)) Int (+ x 1))\n";
        let Claim::Defs(d) = read_claim(noisy).unwrap() else { panic!() };
        assert_eq!(d[0].text(), "(define-fun g ((x Int)) Int (+ x 1))");
    }

    #[test]
    fn infeasible_and_nothing() {
        assert_eq!(read_claim("infeasible\n").unwrap(), Claim::Infeasible);
        assert_eq!(read_claim("\nunknown\n").unwrap(), Claim::Nothing("unknown".into()));
        assert!(read_claim("(define-fun f () Int (+ 1").is_err());
    }
}
