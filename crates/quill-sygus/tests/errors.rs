//! Malformed and unsupported input: every error names the file, line and column, and says what
//! was expected and what was found.

use quill_sygus::{parse, parse_file, SygusError};

/// (input, the exact "file:line:col:" prefix, a part of the message, whether it is "unsupported").
const CASES: &[(&str, &str, &str, bool)] = &[
    (
        "(set-logic LIA)\n(synth-fun f ((x Int)) Int",
        "t.sl:2:27:",
        "expected `)` to close the list opened at 2:1",
        false,
    ),
    (
        "(set-logic LIA)\n(synth-fun f ((x Int)) Int)\n(constraint (= (f y) 0))",
        "t.sl:3:19:",
        "unknown symbol `y`",
        false,
    ),
    (
        "(synth-fun f ((x Int)) Int)\n(constraint (= (f \"a\") 0))",
        "t.sl:2:16:",
        "`f` cannot be applied to arguments of sorts (String)",
        false,
    ),
    (
        "(synth-fun f ((x Int)) Int)\n(constraint (+ (f 1) 0))",
        "t.sl:2:13:",
        "expected a Bool term, found one of sort Int",
        false,
    ),
    (
        "(synth-fun f ((x Int)) Int\n  ((B Bool) (I Int))\n  ((B Bool ((= I I))) (I Int (x))))",
        "t.sl:2:4:",
        "the start non-terminal `B` has sort Bool, but the function returns Int",
        false,
    ),
    (
        "(synth-fun f ((x Int)) Int\n  ((I Int))\n  ((I Int (x \"s\"))))",
        "t.sl:3:14:",
        "`I` has sort Int, but the rule `\"s\"` has sort String",
        false,
    ),
    (
        "(synth-fun f ((x Int)) Int\n  ((I Int))\n  ((J Int (x))))",
        "t.sl:3:5:",
        "expected a declared non-terminal, found the symbol `J`",
        false,
    ),
    (
        "(synth-fun f ((x Int)) Int\n  ((I Int) (J Int))\n  ((I Int (J))))",
        "t.sl:2:12:",
        "expected rules for the non-terminal `J`",
        false,
    ),
    ("(frobnicate)", "t.sl:1:2:", "found the unknown command `frobnicate`", false),
    ("(set-logic LIA)", "t.sl:1:1:", "expected at least one `synth-fun`, found none", false),
    ("(declare-var x Int)\n(declare-var x Int)", "t.sl:2:14:", "`x` is already declared", false),
    ("(synth-fun f ((x Int)) Int)\n(define-fun g () Int (f 1 2))", "t.sl:2:22:", "cannot be applied", false),
    ("(synth-fun f ((x Real)) Int)", "t.sl:1:18:", "the sort Real is not supported", true),
    (
        "(declare-datatypes ((L 0)) (((nil))))",
        "t.sl:1:1:",
        "algebraic datatypes (`declare-datatypes`) are not supported",
        true,
    ),
    ("(synth-inv inv ((x Int)))", "t.sl:1:1:", "invariant synthesis (`synth-inv`) is not supported", true),
    ("(declare-fun g (Int) Int)", "t.sl:1:1:", "uninterpreted functions", true),
    ("(synth-fun f ((x (Array Int Int))) Int)", "t.sl:1:18:", "the sort Array is not supported", true),
    (
        "(synth-fun f ((x Int)) Int ((Start Int (x (LocalVariable Int)))))",
        "t.sl:1:43:",
        "LocalVariable",
        true,
    ),
    (
        "(synth-fun f ((x Int)) Int ((Start Int (x (+ x (Constant Int))))))",
        "t.sl:1:48:",
        "inside a larger rule",
        true,
    ),
    ("(synth-fun f ((x (_ BitVec 128))) Int)", "t.sl:1:28:", "bit-vector width 128 is not supported", true),
    (
        "(synth-fun f ((x Int)) Int)\n(constraint (= (f 99999999999999999999) 0))",
        "t.sl:2:19:",
        "does not fit in 64 bits",
        false,
    ),
    ("(synth-fun f ((x Int)) Int ((I Int)))", "t.sl:1:29:", "found `(I Int)` (a version 2 grammar", false),
    (
        "(synth-fun f ((x Int)) Int\n ((I Int)) ((I Int (x))) extra)",
        "t.sl:2:26:",
        "expected a grammar",
        false,
    ),
    ("(set-logic LIA)\n(set-logic LIA)", "t.sl:2:1:", "found a second one (the first is at 1:1)", false),
];

#[test]
fn errors_name_the_place_and_say_what_was_expected() {
    let mut wrong = Vec::new();
    for (text, prefix, part, unsupported) in CASES {
        let Err(e) = parse(text, "t.sl") else {
            wrong.push(format!("{text}\n  was accepted"));
            continue;
        };
        let shown = e.to_string();
        if !shown.starts_with(prefix) || !shown.contains(part) || e.is_unsupported() != *unsupported {
            wrong.push(format!(
                "{text}\n  gave: {shown} (unsupported: {})\n  want: {prefix} .. {part} ({unsupported})",
                e.is_unsupported()
            ));
        }
        assert!(e.pos().is_some());
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn unreadable_files_are_named() {
    let e = parse_file(std::path::Path::new("/nonexistent/dir/p.sl")).unwrap_err();
    assert!(matches!(e, SygusError::Io { .. }));
    assert!(e.to_string().starts_with("/nonexistent/dir/p.sl: cannot read the file: "), "{e}");
}

#[test]
fn deep_terms_parse_on_small_stacks_and_inlining_is_bounded() {
    // Test threads have small stacks; parsing must not depend on them.
    let d = 990;
    let deep =
        format!("(synth-fun f ((x Int)) Int) (constraint {}(= (f 1) 1){})", "(not ".repeat(d), ")".repeat(d));
    let p = parse(&deep, "t.sl").unwrap_or_else(|e| panic!("{e}"));
    let printed = p.constraints[0].term.to_string();
    assert!(printed.starts_with("(not (not") && printed.contains("(= (f 1) 1)"));
    // Inlining helpers that call `f` may not build terms deeper than the reader accepts.
    let nest = |inner: &str| format!("{}{inner}{}", "(not ".repeat(600), ")".repeat(600));
    let text = format!(
        "(synth-fun f ((x Int)) Bool)\n(define-fun h1 () Bool {})\n(define-fun h2 () Bool {})\n(constraint h2)",
        nest("(f 1)"),
        nest("h1")
    );
    let e = parse(&text, "t.sl").unwrap_err();
    assert!(e.is_unsupported() && e.to_string().starts_with("t.sl:3:24: after inlining"), "{e}");
}
