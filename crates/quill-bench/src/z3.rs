//! Checking an answer with z3, independently of Quill's front end and evaluator.
//!
//! The query is built from the problem file's own s-expressions and the answer as the solver printed
//! it, so neither Quill's parser nor its evaluator is trusted: variables are declared, helpers and the
//! answer defined, assumptions asserted, and the negated conjunction of the constraints asserted.
//! `unsat` means no assignment breaks a constraint, which confirms the answer; `sat` refutes it.

use crate::answer::RawDef;
use crate::proc;
use quill_lang::sexpr::{read_all, SExpr};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// What z3 says about an answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Z3Verdict {
    Confirmed,
    Refuted,
    /// z3 could not decide, gave an error, or the problem uses commands the query cannot express.
    Unknown(String),
}

/// The SMT-LIB query that is `unsat` exactly when `defs` satisfy the problem in `sl_text`.
pub fn query(sl_text: &str, defs: &[RawDef]) -> Result<String, String> {
    let forms = read_all(sl_text).map_err(|e| e.to_string())?;
    let mut decls = Vec::new();
    let mut constraints = Vec::new();
    for f in &forms {
        let items = f.list().unwrap_or(&[]);
        let head = items.first().and_then(SExpr::symbol).unwrap_or("");
        match head {
            "set-logic" | "set-option" | "set-info" | "set-feature" | "check-synth" => {}
            // The answer is defined where the function was declared: helpers before it may be
            // used by it, helpers after it may call it.
            "synth-fun" => {
                let name = items.get(1).and_then(SExpr::symbol).unwrap_or("");
                let def = defs.iter().find(|d| d.name == name).ok_or(format!("no definition of `{name}`"))?;
                decls.push(def.text());
            }
            "declare-var" if items.len() == 3 => {
                decls.push(format!("(declare-fun {} () {})", items[1], items[2]))
            }
            "declare-fun" | "define-fun" | "define-sort" | "declare-datatype" | "declare-datatypes" => {
                decls.push(f.to_string())
            }
            "constraint" if items.len() == 2 => constraints.push(items[1].to_string()),
            "assume" if items.len() == 2 => decls.push(format!("(assert {})", items[1])),
            other => return Err(format!("the z3 check does not handle `{other}` (line {})", f.pos.line)),
        }
    }
    let mut q = String::new();
    for d in decls.iter().filter(|d| !d.starts_with("(assert")) {
        q.push_str(d);
        q.push('\n');
    }
    for d in decls.iter().filter(|d| d.starts_with("(assert")) {
        q.push_str(d);
        q.push('\n');
    }
    let all = match constraints.len() {
        0 => "true".to_string(),
        1 => constraints.remove(0),
        _ => format!("(and {})", constraints.join(" ")),
    };
    q.push_str(&format!("(assert (not {all}))\n(check-sat)\n"));
    Ok(q)
}

/// Runs z3 on the query for `defs`, writing the query to `query_path` (kept for inspection).
pub fn check(z3: &Path, sl_text: &str, defs: &[RawDef], query_path: &Path, limit_s: u64) -> Z3Verdict {
    let q = match query(sl_text, defs) {
        Ok(q) => q,
        Err(e) => return Z3Verdict::Unknown(e),
    };
    if let Err(e) = std::fs::write(query_path, &q) {
        return Z3Verdict::Unknown(format!("{}: {e}", query_path.display()));
    }
    let mut cmd = Command::new(z3);
    cmd.arg(format!("-T:{limit_s}")).arg(query_path);
    let out = proc::run(cmd, Duration::from_secs(limit_s + 2));
    if out.killed {
        return Z3Verdict::Unknown("z3 timed out".into());
    }
    let first = out.stdout.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    match first {
        "unsat" => Z3Verdict::Confirmed,
        "sat" => Z3Verdict::Refuted,
        "" => Z3Verdict::Unknown(format!("z3 printed nothing ({})", out.stderr.trim())),
        other => Z3Verdict::Unknown(format!("z3: {}", other.chars().take(200).collect::<String>())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::{read_claim, Claim};

    #[test]
    fn the_query_declares_defines_and_negates() {
        let sl = "(set-logic LIA)\n(synth-fun f ((x Int)) Int)\n(declare-var y Int)\n\
                  (define-fun g ((a Int)) Int (+ a 1))\n(constraint (>= (f y) y))\n(constraint (= (f 0) 0))\n";
        let Ok(Claim::Defs(defs)) = read_claim("(define-fun f ((x Int)) Int x)") else { panic!() };
        let q = query(sl, &defs).unwrap();
        assert_eq!(
            q,
            "(define-fun f ((x Int)) Int x)\n(declare-fun y () Int)\n(define-fun g ((a Int)) Int (+ a 1))\n\
             (assert (not (and (>= (f y) y) (= (f 0) 0))))\n(check-sat)\n"
        );
        assert!(query("(inv-constraint inv pre trans post)", &defs).is_err());
    }
}
