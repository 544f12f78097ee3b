//! The hook through which grammar-constrained decoding (quill-constrain) steers generation.

/// An error raised by a token constraint; generation stops and reports it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("token constraint: {message}")]
pub struct ConstraintError {
    /// What went wrong, in words.
    pub message: String,
}

impl ConstraintError {
    /// Builds an error from any message.
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }
}

/// A filter on the next token, consulted at every decoding step (grammar-constrained decoding).
pub trait TokenConstraint {
    /// Sets `allowed[t] = false` for every token t that may not come next. `allowed` has one entry
    /// per vocabulary id and is all-true on entry.
    fn mask(&mut self, allowed: &mut [bool]) -> Result<(), ConstraintError>;
    /// Advances the constraint past the chosen token.
    fn commit(&mut self, token: u32) -> Result<(), ConstraintError>;
    /// True when the text so far is complete under the constraint (generation may stop there).
    fn is_complete(&self) -> bool;
}
