//! Budgets and the reasons a search stops.

use std::time::{Duration, Instant};

/// Limits and options of one search.
#[derive(Clone, Debug)]
pub struct Config {
    /// Wall-clock limit.
    pub timeout: Duration,
    /// Approximate limit on the memory held by the term bank, in bytes.
    pub max_memory: usize,
    /// How many distinct answers to collect before stopping.
    pub top_k: usize,
    /// The highest cost level to enumerate.
    pub max_cost: u32,
    /// Cost of each production, `costs[nt][production]`; `None` means every production costs 1
    /// (chain rules `N -> M` always cost 0), so the search goes in order of size.
    pub costs: Option<Vec<Vec<u32>>>,
    /// Whether to use decision-tree unification and string splitting.
    pub deduction: bool,
    /// The values that `(Constant S)` productions may draw on besides small constants; `None`
    /// means the examples' own inputs and outputs. Examples that CEGIS derived from
    /// counterexamples set this to the specification's literals: the counterexamples' values are
    /// arbitrary, and constants taken from them make answers that fit the points and nothing else.
    pub literals: Option<Vec<quill_lang::Value>>,
    /// With `top_k` above 1: once the first answer is found, keep collecting others for at most
    /// this multiple of the time the first one took (and at least [`MIN_COLLECT`]), then stop as
    /// solved. `None` collects until `top_k` answers or the budget. A ranker wants alternatives
    /// to the first answer, but not at the price of the whole budget on a solved task.
    pub collect_ratio: Option<f64>,
    /// How many further programs to derive from the answers for a ranker: programs that behave
    /// like an answer on every example but were kept out of the search by observational
    /// equivalence (`(str.indexof x " " 0)` where the search kept the cheaper `5`). 0: none.
    pub variants: usize,
    /// With examples as the goal, prefer the simplest program (Occam's razor): answers come
    /// smallest first, and once a conditional answer is found the search keeps looking for this
    /// long (or [`OCCAM_RATIO`] times the time spent so far, if longer; at most half the time left) for a
    /// program without one. A decision tree built over a few examples usually memorizes them,
    /// while a straight-line program that fits them as well tends to generalize. `None`: the
    /// first answer found is final (CEGIS sets this, since its examples are arbitrary points).
    pub occam: Option<Duration>,
}

/// See [`Config::occam`].
pub const OCCAM_RATIO: f64 = 1.0;

/// The shortest time spent collecting further answers under [`Config::collect_ratio`]: a first
/// answer found in a millisecond still gets its cost level finished.
pub const MIN_COLLECT: Duration = Duration::from_millis(20);

impl Default for Config {
    fn default() -> Self {
        Config {
            timeout: Duration::from_secs(10),
            max_memory: 4 << 30,
            top_k: 1,
            max_cost: 64,
            costs: None,
            deduction: true,
            literals: None,
            collect_ratio: None,
            variants: 0,
            occam: Some(Duration::from_millis(500)),
        }
    }
}

/// Why a search stopped. Running out of a budget is an ordinary outcome, not an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// Found the requested number of answers.
    Solved,
    /// The examples contradict each other: no function fits them.
    Infeasible,
    Timeout,
    MemoryLimit,
    /// Every term up to `max_cost` was enumerated.
    CostLimit,
    /// The grammar derives no further terms (finite language exhausted).
    Exhausted,
    /// The task cannot be searched as given (for example, a sketch hole of a sort the grammar lacks).
    Unsupported(String),
}

impl std::fmt::Display for StopReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StopReason::Solved => f.write_str("solved"),
            StopReason::Infeasible => f.write_str("infeasible"),
            StopReason::Timeout => f.write_str("time limit reached"),
            StopReason::MemoryLimit => f.write_str("memory limit reached"),
            StopReason::CostLimit => f.write_str("cost limit reached"),
            StopReason::Exhausted => f.write_str("search space exhausted"),
            StopReason::Unsupported(why) => write!(f, "unsupported: {why}"),
        }
    }
}

/// Tracks the deadline cheaply: the clock is read once every `CHECK_EVERY` ticks.
pub(crate) struct Deadline {
    end: Instant,
    ticks: u32,
    expired: bool,
    /// Whether [`Deadline::shorten`] moved the end earlier than the budget's.
    pub shortened: bool,
}

const CHECK_EVERY: u32 = 256;

impl Deadline {
    pub fn new(timeout: Duration) -> Self {
        Deadline { end: Instant::now() + timeout, ticks: 0, expired: false, shortened: false }
    }

    /// Moves the end to `end` if that is earlier.
    pub fn shorten(&mut self, end: Instant) {
        if end < self.end {
            self.end = end;
            self.shortened = true;
        }
    }

    /// Counts one unit of work; true once the deadline has passed.
    pub fn tick(&mut self) -> bool {
        self.ticks += 1;
        if self.ticks >= CHECK_EVERY {
            self.ticks = 0;
            self.expired = self.expired || Instant::now() >= self.end;
        }
        self.expired
    }

    pub fn expired_now(&mut self) -> bool {
        self.expired = self.expired || Instant::now() >= self.end;
        self.expired
    }
}
