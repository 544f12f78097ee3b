//! Property tests of the evaluator against z3, and of its robustness on ill-formed terms.
//!
//! `evaluator_agrees_with_z3` generates well-sorted closed terms with proptest strategies from a
//! fixed seed (so a failure reproduces), evaluates each with [`quill_eval::eval`], and has z3 judge
//! `(= TERM VALUE)` for all of them: one z3 process runs `(simplify (= TERM VALUE))` on every term
//! (z3's rewriter evaluates ground terms, and is what its solver runs first on them), and a second
//! one checks `(assert (not (= TERM VALUE))) (check-sat)` from a fresh state for each term the
//! rewriter left unevaluated or judged `false`; every such answer must be `unsat`. A disagreement
//! is reported with z3's value (`get-value`) and the smallest disagreeing subterm.
//!
//! Terms whose evaluation is `DivisionByZero` are skipped: SMT-LIB 2.6 leaves `(div x 0)` and
//! `(mod x 0)` unspecified and z3 treats them as uninterpreted functions, so no value can be claimed
//! for them. `Overflow` (a result beyond 64 bits, which z3 computes exactly) and `BadCodePoint`
//! (`str.from_code` of a surrogate, which Rust's `char` cannot hold) are limits of Quill's
//! representation, not semantics, and are skipped too.
//!
//! z3 4.8.12 (Debian's) accepts every SMT-LIB 2.6 name used here (`str.from_int`, `str.to_int`,
//! `str.replace_all`, `str.is_digit`, `str.<`, `str.<=`, `str.to_code`, `str.from_code`), so no
//! operator is excluded.
//!
//! Environment knobs: `QUILL_Z3` (the z3 binary, default `z3`), `QUILL_Z3_SEED` and
//! `QUILL_Z3_TERMS` (to explore beyond the fixed seed), `QUILL_REQUIRE_Z3=1` (fail rather than
//! skip when z3 is missing).

use proptest::prelude::*;
use proptest::strategy::{Union, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestRng, TestRunner};
use quill_eval::{eval, EvalError};
use quill_lang::{FunDef, Func, Op, Sort, Term, Value, Var};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

type S = BoxedStrategy<Term>;

/// The fixed seed of both property tests ("QUILL" in ASCII).
const SEED: u64 = 0x0051_5549_4c4c;

/// The bit-vector widths terms are generated at (others arise through extract and concat).
const WIDTHS: [u32; 4] = [4, 8, 32, 64];

/// String literals: short, overlapping, so that `str.indexof`, `str.replace` and `str.contains`
/// find things, with digits for `str.to_int` and a few characters that need escaping.
const STRINGS: &[&str] =
    &["", "", "a", "b", "ab", "ba", "aa", "1", "12", "0", " ", "-", "a1b", "\u{e9}", "\"", "\\"];

const BV_BINARY: &[Op] = &[
    Op::BvAdd,
    Op::BvSub,
    Op::BvMul,
    Op::BvAnd,
    Op::BvOr,
    Op::BvXor,
    Op::BvNand,
    Op::BvNor,
    Op::BvXnor,
    Op::BvShl,
    Op::BvLshr,
    Op::BvAshr,
    Op::BvUdiv,
    Op::BvUrem,
    Op::BvSdiv,
    Op::BvSrem,
    Op::BvSmod,
];

const BV_COMPARE: &[Op] =
    &[Op::BvUlt, Op::BvUle, Op::BvUgt, Op::BvUge, Op::BvSlt, Op::BvSle, Op::BvSgt, Op::BvSge];

