//! CEGIS with a verifier that checks every point of a small domain exhaustively: a real (bounded)
//! verifier, so the loop's behaviour can be tested without an SMT solver.

use quill_eval::{eval_with, Context};
use quill_lang::{FunDef, Term, Value};
use quill_search::{cegis, Config, LogicalTask, Required, StopReason, Verdict, Verifier};

struct Exhaustive {
    task: LogicalTask,
    range: std::ops::RangeInclusive<i64>,
    calls: usize,
}

impl Exhaustive {
    fn points(&self) -> Vec<Vec<Value>> {
        let mut pts = vec![vec![]];
        for _ in &self.task.vars {
            pts = pts
                .into_iter()
                .flat_map(|p: Vec<Value>| {
                    self.range.clone().map(move |i| {
                        let mut q = p.clone();
                        q.push(Value::Int(i));
                        q
                    })
                })
                .collect();
        }
        pts
    }
}

impl Verifier for Exhaustive {
    /// The values within the range that meet the specification at the point (the function being
    /// constant there is enough: callers ask only about single-invocation points).
    fn required_output(&mut self, point: &[Value]) -> Required {
        let fits: Vec<i64> = self
            .range
            .clone()
            .filter(|v| {
                let def = FunDef {
                    name: "f".into(),
                    params: self.task.params.clone(),
                    ret: self.task.ret,
                    body: Term::Lit(Value::Int(*v)),
                };
                let defs = [&def];
                let ctx = Context { synth: &defs, holes: &[] };
                self.task.constraints.iter().all(|c| eval_with(c, point, &ctx) == Ok(Value::Bool(true)))
            })
            .collect();
        match fits.as_slice() {
            [] => Required::Infeasible,
            [one] => Required::Unique(Value::Int(*one)),
            _ if fits.len() == self.range.clone().count() => Required::Any,
            _ => Required::Unknown,
        }
    }

    fn verify(&mut self, candidate: &Term) -> Verdict {
        self.calls += 1;
        let def = FunDef {
            name: "f".into(),
            params: self.task.params.clone(),
            ret: self.task.ret,
            body: candidate.clone(),
        };
        let defs = [&def];
        let ctx = Context { synth: &defs, holes: &[] };
        for p in self.points() {
            for c in &self.task.constraints {
                if eval_with(c, &p, &ctx) != Ok(Value::Bool(true)) {
                    return Verdict::Counterexample(p);
                }
            }
        }
        Verdict::Verified
    }
}

fn task(text: &str) -> LogicalTask {
    let p = quill_sygus::parse(text, "test.sl").unwrap();
    let f = &p.synth_funs[0];
    LogicalTask {
        params: f.params.clone(),
        ret: f.ret,
        grammar: f.grammar.clone(),
        vars: p.declared_vars.clone(),
        constraints: p.constraints.iter().map(|c| c.term.clone()).collect(),
        grammar_given: f.grammar_given,
    }
}

fn multi_task(p: &quill_sygus::Problem) -> quill_search::MultiTask {
    quill_search::MultiTask {
        funcs: p
            .synth_funs
            .iter()
            .map(|f| quill_search::Signature {
                params: f.params.clone(),
                ret: f.ret,
                grammar: f.grammar.clone(),
            })
            .collect(),
        vars: p.declared_vars.clone(),
        constraints: p.constraints.iter().map(|c| c.term.clone()).collect(),
    }
}

const MAX2: &str = "(set-logic LIA)
(synth-fun f ((x Int) (y Int)) Int
  ((Start Int) (B Bool))
  ((Start Int (x y 0 1 (+ Start Start) (ite B Start Start)))
   (B Bool ((<= Start Start) (= Start Start)))))
(declare-var a Int) (declare-var b Int)
(constraint (>= (f a b) a))
(constraint (>= (f a b) b))
(constraint (or (= (f a b) a) (= (f a b) b)))
(check-synth)";

#[test]
fn cegis_finds_a_verified_maximum() {
    let t = task(MAX2);
    let mut v = Exhaustive { task: t.clone(), range: -4..=4, calls: 0 };
    let out = cegis(&t, &Config::default(), &mut v);
    assert_eq!(out.stop, StopReason::Solved);
    assert!(out.answers[0].to_string().contains("ite"), "{}", out.answers[0]);
    assert_eq!(v.verify(&out.answers[0]), Verdict::Verified);
    assert!(v.calls >= 2, "a first guess from one point cannot be the maximum");
}

#[test]
fn non_single_invocation_specifications_are_handled() {
    // f(a) and f(a + 1) in one constraint: the candidate is checked on both input tuples.
    let t = task(
        "(set-logic LIA)
(synth-fun f ((x Int)) Int ((Start Int)) ((Start Int (x 1 2 (+ Start Start)))))
(declare-var a Int)
(constraint (= (+ (f a) 2) (f (+ a 1))))
(constraint (= (f 0) 1))
(check-synth)",
    );
    let mut v = Exhaustive { task: t.clone(), range: -3..=3, calls: 0 };
    let out = cegis(&t, &Config::default(), &mut v);
    assert_eq!(out.stop, StopReason::Solved);
    assert_eq!(v.verify(&out.answers[0]), Verdict::Verified);
}

