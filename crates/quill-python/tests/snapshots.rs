//! The printed Python of a few typical answers, in full, so that any change to the output is seen.

use quill_lang::resolve::{var, Scope};
use quill_lang::sexpr::read_one;
use quill_lang::{FunDef, Func, Sort};
use std::sync::Arc;

/// A definition from its parameters and the SMT-LIB text of its body; `helpers` may be called.
fn def(name: &str, params: &[(&str, Sort)], ret: Sort, body: &str, helpers: &[&FunDef]) -> FunDef {
    let mut scope = Scope::default();
    for (i, (p, s)) in params.iter().enumerate() {
        scope.vars.push((p.to_string(), var(i, p, *s)));
    }
    for h in helpers {
        scope.funcs.insert(h.name.to_string(), Func::Defined(Arc::new((*h).clone())));
    }
    let body = scope.term(&read_one(body).expect("test bodies read")).expect("test bodies resolve");
    FunDef { name: name.into(), params: params.iter().map(|(p, s)| (Arc::from(*p), *s)).collect(), ret, body }
}

#[test]
fn first_word_uses_find_and_a_substring_helper() {
    let f = def(
        "first_word",
        &[("name", Sort::String)],
        Sort::String,
        r#"(str.++ (str.substr name 0 (str.indexof name " " 0)) ".")"#,
        &[],
    );
    let expected = r#"def _substr(s: str, i: int, n: int) -> str:
    """SMT-LIB `str.substr`: at most n characters from i; "" for a negative i or n <= 0."""
    return s[i:i + n] if i >= 0 and n > 0 else ""


def first_word(name: str) -> str:
    return _substr(name, 0, name.find(" ")) + "."
"#;
    assert_eq!(quill_python::function(&f), expected);
}

#[test]
fn repeated_subterms_get_variables_and_indexof_from_a_position_gets_a_helper() {
    let f = def(
        "last_part",
        &[("s", Sort::String), ("lambda", Sort::Int)],
        Sort::String,
        r#"(str.substr s (+ (str.indexof s "-" lambda) 1) (- (str.len s) (str.indexof s "-" lambda)))"#,
        &[],
    );
    let expected = r#"def _substr(s: str, i: int, n: int) -> str:
    """SMT-LIB `str.substr`: at most n characters from i; "" for a negative i or n <= 0."""
    return s[i:i + n] if i >= 0 and n > 0 else ""


def _indexof(s: str, t: str, i: int) -> int:
    """SMT-LIB `str.indexof`: the first t at or after i, or -1 (also for a negative i)."""
    return s.find(t, i) if i >= 0 else -1


def last_part(s: str, lambda_: int) -> str:
    pos = _indexof(s, "-", lambda_)
    return _substr(s, pos + 1, len(s) - pos)
"#;
    assert_eq!(quill_python::function(&f), expected);
}

#[test]
fn ite_prefix_and_contains_read_as_python() {
    let f = def(
        "title",
        &[("x", Sort::String), ("n", Sort::Int)],
        Sort::String,
        r#"(ite (and (str.prefixof "Dr" x) (not (str.contains x "."))) (str.replace x "Dr" "Dr.")
              (ite (< 0 n 10) (str.at x 0) (str.from_int (div n (- 2)))))"#,
        &[],
    );
    let expected = r#"def _div(a: int, b: int) -> int:
    """SMT-LIB `div`: Euclidean division, whose remainder `a % abs(b)` is never negative."""
    return a // b if b > 0 else -(a // -b)


def _from_int(n: int) -> str:
    """SMT-LIB `str.from_int`: the decimal digits of n, or "" when n is negative."""
    return str(n) if n >= 0 else ""


def title(x: str, n: int) -> str:
    if x.startswith("Dr") and "." not in x:
        return x.replace("Dr", "Dr.", 1)
    return x[:1] if 0 < n < 10 else _from_int(_div(n, -2))
"#;
    assert_eq!(quill_python::function(&f), expected);
}

#[test]
fn bit_vector_terms_are_masked_and_signed_where_needed() {
    let f = def(
        "hd",
        &[("x", Sort::BitVec(8)), ("y", Sort::BitVec(8))],
        Sort::BitVec(8),
        "(ite (bvslt x y) (bvand (bvadd x #x01) (bvnot y)) (bvor (bvlshr x #x03) (bvudiv x y)))",
        &[],
    );
    let expected = r#"def _signed(x: int, w: int) -> int:
    """The w-bit vector x read as a two's complement number."""
    return x - (1 << w) if x >> (w - 1) else x


def _udiv(x: int, y: int, w: int) -> int:
    """SMT-LIB `bvudiv` on w bits: division by zero gives all ones."""
    return x // y if y else (1 << w) - 1


def hd(x: int, y: int) -> int:
    # Bit-vectors are unsigned ints: x has 8 bits, y has 8 bits, the result has 8 bits.
    if _signed(x, 8) < _signed(y, 8):
        return ((x + 0x01) & 0xff) & (~y & 0xff)
    return (x >> 3) | _udiv(x, y, 8)
"#;
    assert_eq!(quill_python::function(&f), expected);
}

