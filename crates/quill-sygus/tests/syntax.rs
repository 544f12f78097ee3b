//! The SyGuS-IF syntax, both versions: grammars, declarations, default grammars and answers.

use quill_lang::{FunDef, Func, Op, ProdKind, Sort, Term, Value};
use quill_sygus::{format_answer, parse, Problem, Version};

fn ok(text: &str) -> Problem {
    parse(text, "t.sl").unwrap_or_else(|e| panic!("{e}"))
}

/// The kinds of the productions of non-terminal `nt`, as short words.
fn kinds(p: &Problem, nt: usize) -> Vec<String> {
    let g = &p.synth_funs[0].grammar;
    g.nonterminals[nt]
        .productions
        .iter()
        .map(|pr| match &pr.kind {
            ProdKind::Leaf(t) => format!("leaf {t}"),
            ProdKind::Apply(f) => format!("apply {} {:?}", f.name(), pr.args),
            ProdKind::Template(t) => format!("template {t} {:?}", pr.args),
            ProdKind::Chain => format!("chain {:?}", pr.args),
            ProdKind::AnyConst(s) => format!("const {s}"),
        })
        .collect()
}

#[test]
fn version_two_grammars_become_productions_of_the_right_kind() {
    let p = ok(r#"
        (set-logic SLIA)
        (define-fun twice ((s String)) String (str.++ s s))
        (synth-fun f ((x String) (n Int)) String
          ((S String) (I Int) (B Bool))
          ((S String (x "a" I2S (str.++ S S) (twice S) (str.++ S "-" S) (let ((y S)) (str.++ y y))
                      (Constant String) (Variable String) (ite B S S)))
           (I Int (n (- 1) (Variable Int) (+ I 1) (str.len S)))
           (B Bool ((= I I) true))))
        (declare-var s String)
        (constraint (= (f s 1) s))
        (check-synth)"#
        .replace("I2S", "(str.from_int I)")
        .as_str());
    assert_eq!(p.version, Version::V2);
    assert_eq!(p.logic, "SLIA");
    assert_eq!(p.defined.len(), 1);
    let sf = &p.synth_funs[0];
    assert!(sf.grammar_given);
    assert_eq!(sf.grammar.start().sort, Sort::String);
    assert_eq!(
        kinds(&p, 0),
        [
            "leaf x",
            "leaf \"a\"",
            "apply str.from_int [1]",
            "apply str.++ [0, 0]",
            "apply twice [0]",
            "template (str.++ (? String) \"-\" (? String)) [0, 0]",
            "template (str.++ (? String) (? String)) [0]",
            "const String",
            "leaf x",
            "apply ite [2, 0, 0]",
        ]
    );
    assert_eq!(
        kinds(&p, 1),
        ["leaf n", "leaf (- 1)", "leaf n", "template (+ (? Int) 1) [1]", "apply str.len [0]"]
    );
    // `let` binds one non-terminal used twice: a single hole, filled twice.
    let ProdKind::Template(t) = &sf.grammar.nonterminals[0].productions[6].kind else { panic!() };
    assert_eq!(t.hole_count(), 1);
    assert_eq!(p.declared_vars, vec![("s".into(), Sort::String)]);
    assert!(p.constraints[0].term.calls_synth());
    assert_eq!(p.constraints[0].line, 11);
}

