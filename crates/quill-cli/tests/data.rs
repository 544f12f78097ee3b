//! `quill data` end to end: generation writes shards and a manifest, reproducibly, and coverage
//! reads them back against a table of known solutions.

use std::path::{Path, PathBuf};
use std::process::Command;

fn quill(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_quill")).args(args).output().expect("quill runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("quill-cli-data-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn gen_writes_reproducible_shards_and_a_manifest() {
    let (a, b) = (dir("a"), dir("b"));
    for d in [&a, &b] {
        let (code, _, err) = quill(&[
            "data",
            "gen",
            "--out",
            d.to_str().unwrap(),
            "--tasks",
            "120",
            "--seed",
            "5",
            "--shard-size",
            "50",
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("kept 120 of"), "{err}");
    }
    for shard in ["shard-00000.jsonl", "shard-00001.jsonl", "shard-00002.jsonl"] {
        assert_eq!(read(&a.join(shard)), read(&b.join(shard)), "{shard}");
    }
    assert_eq!(read(&a.join("shard-00002.jsonl")).lines().count(), 20);
    let manifest: serde_json::Value = serde_json::from_str(&read(&a.join("manifest.json"))).unwrap();
    assert_eq!(manifest["config"]["seed"], 5);
    assert_eq!(manifest["stats"]["kept"], 120);
    assert!(manifest["command"].as_str().unwrap().contains("--seed 5"));
    let first: serde_json::Value =
        serde_json::from_str(read(&a.join("shard-00000.jsonl")).lines().next().unwrap()).unwrap();
    for field in ["id", "domain", "grammar", "params", "ret", "program", "size", "examples", "trace"] {
        assert!(first.get(field).is_some(), "missing {field}: {first}");
    }

    // Coverage against a table with one known solution whose operators the data certainly has.
    let csv = a.join("answers.csv");
    std::fs::write(
        &csv,
        "suite,task,answer\npbe_slia,t1,\"(define-fun f ((s String)) String (str.++ s \"\"!\"\"))\"\n",
    )
    .unwrap();
    let (code, out, err) =
        quill(&["data", "coverage", "--data", a.to_str().unwrap(), "--answers", csv.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 of 1 operators used by 1 distinct known solutions"), "{out}");
    for d in [a, b] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn gen_refuses_nonsense_settings() {
    let d = dir("bad");
    let (code, _, err) = quill(&["data", "gen", "--out", d.to_str().unwrap(), "--tasks", "0"]);
    assert_ne!(code, 0);
    assert!(err.contains("--tasks"), "{err}");
}
