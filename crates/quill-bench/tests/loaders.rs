//! The loaders on the real suites (skipped when `../shared/benchmarks` is absent).

mod common;

use quill_bench::suite::{load_suite, SuiteKind, TaskSpec, PROSE_TRAIN};

#[test]
fn sygus_folder_is_every_sl_file_sorted() {
    let Some(b) = common::benchmarks() else { return };
    let s = load_suite(&b.join("sygus-v2/pbe_slia")).unwrap();
    assert_eq!(s.kind, SuiteKind::Sygus);
    assert_eq!(s.name, "pbe_slia");
    assert_eq!(s.tasks.len(), 210);
    let names: Vec<&str> = s.tasks.iter().map(|t| t.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(names.contains(&"from_2018/bikes"), "{:?}", &names[..5]);
}

#[test]
fn bustle_has_89_tasks_with_no_separate_test_examples() {
    let Some(b) = common::benchmarks() else { return };
    let s = load_suite(&b.join("bustle/sygus_benchmarks_89.json")).unwrap();
    assert_eq!(s.kind, SuiteKind::Bustle);
    assert_eq!(s.tasks.len(), 89);
    assert!(s.tasks.iter().any(|t| t.name == "bikes"));
    for t in &s.tasks {
        let TaskSpec::Examples { arity, train, heldout } = &t.spec else { panic!("{}", t.name) };
        assert!((1..=3).contains(arity) && !train.is_empty());
        // The published test examples repeat the training ones.
        assert!(heldout.is_empty(), "{}", t.name);
    }
}

#[test]
fn prose_keeps_the_first_examples_for_training() {
    let Some(b) = common::benchmarks() else { return };
    let s = load_suite(&b.join("prose/transformation_text.jsonl")).unwrap();
    assert_eq!(s.kind, SuiteKind::Prose);
    assert!(s.tasks.len() >= 350, "{}", s.tasks.len());
    for t in &s.tasks {
        let TaskSpec::Examples { train, heldout, .. } = &t.spec else { panic!() };
        assert!(!train.is_empty() && train.len() <= PROSE_TRAIN, "{}", t.name);
        assert!(!heldout.is_empty(), "{}", t.name);
    }
}

#[test]
fn unknown_files_are_refused_with_their_name() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.txt");
    std::fs::write(&p, "hello").unwrap();
    let e = load_suite(&p).unwrap_err().to_string();
    assert!(e.contains("notes.txt") && e.contains("not a benchmark suite"), "{e}");
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"name\": \"a\", \"examples\": []}\n{\"examples\": 3\n").unwrap();
    let e = load_suite(&bad).unwrap_err().to_string();
    assert!(e.contains("bad.jsonl:2"), "{e}");
}
