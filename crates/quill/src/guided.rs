//! Example-based solving with a learned guide: the model prices the grammar's productions for the
//! enumerator, proposes whole programs of its own, and ranks every program that fits the examples,
//! so that the answer is the likely program rather than merely the smallest.

use crate::judge::Judge;
use crate::rank::{self, Facts, Features, Ranker};
use crate::transport;
use crate::unlabeled;
use crate::StopReason;
use quill_lang::{Term, Value};
use quill_search::{Config, Guide, Outcome, Task};
use std::time::{Duration, Instant};

/// What the guide did for one task; part of [`Solution`] when a guide was given.
#[derive(Clone, Debug, Default)]
pub struct Guidance {
    /// Wall-clock time spent in the model (encoding, costs, proposals, scoring).
    pub model_time: Duration,
    /// Whether the enumerator ran with the model's production costs.
    pub guided_costs: bool,
    /// Programs the model proposed, and how many of them fit every example.
    pub proposals: usize,
    pub proposals_fit: usize,
    /// Distinct programs that fit the examples and were ranked.
    pub candidates: usize,
    /// Whether the first answer is one of the model's proposals that the search did not find.
    pub from_proposal: bool,
    /// Whether a further search ran on the examples with carried ones, because no program found
    /// mapped them all.
    pub carried_search: bool,
    /// Whether ranking changed which answer comes first.
    pub reranked: bool,
    /// The guide's score (log-likelihood) of each answer returned, in order; `None` for a program
    /// it could not score.
    pub scores: Vec<Option<f64>>,
    /// An input (one of the task's unlabeled inputs, else one varied from the examples) on which
    /// the best candidate and the next best that behaves differently disagree.
    pub distinguishing: Option<Distinguishing>,
}

/// An input on which two programs that fit the examples give different outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Distinguishing {
    pub inputs: Vec<Value>,
    /// The outputs of the first and the second ranked candidate.
    pub first: Value,
    pub second: Value,
}

/// Proposals may take at most this share of the time budget (a tenth).
const PROPOSAL_SHARE: u32 = 10;

/// Once some program fits (a proposal, or the guided search's answer), a further search gets at
/// most this share of the time left: it usually finishes in a fraction of a second and gives
/// ranking an alternative, but must not spend the budget on a solved task.
const SEARCH_SHARE_AFTER_FIT: u32 = 4;

/// How many fitting programs each search collects for the ranker, and for how long after its
/// first answer (as a multiple of the time that took): the smallest program that fits a few
/// examples is often an overfit (offsets instead of separators), and the model can only prefer
/// the general one if the search hands it over.
const RANK_POOL: usize = 16;
const COLLECT_RATIO: f64 = 1.0;

/// How many programs that behave like the answers on the examples, but were pruned from the
/// search as equivalent to cheaper ones, each search also hands to the ranker.
const RANK_VARIANTS: usize = 96;

/// `config` widened to collect the pool a ranking chooses from (see [`RANK_POOL`] and
/// [`RANK_VARIANTS`]); the ordering by unlabeled inputs uses it too.
pub(crate) fn pool_config(config: &Config) -> Config {
    Config {
        top_k: config.top_k.max(RANK_POOL),
        collect_ratio: Some(config.collect_ratio.unwrap_or(COLLECT_RATIO)),
        variants: config.variants.max(RANK_VARIANTS),
        ..config.clone()
    }
}

/// The search on the examples with the carried ones (see [`transport::search`]) gets at most this
/// share of the time left (a half): it often finds nothing, when the carried guesses are wrong for
/// the task, and the programs already found must come back well within the budget.
const CARRIED_SEARCH_SHARE: u32 = 2;

/// How many of the next-ranked candidates are tried for a distinguishing input.
const DISTINGUISH_AMONG: usize = 8;