/// The plain operators the generator produces (every plain operator of the language when this test
/// was written).
const GENERATED: &[&str] = &[
    "not",
    "and",
    "or",
    "xor",
    "=>",
    "=",
    "distinct",
    "ite",
    "+",
    "-",
    "*",
    "div",
    "mod",
    "abs",
    "<",
    "<=",
    ">",
    ">=",
    "str.++",
    "str.len",
    "str.at",
    "str.substr",
    "str.prefixof",
    "str.suffixof",
    "str.contains",
    "str.indexof",
    "str.replace",
    "str.replace_all",
    "str.to_int",
    "str.from_int",
    "str.<",
    "str.<=",
    "str.is_digit",
    "str.to_code",
    "str.from_code",
    "bvadd",
    "bvsub",
    "bvmul",
    "bvand",
    "bvor",
    "bvxor",
    "bvnot",
    "bvneg",
    "bvnand",
    "bvnor",
    "bvxnor",
    "bvshl",
    "bvlshr",
    "bvashr",
    "bvudiv",
    "bvurem",
    "bvsdiv",
    "bvsrem",
    "bvsmod",
    "bvcomp",
    "bvult",
    "bvule",
    "bvugt",
    "bvuge",
    "bvslt",
    "bvsle",
    "bvsgt",
    "bvsge",
    "concat",
];

// ---------------------------------------------------------------------------------------------
// Well-sorted term strategies.

fn lit(v: Value) -> Term {
    Term::Lit(v)
}

/// An application of `op` to terms drawn from `args`.
fn ap(op: Op, args: &[&S]) -> S {
    let args: Vec<S> = args.iter().map(|s| (*s).clone()).collect();
    args.prop_map(move |a| Term::app(op, a)).boxed()
}

fn weighted(arms: Vec<(u32, S)>) -> S {
    Union::new_weighted(arms).boxed()
}

fn int_leaf() -> S {
    prop_oneof![
        8 => (-3i64..=3).prop_map(|i| lit(Value::Int(i))),
        2 => prop::sample::select(vec![10i64, -10, 48, 97, 100, -7]).prop_map(|i| lit(Value::Int(i))),
        1 => prop::sample::select(vec![i64::MAX, i64::MIN, i64::MAX - 1, 1 << 32, -(1 << 32), 1 << 62])
            .prop_map(|i| lit(Value::Int(i))),
    ]
    .boxed()
}

fn str_leaf() -> S {
    prop::sample::select(STRINGS).prop_map(|s| lit(Value::str(s))).boxed()
}

fn bool_leaf() -> S {
    any::<bool>().prop_map(|b| lit(Value::Bool(b))).boxed()
}

/// Edge values of a width (0, 1, all ones, the sign bit, the largest positive, shift amounts
/// around the width) and random bits.
fn bv_leaf(w: u32) -> S {
    let mask = quill_lang::value::bv_mask(w);
    let sign = 1u64 << (w - 1);
    let w64 = u64::from(w);
    let edges = vec![0, 1, mask, sign, sign - 1, 2, 3, w64 - 1, w64, w64 + 1];
    prop_oneof![
        3 => prop::sample::select(edges).prop_map(move |b| lit(Value::bv(w, b))),
        1 => any::<u64>().prop_map(move |b| lit(Value::bv(w, b))),
    ]
    .boxed()
}

/// Strategies for terms of each sort, all of the same maximal depth.
#[derive(Clone)]
struct Level {
    bool_: S,
    int: S,
    str_: S,
    bv: [S; 4],
}

impl Level {
    fn leaves() -> Level {
        Level { bool_: bool_leaf(), int: int_leaf(), str_: str_leaf(), bv: WIDTHS.map(bv_leaf) }
    }

    fn bv(&self, w: u32) -> &S {
        &self.bv[WIDTHS.iter().position(|x| *x == w).expect("a generated width")]
    }

    /// Terms one level deeper, whose arguments come from `self`.
    fn deeper(&self) -> Level {
        Level {
            bool_: self.bool_ops(),
            int: self.int_ops(),
            str_: self.str_ops(),
            bv: WIDTHS.map(|w| self.bv_ops(w)),
        }
    }

