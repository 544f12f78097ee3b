//! SyGuS-IF suites: a folder searched recursively for `.sl` files, or a single `.sl` file.

use super::{stem, Suite, SuiteKind, SuiteLoader, Task, TaskSpec};
use crate::error::BenchError;
use std::path::{Path, PathBuf};

/// The loader for folders of SyGuS-IF files.
pub struct SygusDir;

impl SuiteLoader for SygusDir {
    fn kind(&self) -> SuiteKind {
        SuiteKind::Sygus
    }

    fn detect(&self, path: &Path, _head: &str) -> bool {
        path.is_dir() || path.extension().is_some_and(|e| e == "sl")
    }

    fn load(&self, path: &Path) -> Result<Suite, BenchError> {
        let mut files = Vec::new();
        if path.is_dir() {
            collect(path, &mut files)?;
        } else {
            files.push(path.to_path_buf());
        }
        let mut tasks = files
            .into_iter()
            .map(|f| {
                let rel = f.strip_prefix(path).ok().filter(|r| !r.as_os_str().is_empty());
                let name = match rel {
                    Some(r) => r.with_extension("").to_string_lossy().into_owned(),
                    None => stem(&f),
                };
                Task { name, spec: TaskSpec::SygusFile(f) }
            })
            .collect::<Vec<_>>();
        // Sorting by name makes the task order, and so `--limit`, the same on every machine.
        tasks.sort_by(|a, b| a.name.cmp(&b.name));
        if tasks.is_empty() {
            return Err(BenchError::suite(path, 0, "no .sl files found"));
        }
        Ok(Suite { name: stem(path), kind: SuiteKind::Sygus, path: path.to_path_buf(), tasks, notes: vec![] })
    }
}

/// Collects every `.sl` file under `dir`, following the folder tree.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), BenchError> {
    let entries = std::fs::read_dir(dir).map_err(|e| BenchError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| BenchError::io(dir, e))?;
        let p = entry.path();
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "sl") {
            out.push(p);
        }
    }
    Ok(())
}
