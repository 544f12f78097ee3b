//! Finding and loading the model that guides `quill synth`, and saying what it did.

use crate::synth::Rank;
use anyhow::{Context, Result};
use quill::Ranker;
use quill_model::{GuideOptions, Model, ModelGuide};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The model shipped in the source tree this binary was built from.
fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/quill-strings")
}

/// The file beside a model's weights that holds its learned ranker (`quill rank fit`).
pub const RANKER_FILE: &str = "ranker.json";

/// Loads the model (ranking by `rank`): `dir` when given (an error if it cannot
/// be read), else `$QUILL_MODEL`, else the shipped one; without either of the last two the search
/// runs unguided, as with `--no-model`. With `Rank::Learned` the model's ranker is loaded too, and
/// its absence is an error.
pub fn load(dir: Option<&Path>, rank: Rank, verbose: bool) -> Result<Option<(ModelGuide, Option<Ranker>)>> {
    let (dir, explicit) = match (dir, std::env::var_os("QUILL_MODEL")) {
        (Some(d), _) => (d.to_path_buf(), true),
        (None, Some(d)) => (PathBuf::from(d), true),
        (None, None) => (shipped(), false),
    };
    if !explicit && !dir.join("model.safetensors").is_file() {
        if verbose {
            eprintln!("; no model at {}: searching without one", dir.display());
        }
        return Ok(None);
    }
    let started = Instant::now();
    // One thread for the model's kernels: its batches are small, and benchmarks run tasks side by side.
    quill_model::train::set_threads(1);
    let model = Model::load(&dir).with_context(|| format!("loading the model in {}", dir.display()))?;
    if verbose {
        eprintln!(
            "; model {} ({} parameters) loaded in {:.3}s",
            dir.display(),
            model.num_params(),
            started.elapsed().as_secs_f64()
        );
    }
    let options = GuideOptions {
        per_token: rank == Rank::PerToken,
        size_first: rank == Rank::SizeFirst,
        ..GuideOptions::default()
    };
    let ranker = match rank {
        Rank::Learned => {
            let path = dir.join(RANKER_FILE);
            let text = std::fs::read_to_string(&path).with_context(|| {
                format!("--rank learned needs {} (made by `quill rank fit`)", path.display())
            })?;
            Some(Ranker::from_json(&text).with_context(|| format!("reading {}", path.display()))?)
        }
        _ => None,
    };
    Ok(Some((ModelGuide::new(model, options), ranker)))
}

/// Says on standard error what the model did: always when two good answers disagree somewhere
/// (the user may want to add that example), in full with `--verbose`.
pub fn report(g: &quill::Guidance, verbose: bool) {
    if verbose {
        eprintln!(
            "; model: {:.3}s, costs {}, {} proposals ({} fit), {} candidates ranked{}{}{}",
            g.model_time.as_secs_f64(),
            if g.guided_costs { "guided" } else { "by size" },
            g.proposals,
            g.proposals_fit,
            g.candidates,
            if g.reranked { ", ranking changed the first answer" } else { "" },
            if g.from_proposal { ", answer proposed by the model" } else { "" },
            if g.carried_search { ", searched again with carried examples" } else { "" },
        );
        for (i, s) in g.scores.iter().enumerate() {
            match s {
                Some(s) => eprintln!("; answer {}: log-likelihood {s:.3}", i + 1),
                None => eprintln!("; answer {}: not scored", i + 1),
            }
        }
    }
    if let Some(d) = &g.distinguishing {
        let inputs: Vec<String> = d.inputs.iter().map(ToString::to_string).collect();
        eprintln!(
            "quill: note: another program fits the examples but differs on input ({}): the answer gives {}, the other {}; an example for that input would settle it",
            inputs.join(", "),
            d.first,
            d.second
        );
    }
}
