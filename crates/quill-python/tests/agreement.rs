//! The key property of the export: on every input where Quill's evaluator gives a value, the Python
//! function returns the same value. Random terms over strings, integers and bit-vectors are printed
//! as one Python module and run by a single `python3` process on random inputs.

mod support;

use quill_lang::{FunDef, Value};
use serde_json::json;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PROBLEMS: usize = 1500;
const INPUTS_PER_PROBLEM: usize = 8;

/// The real interpreter behind `python3`, resolved once: on PATH it may be a slow pyenv shim.
fn python() -> Option<String> {
    let out = Command::new("python3").args(["-c", "import sys; print(sys.executable)"]).output().ok()?;
    let path = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !path.is_empty()).then_some(path)
}

/// A Quill value as the JSON that Python's `json.dumps` gives for the same Python value.
fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Str(s) => json!(s.to_rust_string()),
        Value::BitVec { bits, .. } => json!(bits),
    }
}

/// The script: the module, a table of its functions, and a loop that reads `[function, args]` lines
/// and prints each result (or the exception it raised) as one JSON line.
fn script(defs: &[FunDef]) -> String {
    let names: Vec<String> = defs.iter().map(|d| d.name.to_string()).collect();
    format!(
        "import json\nimport sys\n\n\n{}\n\n_FUNCTIONS = [{}]\n\nfor _line in sys.stdin:\n    _index, _args = json.loads(_line)\n    try:\n        _out = json.dumps(_FUNCTIONS[_index](*_args))\n    except Exception as _error:\n        _out = json.dumps({{\"error\": repr(_error)}})\n    print(_out)\n",
        quill_python::module(defs),
        names.join(", ")
    )
}

