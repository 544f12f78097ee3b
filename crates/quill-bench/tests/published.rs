//! The results committed under `docs/results/` quote no PROSE data: PROSE's README asks users not
//! to redistribute it, and an answer quotes its task (constants taken from the examples), so PROSE
//! rows keep their names, statuses and counts but not their answers.

use std::path::{Path, PathBuf};

fn results_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            results_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "csv") {
            out.push(p);
        }
    }
}

#[test]
fn committed_results_quote_no_prose_answers() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/results");
    let mut files = Vec::new();
    results_files(&docs, &mut files);
    assert!(!files.is_empty(), "no results under {}", docs.display());
    let mut offending = Vec::new();
    for f in &files {
        let mut reader = csv::Reader::from_path(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let headers = reader.headers().expect("a header row").clone();
        let (Some(suite), Some(answer)) =
            (headers.iter().position(|h| h == "suite"), headers.iter().position(|h| h == "answer"))
        else {
            continue;
        };
        for (i, row) in reader.records().enumerate() {
            let row = row.unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            let a = row.get(answer).unwrap_or("");
            if row.get(suite) == Some("prose") && !a.is_empty() && !a.starts_with("(omitted") {
                offending.push(format!("{} row {}", f.display(), i + 2));
            }
        }
    }
    assert!(offending.is_empty(), "PROSE answers committed: {:?}", &offending[..offending.len().min(5)]);
}
