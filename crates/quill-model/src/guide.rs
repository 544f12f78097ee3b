//! The model as a guide for example-based search (`quill_search::Guide`): production costs from
//! the production head, whole programs from grammar-constrained beam search, and likelihoods of
//! given programs for ranking.

use crate::constrain::GrammarDecoder;
use crate::infer::{Encoded, Model};
use crate::search::beam_search_until;
use crate::vocab::MAX_PARAMS;
use quill_lang::{ProdKind, Term};
use quill_search::{Guide, Task, TaskGuide};
use std::time::{Duration, Instant};

/// How the model's beliefs turn into guidance.
#[derive(Clone, Debug)]
pub struct GuideOptions {
    /// Width of the beam that proposes whole programs (0: no proposals).
    pub beam: usize,
    /// A production costs `1 + round(scale * -ln p)` where `p` is the model's probability that
    /// its tokens occur in the program; `scale` 0 keeps the size order.
    pub cost_scale: f32,
    /// The most a production's cost may exceed 1, so that unlikely productions are delayed, never
    /// dropped: the search stays complete.
    pub cost_cap: u32,
    /// Rank by the mean log-probability per token instead of the program's total: the total
    /// favours short programs (an offset `5` over `(str.indexof x " " 0)`) whatever the examples.
    pub per_token: bool,
    /// Rank by size first, the model's score only choosing among programs of one size (Occam's
    /// razor before likelihood; see [`TaskGuide::size_first`]). Off by default: side by side with
    /// the 3600-step model it generalized better on BUSTLE (64 vs 59 of 86) and worse on PROSE
    /// (123 vs 127 of 311).
    pub size_first: bool,
}

impl Default for GuideOptions {
    fn default() -> Self {
        GuideOptions { beam: 8, cost_scale: 1.0, cost_cap: 4, per_token: false, size_first: false }
    }
}

/// A trained model together with how it guides.
pub struct ModelGuide {
    pub model: Model,
    pub options: GuideOptions,
}

impl ModelGuide {
    pub fn new(model: Model, options: GuideOptions) -> ModelGuide {
        ModelGuide { model, options }
    }
}

struct Prepared<'a> {
    guide: &'a ModelGuide,
    task: Task,
    enc: Encoded,
    dec: GrammarDecoder,
}

impl Guide for ModelGuide {
    fn prepare<'a>(&'a self, task: &Task) -> Option<Box<dyn TaskGuide + 'a>> {
        if task.params.len() > MAX_PARAMS as usize || task.examples.is_empty() || task.sketch.is_some() {
            return None;
        }
        let examples: Vec<_> = task.examples.iter().map(|e| (e.inputs.clone(), e.output.clone())).collect();
        let enc = self.model.encode(&self.model.spec_from_values(&examples));
        let dec = GrammarDecoder::new(&task.grammar, self.model.vocab(), self.model.max_program_tokens());
        Some(Box::new(Prepared { guide: self, task: task.clone(), enc, dec }))
    }
}

impl Prepared<'_> {
    /// A program's score from its total log-probability over `tokens` tokens (EOS adds one).
    fn normalise(&self, total: f32, tokens: usize) -> f64 {
        if self.guide.options.per_token {
            f64::from(total) / (tokens + 1) as f64
        } else {
            f64::from(total)
        }
    }
}

impl TaskGuide for Prepared<'_> {
    fn costs(&self) -> Option<Vec<Vec<u32>>> {
        let o = &self.guide.options;
        if o.cost_scale <= 0.0 {
            return None;
        }
        let probs = self.guide.model.token_probs(&self.enc);
        let cost_of = |toks: &[u32]| {
            let surprise: f32 =
                toks.iter().map(|t| -probs.get(*t as usize).copied().unwrap_or(0.0).max(1e-6).ln()).sum();
            1 + ((o.cost_scale * surprise).round() as u32).min(o.cost_cap)
        };
        let g = &self.task.grammar;
        Some(
            g.nonterminals
                .iter()
                .enumerate()
                .map(|(nt, n)| {
                    let known: Vec<Option<u32>> = (0..n.productions.len())
                        .map(|p| self.dec.production_tokens(nt, p).map(|t| cost_of(&t)))
                        .collect();
                    // A production the model has no tokens for (a helper function, a solver
                    // extension) is one it knows nothing about: priced as the median of the
                    // non-terminal's other productions, neither preferred nor excluded.
                    let mut sorted: Vec<u32> = known.iter().flatten().copied().collect();
                    sorted.sort_unstable();
                    let neutral = sorted.get(sorted.len() / 2).copied().unwrap_or(1 + o.cost_cap);
                    n.productions
                        .iter()
                        .zip(known)
                        .map(|(prod, cost)| match prod.kind {
                            ProdKind::Chain => 0,
                            _ => cost.unwrap_or(neutral),
                        })
                        .collect()
                })
                .collect(),
        )
    }

    fn size_first(&self) -> bool {
        self.guide.options.size_first
    }

    fn propose(&mut self, budget: Duration) -> Vec<Term> {
        if self.guide.options.beam == 0 || !self.dec.usable() {
            return Vec::new();
        }
        let deadline = Instant::now() + budget;
        beam_search_until(&self.guide.model, &self.enc, &self.dec, self.guide.options.beam, Some(deadline))
            .map(|ps| ps.into_iter().map(|p| p.term).collect())
            .unwrap_or_default()
    }

    fn score(&self, body: &Term) -> Option<f64> {
        self.score_many(std::slice::from_ref(body)).pop().flatten()
    }

    fn score_many(&self, bodies: &[Term]) -> Vec<Option<f64>> {
        let tokens: Vec<Option<Vec<u32>>> = bodies
            .iter()
            .map(|b| {
                let (mut toks, mut lits) = (Vec::new(), Vec::new());
                self.guide.model.vocab().encode(b, &mut toks, &mut lits).ok().map(|_| toks)
            })
            .collect();
        let readable: Vec<&[u32]> = tokens.iter().flatten().map(Vec::as_slice).collect();
        let mut scores = self.guide.model.score_batch(&self.enc, &readable).into_iter();
        tokens
            .iter()
            .map(|t| {
                let toks = t.as_ref()?;
                scores.next()?.ok().map(|s| self.normalise(s, toks.len()))
            })
            .collect()
    }
}