#[test]
fn an_unrealizable_grammar_ends_with_a_stop_reason() {
    let t = task(
        "(set-logic LIA)
(synth-fun f ((x Int)) Int ((Start Int)) ((Start Int (x 0))))
(declare-var a Int)
(constraint (= (f a) (+ a 1)))
(check-synth)",
    );
    let mut v = Exhaustive { task: t.clone(), range: -2..=2, calls: 0 };
    let out = cegis(&t, &Config { timeout: std::time::Duration::from_secs(5), ..Config::default() }, &mut v);
    assert_ne!(out.stop, StopReason::Solved);
    assert!(out.answers.is_empty());
}

#[test]
fn single_invocation_without_a_grammar_is_solved_by_guarded_terms() {
    let t = task(
        "(set-logic LIA)
(synth-fun f ((x Int) (y Int) (z Int)) Int)
(declare-var a Int) (declare-var b Int) (declare-var c Int)
(constraint (>= (f a b c) a))
(constraint (>= (f a b c) b))
(constraint (>= (f a b c) c))
(constraint (or (= (f a b c) a) (or (= (f a b c) b) (= (f a b c) c))))
(check-synth)",
    );
    let mut v = Exhaustive { task: t.clone(), range: -3..=3, calls: 0 };
    let out = cegis(&t, &Config::default(), &mut v);
    assert_eq!(out.stop, StopReason::Solved);
    let answer = out.answers[0].to_string();
    // Guards are the specification with the call replaced, tidied: no `(>= x x)` left in.
    assert!(answer.contains("(>= ") && !answer.contains("(>= x x)"), "{answer}");
    assert_eq!(v.verify(&out.answers[0]), Verdict::Verified);
}

#[test]
fn points_that_fix_the_output_become_examples() {
    // The grammar cannot express the specification as a guard (it has no `>=` or `or`), so the
    // guarded-term route is closed; every point fixes the maximum, so the points are examples and
    // the example-driven search unifies a conditional from them.
    let t = task(
        "(set-logic LIA)
(synth-fun f ((x Int) (y Int) (z Int)) Int
  ((Start Int) (B Bool))
  ((Start Int (x y z (ite B Start Start)))
   (B Bool ((<= Start Start)))))
(declare-var a Int) (declare-var b Int) (declare-var c Int)
(constraint (>= (f a b c) a))
(constraint (>= (f a b c) b))
(constraint (>= (f a b c) c))
(constraint (or (= (f a b c) a) (or (= (f a b c) b) (= (f a b c) c))))
(check-synth)",
    );
    let mut v = Exhaustive { task: t.clone(), range: -3..=3, calls: 0 };
    let out = cegis(&t, &Config::default(), &mut v);
    assert_eq!(out.stop, StopReason::Solved);
    assert_eq!(v.verify(&out.answers[0]), Verdict::Verified);
}

#[test]
fn a_point_no_output_can_meet_makes_the_task_infeasible() {
    let t = task(
        "(set-logic LIA)
(synth-fun f ((x Int)) Int ((Start Int)) ((Start Int (x 0 1 (+ Start Start)))))
(declare-var a Int)
(constraint (> (f a) a))
(constraint (< (f a) a))
(check-synth)",
    );
    let mut v = Exhaustive { task: t.clone(), range: -2..=2, calls: 0 };
    let out = cegis(&t, &Config::default(), &mut v);
    assert_eq!(out.stop, StopReason::Infeasible);
}

/// Checks several functions together over every point of a small domain.
struct ExhaustiveMulti {
    problem: quill_sygus::Problem,
    range: std::ops::RangeInclusive<i64>,
}

impl Verifier for ExhaustiveMulti {
    fn verify(&mut self, candidate: &Term) -> Verdict {
        self.verify_all(std::slice::from_ref(candidate))
    }

    fn verify_all(&mut self, candidates: &[Term]) -> Verdict {
        let defs: Vec<FunDef> = self
            .problem
            .synth_funs
            .iter()
            .zip(candidates)
            .map(|(f, b)| FunDef {
                name: f.name.clone(),
                params: f.params.clone(),
                ret: f.ret,
                body: b.clone(),
            })
            .collect();
        let refs: Vec<&FunDef> = defs.iter().collect();
        let ctx = Context { synth: &refs, holes: &[] };
        for a in self.range.clone() {
            for b in self.range.clone() {
                let p = [Value::Int(a), Value::Int(b)];
                if self
                    .problem
                    .constraints
                    .iter()
                    .any(|c| eval_with(&c.term, &p, &ctx) != Ok(Value::Bool(true)))
                {
                    return Verdict::Counterexample(p.to_vec());
                }
            }
        }
        Verdict::Verified
    }
}

