//! Throughput of the evaluator and the enumerator.
//!
//! `cargo bench -p quill-search --bench throughput` reports candidate evaluations per second (one
//! production applied to the columns of its children, as the enumerator does it, on one core) and
//! the time to solve the shipped example task. Speed goals live here, not in timed tests.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use quill_eval::{apply_columns, Column};
use quill_lang::{Op, Str, Value};
use std::time::Duration;

fn strings(n: usize) -> Column {
    let names = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger W. Dijkstra", "Barbara Liskov"];
    Column::Str((0..n).map(|i| Str::from(names[i % names.len()])).collect())
}

fn evaluator(c: &mut Criterion) {
    let mut g = c.benchmark_group("candidate evaluation");
    g.throughput(Throughput::Elements(1));
    for n in [10, 100] {
        let x = strings(n);
        let zero = Column::splat(&Value::Int(0), n);
        let space = Column::splat(&Value::str(" "), n);
        let idx = apply_columns(Op::StrIndexOf, &[&x, &space, &zero], n).expect("indexof evaluates");
        g.bench_function(format!("str.substr, {n} examples"), |b| {
            b.iter(|| apply_columns(Op::StrSubstr, black_box(&[&x, &zero, &idx]), n))
        });
        g.bench_function(format!("str.++, {n} examples"), |b| {
            b.iter(|| apply_columns(Op::StrConcat, black_box(&[&x, &space]), n))
        });
        g.bench_function(format!("str.indexof, {n} examples"), |b| {
            b.iter(|| apply_columns(Op::StrIndexOf, black_box(&[&x, &space, &zero]), n))
        });
    }
    for n in [10, 1000] {
        let a = Column::Bv(64, (0..n as u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).collect());
        let b = Column::Bv(64, (0..n as u64).map(|i| i ^ 0xFF00_FF00).collect());
        g.bench_function(format!("bvand, {n} examples"), |bch| {
            bch.iter(|| apply_columns(Op::BvAnd, black_box(&[&a, &b]), n))
        });
    }
    g.finish();
}

fn enumerator(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/initials.sl");
    let problem = quill_sygus::parse_file(std::path::Path::new(path)).expect("the shipped example parses");
    let f = &problem.synth_funs[0];
    let examples = problem.examples().expect("the shipped example is PBE");
    let task = quill_search::Task {
        params: f.params.clone(),
        ret: f.ret,
        grammar: f.grammar.clone(),
        examples: examples
            .into_iter()
            .map(|e| quill_search::Example { inputs: e.inputs, output: e.output })
            .collect(),
        sketch: None,
    };
    // Without deduction, so the search enumerates all the way to the answer.
    let config = quill_search::Config { deduction: false, ..Default::default() };
    let out = quill_search::synthesize(&task, &config);
    eprintln!(
        "enumeration without deduction: {} candidates in {:.3}s = {:.0} candidates/s, stop: {}",
        out.stats.candidates,
        out.stats.elapsed.as_secs_f64(),
        out.stats.candidates as f64 / out.stats.elapsed.as_secs_f64().max(1e-9),
        out.stop
    );
    let mut g = c.benchmark_group("enumeration");
    g.throughput(Throughput::Elements(out.stats.candidates));
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("examples/initials.sl without deduction", |b| {
        b.iter(|| quill_search::synthesize(black_box(&task), &config))
    });
    g.finish();
}

criterion_group!(benches, evaluator, enumerator);
criterion_main!(benches);