#[test]
fn module_shares_helpers_and_define_fun_functions_and_renames_clashes() {
    let first = def("first", &[("class", Sort::String)], Sort::String, "(str.at class 0)", &[]);
    let len = def("len", &[("s", Sort::String)], Sort::Int, "(+ (str.len s) 1)", &[]);
    let a = def(
        "a.b",
        &[("first", Sort::String)],
        Sort::String,
        "(str.++ (first first) (first first))",
        &[&first],
    );
    let b = def("b", &[("1st", Sort::String)], Sort::Int, "(len (first |1st|))", &[&first, &len]);
    let expected = r#"def first(class_: str) -> str:
    return class_[:1]


def a_b(first_: str) -> str:
    return first(first_) + first(first_)


def len_(s: str) -> int:
    return len(s) + 1


def b(_1st: str) -> int:
    return len_(first(_1st))
"#;
    assert_eq!(quill_python::module(&[a, b]), expected);
}

#[test]
fn case_and_reversal_extensions_and_subtracting_a_negative_literal() {
    let f = def(
        "last_name",
        &[("name", Sort::String)],
        Sort::String,
        r#"(str.to_upper (str.substr name (- (str.indexof name " " 0) (- 1)) (str.len (str.rev name))))"#,
        &[],
    );
    let expected = r#"def _substr(s: str, i: int, n: int) -> str:
    """SMT-LIB `str.substr`: at most n characters from i; "" for a negative i or n <= 0."""
    return s[i:i + n] if i >= 0 and n > 0 else ""


def _upper(s: str) -> str:
    """cvc5 `str.to_upper`: the ASCII letters a-z become A-Z; no other character changes."""
    return s.upper() if s.isascii() else "".join(c.upper() if c.isascii() else c for c in s)


def last_name(name: str) -> str:
    return _upper(_substr(name, name.find(" ") + 1, len(name[::-1])))
"#;
    assert_eq!(quill_python::function(&f), expected);
}

#[test]
fn the_last_occurrence_helper_is_rfind() {
    let helper = quill_lang::grammar::last_indexof();
    let f = def(
        "file_name",
        &[("path", Sort::String)],
        Sort::String,
        r#"(str.substr path (+ (last_indexof (str.++ path "x") "/") 1) (str.len path))"#,
        &[&helper],
    );
    // No definition of the helper is emitted: Python's `rfind` is the same function.
    let expected = r#"def _substr(s: str, i: int, n: int) -> str:
    """SMT-LIB `str.substr`: at most n characters from i; "" for a negative i or n <= 0."""
    return s[i:i + n] if i >= 0 and n > 0 else ""


def file_name(path: str) -> str:
    return _substr(path, (path + "x").rfind("/") + 1, len(path))
"#;
    assert_eq!(quill_python::function(&f), expected);
}

#[test]
fn the_field_helper_is_one_split() {
    let field = quill_lang::grammar::offerable_helper("field").expect("Quill offers `field`");
    let f = def("city", &[("address", Sort::String)], Sort::String, r#"(field address ", " 2)"#, &[field]);
    let out = quill_python::function(&f);
    assert!(out.contains("    parts = s.split(d, 12)\n"), "{out}");
    assert!(
        out.ends_with("def city(address: str) -> str:\n    return _field(address, \", \", 2)\n"),
        "{out}"
    );
    // None of the steps that unroll the definition in SMT-LIB is exported.
    assert!(!out.contains("field_end") && !out.contains("field_head"), "{out}");
}

#[test]
fn the_calendar_helpers_read_the_date_once_per_call() {
    let helper =
        |n: &str| &**quill_lang::grammar::offerable_helper(n).expect("Quill offers the calendar helpers");
    let helpers = [helper("date_month"), helper("date_day"), helper("day_abbr")];
    let body = r#"(str.++ (day_abbr d) (str.++ " " (str.++ (str.from_int (date_month d)) (str.++ "/" (str.from_int (date_day d))))))"#;
    let f = def("short", &[("d", Sort::String)], Sort::String, body, &helpers);
    let out = quill_python::function(&f);
    assert!(out.contains("def _date(s: str) -> tuple[int, int, int]:\n"), "{out}");
    assert!(out.contains("def _day_name(s: str) -> str:\n"), "{out}");
    assert!(
        out.ends_with(
            "def short(d: str) -> str:\n    return _day_name(d)[:3] + (\" \" + (_from_int(_date(d)[1]) + (\"/\" + _from_int(_date(d)[2]))))\n"
        ),
        "{out}"
    );
    // None of the SMT-LIB definition's scan for digits is exported.
    assert!(!out.contains("cal_"), "{out}");
}
