//! How much of MBPP's reference code the Python grammar accepts.
//!
//! Usage: `cargo run --release -p quill-constrain --example mbpp_coverage -- PATH/mbpp.jsonl [--show N]`
//!
//! Each solution is checked in three forms, all prepared by one `python3` process:
//! `raw` (CRLF turned into LF, trailing spaces and blank lines at the end dropped), `reindented`
//! (additionally every logical line re-indented to 4 spaces per level, a comment line to the level
//! of the code after it; this is only layout) and `canonical` (`ast.unparse(ast.parse(code))`, which
//! measures the constructs rather than the layout). Solutions that Python 3 itself cannot parse
//! are left out. For rejected solutions the line where the grammar stopped is printed.

use std::io::Write;
use std::process::{Command, Stdio};

use quill_constrain::{grammar_check, python_function_grammar, TextCheck};

const PREPARE: &str = r##"
import ast, io, json, sys, tokenize

def reindent(src):
    lines = src.split("\n")
    starts, depth, at_start = {}, 0, True
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type == tokenize.INDENT:
            depth += 1
        elif tok.type == tokenize.DEDENT:
            depth -= 1
        elif tok.type == tokenize.NEWLINE:
            at_start = True
        elif tok.type in (tokenize.NL, tokenize.COMMENT, tokenize.ENCODING, tokenize.ENDMARKER):
            pass
        elif at_start:
            starts[tok.start[0]] = depth
            at_start = False
    for ln, d in starts.items():
        lines[ln - 1] = " " * 4 * d + lines[ln - 1].lstrip()
    # A comment-only line takes the indentation of the next code line (or of the last one).
    depth_at, d = [], 0
    for ln in range(len(lines), 0, -1):
        d = starts.get(ln, d)
        depth_at.append(d)
    depth_at.reverse()
    out = []
    for i, line in enumerate(lines):
        out.append(" " * 4 * depth_at[i] + line.lstrip() if line.lstrip().startswith("#") else line)
    return "\n".join(out)

rows = []
for line in open(sys.argv[1], encoding="utf-8"):
    rec = json.loads(line)
    raw = "\n".join(l.rstrip() for l in rec["code"].replace("\r\n", "\n").split("\n")).rstrip("\n")
    try:
        tree = ast.parse(raw)
    except SyntaxError:
        rows.append({"task_id": rec["task_id"], "parses": False})
        continue
    rows.append({"task_id": rec["task_id"], "parses": True, "raw": raw,
                 "reindented": reindent(raw), "canonical": ast.unparse(tree)})
json.dump(rows, sys.stdout)
"##;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: mbpp_coverage PATH/mbpp.jsonl [--show N]");
        std::process::exit(2);
    };
    let show: usize =
        args.iter().position(|a| a == "--show").and_then(|i| args.get(i + 1)?.parse().ok()).unwrap_or(0);

    let mut child = Command::new("python3")
        .args(["-c", PREPARE, path])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start python3: {e}"));
    let mut out = Vec::new();
    std::io::Read::read_to_end(child.stdout.as_mut().expect("stdout"), &mut out)
        .expect("read python3 output");
    assert!(child.wait().expect("python3").success(), "python3 could not prepare {path}");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out).expect("python3 writes JSON");

    let grammar = python_function_grammar(None, false).expect("grammar");
    let parsable: Vec<&serde_json::Value> = rows.iter().filter(|r| r["parses"] == true).collect();
    println!("{} solutions, {} parse with Python 3", rows.len(), parsable.len());
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    for form in ["raw", "reindented", "canonical"] {
        let mut accepted = 0;
        let mut shown = 0;
        for r in &parsable {
            let text = r[form].as_str().expect("string");
            match grammar_check(&grammar, text).expect("grammar compiles") {
                TextCheck::Accepted => accepted += 1,
                other if shown < show && form != "raw" => {
                    shown += 1;
                    writeln!(w, "[{form}] task {}: {}", r["task_id"], describe(text, other)).unwrap();
                }
                _ => {}
            }
        }
        let share = 100.0 * accepted as f64 / parsable.len() as f64;
        writeln!(w, "{form:>10}: {accepted}/{} accepted ({share:.1}%)", parsable.len()).unwrap();
    }
}

/// The line where the grammar stopped, with a caret under the offending byte.
fn describe(text: &str, check: TextCheck) -> String {
    match check {
        TextCheck::Accepted => "accepted".into(),
        TextCheck::Incomplete => "incomplete at the end".into(),
        TextCheck::RejectedAt(i) => {
            let start = text[..i].rfind('\n').map_or(0, |p| p + 1);
            let end = text[i..].find('\n').map_or(text.len(), |p| i + p);
            format!(
                "rejected at line {}:\n    {}\n    {}^",
                text[..i].matches('\n').count() + 1,
                &text[start..end],
                " ".repeat(text[start..i].chars().count())
            )
        }
    }
}