    fn int_ops(&self) -> S {
        use Op::*;
        let (b, i, s) = (&self.bool_, &self.int, &self.str_);
        weighted(vec![
            (6, int_leaf()),
            (2, ap(Add, &[i, i])),
            (1, ap(Add, &[i, i, i])),
            (2, ap(Sub, &[i, i])),
            (1, ap(Sub, &[i])),
            (2, ap(Mul, &[i, i])),
            (2, ap(Div, &[i, i])),
            (2, ap(Mod, &[i, i])),
            (1, ap(Abs, &[i])),
            (2, ap(Ite, &[b, i, i])),
            (2, ap(StrLen, &[s])),
            (3, ap(StrIndexOf, &[s, s, i])),
            (2, ap(StrToInt, &[s])),
            (1, ap(StrToCode, &[s])),
        ])
    }

    fn str_ops(&self) -> S {
        use Op::*;
        let (b, i, s) = (&self.bool_, &self.int, &self.str_);
        weighted(vec![
            (5, str_leaf()),
            (3, ap(StrConcat, &[s, s])),
            (1, ap(StrConcat, &[s, s, s])),
            (2, ap(StrAt, &[s, i])),
            (3, ap(StrSubstr, &[s, i, i])),
            (3, ap(StrReplace, &[s, s, s])),
            (3, ap(StrReplaceAll, &[s, s, s])),
            (2, ap(StrFromInt, &[i])),
            (1, ap(StrFromCode, &[i])),
            (2, ap(Ite, &[b, s, s])),
        ])
    }

    fn bool_ops(&self) -> S {
        use Op::*;
        let (b, i, s) = (&self.bool_, &self.int, &self.str_);
        let bv_compare = weighted(
            BV_COMPARE
                .iter()
                .flat_map(|op| WIDTHS.map(|w| (1, ap(*op, &[self.bv(w), self.bv(w)]))))
                .collect(),
        );
        let bv_eq = weighted(WIDTHS.map(|w| (1, ap(Eq, &[self.bv(w), self.bv(w)]))).to_vec());
        let one = lit(Value::bv(1, 1));
        let bv_comp = self.bv_comp().prop_map(move |t| Term::app(Eq, vec![t, one.clone()])).boxed();
        let bit = (0..64u32, self.bv(64).clone())
            .prop_map(|(j, t)| Term::app(Eq, vec![Term::app(Extract(j, j), vec![t]), lit(Value::bv(1, 1))]))
            .boxed();
        weighted(vec![
            (5, bool_leaf()),
            (2, ap(Not, &[b])),
            (2, ap(And, &[b, b])),
            (1, ap(And, &[b, b, b])),
            (2, ap(Or, &[b, b])),
            (2, ap(Xor, &[b, b])),
            (1, ap(Xor, &[b, b, b])),
            (2, ap(Implies, &[b, b])),
            (1, ap(Implies, &[b, b, b])),
            (2, ap(Ite, &[b, b, b])),
            (1, ap(Eq, &[b, b])),
            (2, ap(Eq, &[i, i])),
            (2, ap(Eq, &[s, s])),
            (1, ap(Distinct, &[i, i, i])),
            (2, ap(Lt, &[i, i])),
            (2, ap(Le, &[i, i])),
            (2, ap(Gt, &[i, i])),
            (2, ap(Ge, &[i, i])),
            (1, ap(Lt, &[i, i, i])),
            (2, ap(StrPrefixOf, &[s, s])),
            (2, ap(StrSuffixOf, &[s, s])),
            (2, ap(StrContains, &[s, s])),
            (2, ap(StrLt, &[s, s])),
            (2, ap(StrLe, &[s, s])),
            (2, ap(StrIsDigit, &[s])),
            (8, bv_compare),
            (2, bv_eq),
            (1, bv_comp),
            (1, bit),
        ])
    }