/// A program that fits the examples, as the ranker sees it.
struct Candidate {
    term: Term,
    /// The guide's own score, reported in [`Guidance::scores`].
    score: Option<f64>,
    /// Whether it came from the guide's proposals rather than the search.
    proposed: bool,
    /// Ranked by first: the rules of [`Judge::rules`] (ignores its inputs; memorizes the
    /// examples, misuses a step or holds the one output; unlabeled inputs it breaks on; inputs
    /// varied with a leading zero it breaks on; share of carried examples missed in thousandths),
    /// then size or 0.
    rank: (bool, bool, u32, u32, u32, usize),
    /// Then by this, highest first: the score, or its estimate (see [`impute`]), or the learned
    /// ranker's score.
    key: f64,
    features: Features,
}

/// Solves an example-based task with the guide's help; without a guide's preparation (a task the
/// model cannot read) it is the plain search. With a `ranker`, its learned score orders the
/// programs that fit; without one, the guide's likelihood does (or size first, when it asks).
/// Either way, programs that break on fewer of the task's `unlabeled` inputs come first.
pub(crate) fn solve(
    task: &Task,
    config: &Config,
    guide: &dyn Guide,
    ranker: Option<&Ranker>,
    unlabeled: &[Vec<Value>],
) -> (Outcome, Option<Guidance>) {
    let started = Instant::now();
    let Some(Gathered { mut g, mut cands, stop, mut stats, size_first }) = gather(task, config, guide) else {
        return (unlabeled::search(task, config, unlabeled), None);
    };
    let ordering = Instant::now();
    // From a single example, programs that ignore their inputs come last, as in the search; then
    // lookup tables, misused steps and the one output held as a literal; then those that break
    // on more unlabeled inputs, then on more inputs varied with a leading zero (see `digits`);
    // then those that map fewer of the carried examples (see `transport`) as a copying program
    // would; then, when the guide asks for it, smaller programs first; then the (estimated)
    // score. A learned ranker weighs all of these itself, except the unlabeled and varied inputs,
    // which it was not fitted on.
    let judge = Judge::new(task, unlabeled);
    for c in &mut cands {
        let (ignores, table, broken, off, missed) = judge.rules(&c.term, &c.features);
        match ranker {
            Some(r) => {
                c.rank = (false, false, broken, off, 0, 0);
                c.key = r.score(&c.features);
            }
            None => {
                c.rank = (ignores, table, broken, off, missed, if size_first { c.term.size() } else { 0 });
            }
        }
    }
    // A stable sort keeps the search's order among programs ranked alike.
    let first_before = cands.first().map(|c| c.term.clone());
    cands.sort_by(|a, b| a.rank.cmp(&b.rank).then(b.key.total_cmp(&a.key)));
    g.model_time += ordering.elapsed();
    g.candidates = cands.len();
    g.reranked = cands.first().map(|c| &c.term) != first_before.as_ref();
    g.from_proposal = cands.first().is_some_and(|c| c.proposed);
    // Candidates behind the first may be the same function written differently (variants): the
    // note is about the best one that is not. The user's own inputs are tried before varied ones.
    if let Some((a, rest)) = cands.split_first() {
        let varied: Vec<Vec<Value>> =
            unlabeled.iter().cloned().chain(rank::varied_inputs(&task.examples)).collect();
        g.distinguishing =
            rest.iter().take(DISTINGUISH_AMONG).find_map(|b| distinguish(&a.term, &b.term, &varied));
    }
    let stop = if cands.is_empty() { stop } else { StopReason::Solved };
    stats.elapsed = started.elapsed();
    let (answers, scores) = cands.into_iter().take(config.top_k.max(1)).map(|c| (c.term, c.score)).unzip();
    g.scores = scores;
    (Outcome { answers, stop, stats }, Some(g))
}

/// Every program that fits the examples, as the guided solver gathers them for ranking (the
/// search's answers, then the guide's proposals), each with its ranking features; `None` when the
/// guide cannot read the task. This is what `quill rank gather` labels to fit a [`Ranker`].
pub fn candidate_pool(task: &Task, config: &Config, guide: &dyn Guide) -> Option<Vec<(Term, Features)>> {
    let got = gather(task, config, guide)?;
    Some(got.cands.into_iter().map(|c| (c.term, c.features)).collect())
}

