//! Splitting string outputs for `str.++` on a problem from a table, end to end: among the splits
//! whose remainder is already a kept program, the smallest whole program wins, instead of a longer
//! prefix whose odd remainder needs several more pieces.

use quill::table::problem_from_rows;
use quill::{solve, Config};
use std::time::Duration;

#[test]
fn a_date_is_rebuilt_from_its_parts_not_from_odd_pieces() {
    let rows: Vec<(Vec<String>, String)> =
        [("1973-02-17", "1973-02-17"), ("9 April 1987", "1987-04-09"), ("4. November 2013", "2013-11-04")]
            .iter()
            .map(|(i, o)| (vec![i.to_string()], o.to_string()))
            .collect();
    let problem = problem_from_rows(&["date".to_string()], &rows);
    let config = Config { timeout: Duration::from_secs(30), ..Config::default() };
    let s = solve(&problem, &config, None, None).unwrap();
    let body = &s.answers[0][0].body;
    // The year, "-", the padded month, "-", the padded day: 19 nodes. Before, the search took
    // "-" and the input's third number as a prefix and answered with 29 nodes.
    assert!(body.size() <= 19, "{body}");
    assert!(body.to_string().contains("(date_day date)"), "{body}");
}
