//! The errors that stop a benchmark run before or while it starts.
//!
//! A solver that crashes, times out or prints a wrong answer is not an error: it is a result, recorded
//! in the report. Errors are reserved for problems with the run itself (a suite that cannot be read,
//! an output folder that cannot be written), and each names the file (and line, where there is one).

use std::path::PathBuf;

/// Why a benchmark run could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A suite file has content the loader does not understand. `line` is 0 when the problem is not
    /// tied to one line (a JSON file read whole).
    #[error("{}{}: {message}", path.display(), if *line > 0 { format!(":{line}") } else { String::new() })]
    Suite { path: PathBuf, line: usize, message: String },
    /// The suite's kind could not be recognised from its path or content.
    #[error("{}: not a benchmark suite: {message}", path.display())]
    UnknownSuite { path: PathBuf, message: String },
    /// The results file could not be written.
    #[error("{}: {source}", path.display())]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
    /// The command-line settings do not make sense (for example `--jobs 0`).
    #[error("{0}")]
    Usage(String),
}

impl BenchError {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> BenchError {
        BenchError::Io { path: path.into(), source }
    }

    /// A content error in a suite file.
    pub fn suite(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> BenchError {
        BenchError::Suite { path: path.into(), line, message: message.into() }
    }
}
