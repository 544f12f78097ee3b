//! Data-driven semantics tests: `tests/fixtures/semantics.txt` lists closed terms with the value
//! SMT-LIB 2.6 assigns them.

use quill_lang::resolve::Scope;
use quill_lang::sexpr::read_one;

#[test]
fn fixture_terms_evaluate_as_smtlib_defines() {
    let text = include_str!("fixtures/semantics.txt");
    let scope = Scope::default();
    let mut failures = Vec::new();
    let mut count = 0;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with(';') {
            continue;
        }
        let (term, expected) = line.rsplit_once(" => ").unwrap_or_else(|| panic!("line {}: no `=>`", n + 1));
        let term = scope.term(&read_one(term).unwrap()).unwrap_or_else(|e| panic!("line {}: {e}", n + 1));
        let got = match quill_eval::eval(&term, &[]) {
            Ok(v) => v.to_string(),
            Err(_) => "error".to_string(),
        };
        count += 1;
        if got != expected.trim() {
            failures.push(format!("line {}: {term} gave {got}, expected {}", n + 1, expected.trim()));
        }
    }
    assert!(count > 50);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