/// Runs the interpreter on a script file with `input` on stdin, killing it after `limit`.
fn run(python: &str, path: &std::path::Path, input: String, limit: Duration) -> Result<String, String> {
    let mut child = Command::new(python)
        .arg(path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).map(|_| s)
    });
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            return Err(format!("python ran longer than {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = writer.join();
    let out = reader.join().map_err(|_| "reader panicked")?.map_err(|e| e.to_string())?;
    let err = err_reader.join().unwrap_or_default();
    if !status.success() {
        return Err(format!("python failed ({status}):\n{err}"));
    }
    Ok(out)
}

#[test]
fn python_agrees_with_quill_on_random_terms() {
    let Some(python) = python() else {
        println!("note: python3 is not available; the Python agreement test is skipped");
        return;
    };
    let mut gen = support::Gen::new(0x5157_494c_4c21);
    let defs: Vec<FunDef> = (0..PROBLEMS).map(|i| gen.problem(&format!("f{i}"))).collect();
    // Cases on which Quill gives a value: (function, inputs, expected value).
    let mut cases: Vec<(usize, Vec<Value>, Value)> = Vec::new();
    let mut skipped = 0;
    for (i, def) in defs.iter().enumerate() {
        for _ in 0..INPUTS_PER_PROBLEM {
            let inputs = gen.inputs(def);
            match quill_eval::eval(&def.body, &inputs) {
                Ok(v) => cases.push((i, inputs, v)),
                Err(_) => skipped += 1,
            }
        }
    }
    let failures = disagreements(&python, &defs, &cases, "quill_python_agreement.py");
    let agreed = cases.len() - failures.len();
    println!(
        "{PROBLEMS} terms, {} inputs: {agreed} agreed, {} disagreed, {skipped} skipped (Quill error)",
        cases.len() + skipped,
        failures.len()
    );
    assert_agreed(&failures);
}

/// Each of Quill's calendar helpers, which the export writes with `_date` and `_day_name`, and its
/// calendar counts, which it writes from their definitions, on dates in the usual formats (with
/// years, months and days in and out of range) and on other text.
#[test]
fn python_reads_dates_as_quill_does() {
    let Some(python) = python() else {
        println!("note: python3 is not available; the Python date test is skipped");
        return;
    };
    let names = [
        "date_year",
        "date_month",
        "date_day",
        "day_name",
        "day_abbr",
        "date_week",
        "date_yday",
        "date_quarter",
    ];
    let defs: Vec<FunDef> = names
        .iter()
        .map(|n| {
            let h = quill_lang::grammar::offerable_helper(n).expect("Quill offers the calendar helpers");
            support::define(
                &format!("f_{n}"),
                &[("s", quill_lang::Sort::String)],
                h.ret,
                &format!("({n} s)"),
                std::slice::from_ref(h),
            )
        })
        .collect();
    let mut texts = vec!["".to_string(), "no date".into(), "6:25:57 PM".into(), "123456789012".into()];
    let formats = [
        "{d}-{M}-{y}",
        "{M} {d} {y}",
        "{m}{d}{y}",
        "{y}{m}{d}",
        "{y}-{m}-{d}",
        "{d}.{m}.{y}",
        "{m}/{d}/{y} 0:00",
        "x{y}",
        "{M}",
        "{d}/{m}/{y}",
        "{m}.{d}.{y}",
        "{Y} {n}",
    ];
    let mut k: u64 = 7;
    for f in formats {
        for _ in 0..40 {
            // A small linear congruential sequence: varied and reproducible, with no dependency.
            k = k.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let (y, m, d) = ((k >> 20) % 2400, (k >> 40) % 14, (k >> 50) % 33);
            let month = quill_lang::dates::MONTHS[(m as usize).clamp(1, 12) - 1];
            let text = f
                .replace("{y}", &y.to_string())
                .replace("{m}", &format!("{m:02}"))
                .replace("{d}", &d.to_string())
                .replace("{M}", &month[..3 + (k % 2) as usize * (month.len() - 3)])
                .replace("{Y}", &(1000 + y).to_string())
                .replace("{n}", &format!("{:03}", (k >> 8) % 400));
            texts.push(text);
        }
    }
    let mut cases: Vec<(usize, Vec<Value>, Value)> = Vec::new();
    for (i, def) in defs.iter().enumerate() {
        for t in &texts {
            let inputs = vec![Value::str(t)];
            let v = quill_eval::eval(&def.body, &inputs).expect("the calendar helpers are total");
            cases.push((i, inputs, v));
        }
    }
    assert_agreed(&disagreements(&python, &defs, &cases, "quill_python_dates.py"));
}

/// Quill's time helpers, which the export writes from their SMT-LIB definitions, on times in the
/// usual formats and on other text, and on minutes in and out of a day.
#[test]
fn python_reads_and_writes_times_as_quill_does() {
    let Some(python) = python() else {
        println!("note: python3 is not available; the Python time test is skipped");
        return;
    };
    let names = ["time_minutes", "clock_24", "clock_12", "clock_hour", "clock_12s"];
    let defs: Vec<FunDef> = names
        .iter()
        .map(|n| {
            let h = quill_lang::grammar::offerable_helper(n).expect("Quill offers the time helpers");
            let sort = h.params[0].1;
            support::define(
                &format!("f_{n}"),
                &[("x", sort)],
                h.ret,
                &format!("({n} x)"),
                std::slice::from_ref(h),
            )
        })
        .collect();
    let mut texts = vec!["".to_string(), "no time".into(), "Note: 5".into(), "12345".into(), "6 pm".into()];
    for h in 0..25 {
        for f in ["{h}:{m}:07", "{h}:{m} PM", "{h}:{m}am", "{h}AM", "{h}{m}", "2143-10-06 {h}:{m}"] {
            let m = (h * 7) % 60;
            texts.push(f.replace("{h}", &h.to_string()).replace("{m}", &format!("{m:02}")));
        }
    }
    let mut cases: Vec<(usize, Vec<Value>, Value)> = Vec::new();
    for (i, def) in defs.iter().enumerate() {
        let inputs: Vec<Value> = if i == 0 {
            texts.iter().map(|t| Value::str(t)).collect()
        } else {
            (-2..3000).step_by(7).map(Value::Int).collect()
        };
        for input in inputs {
            let v = quill_eval::eval(&def.body, std::slice::from_ref(&input))
                .expect("the time helpers are total");
            cases.push((i, vec![input], v));
        }
    }
    assert_agreed(&disagreements(&python, &defs, &cases, "quill_python_times.py"));
}

/// Quill's decimal step helpers, which the export writes from their SMT-LIB definitions, on
/// numbers with and without decimals and signs, on other text, and with steps and places in and
/// out of range.
#[test]
fn python_rounds_decimals_as_quill_does() {
    let Some(python) = python() else {
        println!("note: python3 is not available; the Python decimal test is skipped");
        return;
    };
    let step = quill_lang::grammar::offerable_helper("round_step").expect("Quill offers round_step");
    let trim = quill_lang::grammar::offerable_helper("trim_dec").expect("Quill offers trim_dec");
    let s = quill_lang::Sort::String;
    let int = quill_lang::Sort::Int;
    let defs = vec![
        support::define(
            "f_step",
            &[("s", s), ("k", int), ("m", int)],
            s,
            "(round_step s k m)",
            std::slice::from_ref(step),
        ),
        support::define("f_trim", &[("s", s)], s, "(trim_dec s)", std::slice::from_ref(trim)),
    ];
    let mut texts =
        vec!["".to_string(), "abc".into(), "-".into(), ".5".into(), "1.2.3".into(), "v1.0 beta".into()];
    let mut k: u64 = 11;
    for _ in 0..150 {
        k = k.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let sign = if k.is_multiple_of(3) { "-" } else { "" };
        let zeros = "000".get(..((k >> 8) % 4) as usize).unwrap_or("");
        let frac = format!("{}", (k >> 20) % 100_000);
        let text = match (k >> 40) % 3 {
            0 => format!("{sign}{}", (k >> 44) % 100_000),
            _ => format!("{sign}{}.{frac}{zeros}", (k >> 44) % 10_000),
        };
        texts.push(text);
    }
    let mut cases: Vec<(usize, Vec<Value>, Value)> = Vec::new();
    for (n, t) in texts.iter().enumerate() {
        let (places, m) = ((n % 5) as i64 - 1, [0, 1, 2, 5, 25, 50][n % 6]);
        let args = vec![Value::str(t), Value::Int(places), Value::Int(m)];
        let v = quill_eval::eval(&defs[0].body, &args).expect("round_step is total");
        cases.push((0, args, v));
        let v = quill_eval::eval(&defs[1].body, &[Value::str(t)]).expect("trim_dec is total");
        cases.push((1, vec![Value::str(t)], v));
    }
    assert_agreed(&disagreements(&python, &defs, &cases, "quill_python_decimals.py"));
}

/// Quill's digit runs (`num_at`), which the export writes from their SMT-LIB definitions, on text
/// with short and long runs of digits, other characters and none, and runs in and out of range.
#[test]
fn python_takes_runs_as_quill_does() {
    let Some(python) = python() else {
        println!("note: python3 is not available; the Python digit-run test is skipped");
        return;
    };
    let num_at = quill_lang::grammar::offerable_helper("num_at").expect("Quill offers num_at");
    let (s, int) = (quill_lang::Sort::String, quill_lang::Sort::Int);
    let defs = vec![support::define(
        "f_run",
        &[("s", s), ("i", int)],
        s,
        "(num_at s i)",
        std::slice::from_ref(num_at),
    )];
    let pieces = ["12", "7", "2024", " ", "-", ":", "%", "+", "ab", "é", "12345678901234567890123"];
    let mut cases: Vec<(usize, Vec<Value>, Value)> = Vec::new();
    let mut k: u64 = 5;
    for n in 0..200 {
        let mut text = String::new();
        for _ in 0..(n % 9) {
            k = k.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            text.push_str(pieces[((k >> 33) % pieces.len() as u64) as usize]);
        }
        let args = vec![Value::str(&text), Value::Int((n % 7) as i64 - 2)];
        let v = quill_eval::eval(&defs[0].body, &args).expect("num_at is total");
        cases.push((0, args, v));
    }
    assert_agreed(&disagreements(&python, &defs, &cases, "quill_python_runs.py"));
}

/// Quill's bins (`bin_range`), which the export writes from their SMT-LIB definitions, on whole
/// and decimal numbers, text that is no number, and every width and way of writing the ends.
#[test]
fn python_bins_numbers_as_quill_does() {
    let Some(python) = python() else {
        println!("note: python3 is not available; the Python bin test is skipped");
        return;
    };
    let bin = quill_lang::grammar::offerable_helper("bin_range").expect("Quill offers bin_range");
    let (s, int) = (quill_lang::Sort::String, quill_lang::Sort::Int);
    let defs = vec![support::define(
        "f_bin",
        &[("s", s), ("k", int), ("m", int)],
        s,
        "(bin_range s k m)",
        std::slice::from_ref(bin),
    )];
    let mut texts = vec!["".to_string(), "abc".into(), "-7".into(), ".5".into(), "0".into(), "1.2.3".into()];
    let mut k: u64 = 3;
    for _ in 0..120 {
        k = k.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        texts.push(match (k >> 40) % 3 {
            0 => format!("{}", (k >> 44) % 1000),
            1 => format!("{}.{}", (k >> 44) % 200, (k >> 20) % 100),
            _ => format!("{}", (k >> 30) % 10),
        });
    }
    let mut cases: Vec<(usize, Vec<Value>, Value)> = Vec::new();
    for (n, t) in texts.iter().enumerate() {
        let width = [0, 1, 2, 5, 10, 15, 20, 25, 50, 100][n % 10];
        let args = vec![Value::str(t), Value::Int(width), Value::Int((n % 4) as i64)];
        let v = quill_eval::eval(&defs[0].body, &args).expect("bin_range is total");
        cases.push((0, args, v));
    }
    assert_agreed(&disagreements(&python, &defs, &cases, "quill_python_bins.py"));
}

/// The cases (function, inputs, Quill's value) on which the exported module's functions give
/// another value, each described with the function and its Python text.
fn disagreements(
    python: &str,
    defs: &[FunDef],
    cases: &[(usize, Vec<Value>, Value)],
    file: &str,
) -> Vec<String> {
    let input: String = cases
        .iter()
        .map(|(i, args, _)| format!("{}\n", json!([i, args.iter().map(to_json).collect::<Vec<_>>()])))
        .collect();
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(file);
    std::fs::write(&path, script(defs)).expect("the script is written");
    let output = match run(python, &path, input, Duration::from_secs(120)) {
        Ok(out) => out,
        Err(e) => panic!("{e}"),
    };
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), cases.len(), "one output line per case");
    let mut failures = Vec::new();
    for ((i, args, expected), line) in cases.iter().zip(&lines) {
        let got: serde_json::Value = serde_json::from_str(line).unwrap_or(json!({ "unreadable": line }));
        if got != to_json(expected) {
            failures.push(format!(
                "{}\ninputs {args:?}: Quill {expected}, Python {got}\n{}",
                defs[*i],
                quill_python::function(&defs[*i])
            ));
        }
    }
    failures
}

fn assert_agreed(failures: &[String]) {
    let shown: Vec<&String> = failures.iter().take(8).collect();
    assert!(
        failures.is_empty(),
        "{} disagreements, the first ones:\n{}",
        failures.len(),
        shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
}
