//! Chat formatting. Only ChatML (`<|im_start|>role\n...<|im_end|>\n`) is implemented, the format of both
//! known models; it is recognised from the GGUF's `tokenizer.chat_template` rather than assumed, and any
//! other template is refused, since a wrong format silently degrades a chat model's answers.

use crate::tokenizer::Tokenizer;
use crate::LlmError;

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    /// `system`, `user` or `assistant`.
    pub role: String,
    /// The message text (special-token texts in it stay plain text).
    pub content: String,
}

impl ChatMessage {
    /// A message with the given role.
    pub fn new(role: impl Into<String>, content: impl Into<String>) -> Self {
        Self { role: role.into(), content: content.into() }
    }

    /// A system message.
    pub fn system(content: impl Into<String>) -> Self {
        Self::new("system", content)
    }

    /// A user message.
    pub fn user(content: impl Into<String>) -> Self {
        Self::new("user", content)
    }

    /// An assistant message.
    pub fn assistant(content: impl Into<String>) -> Self {
        Self::new("assistant", content)
    }
}

/// A recognised chat format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatFormat {
    /// ChatML, with the system message the template inserts when the conversation has none.
    ChatMl { default_system: Option<String> },
}

impl ChatFormat {
    /// Recognises the format from a Jinja chat template.
    pub fn from_template(template: &str) -> Result<Self, LlmError> {
        if !(template.contains("<|im_start|>") && template.contains("<|im_end|>")) {
            let head: String = template.chars().take(80).collect();
            return Err(LlmError::Unsupported(format!(
                "chat template is not ChatML (starts `{head}`); only ChatML is implemented"
            )));
        }
        Ok(Self::ChatMl { default_system: default_system(template) })
    }

    /// The token ids of a conversation followed by the opening of the assistant's reply.
    pub fn encode(&self, tokenizer: &Tokenizer, messages: &[ChatMessage]) -> Result<Vec<u32>, LlmError> {
        let Self::ChatMl { default_system } = self;
        let start = special(tokenizer, "<|im_start|>")?;
        let end = special(tokenizer, "<|im_end|>")?;
        let mut ids = Vec::new();
        // Each piece is encoded on its own, between the special ids, exactly as the rendered template is
        // split at its special tokens; message text is never parsed for special tokens.
        let turn = |role: &str, content: &str, ids: &mut Vec<u32>| -> Result<(), LlmError> {
            ids.push(start);
            ids.extend(tokenizer.encode(&format!("{role}\n{content}"), false)?);
            ids.push(end);
            ids.extend(tokenizer.encode("\n", false)?);
            Ok(())
        };
        if let (Some(system), false) = (default_system, messages.first().is_some_and(|m| m.role == "system"))
        {
            turn("system", system, &mut ids)?;
        }
        for m in messages {
            turn(&m.role, &m.content, &mut ids)?;
        }
        ids.push(start);
        ids.extend(tokenizer.encode("assistant\n", false)?);
        Ok(ids)
    }
}

fn special(tokenizer: &Tokenizer, text: &str) -> Result<u32, LlmError> {
    tokenizer.token_id(text).ok_or_else(|| {
        LlmError::Unsupported(format!("ChatML template but no `{text}` token in the vocabulary"))
    })
}

/// The literal default system message of a ChatML template: the text between `<|im_start|>system` plus a
/// newline (written either as a real newline or as Jinja's `\n` escape) and `<|im_end|>`, taken from the
/// first place where that text is a plain literal (no quotes or expressions inside).
fn default_system(template: &str) -> Option<String> {
    for opener in ["<|im_start|>system\n", "<|im_start|>system\\n"] {
        for (at, _) in template.match_indices(opener) {
            let rest = &template[at + opener.len()..];
            let Some(end) = rest.find("<|im_end|>") else { continue };
            let literal = &rest[..end];
            if !literal.is_empty() && !literal.contains(['\'', '"', '{', '}', '+']) {
                return Some(literal.replace("\\n", "\n"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_default_system_messages() {
        let smol = "{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are \
                    SmolLM<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role']}}";
        assert_eq!(default_system(smol).as_deref(), Some("You are SmolLM"));
        let qwen = r"{{- '<|im_start|>system\n' }}{{- '<|im_start|>system\n' + messages[0]['content'] + '<|im_end|>\n' }}{{- '<|im_start|>system\nYou are Qwen.<|im_end|>\n' }}";
        assert_eq!(default_system(qwen).as_deref(), Some("You are Qwen."));
        assert_eq!(default_system("<|im_start|>{{ role }}<|im_end|>"), None);
    }

    #[test]
    fn refuses_other_templates() {
        let llama3 = "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>' }}";
        assert!(matches!(ChatFormat::from_template(llama3), Err(LlmError::Unsupported(_))));
    }
}