/// What [`gather`] hands to the ranking.
struct Gathered {
    g: Guidance,
    cands: Vec<Candidate>,
    stop: StopReason,
    stats: quill_search::Stats,
    size_first: bool,
}

/// Runs the guide's proposals and the searches, and scores every program that fits.
fn gather(task: &Task, config: &Config, guide: &dyn Guide) -> Option<Gathered> {
    let started = Instant::now();
    let mut g = Guidance::default();
    // Contradictory examples need no model: the plain search says `infeasible` at once.
    if quill_search::contradictory(&task.examples) {
        return None;
    }
    let mut prepared = guide.prepare(task)?;
    let costs = prepared.costs();
    let proposals = prepared.propose(config.timeout / PROPOSAL_SHARE);
    g.model_time = started.elapsed();
    g.proposals = proposals.len();
    let mut fit: Vec<Term> = Vec::new();
    for p in proposals {
        if !fit.contains(&p) && task.examples.iter().all(|e| quill_search::fits(&p, e)) {
            fit.push(p);
        }
    }
    g.proposals_fit = fit.len();

    let left = config.timeout.saturating_sub(started.elapsed());
    let timeout = if settled(&fit) { left / SEARCH_SHARE_AFTER_FIT } else { left };
    g.guided_costs = costs.is_some();
    let pool = &pool_config(config);
    let out = match costs.clone() {
        // The guided order gets half the time, the size order the rest: a model that misprices a
        // task then costs at most half the budget, and when both orders find an answer, ranking
        // chooses between two genuinely different programs.
        Some(costs) => {
            let guided = Config { timeout: timeout / 2, costs: Some(costs), ..pool.clone() };
            let first = quill_search::synthesize(task, &guided);
            let left = timeout.saturating_sub(first.stats.elapsed);
            let rest = if settled(&first.answers) { left / SEARCH_SHARE_AFTER_FIT } else { left };
            let second = quill_search::synthesize(task, &Config { timeout: rest, ..pool.clone() });
            merge(first, second)
        }
        None => quill_search::synthesize(task, &Config { timeout, ..pool.clone() }),
    };

    let (mut bodies, mut from_model): (Vec<Term>, Vec<bool>) = (Vec::new(), Vec::new());
    for (t, proposed) in out.answers.into_iter().map(|t| (t, false)).chain(fit.into_iter().map(|t| (t, true)))
    {
        if !bodies.contains(&t) {
            bodies.push(t);
            from_model.push(proposed);
        }
    }
    let mut out_stats = out.stats;
    let carried = transport::carried(&task.examples);
    if !bodies.is_empty() {
        let left = config.timeout.saturating_sub(started.elapsed()) / CARRIED_SEARCH_SHARE;
        if let Some(more) =
            transport::search(task, &carried, &bodies, &Config { timeout: left, costs, ..pool.clone() })
        {
            g.carried_search = true;
            for t in more.answers {
                if !bodies.contains(&t) {
                    bodies.push(t);
                    from_model.push(false);
                }
            }
            out_stats.candidates += more.stats.candidates;
            out_stats.kept += more.stats.kept;
            out_stats.elapsed += more.stats.elapsed;
        }
    }

    let scoring = Instant::now();
    let scores = prepared.score_many(&bodies);
    let estimated = impute(&bodies, &scores);
    let facts: Vec<Facts> = scores
        .iter()
        .zip(&estimated)
        .zip(&from_model)
        .map(|((s, e), &proposed)| Facts {
            key: e.unwrap_or(f64::NEG_INFINITY),
            unscored: s.is_none(),
            proposed,
        })
        .collect();
    let features = rank::features(&bodies, &facts, &task.examples, &carried);
    let cands = bodies
        .into_iter()
        .zip(scores)
        .zip(facts)
        .zip(features)
        .map(|(((term, score), f), features)| Candidate {
            term,
            score,
            proposed: f.proposed,
            rank: (false, false, 0, 0, 0, 0),
            key: f.key,
            features,
        })
        .collect();
    g.model_time += scoring.elapsed();
    Some(Gathered { g, cands, stop: out.stop, stats: out_stats, size_first: prepared.size_first() })
}

