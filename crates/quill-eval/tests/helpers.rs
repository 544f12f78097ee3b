//! The helpers of `quill_lang::numbers` (`round_to`, `pad_zero`, `round_dec`, `shift_dec`, ..),
//! `quill_lang::dates` (`month_name`, `hour12`, ..), `quill_lang::fields` (`field`) and
//! `quill_lang::calendar` (`date_month`, `day_name`, ..), `quill_lang::weeks` (`date_week`, ..) and `quill_lang::times` (`time_minutes`,
//! `clock_12`, ..), `quill_lang::decimals` (`round_step`, `trim_dec`), `quill_lang::runs` (`num_at`)
//! and `quill_lang::bins` (`bin_range`), which are SMT-LIB definitions evaluated
//! through their bodies: the values listed in `tests/fixtures/helpers.txt`, the same values from
//! z3 (which checks answers that call them in the benchmarks), and decimal rounding and shifting,
//! fields, dates, times, decimal steps, digit runs and bins against independent references.

use proptest::prelude::*;
use quill_lang::resolve::Scope;
use quill_lang::sexpr::read_one;
use quill_lang::{Func, Term, Value};
use std::io::Write;
use std::process::{Command, Stdio};

/// Every helper, callees first.
fn definitions() -> Vec<std::sync::Arc<quill_lang::FunDef>> {
    let mut all = quill_lang::numbers::definitions();
    all.extend(quill_lang::dates::month_definitions());
    all.extend(quill_lang::dates::clock_definitions());
    all.extend(quill_lang::fields::definitions());
    all.extend(quill_lang::calendar::definitions());
    all.extend(quill_lang::times::definitions());
    all.extend(quill_lang::times::slot_definitions());
    all.extend(quill_lang::times::next_definitions());
    all.extend(quill_lang::times::spaced_definitions());
    all.extend(quill_lang::decimals::definitions());
    all.extend(quill_lang::weeks::definitions());
    all.extend(quill_lang::runs::definitions());
    all.extend(quill_lang::bins::definitions());
    all
}

fn scope() -> Scope {
    let mut scope = Scope::default();
    for d in definitions() {
        scope.funcs.insert(d.name.to_string(), Func::Defined(d));
    }
    scope
}

/// The fixture's cases: the term's text, the term, and the expected value's text.
fn cases() -> Vec<(String, Term, String)> {
    let scope = scope();
    include_str!("fixtures/helpers.txt")
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with(';'))
        .map(|(n, line)| {
            let (text, expected) =
                line.rsplit_once(" => ").unwrap_or_else(|| panic!("line {}: no `=>`", n + 1));
            let term = scope.term(&read_one(text).unwrap()).unwrap_or_else(|e| panic!("line {}: {e}", n + 1));
            (text.to_string(), term, expected.trim().to_string())
        })
        .collect()
}

