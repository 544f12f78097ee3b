//! A small real data set for the tests: a handful of string programs run by the evaluator on
//! varied inputs and written as JSON Lines shards in the format `quill data gen` uses.

#![allow(dead_code)]

use quill_data::{Example, Task};
use quill_lang::Value;
use quill_model::batch::Rng;
use std::path::{Path, PathBuf};

const PROGRAMS: &[(&str, &str)] = &[
    ("(str.++ (str.at name 0) \".\")", "String"),
    ("(str.substr name 0 n)", "String"),
    ("(str.++ name \" \" name)", "String"),
    ("(str.len name)", "Int"),
    ("(str.at name n)", "String"),
    ("(str.++ \"Dr. \" name)", "String"),
    ("(str.replace name \" \" \"\")", "String"),
    ("(str.from_int (+ n 1))", "String"),
    ("(ite (str.prefixof \"A\" name) name \".\")", "String"),
    ("(str.indexof name \" \" 0)", "Int"),
];

const NAMES: &[&str] = &[
    "Ada Lovelace",
    "Alan Turing",
    "Grace Hopper",
    "Edsger Dijkstra",
    "Barbara Liskov",
    "Donald Knuth",
    "Frances Allen",
    "John Backus",
    "Anita Borg",
    "Tony Hoare",
    "Adele Goldberg",
    "Ken Thompson",
];

/// A fresh directory under cargo's scratch space for integration tests.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("quill-model-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `per_program` tasks for each program, over two shards, and returns the directory.
pub fn write_dataset(dir: &Path, per_program: usize, seed: u64) -> PathBuf {
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut rng = Rng::new(seed);
    let mut shards = [String::new(), String::new()];
    let mut id = 0;
    for (program, ret) in PROGRAMS {
        for _ in 0..per_program {
            let mut task = Task {
                id: format!("t-{id:06}"),
                domain: "strings".into(),
                grammar: "strings".into(),
                params: vec![("name".into(), "String".into()), ("n".into(), "Int".into())],
                ret: ret.to_string(),
                program: program.to_string(),
                size: 0,
                examples: Vec::new(),
                trace: Vec::new(),
                gens: vec!["name".into(), "int".into()],
            };
            let term = task.parse_program().unwrap();
            task.size = term.size();
            task.examples = (0..6)
                .map(|_| {
                    let name = Value::str(NAMES[rng.below(NAMES.len())]);
                    let n = Value::Int(rng.below(6) as i64);
                    let out = quill_eval::eval(&term, &[name.clone(), n.clone()]).unwrap();
                    Example { inputs: vec![name.to_string(), n.to_string()], output: out.to_string() }
                })
                .collect();
            shards[id % 2].push_str(&serde_json::to_string(&task).unwrap());
            shards[id % 2].push('\n');
            id += 1;
        }
    }
    for (i, text) in shards.iter().enumerate() {
        std::fs::write(data.join(format!("shard-{i:05}.jsonl")), text).unwrap();
    }
    data
}
