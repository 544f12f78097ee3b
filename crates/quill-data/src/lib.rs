//! Synthetic training data for Quill's learned components.
//!
//! Random programs are sampled from the SyGuS PBE string grammar (or the PBE bit-vector grammar),
//! run on realistic inputs (names, dates, e-mails, phone numbers, URLs, codes, prices, addresses,
//! paths, words, numbers; or 64-bit values), and kept when their outputs are non-trivial, no part
//! of them is redundant, and their behaviour on a fixed probe set of their input domain is new.
//! Each task is saved with its examples and the values of its subterms on them (the trace), as
//! JSON lines in shards, with a manifest. The same seed and settings give byte-identical shards,
//! however many threads generate them.

mod check;
mod domain;
mod generate;
mod inputs;
mod rng;
pub mod sample;
mod shards;
mod task;

pub use check::{behaviour_key, Reject};
pub use domain::PROBES;
pub use generate::generate_with;
pub use shards::{read_shard, read_shards, shard_files, write_dataset, Manifest, ShardInfo};
pub use task::{Example, Task};

use quill_lang::{Func, Term, Value};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The version of the sampler and generators, recorded in every manifest. Bump it whenever a
/// change alters the data produced for a seed.
pub const GENERATOR_VERSION: &str = "1";

/// Which grammar and inputs to generate for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DomainKind {
    /// String programs (`Grammar::default_strings`) on realistic text inputs.
    Strings,
    /// 64-bit programs in the PBE bit-vector grammar on 64-bit inputs.
    Bv,
}

/// Generation settings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GenConfig {
    /// How many tasks to keep.
    pub tasks: usize,
    pub seed: u64,
    pub domain: DomainKind,
    /// Examples per task (more than a model sees, so that some are held out).
    pub examples: usize,
    /// The largest program size (nodes) kept.
    pub max_size: usize,
    /// Tasks per shard file.
    pub shard_size: usize,
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            tasks: 1000,
            seed: 0,
            domain: DomainKind::Strings,
            examples: 8,
            max_size: 30,
            shard_size: 10_000,
        }
    }
}

/// Counts of what generation did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Programs sampled.
    pub attempts: u64,
    pub kept: u64,
    /// Rejected programs by reason (`too_large`, `error`, `constant_output`, `empty_output`,
    /// `identity`, `redundant`, `duplicate`).
    pub rejected: BTreeMap<String, u64>,
    /// Kept programs by size.
    pub sizes: BTreeMap<usize, u64>,
    /// Kept programs using each operator (or bit-vector helper) at least once.
    pub ops: BTreeMap<String, u64>,
    /// Kept programs by input domain (generator names).
    pub domains: BTreeMap<String, u64>,
    /// Kept programs by return sort.
    pub rets: BTreeMap<String, u64>,
    /// Whether generation stopped at its work bound before reaching the requested count.
    pub exhausted: bool,
}

impl Stats {
    fn reject(&mut self, r: Reject) {
        *self.rejected.entry(r.name().to_string()).or_default() += 1;
    }

    fn record(&mut self, task: &Task, ops: &BTreeSet<String>) {
        self.kept += 1;
        *self.sizes.entry(task.size).or_default() += 1;
        for op in ops {
            *self.ops.entry(op.clone()).or_default() += 1;
        }
        *self.domains.entry(task.gens.join(",")).or_default() += 1;
        *self.rets.entry(task.ret.clone()).or_default() += 1;
    }
}

/// Generates `cfg.tasks` tasks in memory (for tests and small in-process training sets).
pub fn generate(cfg: &GenConfig) -> (Vec<Task>, Stats) {
    let mut tasks = Vec::with_capacity(cfg.tasks);
    let stats = generate_with::<std::convert::Infallible>(
        cfg,
        |t| {
            tasks.push(t);
            Ok(())
        },
        |_| {},
    );
    match stats {
        Ok(stats) => (tasks, stats),
        Err(never) => match never {},
    }
}

/// The probe inputs of the input domain named by `gens` (a task's `gens`): the fixed inputs on
/// which behaviour keys are computed. `None` for an unknown generator name.
pub fn probe_inputs(gens: &[String]) -> Option<Vec<Vec<Value>>> {
    let gens = gens.iter().map(|g| inputs::Gen::from_name(g)).collect::<Option<Vec<_>>>()?;
    let names = gens.iter().map(|g| g.name().to_string()).collect();
    Some(domain::Domain { gens, names }.probes())
}

/// The operators a term applies: SMT-LIB names of built-ins, names of helpers.
pub fn term_ops(t: &Term) -> BTreeSet<String> {
    fn walk(t: &Term, out: &mut BTreeSet<String>) {
        if let Term::App(f, args) = t {
            out.insert(match f {
                Func::Builtin(op) => op.name().to_string(),
                f => f.name(),
            });
            args.iter().for_each(|a| walk(a, out));
        }
    }
    let mut out = BTreeSet::new();
    walk(t, &mut out);
    out
}

/// Errors of reading and writing data sets.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}:{line}: {source}", path.display())]
    Json { path: PathBuf, line: usize, source: serde_json::Error },
    #[error("task {id}: {message}")]
    Task { id: String, message: String },
}