#[test]
fn version_one_syntax_is_read_and_detected() {
    let p = ok(r#"
        ; version 1: single-list grammar, (BitVec n), declare-fun variables, old names, -1
        (set-logic ALL)
        (define-sort Byte (BitVec 8))
        (synth-fun f ((x Byte) (s String)) String
          ((Str String (s (int.to.str Num) (str.++ Str Str) (let ((k Int Num)) (str.at Str k))))
           (Start String (Str (InputVariable String)))
           (Num Int (-1 0 (Constant Int) (str.to.int Str) (bv2 Bv)))
           (Bv Byte (x #x00))))
        (declare-fun y () Byte)
        (constraint (= (f y "a") "a"))
        (check-synth)"#
        .replace("(bv2 Bv)", "(str.len Str)")
        .as_str());
    assert_eq!(p.version, Version::V1);
    let g = &p.synth_funs[0].grammar;
    let names: Vec<&str> = g.nonterminals.iter().map(|n| &*n.name).collect();
    assert_eq!(names, ["Start", "Str", "Num", "Bv"], "Start comes first");
    assert_eq!(kinds(&p, 0), ["chain [1]", "leaf s"]);
    assert_eq!(kinds(&p, 2)[0], "leaf (- 1)");
    assert_eq!(kinds(&p, 1)[1], "apply str.from_int [2]");
    // The typed `let` of version 1 substitutes, leaving a plain application.
    assert_eq!(kinds(&p, 1)[3], "apply str.at [1, 2]");
    assert_eq!(g.nonterminals[3].sort, Sort::BitVec(8));
    assert_eq!(p.declared_vars, vec![("y".into(), Sort::BitVec(8))]);
}

#[test]
fn missing_grammars_get_the_logic_default() {
    let ops = |logic: &str, params: &str, ret: &str| {
        let p = ok(&format!("(set-logic {logic}) (synth-fun f ({params}) {ret}) (check-synth)"));
        let sf = &p.synth_funs[0];
        assert!(!sf.grammar_given);
        let mut names: Vec<String> = Vec::new();
        for nt in &sf.grammar.nonterminals {
            for pr in &nt.productions {
                if let ProdKind::Apply(f) = &pr.kind {
                    let arg_sorts: Vec<String> =
                        pr.args.iter().map(|a| sf.grammar.nonterminals[*a].sort.to_string()).collect();
                    names.push(format!("{} {}", f.name(), arg_sorts.join(" ")));
                }
            }
        }
        (sf.grammar.start().sort, names)
    };
    let (start, lia) = ops("LIA", "(x Int) (y Int)", "Int");
    assert_eq!(start, Sort::Int);
    assert!(lia.contains(&"+ Int Int".to_string()) && lia.contains(&"ite Bool Int Int".to_string()));
    assert!(!lia.iter().any(|o| o.starts_with("* ") || o.starts_with("str.")), "{lia:?}");
    let (_, nia) = ops("NIA", "(x Int)", "Int");
    assert!(nia.contains(&"* Int Int".to_string()) && nia.contains(&"mod Int Int".to_string()));
    let (_, slia) = ops("SLIA", "(s String)", "String");
    assert!(
        slia.contains(&"str.substr String Int Int".to_string())
            && slia.contains(&"str.len String".to_string())
    );
    let (start, bv) = ops("BV", "(x (_ BitVec 32))", "Bool");
    assert_eq!(start, Sort::Bool);
    let w = "(_ BitVec 32)";
    assert!(bv.contains(&format!("bvadd {w} {w}")) && bv.contains(&format!("= {w} {w}")), "{bv:?}");
    assert!(bv.contains(&format!("bvult {w} {w}")));
    let (_, all) = ops("ALL", "(x Int)", "Int");
    assert!(all.contains(&"str.len String".to_string()) && all.contains(&"* Int Int".to_string()));
}

#[test]
fn helpers_sorts_options_and_assumptions() {
    let p = ok(r#"
        (set-option :produce-models true)
        (set-info :status sat)
        (set-feature :grammars true)
        (set-logic LIA)
        (define-sort Num () Int)
        (synth-fun |my f| ((x Num)) Num)
        (define-fun two () Int 2)
        (define-fun wrap ((a Int)) Bool (> (|my f| a) two))
        (declare-var v Num)
        (assume (> v 0))
        (constraint (wrap v))
        (check-synth)"#);
    assert_eq!(p.options[0], (":produce-models".to_string(), "true".to_string()));
    assert_eq!(p.options.len(), 3);
    assert_eq!(&*p.synth_funs[0].name, "my f");
    // The helper that calls the function under synthesis is inlined; `two` stays a call.
    assert_eq!(p.constraints[0].term.to_string(), "(=> (> v 0) (> (|my f| v) two))");
    let Term::App(Func::Builtin(Op::Implies), args) = &p.constraints[0].term else { panic!() };
    assert!(
        matches!(&args[1], Term::App(Func::Builtin(Op::Gt), xs) if matches!(&xs[1], Term::App(Func::Defined(_), _)))
    );
    assert_eq!(p.defined.len(), 2);
}

#[test]
fn answers_print_and_read_back_as_the_same_terms() {
    let p = ok(r#"
        (set-logic ALL)
        (define-fun g ((|a b| String) (n Int) (b (_ BitVec 8))) String
          (ite (and (= n (- 3)) (bvult b #x0f)) (str.++ |a b| "q""uote\u{e9}\\") (str.from_int (- n 1))))
        (synth-fun f () Int)"#);
    let def: FunDef = (*p.defined[0]).clone();
    let printed = format_answer(&[
        def.clone(),
        FunDef { name: "h".into(), params: vec![], ret: Sort::Int, body: Term::Lit(Value::Int(-7)) },
    ]);
    assert_eq!(printed.lines().count(), 2);
    assert!(printed.lines().nth(1) == Some("(define-fun h () Int (- 7))"), "{printed}");
    let again = ok(&format!("{printed}\n(synth-fun f () Int)"));
    assert_eq!(again.defined[0].body, def.body);
    assert_eq!(again.defined[0].params, def.params);
    assert_eq!(again.defined[1].body, Term::Lit(Value::Int(-7)));
}
