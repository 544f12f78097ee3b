//! The errors of the front end.
//!
//! Every error names the file and, when it comes from the text, the line and column, so that a user
//! can jump straight to the offending construct. Problems that are well-formed SyGuS-IF but use
//! something Quill does not handle are [`SygusError::Unsupported`], so that callers can tell "your
//! file is wrong" from "Quill cannot do this".

use quill_lang::resolve::ResolveError;
use quill_lang::sexpr::{Pos, ReadError, SExpr};

/// Why a SyGuS-IF file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SygusError {
    /// The file could not be read at all.
    #[error("{file}: cannot read the file: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    /// The text is not valid SyGuS-IF: a lexical error, a malformed command, an unknown name or a
    /// sort error.
    #[error("{file}:{pos}: {message}")]
    Invalid { file: String, pos: Pos, message: String },
    /// The text uses a construct that Quill deliberately does not support.
    #[error("{file}:{pos}: {message}")]
    Unsupported { file: String, pos: Pos, message: String },
}

impl SygusError {
    /// The position the error points at, when it comes from the text.
    pub fn pos(&self) -> Option<Pos> {
        match self {
            SygusError::Io { .. } => None,
            SygusError::Invalid { pos, .. } | SygusError::Unsupported { pos, .. } => Some(*pos),
        }
    }

    /// Whether the input was refused because Quill does not support what it asks for.
    pub fn is_unsupported(&self) -> bool {
        matches!(self, SygusError::Unsupported { .. })
    }
}

/// An error before it is given the file name; the parser works with these and [`crate::parse`]
/// attaches the name once.
#[derive(Debug)]
pub(crate) struct Located {
    pub pos: Pos,
    pub message: String,
    pub unsupported: bool,
}

impl Located {
    pub fn into_error(self, file: &str) -> SygusError {
        let (file, pos, message) = (file.to_string(), self.pos, self.message);
        if self.unsupported {
            SygusError::Unsupported { file, pos, message }
        } else {
            SygusError::Invalid { file, pos, message }
        }
    }
}

impl From<ReadError> for Located {
    fn from(e: ReadError) -> Self {
        Located { pos: e.pos, message: e.message, unsupported: false }
    }
}

impl From<ResolveError> for Located {
    /// quill-lang reports unsupported constructs (Real, Array, quantifiers, wide bit-vectors) with
    /// messages saying "not supported"; those are classified as [`SygusError::Unsupported`].
    fn from(e: ResolveError) -> Self {
        let unsupported = e.message.contains("not supported");
        Located { pos: e.pos, message: e.message, unsupported }
    }
}

pub(crate) type Res<T> = Result<T, Located>;

/// An invalid-input error at an s-expression.
pub(crate) fn invalid<T>(at: &SExpr, message: impl Into<String>) -> Res<T> {
    Err(Located { pos: at.pos, message: message.into(), unsupported: false })
}

/// An unsupported-construct error at an s-expression.
pub(crate) fn unsupported<T>(at: &SExpr, message: impl Into<String>) -> Res<T> {
    Err(Located { pos: at.pos, message: message.into(), unsupported: true })
}
