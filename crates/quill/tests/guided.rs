//! Solving with a learned guide, using a scripted guide in place of the model so that what the
//! facade does with guidance (proposals checked, candidates ranked, a distinguishing input found)
//! is tested without training anything.

use quill::{Config, Guide, TaskGuide};
use quill_lang::{Func, Op, ProdKind, Term};
use quill_search::Task;
use std::cell::Cell;
use std::time::Duration;

/// Two examples whose outputs are the first three characters: the smallest program takes three
/// characters, the intended one takes the first word.
const FIRST_WORD: &str = r#"
(set-logic SLIA)
(synth-fun f ((s String)) String
  ((S String) (I Int))
  ((S String (s " " (str.substr S I I)))
   (I Int (0 1 3 (str.indexof S S I)))))
(constraint (= (f "Ann Lee") "Ann"))
(constraint (= (f "Bob Day") "Bob"))
(check-synth)
"#;

/// Scores programs that use `str.indexof` above all others, proposes the first-word program, and
/// counts how often it was asked.
struct Scripted {
    proposal: Term,
    prepared: Cell<usize>,
    costs: bool,
}

struct ForTask<'a>(&'a Scripted, Task);

impl Guide for Scripted {
    fn prepare<'a>(&'a self, task: &Task) -> Option<Box<dyn TaskGuide + 'a>> {
        self.prepared.set(self.prepared.get() + 1);
        Some(Box::new(ForTask(self, task.clone())))
    }
}

fn uses_indexof(t: &Term) -> bool {
    match t {
        Term::App(Func::Builtin(Op::StrIndexOf), _) => true,
        Term::App(_, args) => args.iter().any(uses_indexof),
        _ => false,
    }
}

impl TaskGuide for ForTask<'_> {
    fn costs(&self) -> Option<Vec<Vec<u32>>> {
        // Size order, written out: shows that given costs reach the enumerator.
        self.0.costs.then(|| {
            self.1
                .grammar
                .nonterminals
                .iter()
                .map(|n| {
                    n.productions.iter().map(|p| u32::from(!matches!(p.kind, ProdKind::Chain))).collect()
                })
                .collect()
        })
    }

    fn propose(&mut self, _budget: Duration) -> Vec<Term> {
        vec![self.0.proposal.clone()]
    }

    fn score(&self, body: &Term) -> Option<f64> {
        Some(if uses_indexof(body) { -1.0 } else { -10.0 } - body.size() as f64 * 0.01)
    }
}

fn problem() -> quill::Problem {
    quill_sygus::parse(FIRST_WORD, "first_word.sl").expect("the test problem parses")
}

fn first_word(p: &quill::Problem) -> Term {
    let f = &p.synth_funs[0];
    let s = Term::Var(quill_lang::Var { index: 0, name: f.params[0].0.clone(), sort: f.params[0].1 });
    let lit = |v| Term::Lit(v);
    Term::app(
        Op::StrSubstr,
        vec![
            s.clone(),
            lit(quill_lang::Value::Int(0)),
            Term::app(
                Op::StrIndexOf,
                vec![s, lit(quill_lang::Value::str(" ")), lit(quill_lang::Value::Int(0))],
            ),
        ],
    )
}

fn config() -> Config {
    Config { timeout: Duration::from_secs(5), ..Config::default() }
}

#[test]
fn without_a_guide_the_smallest_program_wins() {
    let p = problem();
    let s = quill::solve(&p, &config(), None, None).unwrap();
    assert!(s.guidance.is_none());
    assert!(!uses_indexof(&s.answers[0][0].body), "{}", s.answers[0][0].body);
}

#[test]
fn a_fitting_proposal_that_the_guide_prefers_is_the_answer() {
    let p = problem();
    let guide = Scripted { proposal: first_word(&p), prepared: Cell::new(0), costs: true };
    let s = quill::solve_guided(&p, &config(), None, None, Some(&guide)).unwrap();
    assert_eq!(guide.prepared.get(), 1);
    assert_eq!(s.answers[0][0].body, first_word(&p));
    let g = s.guidance.expect("guidance is reported");
    assert!(g.guided_costs && g.from_proposal && g.reranked);
    assert_eq!((g.proposals, g.proposals_fit, g.candidates), (1, 1, 2));
    // The smallest program takes three characters; on a longer first word the two differ.
    let d = g.distinguishing.expect("the two candidates differ on a varied input");
    assert_ne!(d.first, d.second);
    assert_eq!(quill_eval::eval(&first_word(&p), &d.inputs).unwrap(), d.first);
}

#[test]
fn a_proposal_that_does_not_fit_is_never_an_answer() {
    let p = problem();
    let wrong = Term::Lit(quill_lang::Value::str("Ann"));
    let guide = Scripted { proposal: wrong.clone(), prepared: Cell::new(0), costs: false };
    let s = quill::solve_guided(&p, &config(), None, None, Some(&guide)).unwrap();
    let g = s.guidance.unwrap();
    assert_eq!((g.proposals, g.proposals_fit), (1, 0));
    assert!(!g.guided_costs && !g.from_proposal);
    assert!(s.answers.iter().all(|d| d[0].body != wrong));
    assert_eq!(s.stop, quill::StopReason::Solved);
}

#[test]
fn contradictory_examples_are_infeasible_without_asking_the_guide() {
    let text = FIRST_WORD.replace("(f \"Bob Day\") \"Bob\"", "(f \"Ann Lee\") \"Bob\"");
    let p = quill_sygus::parse(&text, "contra.sl").unwrap();
    let guide = Scripted { proposal: first_word(&p), prepared: Cell::new(0), costs: true };
    let s = quill::solve_guided(&p, &config(), None, None, Some(&guide)).unwrap();
    assert!(s.infeasible());
    assert_eq!(guide.prepared.get(), 0);
}
