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
const FIRST_WORD: &str = include_str!("fixtures/first-word.sl");

/// Scores programs that take the first word of a longer name above all others (or its own proposal
/// above everything, with `prefer_proposal`), proposes one program, and counts how often it was
/// asked.
struct Scripted {
    proposal: Term,
    /// Proposed after `proposal`, and scored as any program.
    others: Vec<Term>,
    prepared: Cell<usize>,
    costs: bool,
    prefer_proposal: bool,
    size_first: bool,
}

fn scripted(proposal: Term, costs: bool) -> Scripted {
    Scripted {
        proposal,
        others: Vec::new(),
        prepared: Cell::new(0),
        costs,
        prefer_proposal: false,
        size_first: false,
    }
}

struct ForTask<'a>(&'a Scripted, Task);

impl Guide for Scripted {
    fn prepare<'a>(&'a self, task: &Task) -> Option<Box<dyn TaskGuide + 'a>> {
        self.prepared.set(self.prepared.get() + 1);
        Some(Box::new(ForTask(self, task.clone())))
    }
}

/// Whether the program generalizes: the first word of a name longer than the examples'.
fn takes_first_word(t: &Term) -> bool {
    let input = [quill_lang::Value::str("Christopher Robin")];
    quill_eval::eval(t, &input) == Ok(quill_lang::Value::str("Christopher"))
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
        std::iter::once(&self.0.proposal).chain(&self.0.others).cloned().collect()
    }

    fn size_first(&self) -> bool {
        self.0.size_first
    }

    fn score(&self, body: &Term) -> Option<f64> {
        if self.0.prefer_proposal && *body == self.0.proposal {
            return Some(0.0);
        }
        Some(if takes_first_word(body) { -1.0 } else { -10.0 } - body.size() as f64 * 0.01)
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
fn the_program_the_guide_prefers_is_the_answer() {
    let p = problem();
    let guide = scripted(first_word(&p), true);
    let s = quill::solve_guided(&p, &config(), None, None, Some(&guide)).unwrap();
    assert_eq!(guide.prepared.get(), 1);
    assert!(takes_first_word(&s.answers[0][0].body), "{}", s.answers[0][0].body);
    let g = s.guidance.expect("guidance is reported");
    assert!(g.guided_costs && g.reranked);
    assert_eq!((g.proposals, g.proposals_fit), (1, 1));
    assert!(g.candidates >= 2, "{}", g.candidates);
    // The smallest program takes three characters; on a longer first word the two differ.
    let d = g.distinguishing.expect("the two candidates differ on a varied input");
    assert_ne!(d.first, d.second);
    assert_eq!(quill_eval::eval(&s.answers[0][0].body, &d.inputs).unwrap(), d.first);
}

#[test]
fn programs_pruned_as_equivalent_reach_the_ranker() {
    // No useful proposal: the first-word program can only come from the search, which keeps the
    // offset `3` and prunes `(str.indexof s " " 0)` as equivalent on the examples; its variants
    // bring it back for the ranker.
    let p = problem();
    let guide = scripted(Term::Lit(quill_lang::Value::str("Ann")), false);
    let s = quill::solve_guided(&p, &config(), None, None, Some(&guide)).unwrap();
    assert!(takes_first_word(&s.answers[0][0].body), "{}", s.answers[0][0].body);
    let g = s.guidance.unwrap();
    assert!(g.reranked && !g.from_proposal);
}

#[test]
fn a_proposal_the_search_cannot_build_can_be_the_answer() {
    // `str.++` is not in the grammar, so only the guide can write this program.
    let p = problem();
    let s = first_word(&p);
    let Term::App(_, args) = &s else { unreachable!() };
    let var = args[0].clone();
    let padded = Term::app(Op::StrConcat, vec![var.clone(), Term::Lit(quill_lang::Value::str(" "))]);
    let cut =
        Term::app(Op::StrIndexOf, vec![padded, Term::Lit(quill_lang::Value::str(" ")), args[1].clone()]);
    let proposal = Term::app(Op::StrSubstr, vec![var, args[1].clone(), cut]);
    let guide = Scripted { prefer_proposal: true, ..scripted(proposal.clone(), true) };
    let s = quill::solve_guided(&p, &config(), None, None, Some(&guide)).unwrap();
    assert_eq!(s.answers[0][0].body, proposal);
    assert!(s.guidance.unwrap().from_proposal);
}

#[test]
fn a_proposal_that_does_not_fit_is_never_an_answer() {
    let p = problem();
    let wrong = Term::Lit(quill_lang::Value::str("Ann"));
    let guide = scripted(wrong.clone(), false);
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
    let guide = scripted(first_word(&p), true);
    let s = quill::solve_guided(&p, &config(), None, None, Some(&guide)).unwrap();
    assert!(s.infeasible());
    assert_eq!(guide.prepared.get(), 0);
}

#[test]
fn size_first_lets_the_guide_choose_only_among_the_smallest() {
    // The guide prefers the first word, but the offset program is smaller. The words are numbers,
    // which are never lengthened (see `transport`), so no carried example tells the two apart.
    let text = FIRST_WORD.replace("Ann Lee", "123 4567").replace("\"Ann\"", "\"123\"");
    let text = text.replace("Bob Day", "456 7890").replace("\"Bob\"", "\"456\"");
    let p = quill_sygus::parse(&text, "numbers.sl").unwrap();
    let guide = Scripted { size_first: true, ..scripted(first_word(&p), true) };
    let s = quill::solve_guided(&p, &config(), None, None, Some(&guide)).unwrap();
    let best = &s.answers[0][0].body;
    assert!(!uses_indexof(best), "{best}");
    assert!(s.guidance.unwrap().candidates >= 2);
}

#[test]
fn from_one_example_a_program_that_reads_its_input_beats_a_likelier_constant() {
    // One example; the guide proposes the output itself and scores it above everything: the
    // constant (also the smallest program) must still come after the programs that read the
    // input, with either rule.
    let text = FIRST_WORD.replace("(constraint (= (f \"Bob Day\") \"Bob\"))\n", "");
    let p = quill_sygus::parse(&text, "one.sl").unwrap();
    let constant = Term::Lit(quill_lang::Value::str("Ann"));
    for size_first in [false, true] {
        let guide = Scripted { size_first, prefer_proposal: true, ..scripted(constant.clone(), false) };
        let s = quill::solve_guided(&p, &config(), None, None, Some(&guide)).unwrap();
        assert_ne!(s.answers[0][0].body, constant, "size_first {size_first}");
        assert!(quill_search::ignores_inputs(&constant, &quill_search_examples(&p)));
    }
}

fn quill_search_examples(p: &quill::Problem) -> Vec<quill_search::Example> {
    p.examples()
        .unwrap()
        .into_iter()
        .map(|e| quill_search::Example { inputs: e.inputs, output: e.output })
        .collect()
}

/// A ranker that weighs one feature only.
fn ranker_on(feature: &str, weight: f64) -> quill::Ranker {
    let features: Vec<String> = quill::rank::FEATURES.iter().map(|s| s.to_string()).collect();
    let weights = features.iter().map(|f| if f == feature { weight } else { 0.0 }).collect();
    quill::Ranker { features, weights, note: String::new() }
}

/// `(str.substr s 0 3)`: fits the first-word examples by their words' length.
fn offset() -> Term {
    Term::app(
        Op::StrSubstr,
        vec![
            Term::Var(quill_lang::Var { index: 0, name: "s".into(), sort: quill_lang::Sort::String }),
            Term::Lit(quill_lang::Value::Int(0)),
            Term::Lit(quill_lang::Value::Int(3)),
        ],
    )
}

#[test]
fn a_program_that_maps_carried_examples_beats_a_likelier_offset() {
    // The guide prefers the offset program above everything. With a word of the examples
    // lengthened ("Annn Lee" should give "Annn"), the offset is wrong and the first-word program
    // right, so the first-word program comes first with either rule.
    let p = problem();
    for size_first in [false, true] {
        let guide = Scripted { prefer_proposal: true, size_first, ..scripted(offset(), false) };
        let s = quill::solve_guided(&p, &config(), None, None, Some(&guide)).unwrap();
        assert!(takes_first_word(&s.answers[0][0].body), "size_first {size_first}: {}", s.answers[0][0].body);
    }
}

#[test]
fn a_learned_ranker_overrules_the_likelihood() {
    // The guide prefers the offset program (it scores everything but its proposal low and the
    // proposal is the constant-offset one); a ranker that penalizes integer literals other than 0
    // and 1 puts the first-word program first, and one that rewards them puts the offset first.
    let p = problem();
    let offset = offset();
    let guide = Scripted { prefer_proposal: true, ..scripted(offset.clone(), false) };
    let against = ranker_on("int_literals", -1.0);
    let s = quill::solve_ranked(&p, &config(), None, None, Some(&guide), Some(&against)).unwrap();
    assert!(takes_first_word(&s.answers[0][0].body), "{}", s.answers[0][0].body);
    let towards = ranker_on("int_literals", 1.0);
    let s = quill::solve_ranked(&p, &config(), None, None, Some(&guide), Some(&towards)).unwrap();
    assert!(!takes_first_word(&s.answers[0][0].body), "{}", s.answers[0][0].body);
}

#[test]
fn the_candidate_pool_labels_every_program_that_fits() {
    let p = problem();
    let guide = scripted(first_word(&p), true);
    let f = &p.synth_funs[0];
    let task = Task {
        params: f.params.clone(),
        ret: f.ret,
        grammar: f.grammar.clone(),
        examples: quill_search_examples(&p),
        sketch: None,
    };
    let pool = quill::candidate_pool(&task, &config(), &guide).expect("the guide reads the task");
    assert!(pool.len() >= 2);
    assert!(pool.iter().all(|(t, _)| task.examples.iter().all(|e| quill_search::fits(t, e))));
    // Likelihood features are relative to the pool's best, which has 0.
    assert!(pool.iter().all(|(_, f)| f[0] <= 0.0) && pool.iter().any(|(_, f)| f[0] == 0.0));
    assert!(pool.iter().any(|(t, _)| takes_first_word(t)) && pool.iter().any(|(t, _)| !takes_first_word(t)));
}

#[test]
fn a_day_read_as_a_number_beats_likelier_copied_digits() {
    // "31-Jan-2031" → "31": copying two characters fits, and the guide prefers it; but on a day
    // written with a leading zero it gives "03" where no example pads, so the program that reads
    // the day as a number comes first.
    let p = quill_sygus::parse(include_str!("fixtures/day-of-date.sl"), "day-of-date.sl").unwrap();
    let s = Term::Var(quill_lang::Var { index: 0, name: "s".into(), sort: quill_lang::Sort::String });
    let copy = Term::app(
        Op::StrSubstr,
        vec![s, Term::Lit(quill_lang::Value::Int(0)), Term::Lit(quill_lang::Value::Int(2))],
    );
    let guide = Scripted { prefer_proposal: true, ..scripted(copy.clone(), false) };
    let got = quill::solve_guided(&p, &config(), None, None, Some(&guide)).unwrap();
    let best = &got.answers[0][0].body;
    assert_ne!(*best, copy);
    let day = quill_eval::eval(best, &[quill_lang::Value::str("03-Mar-2024")]);
    assert_eq!(day, Ok(quill_lang::Value::str("3")), "{best}");
}

#[test]
fn a_step_of_one_or_less_loses_to_the_plain_program() {
    // Every example is a multiple of 3, so rounding down to a step of -3 fits by accident; the
    // guide prefers it, and the plain program must still come first.
    let p = quill_sygus::parse(include_str!("fixtures/minutes.sl"), "minutes.sl").unwrap();
    let floor_to = p.defined.iter().find(|d| &*d.name == "floor_to").expect("the helper is defined").clone();
    let x = Term::Var(quill_lang::Var { index: 0, name: "x".into(), sort: quill_lang::Sort::Int });
    let misused = Term::App(Func::Defined(floor_to), vec![x.clone(), Term::Lit(quill_lang::Value::Int(-3))]);
    let guide = Scripted { prefer_proposal: true, ..scripted(misused, false) };
    let got = quill::solve_guided(&p, &config(), None, None, Some(&guide)).unwrap();
    assert_eq!(got.answers[0][0].body, x);
}

/// A problem file as `quill bench` writes it for a PROSE task (helpers, grammar, three examples),
/// and the offered helper `name` applied to its input and the integer `k`.
fn bench_file_and_helper(text: &str, file: &str, name: &str, k: i64) -> (quill::Problem, Term) {
    let p = quill_sygus::parse(text, file).unwrap();
    let def =
        p.defined.iter().find(|d| &*d.name == name).unwrap_or_else(|| panic!("{name} is offered")).clone();
    let x = Term::Var(quill_lang::Var { index: 0, name: "_arg_0".into(), sort: quill_lang::Sort::String });
    (p, Term::App(Func::Defined(def), vec![x, Term::Lit(quill_lang::Value::Int(k))]))
}

#[test]
fn a_number_that_keeps_its_sign_beats_a_likelier_one_that_drops_it() {
    // "31.7" → "31": the first run of digits fits, and the guide prefers it; but it turns "-7.8"
    // into "7", so a program that keeps the sign comes first.
    let (p, first_run) =
        bench_file_and_helper(include_str!("fixtures/whole-part.sl"), "whole-part.sl", "num_at", 0);
    let guide = Scripted { prefer_proposal: true, ..scripted(first_run.clone(), false) };
    let got = quill::solve_guided(&p, &config(), None, None, Some(&guide)).unwrap();
    let best = &got.answers[0][0].body;
    assert_ne!(*best, first_run);
    assert_eq!(
        quill_eval::eval(best, &[quill_lang::Value::str("-7.8")]),
        Ok(quill_lang::Value::str("-7")),
        "{best}"
    );
}

#[test]
fn a_year_read_from_the_date_beats_a_likelier_first_number() {
    // "1999--3--14" → "1999": the first run of digits fits, and the guide prefers it; but a date
    // written "Mar 14, 1999" starts with another number, so the year read from the date comes
    // first. The calendar helpers are offered because every output is a part of its date.
    let (p, first_run) =
        bench_file_and_helper(include_str!("fixtures/year-of-date.sl"), "year-of-date.sl", "num_at", 0);
    let guide = Scripted { prefer_proposal: true, ..scripted(first_run.clone(), false) };
    let got = quill::solve_guided(&p, &config(), None, None, Some(&guide)).unwrap();
    let best = &got.answers[0][0].body;
    assert_ne!(*best, first_run);
    for date in ["6/30/2220", "22 Apr 1953"] {
        let year = quill_eval::eval(best, &[quill_lang::Value::str(date)]);
        assert_eq!(year, Ok(quill_lang::Value::str(&date[date.len() - 4..])), "{best}");
    }
}

#[test]
fn a_slot_of_the_examples_length_beats_a_likelier_empty_one() {
    // "3:17:45" → "3:00-4:00": the hour rounded down and up fits, and the guide prefers it; but a
    // time on the hour gives the empty slot "6:00-6:00", where the examples' slots last an hour,
    // so the slot that ends where the next begins comes first.
    let p = quill_sygus::parse(include_str!("fixtures/hour-slot.sl"), "hour-slot.sl").unwrap();
    let def = |name: &str| {
        Func::Defined(p.defined.iter().find(|d| &*d.name == name).unwrap_or_else(|| panic!("{name}")).clone())
    };
    let x = Term::Var(quill_lang::Var { index: 0, name: "_arg_0".into(), sort: quill_lang::Sort::String });
    let minutes = Term::App(def("time_minutes"), vec![x]);
    let hour = Term::Lit(quill_lang::Value::Int(60));
    let clock =
        |f: &str| Term::App(def("clock_24"), vec![Term::App(def(f), vec![minutes.clone(), hour.clone()])]);
    let dash = Term::Lit(quill_lang::Value::str("-"));
    let slot = |end: &str| {
        Term::app(
            Op::StrConcat,
            vec![clock("floor_to"), Term::app(Op::StrConcat, vec![dash.clone(), clock(end)])],
        )
    };
    let (rounded, next) = (slot("ceil_to"), slot("slot_next"));
    // The guide proposes both and prefers the rounded one.
    let guide =
        Scripted { prefer_proposal: true, others: vec![next.clone()], ..scripted(rounded.clone(), false) };
    let got = quill::solve_guided(&p, &config(), None, None, Some(&guide)).unwrap();
    let best = &got.answers[0][0].body;
    assert!(*best == next, "the empty slot came first");
    let slot = quill_eval::eval(best, &[quill_lang::Value::str("6:00:00")]);
    assert_eq!(slot, Ok(quill_lang::Value::str("6:00-7:00")), "{best}");
}
