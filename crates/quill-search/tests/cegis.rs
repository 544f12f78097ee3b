//! CEGIS with a verifier that checks every point of a small domain exhaustively: a real (bounded)
//! verifier, so the loop's behaviour can be tested without an SMT solver.

use quill_eval::{eval_with, Context};
use quill_lang::{FunDef, Term, Value};
use quill_search::{cegis, Config, LogicalTask, StopReason, Verdict, Verifier};

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
