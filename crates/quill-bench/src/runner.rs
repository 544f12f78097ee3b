//! The run itself: load suites, run the solvers task by task on `--jobs` workers, record results as
//! they arrive, and write the report at the end or when Ctrl-C stops the run.
//!
//! Within a task the solvers run one after the other (Quill, then each competitor), so that a burst
//! of machine noise affects both rather than one suite-long run of a single solver.

use crate::error::BenchError;
use crate::machine;
use crate::prepare::{prepare, safe_path};
use crate::proc;
use crate::report::{self, RunInfo};
use crate::results::{CsvSink, ResultRow, Status};
use crate::solver::{judge, Competitor, Solver, SolverKind, Z3Config};
use crate::suite::{load_suite, Suite, Task};
use crate::{BenchArgs, Summary};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// How long after its own limit a solver is killed: room to start up and print.
pub const GRACE_S: f64 = 2.0;
/// The longest z3 may take to check one answer.
pub const Z3_LIMIT_S: u64 = 10;

/// Everything a worker needs, shared read-only.
struct Ctx<'a> {
    args: &'a BenchArgs,
    solvers: Vec<Solver>,
    z3: Option<Z3Config>,
    work: PathBuf,
}

pub fn run(args: &BenchArgs, quill_exe: &Path) -> Result<Summary, BenchError> {
    if args.jobs == 0 {
        return Err(BenchError::Usage("--jobs must be at least 1".into()));
    }
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        return Err(BenchError::Usage("--timeout must be a positive number of seconds".into()));
    }
    let solvers = solvers(args, quill_exe)?;
    let mut suites = args.suites.iter().map(|p| load_suite(p)).collect::<Result<Vec<_>, _>>()?;
    dedup_names(&mut suites);
    if let Some(n) = args.limit {
        suites.iter_mut().for_each(|s| s.tasks.truncate(n));
    }
    let (date, stamp) = machine::now_utc();
    let out_dir = args.out.clone().unwrap_or_else(|| PathBuf::from("results").join(format!("bench-{stamp}")));
    let work = out_dir.join("tasks");
    std::fs::create_dir_all(&work).map_err(|e| BenchError::io(&work, e))?;
    let z3_version = if args.no_z3 { None } else { machine::tool_version(&args.z3) };
    let z3 = z3_version.as_ref().map(|_| Z3Config { exe: args.z3.clone(), limit_s: Z3_LIMIT_S });
    let info = RunInfo {
        command: machine::command_line(),
        date,
        nproc: machine::nproc(),
        cpu: machine::cpu_model(),
        versions: solvers
            .iter()
            .map(|s| {
                (s.name.clone(), machine::tool_version(&s.exe).unwrap_or_else(|| s.exe.display().to_string()))
            })
            .collect(),
        z3: z3_version.unwrap_or_else(|| "not used (answers checked by Quill's evaluator only)".into()),
        timeout: args.timeout,
        jobs: args.jobs,
        seed: args.seed,
        holdout: args.holdout,
        unlabeled: args.unlabeled,
        solvers: solvers.iter().map(|s| s.name.clone()).collect(),
    };
    let mut sink = CsvSink::create(&out_dir.join("results.csv"))?;
    let ctx = Ctx { args, solvers, z3, work };
    let queue: Vec<(&Suite, &Task)> =
        suites.iter().flat_map(|s| s.tasks.iter().map(move |t| (s, t))).collect();
    let bar = progress_bar(queue.len() as u64);
    proc::install_interrupt_handler();
    let next = AtomicUsize::new(0);
    let mut rows: Vec<ResultRow> = Vec::new();
    let mut write_error = None;
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<Vec<ResultRow>>();
        for _ in 0..args.jobs.min(queue.len().max(1)) {
            let tx = tx.clone();
            let (ctx, queue, next) = (&ctx, &queue, &next);
            scope.spawn(move || {
                while !proc::stopped() {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((suite, task)) = queue.get(i) else { break };
                    if let Some(task_rows) = run_task(ctx, suite, task) {
                        if tx.send(task_rows).is_err() {
                            break;
                        }
                    }
                }
            });
        }
        drop(tx);
        for task_rows in rx {
            for r in &task_rows {
                if let Err(e) = sink.write(r) {
                    write_error.get_or_insert(e);
                }
            }
            rows.extend(task_rows);
            bar.inc(1);
            bar.set_message(tally(&rows, &ctx.solvers));
        }
    });
    bar.finish_and_clear();
    if let Some(e) = write_error {
        return Err(e);
    }
    let interrupted = proc::stopped();
    report::write_all(&out_dir, &info, &suites, &rows, interrupted)?;
    Ok(Summary { out_dir, rows, interrupted })
}

