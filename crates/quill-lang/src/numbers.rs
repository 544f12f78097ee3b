//! Number helpers for grammars from examples: rounding to a step, zero padding and decimal
//! rounding and scaling by a power of ten, the number formatting that spreadsheet users ask for
//! ("round to the nearest 50", "`7` as `007`", "`3.14159` as `3.14`", "cents as dollars") and that SMT-LIB's strings and integers can state only
//! as long terms out of reach of a search.
//!
//! Each helper is a `define-fun` written in SMT-LIB itself (integer `div` and `mod`, `str.to_int`,
//! `str.substr`), so that a problem that offers it stays a plain SyGuS-IF file: cvc5 reads it, z3
//! checks answers that call it, and Quill evaluates it through its body like any other helper.
//! The grammar offers six of them ([`offered`]); `round_dec` and `shift_dec` are built from
//! internal ones that only the definitions call ([`definitions`] lists them all, callees first).
//!
//! Grammars offer them only when the examples compute numbers ([`computes_numbers`]), because
//! six more productions widen every search.

use crate::resolve::{var, ResolveError, Scope};
use crate::sexpr::read_one;
use crate::term::{FunDef, Func, Symbol, Term};
use crate::value::Value;
use std::sync::Arc;

/// The helpers' SMT-LIB text, callees first. A number string is an optional `-`, digits, and an
/// optional `.` with more digits; on other text the helpers give some string rather than fail, as
/// `str.to_int` gives -1.
pub(crate) const TEXT: &[&str] = &[
    // The nearest multiple of `m` (halves up), the next one up and the next one down.
    "(define-fun round_to ((x Int) (m Int)) Int (* m (div (+ x (div m 2)) m)))",
    "(define-fun ceil_to ((x Int) (m Int)) Int (* m (div (+ x (- m 1)) m)))",
    "(define-fun floor_to ((x Int) (m Int)) Int (* m (div x m)))",
    // `s` with zeros in front up to `n` characters (`7`, 3 → `007`); longer strings are unchanged.
    "(define-fun pad_zero ((s String) (n Int)) String (ite (< (str.len s) n) \
     (str.++ (str.substr \"000000000000000000000000\" 0 (- n (str.len s))) s) s))",
    // 10 to the power `k`, for `k` from 0 to 9 (1 below, 10^9 above).
    "(define-fun dec_pow10 ((k Int)) Int (ite (<= k 0) 1 (ite (= k 1) 10 (ite (= k 2) 100 \
     (ite (= k 3) 1000 (ite (= k 4) 10000 (ite (= k 5) 100000 (ite (= k 6) 1000000 \
     (ite (= k 7) 10000000 (ite (= k 8) 100000000 1000000000))))))))))",
    // The digits after the `.` of a number string (none without one).
    "(define-fun dec_frac ((u String)) String (ite (str.contains u \".\") \
     (str.substr u (+ (str.indexof u \".\" 0) 1) (str.len u)) \"\"))",
    // An unsigned number string times 10^k, rounded half up: `2.345`, 2 → 235.
    "(define-fun dec_scaled ((u String) (k Int)) Int (+ (* (str.to_int (str.++ \"0\" \
     (ite (str.contains u \".\") (str.substr u 0 (str.indexof u \".\" 0)) u))) (dec_pow10 k)) \
     (str.to_int (str.++ \"0\" (str.substr (str.++ (dec_frac u) \"0000000000\") 0 k))) \
     (ite (>= (str.to_int (str.at (str.++ (dec_frac u) \"0\") k)) 5) 1 0)))",
    // A count of 10^-k units written with `k` decimals (`1765`, 2 → `17.65`; `40`, 1 → `4.0`), and
    // with a `-` when `negative` and not zero (`-0.01` rounds to `0.0`, as in a spreadsheet).
    "(define-fun dec_write ((n Int) (k Int)) String (str.++ (str.from_int (div n (dec_pow10 k))) \
     (ite (< k 1) \"\" (str.++ \".\" (pad_zero (str.from_int (mod n (dec_pow10 k))) k)))))",
    "(define-fun dec_signed ((negative Bool) (n Int) (k Int)) String \
     (str.++ (ite (and negative (> n 0)) \"-\" \"\") (dec_write n k)))",
    // A number string rounded half up to `k` decimals and written with exactly `k` of them
    // (`2.5`, 2 → `2.50`; `58.5`, 0 → `59`), keeping a leading `-` unless it rounds to zero.
    "(define-fun round_dec ((s String) (k Int)) String (dec_signed (str.prefixof \"-\" s) \
     (dec_scaled (ite (str.prefixof \"-\" s) (str.substr s 1 (str.len s)) s) k) k))",
    // The digits of an unsigned number string without its point, and how many come before it.
    "(define-fun dec_digits ((u String)) String (str.replace u \".\" \"\"))",
    "(define-fun dec_point ((u String)) Int (ite (str.contains u \".\") (str.indexof u \".\" 0) (str.len u)))",
    // An unsigned number string times 10^k: its point moved `k` places right (left when `k` is
    // negative), zeros added where the digits run out, leading zeros of the whole part dropped and
    // no point left at the end (`47061.5`, -2 → `470.615`; `31.5`, 3 → `31500`).
    "(define-fun dec_shift ((u String) (k Int)) String (ite (<= (+ (dec_point u) k) 0) \
     (str.++ \"0.\" (str.substr \"000000000000000000000000\" 0 (- 0 (+ (dec_point u) k))) (dec_digits u)) \
     (ite (>= (+ (dec_point u) k) (str.len (dec_digits u))) \
     (str.from_int (str.to_int (str.++ (dec_digits u) (str.substr \"000000000000000000000000\" 0 \
     (- (+ (dec_point u) k) (str.len (dec_digits u))))))) \
     (str.++ (str.from_int (str.to_int (str.substr (dec_digits u) 0 (+ (dec_point u) k)))) \".\" \
     (str.substr (dec_digits u) (+ (dec_point u) k) (str.len (dec_digits u)))))))",
    // A number string times 10^k (see `dec_shift`), keeping a leading `-`.
    "(define-fun shift_dec ((s String) (k Int)) String (str.++ (ite (str.prefixof \"-\" s) \"-\" \"\") \
     (dec_shift (ite (str.prefixof \"-\" s) (str.substr s 1 (str.len s)) s) k)))",
];