#[test]
fn fixture_values() {
    let mut failures = Vec::new();
    for (text, term, expected) in cases() {
        let got = quill_eval::eval(&term, &[]).map_or("error".to_string(), |v| v.to_string());
        if got != expected {
            failures.push(format!("{text} gave {got}, expected {expected}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn z3_gives_the_fixture_values() {
    let z3 = std::env::var("QUILL_Z3").unwrap_or_else(|_| "z3".into());
    if !Command::new(&z3).arg("--version").output().is_ok_and(|o| o.status.success()) {
        assert!(std::env::var("QUILL_REQUIRE_Z3").is_err(), "z3 is required (QUILL_REQUIRE_Z3) but missing");
        eprintln!("note: z3 not found, the agreement of the helpers with z3 is not checked");
        return;
    }
    let mut script = String::from("(set-logic ALL)\n");
    for d in definitions() {
        script.push_str(&format!("{d}\n"));
    }
    let checked: Vec<_> = cases().into_iter().filter(|c| c.2 != "error").collect();
    for (_, term, expected) in &checked {
        script.push_str(&format!("(simplify (= {term} {expected}))\n"));
    }
    let mut child = Command::new(&z3)
        .args(["-in", "-T:60"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("z3 starts");
    child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let lines: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), checked.len(), "z3 said: {lines:?}");
    let wrong: Vec<String> = checked
        .iter()
        .zip(&lines)
        .filter(|(_, l)| l.trim() != "true")
        .map(|((text, _, expected), l)| format!("{text} = {expected}: z3 says {l}"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Decimal rounding half up of `sign int.frac` to `k` places, by integer arithmetic on the value
/// in units of 10^-8.
fn reference(negative: bool, int: u64, frac: &str, k: u32) -> String {
    let digits = format!("{frac:0<8}");
    let units = u128::from(int) * 100_000_000 + digits.parse::<u128>().unwrap();
    let step = 10u128.pow(8 - k);
    let rounded = (units + step / 2) / step;
    let scale = 10u128.pow(k);
    let (whole, part) = (rounded / scale, rounded % scale);
    // A number that rounds to zero loses its sign, as in a spreadsheet.
    let sign = if negative && rounded > 0 { "-" } else { "" };
    if k == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{part:0>width$}", width = k as usize)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
    #[test]
    fn round_dec_rounds_half_up(negative in any::<bool>(), int in 0u64..10_000_000, frac in "[0-9]{0,7}", k in 0u32..7) {
        let sign = if negative { "-" } else { "" };
        let dot = if frac.is_empty() { String::new() } else { format!(".{frac}") };
        let text = format!("{sign}{int}{dot}");
        let round = scope().funcs["round_dec"].clone();
        let term = Term::App(round, vec![Term::Lit(Value::str(&text)), Term::Lit(Value::Int(i64::from(k)))]);
        let got = quill_eval::eval(&term, &[]).unwrap();
        prop_assert_eq!(got, Value::str(&reference(negative, int, &frac, k)), "{} to {} places", text, k);
    }
}

/// A decimal string's value as a fraction `numerator / 10^places`.
fn as_fraction(text: &str) -> (u128, u32) {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    (format!("{whole}{frac}").parse().unwrap(), frac.len() as u32)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
    #[test]
    fn shift_dec_multiplies_by_a_power_of_ten(int in 0u64..100_000, frac in "[0-9]{0,5}", k in -6i64..7) {
        let dot = if frac.is_empty() { String::new() } else { format!(".{frac}") };
        let text = format!("{int}{dot}");
        let shift = scope().funcs["shift_dec"].clone();
        let term = Term::App(shift, vec![Term::Lit(Value::str(&text)), Term::Lit(Value::Int(k))]);
        let got = quill_eval::eval(&term, &[]).unwrap();
        let got = got.as_str().unwrap().to_rust_string();
        // The same value: got = text * 10^k, compared as fractions by cross-multiplying.
        let (a, pa) = as_fraction(&got);
        let (b, pb) = as_fraction(&text);
        let lhs = a * 10u128.pow(pb + 6);
        let rhs = b * 10u128.pow((pa as i64 + 6 + k) as u32);
        prop_assert_eq!(lhs, rhs, "{} shifted by {} gave {}", text, k, got);
        // Written plainly: no point at the end, no leading zero before a digit in the whole part.
        let whole = got.split('.').next().unwrap();
        prop_assert!(!got.ends_with('.') && (whole == "0" || !whole.starts_with('0')), "{}", got);
    }
}

/// Python's `s.split(d)[k]` within `field`'s reach (pieces 0 to `MAX_FIELD`, and the last two
/// found past at most `BACK_DEPTH` separators), and "" where Python has no such piece.
fn split_reference(s: &str, d: &str, k: i64) -> String {
    let depth = quill_lang::fields::BACK_DEPTH;
    if d.is_empty() || !(-2..=quill_lang::fields::MAX_FIELD).contains(&k) {
        return String::new();
    }
    let parts: Vec<&str> = s.splitn(depth + 1, d).collect();
    match k {
        -1 => parts[parts.len() - 1].to_string(),
        -2 if parts.len() >= 2 && s.matches(d).count() <= depth => parts[parts.len() - 2].to_string(),
        -2 => String::new(),
        k => parts.get(k as usize).map_or(String::new(), |p| p.to_string()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
    #[test]
    fn field_splits_as_python_does(s in "[ab,; ]{0,18}", d in prop::sample::select(vec![",", ", ", ";", " ", ",;", "a", "aa", "aba", ""]), k in -4i64..7) {
        let field = scope().funcs["field"].clone();
        let term = Term::App(field, vec![Term::Lit(Value::str(&s)), Term::Lit(Value::str(d)), Term::Lit(Value::Int(k))]);
        let got = quill_eval::eval(&term, &[]).unwrap();
        prop_assert_eq!(got, Value::str(&split_reference(&s, d, k)), "{:?} split on {:?}, piece {}", s, d, k);
    }
}

/// Helper `name` applied to `arg` through its SMT-LIB body. The evaluator computes some of Quill's
/// own definitions natively, so the helper is called under another name, which makes it a
/// definition of the problem's own (the helpers it calls are native still, and are held to the
/// reference through their own renamed bodies); the native value must be the same.
fn by_body(scope: &Scope, name: &str, arg: Value) -> Value {
    by_body_of(scope, name, &[arg])
}

/// [`by_body`] with any arguments.
fn by_body_of(scope: &Scope, name: &str, args: &[Value]) -> Value {
    let Func::Defined(def) = &scope.funcs[name] else { panic!("{name} is a definition") };
    let renamed = quill_lang::FunDef { name: format!("{name}_body").as_str().into(), ..(**def).clone() };
    let lits: Vec<Term> = args.iter().cloned().map(Term::Lit).collect();
    let by_body =
        quill_eval::eval(&Term::App(Func::Defined(std::sync::Arc::new(renamed)), lits.clone()), &[]).unwrap();
    let native = quill_eval::eval(&Term::App(scope.funcs[name].clone(), lits), &[]);
    assert_eq!(native.as_ref(), Ok(&by_body), "{name} of {args:?}: native and by its body");
    by_body
}

/// The `i`-th run of digits of `s` (`i` clamped to 0..=3), found a character at a time: a run
/// ends at a non-digit or after `MAX_RUN` digits.
fn run_reference(s: &str, i: i64) -> String {
    let mut runs: Vec<String> = Vec::new();
    let mut open = false;
    for c in s.chars() {
        if !c.is_ascii_digit() {
            open = false;
            continue;
        }
        match runs.last_mut() {
            Some(r) if open && r.len() < quill_lang::runs::MAX_RUN => r.push(c),
            _ => runs.push(c.to_string()),
        }
        open = true;
    }
    runs.get(i.clamp(0, 3) as usize).cloned().unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
    /// `num_at` through its body, natively and by the reference take the same run of digits, on
    /// text with short and long runs.
    #[test]
    fn num_at_takes_a_run_of_digits(s in "([0-9]{1,3}|[0-9]{18,24}|[ .:%+-]|ab|é){0,8}", i in -2i64..6) {
        let got = by_body_of(&scope(), "num_at", &[Value::str(&s), Value::Int(i)]);
        prop_assert_eq!(&got, &Value::str(&run_reference(&s, i)), "{:?}, {}", s, i);
        prop_assert_eq!(got, Value::str(&quill_lang::runs::num_at(&s, i)));
    }
}

/// The bin of `n` (a whole number) of width `k` as counted by hand: the first `lo` of the right
/// form (a multiple of `k`, or one more than one) with `lo <= n <= hi`.
fn bin_reference(n: i64, k: i64, m: i64) -> String {
    let k = k.max(1);
    let start = if m == 2 { 1 } else { 0 };
    let last = if m == 0 { k } else { k - 1 };
    let mut lo = start;
    while lo + last < n || (m == 0 && lo + k <= n) {
        lo += k;
    }
    format!("{lo}-{}", lo + last)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
    /// `bin_range` through its body and by the Rust reading agree with a bin counted by hand, for
    /// whole and decimal numbers, and give "" for text that is no number.
    #[test]
    fn bin_range_finds_the_bin_that_holds_the_number(n in 1i64..5000, frac in "(\\.[0-9]{1,3})?", k in -1i64..120, m in 0i64..3, junk in "[a-z -]{1,4}") {
        let s = format!("{n}{frac}");
        let got = by_body_of(&scope(), "bin_range", &[Value::str(&s), Value::Int(k), Value::Int(m)]);
        prop_assert_eq!(&got, &Value::str(&bin_reference(n, k, m)), "{:?} {} {}", s, k, m);
        prop_assert_eq!(got, Value::str(&quill_lang::bins::bin_range(&s, k, m)));
        let none = by_body_of(&scope(), "bin_range", &[Value::str(&junk), Value::Int(k), Value::Int(m)]);
        prop_assert_eq!(none, Value::str(""));
    }
}

/// The calendar helpers applied to `s` through their SMT-LIB bodies: year, month, day and weekday
/// name.
fn calendar_values(s: &str) -> (Value, Value, Value, Value) {
    let scope = scope();
    let call = |name: &str| by_body(&scope, name, Value::str(s));
    (call("date_year"), call("date_month"), call("date_day"), call("day_name"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
    /// The SMT-LIB definitions read dates as `quill_lang::calendar::read` does, on text made of
    /// the pieces dates are written with (and on dates in range, for the weekday's arithmetic).
    #[test]
    fn calendar_reads_as_the_reference_does(s in "([0-9]{1,9}|[-/. ,:T]|Oct|March|Feb|x){0,7}", y in 0i64..2400, m in 1i64..13, d in 1i64..29) {
        let ordinal = format!("{} {:03}", 1000 + y, (m * 31 + d) % 400);
        for text in [s.clone(), format!("{m}/{d}/{y}"), format!("{d}.{m}.{y}"), ordinal] {
            let (ry, rm, rd) = quill_lang::calendar::read(&text);
            let want = (Value::Int(ry), Value::Int(rm), Value::Int(rd), Value::str(quill_lang::calendar::day_name(&text)));
            prop_assert_eq!(calendar_values(&text), want, "{:?}", text);
        }
    }

    /// The calendar counts' definitions give `quill_lang::weeks`' week, day of the year and
    /// quarter, on the same texts and on dates around the turn of a year.
    #[test]
    fn calendar_counts_as_the_reference_does(s in "([0-9]{1,9}|[-/. ,:T]|Oct|March|Feb|x){0,7}", y in 0i64..2400, m in 1i64..13, d in 1i64..32, end in 0i64..14) {
        let scope = scope();
        let turn = if end < 7 { format!("12/{}/{y}", 25 + end) } else { format!("1/{}/{y}", end - 6) };
        for text in [s.clone(), format!("{m}/{d}/{y}"), format!("{y}-{m}-{d}"), turn] {
            for (name, want) in [
                ("date_week", quill_lang::weeks::week(&text)),
                ("date_yday", quill_lang::weeks::yday(&text)),
                ("date_quarter", quill_lang::weeks::quarter(&text)),
            ] {
                prop_assert_eq!(by_body(&scope, name, Value::str(&text)), Value::Int(want), "{} of {:?}", name, text);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
    /// The SMT-LIB definitions read times as `quill_lang::times::minutes` does, and write minutes
    /// as `quill_lang::times::clocks` does.
    #[test]
    fn times_read_and_write_as_the_reference_does(s in "([0-9]{1,5}|[: ]|AM|pm|P|x){0,6}", h in 0i64..24, m in 0i64..60, k in -2i64..3000) {
        let scope = scope();
        for text in [s.clone(), format!("{h}:{m:02}:07"), format!("{h} PM"), format!("{h}{m:02}")] {
            let want = Value::Int(quill_lang::times::minutes(&text));
            prop_assert_eq!(by_body(&scope, "time_minutes", Value::str(&text)), want, "{:?}", text);
        }
        let [c24, c12, hour] = quill_lang::times::clocks(k);
        let spaced = if c12.len() > 2 { format!("{} {}", &c12[..c12.len() - 2], &c12[c12.len() - 2..]) } else { c12.clone() };
        for (name, want) in [("clock_24", c24), ("clock_12", c12), ("clock_hour", hour), ("clock_12s", spaced)] {
            prop_assert_eq!(by_body(&scope, name, Value::Int(k)), Value::str(&want), "{} of {}", name, k);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
    /// `round_step` through its body is the Rust reading, and the Rust reading rounds exactly
    /// (checked here by fractions) for numbers with at most `k` + 3 decimals.
    #[test]
    fn round_step_rounds_to_the_nearest_step(negative in any::<bool>(), int in 0u64..10_000_000, frac in "[0-9]{0,6}", k in 0i64..4, m in prop::sample::select(vec![1i64, 2, 5, 25, 50])) {
        let sign = if negative { "-" } else { "" };
        let dot = if frac.is_empty() { String::new() } else { format!(".{frac}") };
        let text = format!("{sign}{int}{dot}");
        let step = scope().funcs["round_step"].clone();
        let args = vec![Term::Lit(Value::str(&text)), Term::Lit(Value::Int(k)), Term::Lit(Value::Int(m))];
        let got = quill_eval::eval(&Term::App(step, args), &[]).unwrap();
        let expected = quill_lang::decimals::round_step(&text, k, m).unwrap();
        prop_assert_eq!(&got, &Value::str(&expected), "{} to {} units of 10^-{}", text, m, k);
        if frac.len() as i64 <= k + 3 {
            // In units of 10^-9: the distance to the answer is at most half a step, and below it
            // when the next step up is as close (halves go up).
            let (value, places) = as_fraction(&format!("{int}{dot}"));
            let v = value * 10u128.pow(9 - places);
            let (answer, ap) = as_fraction(expected.trim_start_matches('-'));
            let a = answer * 10u128.pow(9 - ap);
            let unit = 10u128.pow(9 - k as u32) * m as u128;
            prop_assert!(a.is_multiple_of(unit), "{} is not a multiple", expected);
            prop_assert!(v.abs_diff(a) * 2 <= unit && !(a < v && (v - a) * 2 == unit), "{} for {}", expected, text);
        }
    }

    #[test]
    fn trim_dec_drops_trailing_zeros(text in "-?[0-9]{0,3}(\\.[0-9]{0,3}0{0,7})?x?") {
        let trim = scope().funcs["trim_dec"].clone();
        let got = quill_eval::eval(&Term::App(trim, vec![Term::Lit(Value::str(&text))]), &[]).unwrap();
        prop_assert_eq!(got, Value::str(&quill_lang::decimals::trim_dec(&text)));
    }
}