    /// `(bvcomp x y)` at a random width: a `(_ BitVec 1)` term.
    fn bv_comp(&self) -> S {
        weighted(WIDTHS.map(|w| (1, ap(Op::BvComp, &[self.bv(w), self.bv(w)]))).to_vec())
    }

    /// A term of any width `k` (1 to 64): an extract from a generated width.
    fn extract_to(&self, k: u32) -> S {
        let arms = WIDTHS
            .iter()
            .filter(|w| **w >= k)
            .map(|&w| {
                let t = (0..=w - k, self.bv(w).clone())
                    .prop_map(move |(j, t)| Term::app(Op::Extract(j + k - 1, j), vec![t]))
                    .boxed();
                (1, t)
            })
            .collect();
        weighted(arms)
    }

    fn bv_ops(&self, w: u32) -> S {
        use Op::*;
        let (b, x) = (&self.bool_, self.bv(w));
        let mut arms = vec![(12, bv_leaf(w))];
        arms.extend(BV_BINARY.iter().map(|op| (2, ap(*op, &[x, x]))));
        for op in [BvAdd, BvMul, BvAnd, BvOr, BvXor] {
            arms.push((1, ap(op, &[x, x, x])));
        }
        arms.push((2, ap(BvNot, &[x])));
        arms.push((2, ap(BvNeg, &[x])));
        arms.push((3, ap(Ite, &[b, x, x])));
        arms.push((3, self.extract_to(w)));
        // Concatenation of two pieces of any widths adding up to `w`.
        let me = self.clone();
        let split = (1..w)
            .prop_flat_map(move |k| {
                (me.extract_to(k), me.extract_to(w - k)).prop_map(|(a, c)| Term::app(Concat, vec![a, c]))
            })
            .boxed();
        arms.push((2, split));
        if WIDTHS.contains(&(w / 2)) {
            arms.push((2, ap(Concat, &[self.bv(w / 2), self.bv(w / 2)])));
        }
        // Zero and sign extension, from generated widths and from any narrower width.
        for from in WIDTHS.iter().filter(|v| **v < w) {
            arms.push((1, ap(ZeroExtend(w - from), &[self.bv(*from)])));
            arms.push((1, ap(SignExtend(w - from), &[self.bv(*from)])));
        }
        for sign in [false, true] {
            let me = self.clone();
            let ext = (1..w)
                .prop_flat_map(move |k| {
                    let op = if sign { SignExtend(w - k) } else { ZeroExtend(w - k) };
                    me.extract_to(k).prop_map(move |t| Term::app(op, vec![t]))
                })
                .boxed();
            arms.push((1, ext));
        }
        // Rotations by amounts below, at and beyond the width.
        arms.push((
            2,
            (0..=2 * w + 1, x.clone()).prop_map(|(k, t)| Term::app(RotateLeft(k), vec![t])).boxed(),
        ));
        arms.push((
            2,
            (0..=2 * w + 1, x.clone()).prop_map(|(k, t)| Term::app(RotateRight(k), vec![t])).boxed(),
        ));
        arms.push((1, self.bv_comp().prop_map(move |t| Term::app(ZeroExtend(w - 1), vec![t])).boxed()));
        weighted(arms)
    }
}

/// Closed well-sorted terms of every sort, of depth at most `depth` (counting the extract that
/// some bit-vector arms add, a little more).
fn well_sorted_term(depth: usize) -> S {
    let mut level = Level::leaves();
    for _ in 0..depth {
        level = level.deeper();
    }
    let mut arms = vec![(3, level.bool_.clone()), (3, level.int.clone()), (3, level.str_.clone())];
    arms.extend(WIDTHS.map(|w| (1, level.bv(w).clone())));
    weighted(arms)
}

// ---------------------------------------------------------------------------------------------
// Talking to z3.

fn z3_binary() -> String {
    std::env::var("QUILL_Z3").unwrap_or_else(|_| "z3".to_string())
}

