//! One result per task and solver, and the CSV file they are appended to as they arrive (so that an
//! interrupted run loses nothing that finished).

use crate::error::BenchError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

/// The outcome of one solver on one task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// An answer that passed the checks, or a confirmed "infeasible".
    Solved,
    /// The solver gave up within the limit, or claimed infeasibility that could not be confirmed.
    Failed,
    /// The time limit ran out.
    Timeout,
    /// The solver crashed or could not be run.
    Error,
    /// An answer that a check refuted, or that is not a well-formed definition.
    Wrong,
    /// An answer neither z3 nor the evaluator could decide.
    Unchecked,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Status::Solved, Status::Failed, Status::Timeout, Status::Error, Status::Wrong, Status::Unchecked];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Solved => "solved",
            Status::Failed => "failed",
            Status::Timeout => "timeout",
            Status::Error => "error",
            Status::Wrong => "wrong",
            Status::Unchecked => "unchecked",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of `results.csv`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    pub suite: String,
    pub task: String,
    pub solver: String,
    pub status: Status,
    pub wall_s: f64,
    pub cpu_s: f64,
    /// Term nodes of the answer (summed over its functions), when there is a well-formed one.
    pub size: Option<usize>,
    /// Held-out examples of the task (0 when there are none).
    pub holdout_total: usize,
    /// How many of them the answer gets right, when it could be evaluated.
    pub holdout_correct: Option<usize>,
    /// The answer as printed (definitions on one line), or `infeasible`.
    pub answer: String,
    /// Why the status is what it is, when that is not obvious.
    pub note: String,
}

impl ResultRow {
    /// Whether this solved answer is right on every held-out example (`None` when there are none).
    pub fn generalizes(&self) -> Option<bool> {
        (self.status == Status::Solved && self.holdout_total > 0 && self.answer != "infeasible")
            .then(|| self.holdout_correct == Some(self.holdout_total))
    }
}

/// `results.csv`, written one row at a time and flushed after each.
pub struct CsvSink {
    path: PathBuf,
    writer: csv::Writer<std::fs::File>,
}

impl CsvSink {
    pub fn create(path: &Path) -> Result<CsvSink, BenchError> {
        let writer =
            csv::Writer::from_path(path).map_err(|source| BenchError::Csv { path: path.into(), source })?;
        Ok(CsvSink { path: path.to_path_buf(), writer })
    }

    pub fn write(&mut self, row: &ResultRow) -> Result<(), BenchError> {
        let err = |source| BenchError::Csv { path: self.path.clone(), source };
        self.writer.serialize(row).map_err(err)?;
        self.writer.flush().map_err(|e| BenchError::io(&self.path, e))
    }
}

/// Reads a `results.csv` back (for tests and for re-making a report).
pub fn read_csv(path: &Path) -> Result<Vec<ResultRow>, BenchError> {
    let err = |source| BenchError::Csv { path: path.into(), source };
    let mut r = csv::Reader::from_path(path).map_err(err)?;
    r.deserialize().collect::<Result<Vec<ResultRow>, _>>().map_err(err)
}
