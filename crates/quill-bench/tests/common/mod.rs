//! Helpers shared by the integration tests.
#![allow(dead_code, reason = "each test file uses a different part of this module")]

use std::path::{Path, PathBuf};

/// The benchmark folder beside the project, or `None` (with a note) when it is absent.
pub fn benchmarks() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/benchmarks");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("note: {} is absent; test skipped", p.display());
        None
    }
}

/// A program, when installed at `path`.
pub fn tool(path: &str) -> Option<PathBuf> {
    let p = PathBuf::from(path);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("note: {path} is not installed; part of the test skipped");
        None
    }
}
