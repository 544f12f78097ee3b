//! Reading a table of examples (CSV or JSON) for `quill synth --examples`.

use anyhow::{bail, Context, Result};
use quill::table::{problem_from_table, Row};
use quill_lang::{Sort, Value};
use quill_sygus::Problem;
use std::path::Path;

/// Loads a CSV file (a header row naming the columns) or a JSON file (an array of rows, each an
/// array `[in1, .., out]` or an object `{"inputs": [..], "output": ..}`). With `fill`, a row whose
/// output is empty (or JSON `null`) is not an example but an input to fill in (see
/// [`quill_sygus::Problem::unlabeled`]); without it, the empty string is an output like any other.
pub fn load(path: &Path, fill: bool) -> Result<Problem> {
    let (names, rows) = read_table(path)?;
    let (blank, rows): (Vec<Row>, Vec<Row>) = rows.into_iter().partition(|(_, out)| fill && out.is_empty());
    if rows.is_empty() {
        bail!("{}: no examples (rows with an output)", path.display());
    }
    let blank: Vec<Vec<String>> = blank.into_iter().map(|(ins, _)| ins).collect();
    Ok(problem_from_table(&names, &rows, &blank))
}

/// The column names and rows of a CSV or JSON table; a JSON `null` output reads as empty.
fn read_table(path: &Path) -> Result<(Vec<String>, Vec<Row>)> {
    let (text, is_json) = read(path)?;
    if is_json {
        json_rows(path, &text)
    } else {
        csv_rows(path, &text)
    }
}

/// A table file's text, and whether it is JSON (by its extension or its first character) rather
/// than CSV.
fn read(path: &Path) -> Result<(String, bool)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let is_json = path.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with('[');
    Ok((text, is_json))
}

/// Reads `quill synth --inputs`: inputs without outputs for a problem's function, as a table of
/// its inputs alone (CSV with a header row, or JSON rows `[in1, ..]`), each cell read in its
/// parameter's sort.
pub fn load_inputs(path: &Path, params: &[Sort]) -> Result<Vec<Vec<Value>>> {
    let (text, is_json) = read(path)?;
    let rows: Vec<Vec<String>> = if is_json {
        let v: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("{}: not valid JSON", path.display()))?;
        let Some(items) = v.as_array() else { bail!("{}: expected a JSON array of rows", path.display()) };
        let mut rows = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Some(cells) = item.as_array() else {
                bail!("{}: row {} is not an array of inputs", path.display(), i + 1)
            };
            rows.push(cells.iter().map(cell).collect());
        }
        rows
    } else {
        // Flexible, so that a row of the wrong length gets the message below, which says what
        // the function takes.
        let mut reader =
            csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for (i, rec) in reader.records().enumerate() {
            let rec = rec.with_context(|| format!("{}:{}", path.display(), i + 2))?;
            rows.push(rec.iter().map(str::to_string).collect());
        }
        rows
    };
    // Rows are numbered as a reader of the file counts them: JSON rows from 1, CSV lines after
    // the header from 2.
    let first = if is_json { 1 } else { 2 };
    rows.iter()
        .enumerate()
        .map(|(i, cells)| {
            if cells.len() != params.len() {
                bail!(
                    "{}: row {}: expected {} inputs, found {}",
                    path.display(),
                    i + first,
                    params.len(),
                    cells.len()
                );
            }
            cells
                .iter()
                .zip(params)
                .map(|(c, s)| input_value(c, *s))
                .collect::<Option<Vec<Value>>>()
                .with_context(|| {
                    format!(
                        "{}: row {}: the inputs do not have the parameters' sorts",
                        path.display(),
                        i + first
                    )
                })
        })
        .collect()
}

/// A cell as a value of `sort`; `None` when it is not one (or the sort is not a table's).
fn input_value(cell: &str, sort: Sort) -> Option<Value> {
    match sort {
        Sort::String => Some(Value::str(cell)),
        Sort::Int => cell.trim().parse().ok().map(Value::Int),
        Sort::Bool => cell.trim().parse().ok().map(Value::Bool),
        _ => None,
    }
}

fn csv_rows(path: &Path, text: &str) -> Result<(Vec<String>, Vec<Row>)> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .with_context(|| format!("{}: header row", path.display()))?
        .iter()
        .map(sanitize)
        .collect();
    if header.len() < 2 {
        bail!("{}:1: need at least one input column and the output column", path.display());
    }
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.with_context(|| format!("{}:{}", path.display(), i + 2))?;
        if rec.len() != header.len() {
            bail!("{}:{}: expected {} cells, found {}", path.display(), i + 2, header.len(), rec.len());
        }
        let cells: Vec<String> = rec.iter().map(str::to_string).collect();
        let (out, ins) = cells.split_last().context("empty row")?;
        rows.push((ins.to_vec(), out.clone()));
    }
    let names = header[..header.len() - 1].to_vec();
    Ok((names, rows))
}

/// Column names become parameter names; anything unusual is replaced so that the program prints
/// as valid SyGuS and Python.
fn sanitize(name: &str) -> String {
    let s: String =
        name.trim().chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("x_{s}")
    } else {
        s
    }
}

fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn json_rows(path: &Path, text: &str) -> Result<(Vec<String>, Vec<Row>)> {
    let v: serde_json::Value =
        serde_json::from_str(text).with_context(|| format!("{}: not valid JSON", path.display()))?;
    let Some(items) = v.as_array() else { bail!("{}: expected a JSON array of rows", path.display()) };
    let mut rows = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let row: Row = match item {
            serde_json::Value::Array(cells) if cells.len() >= 2 => {
                let (out, ins) = cells.split_last().context("row")?;
                (ins.iter().map(cell).collect(), cell(out))
            }
            serde_json::Value::Object(o) => {
                match (o.get("inputs").and_then(|x| x.as_array()), o.get("output")) {
                    (Some(ins), Some(out)) => (ins.iter().map(cell).collect(), cell(out)),
                    _ => {
                        bail!("{}: row {} needs \"inputs\" (an array) and \"output\"", path.display(), i + 1)
                    }
                }
            }
            _ => bail!("{}: row {} is neither [inputs.., output] nor an object", path.display(), i + 1),
        };
        rows.push(row);
    }
    let arity = rows[0].0.len();
    if let Some(i) = rows.iter().position(|r: &Row| r.0.len() != arity) {
        bail!(
            "{}: row {} has {} inputs, the first row has {}",
            path.display(),
            i + 1,
            rows[i].0.len(),
            arity
        );
    }
    let names = (0..arity).map(|i| format!("x{i}")).collect();
    Ok((names, rows))
}