/// The names of the helpers grammars offer, in the order they are offered.
pub const OFFERED: [&str; 6] = ["round_to", "ceil_to", "floor_to", "pad_zero", "round_dec", "shift_dec"];

/// The helpers whose second argument is a step (a positive number of units), with `slot_last` and
/// `slot_next` of the time helpers.
const STEPPED: [&str; 5] = ["round_to", "ceil_to", "floor_to", "slot_last", "slot_next"];

/// Whether `t` calls a stepped helper with a literal step of 1 or less anywhere: rounding to 1 is
/// no rounding, and a negative step (`(floor_to m (- 3))`, a multiple of 3 below) means nothing a
/// user asks for. Such a program fits its examples by accident, as a lookup table does.
pub fn misuses_step(t: &Term) -> bool {
    match t {
        Term::App(f, args) => {
            let stepped = matches!(f, Func::Defined(d) if STEPPED.contains(&&*d.name));
            let bad = stepped && matches!(args.get(1), Some(Term::Lit(Value::Int(m))) if *m <= 1);
            bad || args.iter().any(misuses_step)
        }
        _ => false,
    }
}

/// Every helper definition, callees first (the order a problem file must define them in).
pub fn definitions() -> Vec<Arc<FunDef>> {
    define_all(TEXT)
}

/// Whether a definition is one of the helpers grammars offer (see [`OFFERED`]).
pub fn is_offered(d: &FunDef) -> bool {
    OFFERED.contains(&&*d.name)
}

/// The helpers grammars offer (see [`OFFERED`]).
pub fn offered() -> Vec<Arc<FunDef>> {
    definitions().into_iter().filter(|d| is_offered(d)).collect()
}

/// Reads `define-fun` texts in order, each able to call the ones before it. The texts are
/// constants of this crate, and tests parse every one of them, so a failure is a bug here.
pub(crate) fn define_all(texts: &[&str]) -> Vec<Arc<FunDef>> {
    let mut scope = Scope::default();
    let mut out = Vec::new();
    for text in texts {
        let def = Arc::new(parse_def(text, &scope).unwrap_or_else(|e| panic!("helper `{text}`: {e}")));
        scope.funcs.insert(def.name.to_string(), Func::Defined(def.clone()));
        out.push(def);
    }
    out
}