/// The solvers a run compares, in the order of the results: Quill (unless `--no-quill`), each
/// `--compare`, then Quill with each `--compare-model`.
fn solvers(args: &BenchArgs, quill_exe: &Path) -> Result<Vec<Solver>, BenchError> {
    // Every Quill configuration is the same binary with other arguments.
    let quill = |name: String, extra: Vec<String>| Solver {
        name,
        kind: SolverKind::Quill,
        exe: quill_exe.to_path_buf(),
        extra,
    };
    let model_args: Vec<String> = match &args.model {
        Some(dir) => vec!["--model".into(), dir.display().to_string()],
        None => Vec::new(),
    };
    let ranked = |rule: &str| [model_args.as_slice(), &["--rank".into(), rule.into()]].concat();
    let mut solvers: Vec<Solver> = Vec::new();
    if !args.no_quill {
        solvers.push(quill("quill".into(), model_args.clone()));
    }
    for c in &args.compare {
        solvers.push(match c {
            Competitor::Cvc5 => Solver {
                name: "cvc5".into(),
                kind: SolverKind::Cvc5,
                exe: args.cvc5.clone(),
                extra: Vec::new(),
            },
            Competitor::QuillNoModel => quill("quill-no-model".into(), vec!["--no-model".into()]),
            Competitor::QuillPerToken => quill("quill-per-token".into(), ranked("per-token")),
            Competitor::QuillSizeFirst => quill("quill-size-first".into(), ranked("size-first")),
            Competitor::QuillLearned => quill("quill-learned".into(), ranked("learned")),
        });
    }
    for dir in &args.compare_model {
        let base =
            dir.file_name().map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned());
        let mut name = format!("quill@{base}");
        // Two folders of one name (`a/model`, `b/model`) would merge their rows in the results.
        let mut k = 2;
        while solvers.iter().any(|s| s.name == name) {
            name = format!("quill@{base}-{k}");
            k += 1;
        }
        solvers.push(quill(name, vec!["--model".into(), dir.display().to_string()]));
    }
    if solvers.is_empty() {
        return Err(BenchError::Usage(
            "no solver to run (--no-quill without --compare or --compare-model)".into(),
        ));
    }
    Ok(solvers)
}

/// Runs every solver on one task; `None` when Ctrl-C cut it short (a half-run task is not recorded).
fn run_task(ctx: &Ctx, suite: &Suite, task: &Task) -> Option<Vec<ResultRow>> {
    let args = ctx.args;
    let row = |solver: &Solver| ResultRow {
        suite: suite.name.clone(),
        task: task.name.clone(),
        solver: solver.name.clone(),
        status: Status::Error,
        wall_s: 0.0,
        cpu_s: 0.0,
        size: None,
        holdout_total: 0,
        holdout_correct: None,
        answer: String::new(),
        note: String::new(),
    };
    let prepared = match prepare(task, &suite.name, &ctx.work, args.holdout, args.seed, args.unlabeled) {
        Ok(p) => p,
        Err(e) => return Some(ctx.solvers.iter().map(|s| ResultRow { note: e.clone(), ..row(s) }).collect()),
    };
    let mut rows = Vec::new();
    let limit = Duration::from_secs_f64(args.timeout + GRACE_S);
    for solver in &ctx.solvers {
        let out = proc::run(
            solver.command(&prepared.sl_path, args.timeout, prepared.inputs_path.as_deref()),
            limit,
        );
        if proc::stopped() {
            return None;
        }
        let base = prepared.sl_path.with_extension("");
        let log = |ext: &str| PathBuf::from(format!("{}.{}.{ext}", base.display(), safe_path(&solver.name)));
        let _ = std::fs::write(log("stdout"), &out.stdout);
        let _ = std::fs::write(log("stderr"), &out.stderr);
        let j = judge(&prepared, &out, args.timeout, ctx.z3.as_ref(), &log("z3.smt2"));
        if proc::stopped() {
            // The z3 check may have been killed half-way: do not record a verdict made without it.
            return None;
        }
        let note = [prepared.note.clone().unwrap_or_default(), j.note]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        rows.push(ResultRow {
            status: j.status,
            wall_s: round_ms(out.wall_s),
            cpu_s: round_ms(out.cpu_s),
            size: j.size,
            holdout_total: prepared.heldout.len(),
            holdout_correct: j.holdout_correct,
            answer: j.answer,
            note,
            ..row(solver)
        });
    }
    Some(rows)
}

/// Times to the millisecond: finer digits are noise and make the CSV hard to read.
fn round_ms(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Makes suite names unique (two folders both called `pbe`, say) by numbering repeats.
fn dedup_names(suites: &mut [Suite]) {
    for i in 1..suites.len() {
        let base = suites[i].name.clone();
        let mut n = 2;
        while suites[..i].iter().any(|s| s.name == suites[i].name) {
            suites[i].name = format!("{base}-{n}");
            n += 1;
        }
    }
}

fn progress_bar(len: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let style =
        ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} tasks, ETA {eta} {msg}")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// "quill 3 solved, cvc5 4 solved" for the progress line.
fn tally(rows: &[ResultRow], solvers: &[Solver]) -> String {
    solvers
        .iter()
        .map(|s| {
            let n = rows.iter().filter(|r| r.solver == s.name && r.status == Status::Solved).count();
            format!("{} {n}", s.name)
        })
        .collect::<Vec<_>>()
        .join(", ")
        + " solved"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_compared_model_runs_as_its_own_quill_with_a_distinct_name() {
        let mut args = BenchArgs::new(vec![PathBuf::from("suite")]);
        args.compare = vec![Competitor::QuillNoModel];
        args.compare_model = vec!["runs/v2".into(), "old/v2".into(), "models/quill-strings".into()];
        let s = solvers(&args, Path::new("quill")).unwrap();
        let names: Vec<&str> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["quill", "quill-no-model", "quill@v2", "quill@v2-2", "quill@quill-strings"]);
        assert_eq!(s[3].extra, ["--model", "old/v2"]);
        assert!(s[0].extra.is_empty());
    }

    #[test]
    fn a_compared_model_alone_is_something_to_run() {
        let mut args = BenchArgs::new(vec![PathBuf::from("suite")]);
        args.no_quill = true;
        assert!(matches!(solvers(&args, Path::new("quill")), Err(BenchError::Usage(_))));
        args.compare_model = vec!["runs/v2".into()];
        assert_eq!(solvers(&args, Path::new("quill")).unwrap().len(), 1);
    }
}
