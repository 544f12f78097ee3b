//! `report.md` and the plots: per suite, a table of outcomes and times for each solver, the ratio of
//! median times on tasks both solved, generalization on held-out examples, and the failures by name.

use crate::error::BenchError;
use crate::prepare::safe_path;
use crate::results::{ResultRow, Status};
use crate::suite::Suite;
use crate::svg;
use std::fmt::Write;
use std::path::Path;

/// How the run was made, for the report's header.
#[derive(Clone, Debug, Default)]
pub struct RunInfo {
    pub command: String,
    pub date: String,
    pub nproc: usize,
    pub cpu: String,
    /// (solver name, its version line or path).
    pub versions: Vec<(String, String)>,
    pub z3: String,
    pub timeout: f64,
    pub jobs: usize,
    pub seed: u64,
    pub holdout: usize,
    /// Whether Quill was given the held-out inputs without their outputs (`--unlabeled`).
    pub unlabeled: bool,
    /// Solver names in run order (Quill first when it ran).
    pub solvers: Vec<String>,
}

/// The median of some numbers (`None` for none).
pub fn median(xs: &[f64]) -> Option<f64> {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    (n > 0).then(|| if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

fn secs(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{v:.2}"))
}

/// Writes `report.md`, one cactus plot per suite and the generalization chart into `out`.
pub fn write_all(
    out: &Path,
    info: &RunInfo,
    suites: &[Suite],
    rows: &[ResultRow],
    interrupted: bool,
) -> Result<(), BenchError> {
    let write = |name: &str, text: &str| {
        std::fs::write(out.join(name), text).map_err(|e| BenchError::io(out.join(name), e))
    };
    let mut md = String::new();
    header(&mut md, info, interrupted);
    for suite in suites {
        let mine: Vec<&ResultRow> = rows.iter().filter(|r| r.suite == suite.name).collect();
        let plot = format!("cactus-{}.svg", safe_path(&suite.name).replace('/', "_"));
        let series: Vec<svg::Series> = info
            .solvers
            .iter()
            .map(|s| svg::Series { name: s.clone(), times: solved_times(&mine, s) })
            .collect();
        write(
            &plot,
            &svg::cactus(
                &format!("{}: time per solved task", suite.name),
                &series,
                info.timeout,
                suite.tasks.len(),
            ),
        )?;
        suite_section(&mut md, info, suite, &mine, &plot);
    }
    let (groups, values) = generalization(info, suites, rows);
    write(
        "generalization.svg",
        &svg::bars("Generalization to held-out examples", &groups, &info.solvers, &values),
    )?;
    md.push_str("## Generalization, all suites\n\n![generalization](generalization.svg)\n");
    write("report.md", &md)
}

fn header(md: &mut String, info: &RunInfo, interrupted: bool) {
    md.push_str("# quill bench report\n\n");
    if interrupted {
        md.push_str("**Interrupted (Ctrl-C): this report covers only the tasks that finished.**\n\n");
    }
    let _ = writeln!(md, "- Command: `{}`", info.command);
    let _ = writeln!(md, "- Date: {}", info.date);
    let _ = writeln!(md, "- Machine: {} CPUs (nproc), {}", info.nproc, info.cpu);
    let _ = writeln!(
        md,
        "- Limits: {} s per task and solver (killed 2 s after), {} task(s) at a time; seed {}, {} example(s) held out per task",
        info.timeout, info.jobs, info.seed, info.holdout
    );
    if info.unlabeled {
        md.push_str(
            "- **Protocol: unlabeled inputs.** Quill's runs were given the held-out examples' inputs without \
             their outputs (`quill synth --inputs`), as a spreadsheet user has the rest of a column; \
             generalization here is not comparable with a run that hides them.\n",
        );
    }
    for (name, v) in &info.versions {
        let _ = writeln!(md, "- {name}: {v}");
    }
    let _ = writeln!(md, "- Answers checked by Quill's evaluator and z3: {}", info.z3);
    md.push_str(
        "\nStatuses: *solved* = answer passed the checks (or a confirmed `infeasible`); *wrong* = refuted or \
         malformed answer; *unchecked* = neither check could decide. Times are wall-clock seconds over solved tasks.\n\n",
    );
}

fn solved_times(rows: &[&ResultRow], solver: &str) -> Vec<f64> {
    rows.iter().filter(|r| r.solver == solver && r.status == Status::Solved).map(|r| r.wall_s).collect()
}

fn suite_section(md: &mut String, info: &RunInfo, suite: &Suite, rows: &[&ResultRow], plot: &str) {
    let tasks_run = rows.iter().map(|r| &r.task).collect::<std::collections::HashSet<_>>().len();
    let _ = writeln!(
        md,
        "## {}\n\n{} of {} tasks run (`{}`).\n",
        suite.name,
        tasks_run,
        suite.tasks.len(),
        suite.path.display()
    );
    md.push_str("| solver | solved | failed | timeout | wrong | error | unchecked | median s | mean s | mean CPU s |\n");
    md.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for s in &info.solvers {
        let mine: Vec<&&ResultRow> = rows.iter().filter(|r| &r.solver == s).collect();
        let count = |st: Status| mine.iter().filter(|r| r.status == st).count();
        let times = solved_times(rows, s);
        let cpu: Vec<f64> = mine.iter().filter(|r| r.status == Status::Solved).map(|r| r.cpu_s).collect();
        let _ = writeln!(
            md,
            "| {s} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            count(Status::Solved),
            count(Status::Failed),
            count(Status::Timeout),
            count(Status::Wrong),
            count(Status::Error),
            count(Status::Unchecked),
            secs(median(&times)),
            secs(mean(&times)),
            secs(mean(&cpu))
        );
    }
    md.push('\n');
    if let Some(first) = info.solvers.first() {
        for other in info.solvers.iter().skip(1) {
            ratio_line(md, rows, first, other);
        }
    }
    for s in &info.solvers {
        let gen: Vec<bool> = rows.iter().filter(|r| &r.solver == s).filter_map(|r| r.generalizes()).collect();
        if !gen.is_empty() {
            let k = gen.iter().filter(|g| **g).count();
            let _ = writeln!(
                md,
                "- Generalization, {s}: {k} of {} solved tasks with held-out examples are right on all of them ({:.0}%).",
                gen.len(),
                100.0 * k as f64 / gen.len() as f64
            );
        }
    }
    let _ = writeln!(md, "\n![cactus plot]({plot})\n");
    for s in &info.solvers {
        let fails: Vec<String> = rows
            .iter()
            .filter(|r| &r.solver == s && r.status != Status::Solved)
            .map(|r| match r.status {
                Status::Wrong | Status::Error | Status::Unchecked => {
                    format!("`{}` ({}: {})", r.task, r.status, r.note.chars().take(120).collect::<String>())
                }
                _ => format!("`{}` ({})", r.task, r.status),
            })
            .collect();
        if !fails.is_empty() {
            let _ = writeln!(md, "Not solved by {s} ({}): {}\n", fails.len(), fails.join(", "));
        }
    }
    if !suite.notes.is_empty() {
        let _ = writeln!(md, "Loader notes ({}):\n", suite.notes.len());
        for n in suite.notes.iter().take(20) {
            let _ = writeln!(md, "- {n}");
        }
        if suite.notes.len() > 20 {
            let _ = writeln!(md, "- ... and {} more", suite.notes.len() - 20);
        }
        md.push('\n');
    }
}

/// "Median time quill/cvc5 on the N tasks both solved: R".
fn ratio_line(md: &mut String, rows: &[&ResultRow], a: &str, b: &str) {
    let solved = |s: &str, t: &str| {
        rows.iter().find(|r| r.solver == s && r.task == t && r.status == Status::Solved).map(|r| r.wall_s)
    };
    let pairs: Vec<(f64, f64)> = rows
        .iter()
        .filter(|r| r.solver == a)
        .filter_map(|r| Some((solved(a, &r.task)?, solved(b, &r.task)?)))
        .collect();
    let ma = median(&pairs.iter().map(|p| p.0).collect::<Vec<_>>());
    let mb = median(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
    match (ma, mb) {
        (Some(x), Some(y)) if y > 0.0 => {
            let _ = writeln!(
                md,
                "- Median time {a}/{b} on the {} tasks both solved: **{:.2}** ({a} {x:.2} s, {b} {y:.2} s).",
                pairs.len(),
                x / y
            );
        }
        _ => {
            let _ = writeln!(md, "- No task solved by both {a} and {b}.");
        }
    }
}

/// Groups (suites with held-out examples) and, per solver, (share, label) for the bar chart.
type BarData = (Vec<String>, Vec<Vec<Option<(f64, String)>>>);

fn generalization(info: &RunInfo, suites: &[Suite], rows: &[ResultRow]) -> BarData {
    let mut groups = Vec::new();
    let mut values = Vec::new();
    for suite in suites {
        let per: Vec<Option<(f64, String)>> = info
            .solvers
            .iter()
            .map(|s| {
                let g: Vec<bool> = rows
                    .iter()
                    .filter(|r| r.suite == suite.name && &r.solver == s)
                    .filter_map(|r| r.generalizes())
                    .collect();
                let k = g.iter().filter(|x| **x).count();
                (!g.is_empty()).then(|| (k as f64 / g.len() as f64, format!("{k}/{}", g.len())))
            })
            .collect();
        if per.iter().any(Option::is_some) {
            groups.push(suite.name.clone());
            values.push(per);
        }
    }
    (groups, values)
}
