//! Where completions come from: a model in this process, or an OpenAI-compatible server.

use crate::AskError;
use serde::Serialize;
use std::time::{Duration, Instant};

/// One chat message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    pub role: String,
    pub content: String,
}

impl Message {
    pub fn system(c: impl Into<String>) -> Self {
        Message { role: "system".into(), content: c.into() }
    }
    pub fn user(c: impl Into<String>) -> Self {
        Message { role: "user".into(), content: c.into() }
    }
    pub fn assistant(c: impl Into<String>) -> Self {
        Message { role: "assistant".into(), content: c.into() }
    }
}

/// How to sample one completion.
#[derive(Clone, Debug, PartialEq)]
pub struct Sampling {
    /// 0 is greedy.
    pub temperature: f64,
    pub top_p: f64,
    pub seed: u64,
    pub max_tokens: usize,
}

/// A completion and what it cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    pub text: String,
    /// Generated tokens (as the backend counts them; 0 when it does not say).
    pub tokens: usize,
    pub secs: f64,
    /// Generation speed as the backend measured it, tokens per second (0 when unknown).
    pub tokens_per_sec: f64,
}

/// A source of completions.
pub trait Backend {
    /// A short description for reports (`local qwen2.5-coder-0.5b`, `http://host/v1`).
    fn describe(&self) -> String;
    /// Counters worth reporting after a run (fallbacks, time in grammar masks); empty by default.
    fn notes(&self) -> String {
        String::new()
    }
    /// Completes the conversation. `function`, when given, is the name of the Python function
    /// the reply must define; a backend that constrains decoding to a grammar uses it.
    fn complete(
        &mut self,
        messages: &[Message],
        sampling: &Sampling,
        function: Option<&str>,
    ) -> Result<Completion, AskError>;
}

/// An OpenAI-compatible chat-completions server (llama.cpp's server, Ollama, vLLM).
pub struct HttpBackend {
    /// The base URL, e.g. `http://127.0.0.1:8080/v1`; `/chat/completions` is appended.
    pub base: String,
    pub model: String,
    agent: ureq::Agent,
}

impl HttpBackend {
    pub fn new(base: &str, model: &str, timeout: Duration) -> Self {
        let agent = ureq::Agent::config_builder().timeout_global(Some(timeout)).build().into();
        HttpBackend { base: base.trim_end_matches('/').to_string(), model: model.to_string(), agent }
    }
}

impl Backend for HttpBackend {
    fn describe(&self) -> String {
        format!("{} (model {})", self.base, self.model)
    }

    fn complete(
        &mut self,
        messages: &[Message],
        sampling: &Sampling,
        _function: Option<&str>,
    ) -> Result<Completion, AskError> {
        let url = format!("{}/chat/completions", self.base);
        let body = serde_json::json!({
            "model": self.model,
            "messages": messages,
            "temperature": sampling.temperature,
            "top_p": sampling.top_p,
            "seed": sampling.seed,
            "max_tokens": sampling.max_tokens,
            "stream": false,
        });
        let start = Instant::now();
        let reply: serde_json::Value = self
            .agent
            .post(&url)
            .send_json(&body)
            .and_then(|mut r| r.body_mut().read_json())
            .map_err(|e| AskError::Backend(format!("{url}: {e}")))?;
        let text = reply["choices"][0]["message"]["content"]
            .as_str()
            .ok_or_else(|| AskError::Backend(format!("{url}: no choices[0].message.content in the reply")))?
            .to_string();
        let tokens = reply["usage"]["completion_tokens"].as_u64().unwrap_or(0) as usize;
        let secs = start.elapsed().as_secs_f64();
        let tokens_per_sec = if tokens > 0 && secs > 0.0 { tokens as f64 / secs } else { 0.0 };
        Ok(Completion { text, tokens, secs, tokens_per_sec })
    }
}
