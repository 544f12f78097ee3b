//! The interface through which a learned model guides example-based search.
//!
//! The search crate knows nothing of models; it defines what it asks of one. A [`Guide`] prepares
//! itself for a task once (a model encodes the examples there) and then answers three questions:
//! what each grammar production should cost in the enumerator, which whole programs it would write
//! itself, and how likely it finds a given program. `quill-model` implements it; the facade decides
//! how the answers combine.

use crate::Task;
use quill_lang::Term;
use std::time::Duration;

/// A source of guidance for example-based tasks.
pub trait Guide {
    /// Prepares guidance for one task; `None` when the guide cannot read the task (for example a
    /// parameter sort or a grammar it has no tokens for).
    fn prepare<'a>(&'a self, task: &Task) -> Option<Box<dyn TaskGuide + 'a>>;
}

/// Guidance for one task, with the task's examples already read.
pub trait TaskGuide {
    /// Cost of each production of the task's grammar, `costs[nt][production]`, for the
    /// enumerator's `Config::costs`; chain productions must cost 0. `None` leaves the size order.
    fn costs(&self) -> Option<Vec<Vec<u32>>>;

    /// Whole programs of the task's grammar the guide would write, most likely first, found
    /// within `budget`. They are proposals: the caller checks them on the examples.
    fn propose(&mut self, budget: Duration) -> Vec<Term>;

    /// How likely the guide finds `body` as the task's answer, as a log-probability; `None` when it
    /// cannot say (a construct outside its vocabulary).
    fn score(&self, body: &Term) -> Option<f64>;

    /// Whether the ranker should order the programs that fit by size first, letting the score
    /// choose only among programs of one size (Occam's razor before the guide's preference).
    fn size_first(&self) -> bool {
        false
    }

    /// [`TaskGuide::score`] of many programs; a guide that can score them together (one batch
    /// through a network) should, since a ranker may hand over a hundred or more.
    fn score_many(&self, bodies: &[Term]) -> Vec<Option<f64>> {
        bodies.iter().map(|b| self.score(b)).collect()
    }
}