/// Reads the `define-fun` texts `own` after their callees' texts `callees` (another group's, read
/// again so that the bodies resolve), and returns only the definitions of `own`.
pub(crate) fn define_after(callees: &[&str], own: &[&str]) -> Vec<Arc<FunDef>> {
    let texts: Vec<&str> = callees.iter().chain(own).copied().collect();
    define_all(&texts).split_off(callees.len())
}

fn parse_def(text: &str, scope: &Scope) -> Result<FunDef, ResolveError> {
    let bad = |m: &str| ResolveError { pos: Default::default(), message: m.to_string() };
    let e = read_one(text).map_err(|e| bad(&e.to_string()))?;
    let items = e.list().ok_or_else(|| bad("expected a list"))?;
    let [_, name, params, ret, body] = items else { return Err(bad("expected a define-fun")) };
    let mut params_out = Vec::new();
    let mut inner = scope.clone();
    inner.vars.clear();
    for (i, p) in params.list().ok_or_else(|| bad("expected parameters"))?.iter().enumerate() {
        let [n, s] = p.list().ok_or_else(|| bad("expected a parameter"))? else {
            return Err(bad("expected (NAME SORT)"));
        };
        let n = n.symbol().ok_or_else(|| bad("expected a parameter name"))?;
        let s = scope.sort(s)?;
        inner.vars.push((n.to_string(), var(i, n, s)));
        params_out.push((Symbol::from(n), s));
    }
    let body = inner.term(body)?;
    let ret = scope.sort(ret)?;
    if body.sort() != ret {
        return Err(bad("the body's sort is not the declared one"));
    }
    let name = name.symbol().ok_or_else(|| bad("expected a name"))?;
    Ok(FunDef { name: name.into(), params: params_out, ret, body })
}

/// The numbers of a text: maximal runs of digits and `.` with at least one digit, without a
/// leading or trailing `.` (`v1.20.` → `1.20`). A run with more than one `.` is a dotted list, not
/// a number, and its parts count instead (`123.456.7890` → `123`, `456`, `7890`).
pub(crate) fn numbers(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for t in text.split(|c: char| !(c.is_ascii_digit() || c == '.')).map(|t| t.trim_matches('.')) {
        if t.matches('.').count() > 1 {
            out.extend(t.split('.'));
        } else {
            out.push(t);
        }
    }
    out.retain(|t| t.chars().any(|c| c.is_ascii_digit()));
    out
}

/// Whether some example's output has a number that is not, as a whole, a number of its inputs
/// (`3.14159` → `3.14`, `2480` → `2,480` are; `(555) 010-4477` → `010-4477` is not): only then
/// are the number helpers offered.
pub fn computes_numbers<'a>(examples: impl IntoIterator<Item = (&'a [String], &'a str)>) -> bool {
    examples.into_iter().any(|(inputs, output)| {
        let known: Vec<&str> = inputs.iter().flat_map(|i| numbers(i)).collect();
        numbers(output).iter().any(|n| !known.contains(n))
    })
}

/// The negative amounts `shift_dec` usually takes (cents to dollars, thousandths to units), which a
/// grammar's integer literals otherwise lack: a search would build them as `(- 0 2)`, a term Quill's
/// model never saw as a shift (its training data write them as literals), so it would rank a
/// stranger term that happens to fit above the intended one. Grammars offering the number helpers
/// offer these literals too.
pub const SHIFTS: [i64; 2] = [-2, -3];

