//! The generation loop: independent chunks of sampling attempts (in parallel), merged in a fixed
//! order so that deduplication, and hence the data set, depend only on the seed and the settings.

use crate::check::{check, Checked, Reject};
use crate::domain::{self, Domain};
use crate::rng::Rng;
use crate::sample::{bv, strings::StringSampler};
use crate::task::{Example, Task};
use crate::{term_ops, DomainKind, GenConfig, Stats};
use quill_lang::{Sort, Term, Var};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// Sampling attempts per chunk (one random stream each).
const CHUNK_ATTEMPTS: usize = 64;
/// Chunks per merge batch, at most; early batches are smaller so that small data sets are quick.
/// Both are constants, never the thread count, so the output does not depend on the machine.
const MAX_BATCH_CHUNKS: usize = 64;

/// A program that passed every check.
struct Candidate {
    domain: Domain,
    ret: Sort,
    term: Term,
    size: usize,
    examples: Vec<Vec<quill_lang::Value>>,
    checked: Checked,
}

/// Generates tasks, handing each kept one to `sink` in order and reporting after every batch.
pub fn generate_with<E>(
    cfg: &GenConfig,
    mut sink: impl FnMut(Task) -> Result<(), E>,
    mut progress: impl FnMut(&Stats),
) -> Result<Stats, E> {
    let mut stats = Stats::default();
    let mut seen: HashSet<u128> = HashSet::new();
    // A bound on the work, for settings under which too few distinct programs exist.
    let limit = (cfg.tasks as u64).saturating_mul(400).max(200_000);
    let mut next_chunk: u64 = 0;
    let mut batch: u32 = 0;
    while stats.kept < cfg.tasks as u64 {
        if stats.attempts >= limit {
            stats.exhausted = true;
            break;
        }
        let n = (4usize << batch.min(8)).min(MAX_BATCH_CHUNKS) as u64;
        let outcomes: Vec<Result<Candidate, Reject>> = (next_chunk..next_chunk + n)
            .into_par_iter()
            .map(|k| chunk(cfg, k))
            .collect::<Vec<_>>()
            .into_iter()
            .flatten()
            .collect();
        next_chunk += n;
        batch += 1;
        // Within a batch the smallest program of each new behaviour wins (ties: the earlier one);
        // across batches the earlier one does.
        let mut best: HashMap<u128, usize> = HashMap::new();
        for (i, o) in outcomes.iter().enumerate() {
            let Ok(c) = o else { continue };
            if seen.contains(&c.checked.key) {
                continue;
            }
            let slot = best.entry(c.checked.key).or_insert(i);
            if let Ok(prev) = &outcomes[*slot] {
                if c.size < prev.size {
                    *slot = i;
                }
            }
        }
        for (i, o) in outcomes.into_iter().enumerate() {
            if stats.kept == cfg.tasks as u64 {
                break;
            }
            stats.attempts += 1;
            match o {
                Err(r) => stats.reject(r),
                Ok(c) if best.get(&c.checked.key) == Some(&i) => {
                    seen.insert(c.checked.key);
                    let ops = term_ops(&c.term);
                    let task = to_task(cfg, stats.kept, c);
                    stats.record(&task, &ops);
                    sink(task)?;
                }
                Ok(_) => stats.reject(Reject::Duplicate),
            }
        }
        progress(&stats);
    }
    Ok(stats)
}

/// One chunk: a fixed number of attempts from the chunk's own random stream.
fn chunk(cfg: &GenConfig, k: u64) -> Vec<Result<Candidate, Reject>> {
    let mut rng = Rng::for_stream(cfg.seed, k);
    let mut probes: HashMap<String, Vec<Vec<quill_lang::Value>>> = HashMap::new();
    (0..CHUNK_ATTEMPTS).map(|_| attempt(cfg, &mut rng, &mut probes)).collect()
}

fn attempt(
    cfg: &GenConfig,
    rng: &mut Rng,
    probes: &mut HashMap<String, Vec<Vec<quill_lang::Value>>>,
) -> Result<Candidate, Reject> {
    let domain = match cfg.domain {
        DomainKind::Strings => domain::sample_strings(rng),
        DomainKind::Bv => domain::bv(),
    };
    let examples = domain.examples(rng, cfg.examples);
    if examples.len() < 2 {
        return Err(Reject::ConstantOutput);
    }
    let sorts = domain.sorts();
    let params: Vec<(String, Sort)> = domain.names.iter().cloned().zip(sorts.iter().copied()).collect();
    let max = cfg.max_size.max(3);
    let (ret, term) = match cfg.domain {
        DomainKind::Strings => {
            let ret = [Sort::String, Sort::Int, Sort::Bool][rng.weighted(&[80, 12, 8])];
            let budget = rng.range(6.min(max as i64), max as i64) as usize;
            (ret, StringSampler::new(rng, &params, &examples).program(ret, budget))
        }
        DomainKind::Bv => {
            let x = Term::Var(Var { index: 0, name: params[0].0.as_str().into(), sort: params[0].1 });
            let budget = rng.range(3, max as i64) as usize;
            (Sort::BitVec(64), bv::program(rng, &x, budget))
        }
    };
    let size = term.size();
    if size > cfg.max_size {
        return Err(Reject::TooLarge);
    }
    let key = domain.key();
    let probe_inputs = probes.entry(key.clone()).or_insert_with(|| domain.probes());
    let checked = check(&term, &key, ret, &examples, probe_inputs)?;
    Ok(Candidate { domain, ret, term, size, examples, checked })
}

fn to_task(cfg: &GenConfig, index: u64, c: Candidate) -> Task {
    let (prefix, domain, grammar) = match cfg.domain {
        DomainKind::Strings => ("s", "strings", "strings"),
        DomainKind::Bv => ("b", "bv", "pbe_bv"),
    };
    let examples = c
        .examples
        .iter()
        .zip(&c.checked.outputs)
        .map(|(ins, out)| Example {
            inputs: ins.iter().map(|v| v.to_string()).collect(),
            output: out.to_string(),
        })
        .collect();
    let trace = c
        .checked
        .trace
        .iter()
        .map(|(t, vals)| std::iter::once(t.clone()).chain(vals.iter().map(|v| v.to_string())).collect())
        .collect();
    Task {
        id: format!("{prefix}-{index:06}"),
        domain: domain.into(),
        grammar: grammar.into(),
        params: c
            .domain
            .names
            .iter()
            .zip(c.domain.sorts())
            .map(|(n, s)| (n.clone(), s.to_string()))
            .collect(),
        ret: c.ret.to_string(),
        program: c.term.to_string(),
        size: c.size,
        examples,
        trace,
        gens: c.domain.gens.iter().map(|g| g.name().to_string()).collect(),
    }
}