#[test]
fn several_functions_are_synthesized_together() {
    let problem = quill_sygus::parse(
        "(set-logic LIA)
(synth-fun f ((x Int) (y Int)) Int ((Start Int)) ((Start Int (x y 1 (+ Start Start) (- Start Start)))))
(synth-fun g ((x Int) (y Int)) Int ((Start Int)) ((Start Int (x y 1 (+ Start Start) (- Start Start)))))
(declare-var a Int) (declare-var b Int)
(constraint (= (+ (f a b) (g b a)) (+ a (+ b b))))
(constraint (= (g a b) (- a 1)))
(check-synth)",
        "multi.sl",
    )
    .unwrap();
    let task = multi_task(&problem);
    let mut v = ExhaustiveMulti { problem, range: -3..=3 };
    let out = quill_search::cegis_multi(&task, &Config::default(), &mut v);
    assert_eq!(out.stop, StopReason::Solved);
    let answer = out.answer.expect("an answer");
    assert_eq!(v.verify_all(&answer), Verdict::Verified);
    // g(b, a) = b - 1, so f must make up a + b + 1.
    assert_eq!(answer.len(), 2);
}

#[test]
fn an_exhausted_finite_grammar_proves_the_task_unrealizable() {
    let finite = "(set-logic LIA)
(synth-fun f ((x Int)) Int ((Start Int) (D Int)) ((Start Int (x (+ D D))) (D Int (x))))
(declare-var a Int)
(constraint (= (f a) (+ a 1)))
(check-synth)";
    let t = task(finite);
    let mut v = Exhaustive { task: t.clone(), range: -2..=2, calls: 0 };
    assert_eq!(cegis(&t, &Config::default(), &mut v).stop, StopReason::Infeasible);
    // The same specification over a recursive grammar is only out of budget, not unrealizable.
    let recursive = finite.replace("(D Int (x))", "(D Int (x (+ D D)))");
    let t = task(&recursive);
    let mut v = Exhaustive { task: t.clone(), range: -2..=2, calls: 0 };
    let config = Config { timeout: std::time::Duration::from_millis(500), max_cost: 12, ..Config::default() };
    let stop = cegis(&t, &config, &mut v).stop;
    assert!(stop != StopReason::Infeasible && stop != StopReason::Solved, "{stop:?}");
}

#[test]
fn a_single_invocation_part_is_tried_before_the_whole_specification() {
    // `f(x, y) = f(y, x)` is not single-invocation, but the rest is, and its guarded answer (the
    // maximum) meets the symmetry too. The general search does not find it within this budget.
    let t = task(
        "(set-logic LIA)
(synth-fun f ((x Int) (y Int)) Int)
(declare-var x Int) (declare-var y Int)
(constraint (= (f x y) (f y x)))
(constraint (and (<= x (f x y)) (<= y (f x y))))
(check-synth)",
    );
    let mut v = Exhaustive { task: t.clone(), range: -3..=3, calls: 0 };
    let out = cegis(&t, &Config { timeout: std::time::Duration::from_secs(3), ..Config::default() }, &mut v);
    assert_eq!(out.stop, StopReason::Solved);
    let answer = out.answers[0].to_string();
    assert!(answer.starts_with("(ite"), "{answer}");
    assert_eq!(v.verify(&out.answers[0]), Verdict::Verified);
}

#[test]
fn nested_calls_are_checked_by_evaluating_the_whole_specification() {
    // `f(f(x)) = x` with no fixed point: `1 - x` (or another involution without one).
    let t = task(
        "(set-logic LIA)
(synth-fun f ((x Int)) Int)
(declare-var x Int)
(constraint (= (f (f x)) x))
(constraint (not (= (f x) x)))
(check-synth)",
    );
    let mut v = Exhaustive { task: t.clone(), range: -4..=4, calls: 0 };
    let out = cegis(&t, &Config { timeout: std::time::Duration::from_secs(10), ..Config::default() }, &mut v);
    assert_eq!(out.stop, StopReason::Solved, "{:?}", out.stop);
    assert_eq!(v.verify(&out.answers[0]), Verdict::Verified, "{}", out.answers[0]);
}

#[test]
fn several_functions_with_nested_calls_are_synthesized_together() {
    // g undoes f, and f moves every point: f(x) = x + 1, g(x) = x - 1 (or the like).
    let problem = quill_sygus::parse(
        "(set-logic LIA)
(synth-fun f ((x Int)) Int)
(synth-fun g ((x Int)) Int)
(declare-var a Int)
(constraint (= (g (f a)) a))
(constraint (not (= (f a) a)))
(check-synth)",
        "nested-multi.sl",
    )
    .unwrap();
    let task = multi_task(&problem);
    let mut v = ExhaustiveMulti { problem, range: -4..=4 };
    let config = Config { timeout: std::time::Duration::from_secs(10), ..Config::default() };
    let out = quill_search::cegis_multi(&task, &config, &mut v);
    assert_eq!(out.stop, StopReason::Solved, "{:?}", out.stop);
    let answer = out.answer.expect("an answer");
    assert_eq!(v.verify_all(&answer), Verdict::Verified);
}
