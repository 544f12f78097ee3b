//! Rejecting candidates by evaluation before any solver call.
//!
//! Most candidates a search proposes are wrong on some simple input, and evaluating the
//! constraints on a hundred inputs costs microseconds where a solver call costs milliseconds. The
//! inputs are boundary values of each sort (where off-by-one and sign errors show), the problem's
//! own literals and their neighbours (the thresholds a specification is written around), seeded
//! random values, and every counterexample added later, which tends to refute the next candidates
//! too. A point that has just rejected a candidate moves to the front, so the points that
//! discriminate best are tried first.

use crate::{fits, order_candidates, signatures, Signature, Stats};
use quill_eval::{eval_with, Context};
use quill_lang::value::bv_mask;
use quill_lang::{FunDef, Sort, Term, Value};
use quill_sygus::Problem;
use rustc_hash::FxHashSet;
use std::time::Instant;

/// How many boundary combinations and random points a new pre-check makes.
const BOUNDARY_POINTS: usize = 24;
const RANDOM_POINTS: usize = 64;
/// The most points kept; the least recently useful go first.
const MAX_POINTS: usize = 512;

/// A cache of inputs for the declared variables, on which candidates are evaluated.
pub struct PreCheck {
    sorts: Vec<Sort>,
    constraints: Vec<Term>,
    synth: Vec<Signature>,
    points: Vec<Vec<Value>>,
    stats: Stats,
}

impl PreCheck {
    /// Builds the initial points for the problem's declared variables; `seed` fixes the random
    /// ones, so that a run can be reproduced.
    pub fn new(problem: &Problem, seed: u64) -> Self {
        let sorts: Vec<Sort> = problem.declared_vars.iter().map(|v| v.1).collect();
        let mut lits = Vec::new();
        for c in &problem.constraints {
            literals(&c.term, &mut lits);
        }
        for d in &problem.defined {
            literals(&d.body, &mut lits);
        }
        let edges: Vec<Vec<Value>> = sorts.iter().map(|s| boundary(*s, &lits)).collect();
        let mut rng = Rng(seed);
        let mut points = Vec::new();
        let mut seen = FxHashSet::default();
        let mut push = |p: Vec<Value>| {
            if seen.insert(p.clone()) {
                points.push(p);
            }
        };
        // The same boundary index for every variable (x = y cases), then shifted by the variable's
        // position (x != y cases).
        let longest = edges.iter().map(Vec::len).max().unwrap_or(1).min(BOUNDARY_POINTS);
        for k in 0..longest {
            push(edges.iter().map(|e| e[k % e.len()].clone()).collect());
            push(edges.iter().enumerate().map(|(j, e)| e[(k + j) % e.len()].clone()).collect());
        }
        let alphabet = alphabet(&lits);
        for _ in 0..RANDOM_POINTS {
            let p = sorts
                .iter()
                .zip(&edges)
                .map(|(s, e)| {
                    if rng.below(4) == 0 {
                        e[rng.below(e.len() as u64) as usize].clone()
                    } else {
                        random(*s, &mut rng, &alphabet)
                    }
                })
                .collect();
            push(p);
        }
        PreCheck {
            sorts,
            constraints: problem.constraints.iter().map(|c| c.term.clone()).collect(),
            synth: signatures(problem),
            points,
            stats: Stats::default(),
        }
    }

    /// The points, most useful first.
    pub fn points(&self) -> &[Vec<Value>] {
        &self.points
    }

    /// The pre-check's calls, rejections and time.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Adds a point (a counterexample from the solver) at the front; `false` when it does not
    /// have one value of each declared variable's sort.
    pub fn add_point(&mut self, point: Vec<Value>) -> bool {
        if !fits(&self.sorts, &point) {
            return false;
        }
        match self.points.iter().position(|p| *p == point) {
            Some(i) => self.points[..=i].rotate_right(1),
            None => {
                self.points.insert(0, point);
                self.points.truncate(MAX_POINTS);
            }
        }
        true
    }

    /// A point where the evaluator finds a constraint false for these candidates, if any. Points
    /// where a constraint cannot be evaluated (division by zero, overflow) prove nothing for that
    /// constraint and are passed over. Candidates that do not fit the problem are not rejected here:
    /// the verifier reports what is wrong with them.
    pub fn check(&mut self, candidates: &[FunDef]) -> Option<Vec<Value>> {
        let start = Instant::now();
        let found = self.find_failure(candidates);
        self.stats.precheck_calls += 1;
        self.stats.precheck_rejections += u64::from(found.is_some());
        self.stats.precheck_time += start.elapsed();
        found
    }