/// Whether some program of `answers` computes its outputs rather than looking them up (see
/// [`quill_search::memorizes`]): only then is a further search cut short, since a lookup table
/// alone is an answer that rarely generalizes and the budget is better spent looking past it.
fn settled(answers: &[Term]) -> bool {
    answers.iter().any(|t| !quill_search::memorizes(t))
}

/// The answers of two searches (the first's first), with the better stop reason and summed work.
fn merge(a: Outcome, b: Outcome) -> Outcome {
    let mut answers = a.answers;
    for t in b.answers {
        if !answers.contains(&t) {
            answers.push(t);
        }
    }
    let stop = if answers.is_empty() { b.stop } else { StopReason::Solved };
    let mut stats = a.stats;
    stats.candidates += b.stats.candidates;
    stats.kept += b.stats.kept;
    stats.cost_reached = stats.cost_reached.max(b.stats.cost_reached);
    stats.bank_bytes = stats.bank_bytes.max(b.stats.bank_bytes);
    stats.elapsed += b.stats.elapsed;
    Outcome { answers, stop, stats }
}

/// The first input of `varied` (see [`rank::varied_inputs`]) on which `a` and `b` both evaluate
/// and differ.
fn distinguish(a: &Term, b: &Term, varied: &[Vec<Value>]) -> Option<Distinguishing> {
    varied.iter().find_map(|inputs| match (quill_eval::eval(a, inputs), quill_eval::eval(b, inputs)) {
        (Ok(x), Ok(y)) if x != y => Some(Distinguishing { inputs: inputs.clone(), first: x, second: y }),
        _ => None,
    })
}

/// Estimates the scores the model could not give (programs using a helper function or an operator
/// outside its vocabulary) as the scored programs' mean log-likelihood per node times the
/// program's size, so that such a program competes on its size instead of always ranking last.
/// Without any scored program nothing is estimated.
fn impute(bodies: &[Term], scores: &[Option<f64>]) -> Vec<Option<f64>> {
    let scored: Vec<f64> =
        bodies.iter().zip(scores).filter_map(|(t, s)| s.map(|s| s / t.size() as f64)).collect();
    if scored.is_empty() {
        return scores.to_vec();
    }
    let per_node = scored.iter().sum::<f64>() / scored.len() as f64;
    bodies.iter().zip(scores).map(|(t, s)| s.or(Some(per_node * t.size() as f64))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quill_lang::Value;

    #[test]
    fn the_feature_indices_name_their_features() {
        assert_eq!(rank::FEATURES[rank::LOGLIK_REL], "loglik_rel");
        assert_eq!(rank::FEATURES[rank::SIZE_REL], "size_rel");
        assert_eq!(rank::FEATURES[rank::IGNORES_INPUTS], "ignores_inputs");
        assert_eq!(rank::FEATURES[rank::MISSES_CARRIED], "misses_carried");
    }

    #[test]
    fn unscored_programs_are_estimated_per_node() {
        let lit = |s: &str| Term::Lit(Value::str(s));
        let small = lit("a");
        let big = Term::app(quill_lang::Op::StrConcat, vec![lit("a"), lit("b")]);
        // The scored program has size 3 and -6 nats: -2 per node.
        let est = impute(&[big.clone(), small.clone(), big.clone()], &[Some(-6.0), None, None]);
        assert_eq!(est, vec![Some(-6.0), Some(-2.0), Some(-6.0)]);
        assert_eq!(impute(&[small], &[None]), vec![None]);
    }
}