/// Whether z3 can be run; prints a note when it cannot (and fails under `QUILL_REQUIRE_Z3=1`).
fn z3_available() -> bool {
    let ok = Command::new(z3_binary()).arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("QUILL_REQUIRE_Z3").is_err(),
            "z3 is required but `{}` cannot be run",
            z3_binary()
        );
        eprintln!("note: `{}` cannot be run; the z3 agreement test is skipped", z3_binary());
    }
    ok
}

/// Runs one z3 process on `script`, which ends the output for check `k` with `(echo "@done k")`,
/// and returns what z3 printed for each of the `n` checks.
fn z3_run(script: String, n: usize) -> Vec<Vec<String>> {
    if let Ok(path) = std::env::var("QUILL_Z3_SCRIPT") {
        std::fs::write(&path, &script).expect("the script is saved");
    }
    let mut child = Command::new(z3_binary())
        .args(["-in", "-T:60"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("z3 runs");
    let mut stdin = child.stdin.take().expect("a pipe");
    let writer = std::thread::spawn(move || stdin.write_all(script.as_bytes()));
    let out = child.wait_with_output().expect("z3 finishes");
    // A write error (z3 stopped reading) shows below as missing answers.
    let written = writer.join().expect("the writer thread");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut blocks = Vec::with_capacity(n);
    let mut block = Vec::new();
    for line in stdout.lines() {
        if line == format!("@done {}", blocks.len()) {
            blocks.push(std::mem::take(&mut block));
        } else {
            block.push(line.trim().to_string());
        }
    }
    assert_eq!(
        blocks.len(),
        n,
        "z3 answered {} of {n} checks (exit {:?}, script written: {written:?}); it printed last:\n{}\n{}",
        blocks.len(),
        out.status,
        stdout.lines().rev().take(10).collect::<Vec<_>>().join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
    blocks
}

/// z3's rewriter on `(= term value)` for each case: `true` when z3 agrees, `false` when it
/// disagrees, and a residual term when the rewriter leaves something unevaluated.
///
/// This is the fast path: a fresh `(check-sat)` per term costs z3 about 8 ms, and under
/// `push`/`pop` about 70 ms (the incremental solver), while `simplify` costs well under 1 ms.
fn z3_simplify(cases: &[(Term, Value)]) -> Vec<String> {
    let mut script = String::from("(set-logic ALL)\n");
    for (k, (term, value)) in cases.iter().enumerate() {
        script.push_str(&format!("(simplify (= {term} {value}))\n(echo \"@done {k}\")\n"));
    }
    z3_run(script, cases.len()).into_iter().map(|b| b.join(" ")).collect()
}

/// One `(check-sat)` answer for `(not (= term value))`, with z3's value of the term when it is
/// `sat`.
#[derive(Debug)]
struct Answer {
    status: String,
    z3_value: String,
}

/// The solver's answer for each case, each checked from a fresh state (`reset`).
fn z3_check(cases: &[(Term, Value)]) -> Vec<Answer> {
    let mut script = String::new();
    for (k, (term, value)) in cases.iter().enumerate() {
        script.push_str(&format!(
            "(reset)\n(set-logic ALL)\n(set-option :timeout 10000)\n(assert (not (= {term} {value})))\n\
             (check-sat)\n(get-value ({term}))\n(echo \"@done {k}\")\n"
        ));
    }
    z3_run(script, cases.len())
        .into_iter()
        .zip(cases)
        .map(|(b, (term, _))| {
            let status = b.first().cloned().unwrap_or_default();
            // After `unsat`, `get-value` only complains that there is no model. After `sat`, it
            // prints `((TERM VALUE))`; keep VALUE when z3 echoes the term as printed.
            let printed = if status == "sat" { b[1..].join(" ") } else { String::new() };
            let z3_value = printed
                .strip_prefix(&format!("(({term} "))
                .and_then(|v| v.strip_suffix("))"))
                .map_or(printed.clone(), str::to_string);
            Answer { status, z3_value }
        })
        .collect()
}

/// Every subterm (the term included) with a value Quill can vouch for.
fn evaluable_subterms(t: &Term, out: &mut Vec<(Term, Value)>) {
    if let Term::App(_, args) = t {
        args.iter().for_each(|a| evaluable_subterms(a, out));
    }
    if let Ok(v) = eval(t, &[]) {
        out.push((t.clone(), v));
    }
}

/// Why Quill may decline to give a value without being wrong.
fn skippable(e: &EvalError) -> bool {
    matches!(e, EvalError::DivisionByZero | EvalError::Overflow | EvalError::BadCodePoint(_))
}

fn seed_rng(seed: u64) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

/// A different value of the same sort.
fn wrong(v: &Value) -> Value {
    match v {
        Value::Bool(b) => Value::Bool(!b),
        Value::Int(i) => Value::Int(i.checked_add(1).unwrap_or(0)),
        Value::Str(s) => Value::Str([s.chars(), &['x']].concat().into()),
        Value::BitVec { width, bits } => Value::bv(*width, bits ^ 1),
    }
}

/// Guards against a vacuous pass (z3's output misread as agreement): wrong values must be refuted.
fn harness_catches_wrong_values(cases: &[(Term, Value)]) {
    let wrong: Vec<(Term, Value)> = cases.iter().map(|(t, v)| (t.clone(), wrong(v))).collect();
    let simplified = z3_simplify(&wrong);
    let undecided: Vec<(Term, Value)> =
        wrong.iter().zip(&simplified).filter(|(_, s)| *s != "false").map(|(c, _)| c.clone()).collect();
    for ((t, v), a) in undecided.iter().zip(z3_check(&undecided)) {
        assert_eq!(a.status, "sat", "z3 should refute {t} = {v}");
    }
}

/// Guards against a generator that silently stops producing some operator.
fn assert_every_operator_occurs(cases: &[(Term, Value)]) {
    fn walk(t: &Term, seen: &mut std::collections::BTreeSet<&'static str>) {
        if let Term::App(Func::Builtin(op), args) = t {
            seen.insert(op.name());
            args.iter().for_each(|a| walk(a, seen));
        }
    }
    let mut seen = Default::default();
    cases.iter().for_each(|(t, _)| walk(t, &mut seen));
    let indexed = ["extract", "zero_extend", "sign_extend", "rotate_left", "rotate_right"];
    let missing: Vec<&str> =
        Op::all_plain().map(|op| op.name()).chain(indexed).filter(|n| !seen.contains(n)).collect();
    // An operator added to the language after this generator was written is only noted; one the
    // generator is meant to produce must occur.
    let expected = |n: &&str| GENERATED.contains(n) || indexed.contains(n);
    assert!(!missing.iter().any(expected), "operators never generated: {missing:?}");
    if !missing.is_empty() {
        eprintln!("note: operators not compared with z3 (not generated): {missing:?}");
    }
}

#[test]
fn evaluator_agrees_with_z3() {
    if !z3_available() {
        return;
    }
    let seed = env_number("QUILL_Z3_SEED", SEED);
    let count = env_number("QUILL_Z3_TERMS", 5000) as usize;
    let start = Instant::now();
    let strategy = well_sorted_term(4);
    let mut runner = seed_rng(seed);
    let (mut cases, mut skipped, mut bad) = (Vec::new(), 0, Vec::new());
    for _ in 0..count {
        let term = strategy.new_tree(&mut runner).expect("a term").current();
        match eval(&term, &[]) {
            Ok(v) if v.sort() == term.sort() => cases.push((term, v)),
            Ok(v) => bad.push(format!("{term}: value {v} is not of the term's sort {}", term.sort())),
            Err(e) if skippable(&e) => skipped += 1,
            Err(e) => bad.push(format!("{term}: {e}")),
        }
    }
    assert!(bad.is_empty(), "well-sorted terms Quill failed to evaluate:\n{}", bad.join("\n"));
    let generated = start.elapsed();

    assert_every_operator_occurs(&cases);
    harness_catches_wrong_values(&cases[..25]);

    // The rewriter decides almost every term; the solver decides the rest, and confirms every
    // disagreement.
    let simplified = z3_simplify(&cases);
    let undecided: Vec<(Term, Value)> =
        cases.iter().zip(&simplified).filter(|(_, s)| *s != "true").map(|(c, _)| c.clone()).collect();
    let answers = z3_check(&undecided);
    let failing: Vec<(&(Term, Value), &Answer)> =
        undecided.iter().zip(&answers).filter(|(_, a)| a.status != "unsat").collect();
    eprintln!(
        "seed {seed:#x}: {} terms checked against z3 ({} by the solver), {skipped} skipped \
         (division by zero, overflow), {} disagreements; generation {:.1?}, total {:.1?}",
        cases.len(),
        undecided.len(),
        failing.len(),
        generated,
        start.elapsed()
    );
    if failing.is_empty() {
        return;
    }

    // Explain the first few: the smallest disagreeing subterm, with z3's value for it.
    let mut report = Vec::new();
    for ((term, value), answer) in failing.iter().take(8) {
        let mut subs = Vec::new();
        evaluable_subterms(term, &mut subs);
        let sub_answers = z3_check(&subs);
        let smallest = subs
            .iter()
            .zip(&sub_answers)
            .filter(|(_, a)| a.status != "unsat")
            .min_by_key(|((t, _), _)| t.size());
        let mut line = format!("term {term}\n  quill: {value}\n  z3: {} {}", answer.status, answer.z3_value);
        if let Some(((t, v), a)) = smallest {
            line.push_str(&format!(
                "\n  smallest disagreeing subterm: {t}\n    quill: {v}\n    z3: {} {}",
                a.status, a.z3_value
            ));
        }
        report.push(line);
    }
    panic!(
        "{} of {} terms disagree with z3 (seed {seed:#x}):\n{}",
        failing.len(),
        cases.len(),
        report.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Robustness: `eval` on arbitrary, possibly ill-sorted, terms returns Ok or Err and never panics.

fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        (-3i64..=3).prop_map(Value::Int),
        prop::sample::select(STRINGS).prop_map(Value::str),
        prop::collection::vec(any::<char>(), 0..4).prop_map(|cs| Value::Str(cs.into())),
        (1u32..=64, any::<u64>()).prop_map(|(w, b)| Value::bv(w, b)),
        prop::sample::select(WIDTHS.to_vec()).prop_map(|w| Value::bv(w, u64::MAX)),
    ]
}

fn any_sort() -> impl Strategy<Value = Sort> {
    prop_oneof![Just(Sort::Bool), Just(Sort::Int), Just(Sort::String), (1u32..=64).prop_map(Sort::BitVec)]
}

fn any_op() -> impl Strategy<Value = Op> {
    let index = prop_oneof![0u32..70, any::<u32>(), Just(u32::MAX)];
    prop_oneof![
        4 => prop::sample::select(Op::all_plain().collect::<Vec<_>>()),
        1 => (index.clone(), index.clone()).prop_map(|(i, j)| Op::Extract(i, j)),
        1 => index.clone().prop_map(Op::ZeroExtend),
        1 => index.clone().prop_map(Op::SignExtend),
        1 => index.clone().prop_map(Op::RotateLeft),
        1 => index.prop_map(Op::RotateRight),
    ]
}

fn any_func() -> impl Strategy<Value = Func> {
    let helper =
        (prop::collection::vec(any_sort(), 0..3), any_sort(), 0u32..4).prop_map(|(params, ret, i)| {
            let sort = params.first().copied().unwrap_or(Sort::Int);
            Func::Defined(Arc::new(FunDef {
                name: "h".into(),
                params: params.iter().enumerate().map(|(k, s)| (format!("p{k}").into(), *s)).collect(),
                ret,
                // A body that reads a parameter that may be absent.
                body: Term::Var(Var { index: i, name: "p".into(), sort }),
            }))
        });
    prop_oneof![
        8 => any_op().prop_map(Func::Builtin),
        1 => helper,
        1 => (0u32..3, prop::collection::vec(any_sort(), 0..3), any_sort())
            .prop_map(|(index, params, ret)| Func::Synth { index, name: "f".into(), params, ret }),
    ]
}

/// Terms that may be ill-sorted, have the wrong number of arguments, mention absent variables or
/// holes, or call functions without bodies; well-sorted subterms are mixed in so that evaluation
/// gets past the leaves.
fn any_term() -> impl Strategy<Value = Term> {
    let leaf = prop_oneof![
        6 => any_value().prop_map(Term::Lit),
        1 => (0u32..4, any_sort()).prop_map(|(index, sort)| Term::Var(Var { index, name: "x".into(), sort })),
        1 => (0u32..3, any_sort()).prop_map(|(i, s)| Term::Hole(i, s)),
        3 => well_sorted_term(1),
    ];
    leaf.prop_recursive(4, 48, 4, |inner| {
        (any_func(), prop::collection::vec(inner, 0..4)).prop_map(|(f, args)| Term::App(f, args))
    })
}

proptest! {
    #![proptest_config(Config {
        cases: 3000,
        rng_seed: RngSeed::Fixed(SEED),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn eval_never_panics(term in any_term()) {
        // Two variables are bound; the generator also refers to unbound ones.
        let env = [Value::Int(5), Value::str("ab")];
        let _ = eval(&term, &env);
    }
}

/// Found by `eval_never_panics`: `zero_extend`/`sign_extend` checked `w + k <= 64` with a plain
/// addition, which overflowed (a panic in debug builds) for an index near `u32::MAX`. The front end
/// refuses such a term, so this cannot be a line of `fixtures/semantics.txt`; terms built directly
/// must still give an error.
#[test]
fn extension_by_a_huge_index_is_an_error_not_a_panic() {
    for op in [Op::ZeroExtend(u32::MAX), Op::SignExtend(u32::MAX - 3)] {
        let term = Term::app(op, vec![lit(Value::bv(8, 0x80))]);
        assert!(matches!(eval(&term, &[]), Err(EvalError::IllFormed(_))), "{term}");
    }
}

fn contains_ite(t: &Term) -> bool {
    match t {
        Term::App(Func::Builtin(Op::Ite), _) => true,
        Term::App(_, args) => args.iter().any(contains_ite),
        _ => false,
    }
}

/// The column-wise evaluator (the enumerator's fast paths) agrees with the scalar one. Columns
/// evaluate both branches of an `ite`, so only there may a column fail where a value exists.
#[test]
fn column_evaluation_agrees_with_scalar_evaluation() {
    let mut runner = seed_rng(env_number("QUILL_COLUMN_SEED", 11));
    let strategy = well_sorted_term(4);
    let mut compared = 0;
    for _ in 0..3000 {
        let term = strategy.new_tree(&mut runner).expect("generator").current();
        let scalar = eval(&term, &[]);
        let column = quill_eval::eval_columns(&term, &[], &[], 3);
        match (&scalar, &column) {
            (Ok(v), Ok(c)) => {
                assert_eq!(*c, quill_eval::Column::splat(v, 3), "{term}");
                compared += 1;
            }
            (Ok(_), Err(e)) => assert!(contains_ite(&term), "{term}: column failed with {e}"),
            (Err(_), Ok(c)) => panic!("{term}: scalar evaluation failed but the column gave {c:?}"),
            (Err(_), Err(_)) => {}
        }
    }
    assert!(compared > 2000, "only {compared} terms compared");
}