    /// Up to `max` cached points where a constraint is false for these candidates, in cache order
    /// (most recently useful first). CEGIS adds them beside a counterexample so that a round
    /// learns from several inputs at once.
    pub fn failures(&self, candidates: &[FunDef], max: usize) -> Vec<Vec<Value>> {
        let Ok(ordered) = order_candidates(&self.synth, candidates) else { return Vec::new() };
        let ctx = Context { synth: &ordered, holes: &[] };
        let fails = |p: &[Value]| {
            self.constraints.iter().any(|c| matches!(eval_with(c, p, &ctx), Ok(Value::Bool(false))))
        };
        self.points.iter().filter(|p| fails(p)).take(max).cloned().collect()
    }

    fn find_failure(&mut self, candidates: &[FunDef]) -> Option<Vec<Value>> {
        let ordered = order_candidates(&self.synth, candidates).ok()?;
        let ctx = Context { synth: &ordered, holes: &[] };
        let fails = |p: &[Value]| {
            self.constraints.iter().any(|c| matches!(eval_with(c, p, &ctx), Ok(Value::Bool(false))))
        };
        let i = self.points.iter().position(|p| fails(p))?;
        self.points[..=i].rotate_right(1);
        Some(self.points[0].clone())
    }
}

/// Collects the literals of a term.
fn literals(t: &Term, out: &mut Vec<Value>) {
    match t {
        Term::Lit(v) => out.push(v.clone()),
        Term::App(_, args) => args.iter().for_each(|a| literals(a, out)),
        _ => {}
    }
}

/// Boundary values of a sort, followed by the literals of that sort and their neighbours, without
/// repetitions. Integers stay far from the 64-bit limits, where candidates would overflow in the
/// evaluator (which proves nothing) rather than show their mistakes.
fn boundary(sort: Sort, lits: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = match sort {
        Sort::Bool => vec![Value::Bool(false), Value::Bool(true)],
        Sort::Int => [0, 1, -1, 2, -2, 3, 5, 10, -10, 100, -100, 1000].map(Value::Int).to_vec(),
        Sort::String => ["", "a", "b", "ab", "ba", "aa", "abc", " ", "0", "1", "12", "-1", "A", "a b", "."]
            .map(Value::str)
            .to_vec(),
        Sort::BitVec(w) => {
            let (mask, sign) = (bv_mask(w), 1u64 << w.saturating_sub(1).min(63));
            [
                0,
                1,
                mask,
                sign,
                sign.wrapping_sub(1),
                2,
                mask.wrapping_sub(1),
                0x5555_5555_5555_5555,
                0xaaaa_aaaa_aaaa_aaaa,
            ]
            .map(|b| Value::bv(w, b))
            .to_vec()
        }
    };
    for l in lits.iter().filter(|l| l.sort() == sort) {
        match l {
            Value::Int(i) if i.unsigned_abs() < 1 << 40 => out.extend([*i, i - 1, i + 1].map(Value::Int)),
            Value::BitVec { width, bits } => {
                out.extend([0, 1, u64::MAX].map(|d| Value::bv(*width, bits.wrapping_add(d))))
            }
            Value::Int(_) => {}
            other => out.push(other.clone()),
        }
    }
    let mut seen = FxHashSet::default();
    out.retain(|v| seen.insert(v.clone()));
    out
}

/// The characters random strings are made of: a few letters, digits and separators, and every
/// character of the problem's string literals.
fn alphabet(lits: &[Value]) -> Vec<char> {
    let mut out: Vec<char> = "abAB01 -.".chars().collect();
    for l in lits {
        if let Value::Str(s) = l {
            out.extend(s.chars().iter().copied().filter(|c| !out.contains(c)).collect::<Vec<_>>());
        }
    }
    out
}

fn random(sort: Sort, rng: &mut Rng, alphabet: &[char]) -> Value {
    match sort {
        Sort::Bool => Value::Bool(rng.below(2) == 1),
        Sort::Int => {
            let scale = [10, 100, 10_000, 1 << 20][rng.below(4) as usize];
            Value::Int(rng.below(2 * scale + 1) as i64 - scale as i64)
        }
        Sort::String => {
            let len = rng.below(7) as usize;
            let chars: Vec<char> =
                (0..len).map(|_| alphabet[rng.below(alphabet.len() as u64) as usize]).collect();
            Value::Str(chars.into())
        }
        Sort::BitVec(w) => {
            let bits = match rng.below(4) {
                0 => rng.below(16),
                1 => bv_mask(w).wrapping_sub(rng.below(16)),
                _ => rng.next(),
            };
            Value::bv(w, bits)
        }
    }
}

/// SplitMix64: a small, fast generator whose sequence is fixed by its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (which must be positive).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}
