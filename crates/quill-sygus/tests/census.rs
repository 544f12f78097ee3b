//! Parses every SyGuS-IF benchmark of the public suites beside the project and compares the list of
//! refused files with `tests/fixtures/refusals.txt`, so that a change in what Quill accepts is
//! always a visible, reviewed change. Run with `UPDATE_FIXTURES=1` to rewrite the fixture.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const SUITES: &[&str] = &["sygus-v2", "sygus-comp-2019"];

fn sl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sl_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "sl") {
            out.push(path);
        }
    }
}

#[test]
fn every_benchmark_parses_or_is_a_known_refusal() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let benchmarks = manifest.join("../../../shared/benchmarks");
    let fixture = manifest.join("tests/fixtures/refusals.txt");
    if !SUITES.iter().any(|s| benchmarks.join(s).is_dir()) {
        println!("note: {} is absent; the census is skipped", benchmarks.display());
        return;
    }
    let mut refusals = Vec::new();
    // (parsed, refused) per folder that directly holds the files.
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for suite in SUITES {
        let mut files = Vec::new();
        sl_files(&benchmarks.join(suite), &mut files);
        files.sort();
        for path in files {
            let rel = path.strip_prefix(&benchmarks).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            let folder = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
            let text = std::fs::read_to_string(&path).expect("benchmark files are readable text");
            let entry = counts.entry(folder).or_default();
            match quill_sygus::parse(&text, &rel) {
                Ok(_) => entry.0 += 1,
                Err(e) => {
                    entry.1 += 1;
                    refusals.push(e.to_string().replace('\n', " "));
                }
            }
        }
    }
    for (folder, (ok, refused)) in &counts {
        println!("{folder}: {ok} parsed, {refused} refused");
    }
    let total: (usize, usize) = counts.values().fold((0, 0), |a, c| (a.0 + c.0, a.1 + c.1));
    println!("total: {} parsed, {} refused", total.0, total.1);
    let actual: String = refusals.iter().map(|r| format!("{r}\n")).collect();
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&fixture, &actual).expect("the fixture is writable");
        return;
    }
    let expected = std::fs::read_to_string(&fixture).unwrap_or_default();
    assert!(
        expected == actual,
        "the refused files changed (run with UPDATE_FIXTURES=1 to accept):\n--- expected\n{expected}--- actual\n{actual}"
    );
}
