//! Measures load time, prompt processing and decode speed of an installed model:
//! `cargo run --release -p quill-llm --example llm_speed -- NAME [RUNS] [TOKENS]`.
//! Threads follow QUILL_LLM_THREADS. Generation ignores end tokens so that every
//! run decodes exactly TOKENS tokens (as llama-bench does).

use quill_llm::{models, ChatMessage, GenerateRequest, LlmError, Model};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), LlmError> {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map(String::as_str).unwrap_or(models::DEFAULT_MODEL);
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(3);
    let tokens: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(128);
    let path = models::find(name)?.installed_path()?;
    let mut model = Model::load(&path)?;
    let question = "Write a Python function that parses a date in the form YYYY-MM-DD and returns the \
                    day of the week, with a docstring and two examples.";
    let request = GenerateRequest {
        ignore_eos: true,
        ..GenerateRequest::chat(vec![ChatMessage::user(question)], tokens)
    };
    let (mut pp, mut tg) = (Vec::new(), Vec::new());
    let mut prompt_tokens = 0;
    for run in 0..runs {
        let out = model.generate(&request, None, &mut |_| {})?;
        prompt_tokens = out.prompt_tokens;
        pp.push(out.prompt_tokens as f64 / out.prompt_secs);
        tg.push(out.tokens_per_sec);
        eprintln!(
            "run {run}: prompt {} tokens in {:.3} s, {} tokens in {:.3} s ({:.2} tokens/s)",
            out.prompt_tokens,
            out.prompt_secs,
            out.tokens.len(),
            out.gen_secs,
            out.tokens_per_sec
        );
    }
    println!(
        "{name}\tthreads={}\tload_s={:.3}\tprompt_tokens={prompt_tokens}\tpp_tok_s={:.1}\ttg_tok_s={:.2}",
        model.threads(),
        model.load_secs(),
        median(pp),
        median(tg)
    );
    Ok(())
}