/// Integer constants that number outputs suggest: the largest round step that divides every
/// output when every output is an integer, if above 5 (`12350`, `800`, `4100` → 50: the step of a
/// rounding), and the outputs' common length when every output is a number of the same length
/// above 5 (`00004417`, `31415926` → 8: the width of a padding).
pub fn int_constants(outputs: &[&str]) -> Vec<i64> {
    let mut out = Vec::new();
    let ints: Option<Vec<i64>> = outputs.iter().map(|o| o.parse::<i64>().ok()).collect();
    if let Some(ints) = ints.filter(|v| !v.is_empty()) {
        let g = ints.iter().fold(0i64, |g, &x| gcd(g, x.unsigned_abs().min(i64::MAX as u64) as i64));
        // Rounding steps are round numbers: the largest of 1, 2, 5 and 25 times a power of ten
        // that divides the common divisor (`300` → 100, `15` → 5).
        let step = (0..18)
            .flat_map(|p| [1i64, 2, 5, 25].map(|m| m.saturating_mul(10i64.pow(p))))
            .filter(|s| g != 0 && g % s == 0)
            .max()
            .unwrap_or(1);
        if step > 5 {
            out.push(step);
        }
    }
    let numeric = |o: &&str| !o.is_empty() && numbers(o).concat().len() == o.len();
    if let Some(first) = outputs.first().filter(|_| outputs.iter().all(numeric)) {
        let n = first.chars().count();
        if n > 5 && outputs.iter().all(|o| o.chars().count() == n) && !out.contains(&(n as i64)) {
            out.push(n as i64);
        }
    }
    out
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(pairs: &[(&str, &str)]) -> Vec<(Vec<String>, String)> {
        pairs.iter().map(|(i, o)| (vec![i.to_string()], o.to_string())).collect()
    }

    fn computes(pairs: &[(&str, &str)]) -> bool {
        let r = rows(pairs);
        computes_numbers(r.iter().map(|(i, o)| (i.as_slice(), o.as_str())))
    }

    #[test]
    fn every_definition_parses_and_the_offered_ones_are_found() {
        let defs = definitions();
        assert_eq!(defs.len(), TEXT.len());
        let offered = offered();
        let names: Vec<&str> = offered.iter().map(|d| &*d.name).collect();
        assert_eq!(names, OFFERED);
        // Printed and read back, a definition is itself (problem files carry them as text).
        let round_dec = defs.iter().find(|d| &*d.name == "round_dec").unwrap();
        assert!(round_dec.to_string().contains("(dec_scaled "), "{round_dec}");
    }

    #[test]
    fn steps_of_one_or_less_are_misuses() {
        let defs = definitions();
        let call = |name: &str, m: i64| {
            let d = defs.iter().find(|d| &*d.name == name).unwrap().clone();
            let x = Term::Var(crate::term::Var { index: 0, name: "x".into(), sort: crate::sort::Sort::Int });
            Term::App(Func::Defined(d), vec![x, Term::Lit(Value::Int(m))])
        };
        assert!(misuses_step(&call("floor_to", -3)));
        assert!(misuses_step(&call("round_to", 1)));
        assert!(!misuses_step(&call("ceil_to", 50)));
        // Inside another call too; a padding width is no step.
        let padded = Term::App(Func::Builtin(crate::op::Op::StrFromInt), vec![call("ceil_to", 0)]);
        assert!(misuses_step(&padded));
        assert!(!misuses_step(&call("pad_zero", 0)));
    }

    #[test]
    fn computed_numbers_are_told_from_copied_ones() {
        assert!(computes(&[("3.14159", "3.14")]));
        assert!(computes(&[("2480", "2,480")]));
        assert!(computes(&[("7", "007")]));
        assert!(computes(&[("Total: 12338", "12350")]));
        assert!(!computes(&[("(555) 010-4477", "010-4477")]));
        assert!(!computes(&[("John Smith", "J. Smith")]));
        assert!(!computes(&[("v1.20.", "1.20")]));
        // Dotted lists are their parts: a phone number regrouped computes nothing.
        assert!(!computes(&[("+44 555-010-203", "44.555.010.203")]));
        assert!(!computes(&[("7.4.1999", "4/7/1999")]));
    }

    #[test]
    fn integer_constants_are_steps_and_widths() {
        assert_eq!(int_constants(&["12350", "800", "4100"]), vec![50]);
        assert_eq!(int_constants(&["1200", "915", "915"]), Vec::<i64>::new());
        assert_eq!(int_constants(&["1000", "2000", "0"]), vec![1000]);
        assert_eq!(int_constants(&["1200", "900"]), vec![100]);
        assert_eq!(int_constants(&["-250", "500"]), vec![250]);
        assert_eq!(int_constants(&["31415926", "00004417"]), vec![8]);
        assert_eq!(int_constants(&["0.07", "0.02"]), Vec::<i64>::new());
        assert_eq!(int_constants(&["abc", "12"]), Vec::<i64>::new());
        assert_eq!(int_constants(&[]), Vec::<i64>::new());
    }
}
