//! The commands of a SyGuS-IF file.
//!
//! Commands are read in order, each against the names the earlier ones introduced, which is how
//! SyGuS-IF scopes names: a helper may call the helpers before it, a constraint may mention every
//! variable and function declared before it.

use crate::error::{invalid, unsupported, Located, Res};
use crate::{grammar, inline, logic, Constraint, Problem, SynthFun, Version};
use quill_lang::resolve::{var, Scope};
use quill_lang::sexpr::{read_all, Pos, SExpr, SKind};
use quill_lang::{FunDef, Func, Op, Sort, Symbol, Term};
use std::sync::Arc;

/// Reads a whole problem.
pub(crate) fn problem(text: &str) -> Res<Problem> {
    let exprs = read_all(text)?;
    let mut p = Parser {
        scope: Scope::default(),
        problem: Problem {
            logic: String::new(),
            synth_funs: Vec::new(),
            defined: Vec::new(),
            declared_vars: Vec::new(),
            constraints: Vec::new(),
            options: Vec::new(),
            version: if exprs.iter().any(has_v1_marks) { Version::V1 } else { Version::V2 },
            unlabeled: Vec::new(),
        },
        assumptions: Vec::new(),
        logic_at: None,
    };
    for e in &exprs {
        if !p.command(e)? {
            break;
        }
    }
    p.finish(exprs.last().map_or(Pos { line: 1, col: 1 }, |e| e.pos))
}

struct Parser {
    /// Sort aliases, helpers and functions to synthesize, with the declared variables as `vars`.
    scope: Scope,
    problem: Problem,
    assumptions: Vec<Term>,
    logic_at: Option<Pos>,
}

/// The spelling of each command, for messages that list what was expected.
const COMMANDS: &str = "set-logic, synth-fun, declare-var, define-fun, define-sort, constraint, assume, \
                        check-synth, set-option, set-info or set-feature";

impl Parser {
    /// Handles one command; `false` means `exit`, after which nothing is read.
    fn command(&mut self, e: &SExpr) -> Res<bool> {
        let Some((head, args)) = e.list().and_then(|l| l.split_first()) else {
            return invalid(e, format!("expected a command ({COMMANDS}), found {}", e.describe()));
        };
        let Some(name) = head.symbol() else {
            return invalid(head, format!("expected a command name ({COMMANDS}), found {}", head.describe()));
        };
        match name {
            "set-logic" => self.set_logic(e, args)?,
            "synth-fun" => self.synth_fun(e, args)?,
            "declare-var" => match args {
                [n, s] => {
                    let sort = self.scope.sort(s)?;
                    self.declare_var(n, sort)?
                }
                _ => return invalid(e, "expected `(declare-var NAME SORT)`"),
            },
            "declare-fun" => match args {
                [n, params, s] if params.list().is_some_and(<[SExpr]>::is_empty) => {
                    let sort = self.scope.sort(s)?;
                    self.declare_var(n, sort)?
                }
                [_, params, _] if params.list().is_some() => {
                    return unsupported(
                        e,
                        "uninterpreted functions (`declare-fun` with parameters) are not supported",
                    )
                }
                _ => return invalid(e, "expected `(declare-fun NAME () SORT)`"),
            },
            "define-fun" => self.define_fun(e, args)?,
            "define-sort" => self.define_sort(e, args)?,
            "constraint" | "assume" => {
                let [t] = args else {
                    return invalid(e, format!("expected `({name} TERM)` with one term"));
                };
                let term = inline::checked(self.scope.term(t)?, t)?;
                if term.sort() != Sort::Bool {
                    return invalid(t, format!("expected a Bool term, found one of sort {}", term.sort()));
                }
                if name == "assume" {
                    self.assumptions.push(term);
                } else {
                    self.problem.constraints.push(Constraint { term, line: e.pos.line });
                }
            }
            "check-synth" => {}
            "exit" => return Ok(false),
            "set-option" | "set-info" | "set-feature" => match args.split_first() {
                Some((k @ SExpr { kind: SKind::Keyword(_), .. }, rest)) => {
                    let value = rest.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ");
                    self.problem.options.push((k.to_string(), value));
                }
                _ => return invalid(e, format!("expected `({name} :KEYWORD VALUE)`")),
            },
            "synth-inv" | "inv-constraint" | "declare-primed-var" => {
                return unsupported(e, format!("invariant synthesis (`{name}`) is not supported"))
            }
            "declare-datatype" | "declare-datatypes" => {
                return unsupported(e, format!("algebraic datatypes (`{name}`) are not supported"))
            }
            "chc-constraint"
            | "optimize-synth"
            | "declare-weight"
            | "declare-oracle-fun"
            | "oracle-constraint"
            | "oracle-assume"
            | "oracle-constraint-io"
            | "oracle-constraint-cex"
            | "oracle-constraint-membership"
            | "oracle-constraint-poswitness"
            | "oracle-constraint-negwitness"
            | "declare-correctness-oracle"
            | "declare-correctness-cex-oracle" => {
                return unsupported(e, format!("the command `{name}` is not supported"))
            }
            other => {
                return invalid(
                    head,
                    format!("expected a command ({COMMANDS}), found the unknown command `{other}`"),
                )
            }
        }
        Ok(true)
    }

    fn set_logic(&mut self, e: &SExpr, args: &[SExpr]) -> Res<()> {
        let [l] = args else { return invalid(e, "expected `(set-logic NAME)`") };
        let Some(name) = l.symbol() else {
            return invalid(l, format!("expected a logic name, found {}", l.describe()));
        };
        if let Some(first) = self.logic_at {
            return invalid(
                e,
                format!("expected one `set-logic`, found a second one (the first is at {first})"),
            );
        }
        self.logic_at = Some(e.pos);
        self.problem.logic = name.to_string();
        Ok(())
    }

    /// A new function or variable name must not hide one already declared: SyGuS-IF has one
    /// namespace for both, and a silent shadowing would change what earlier text meant.
    fn fresh_name(&self, n: &SExpr) -> Res<Symbol> {
        let Some(name) = n.symbol() else {
            return invalid(n, format!("expected a name, found {}", n.describe()));
        };
        if self.scope.funcs.contains_key(name) || self.scope.vars.iter().any(|(v, _)| v == name) {
            return invalid(n, format!("`{name}` is already declared"));
        }
        Ok(name.into())
    }

    fn declare_var(&mut self, n: &SExpr, sort: Sort) -> Res<()> {
        let name = self.fresh_name(n)?;
        let index = self.problem.declared_vars.len();
        self.scope.vars.push((name.to_string(), var(index, &name, sort)));
        self.problem.declared_vars.push((name, sort));
        Ok(())
    }

    fn params(&self, e: &SExpr) -> Res<Vec<(Symbol, Sort)>> {
        let Some(items) = e.list() else {
            return invalid(e, format!("expected parameters `((NAME SORT) ..)`, found {}", e.describe()));
        };
        let mut out: Vec<(Symbol, Sort)> = Vec::with_capacity(items.len());
        for p in items {
            let Some([n, s]) = p.list() else {
                return invalid(p, format!("expected a parameter `(NAME SORT)`, found {}", p.describe()));
            };
            let Some(name) = n.symbol() else {
                return invalid(n, format!("expected a parameter name, found {}", n.describe()));
            };
            if out.iter().any(|(o, _)| &**o == name) {
                return invalid(n, format!("the parameter `{name}` is listed twice"));
            }
            out.push((name.into(), self.scope.sort(s)?));
        }
        Ok(out)
    }

    fn synth_fun(&mut self, e: &SExpr, args: &[SExpr]) -> Res<()> {
        let [n, ps, r, rest @ ..] = args else {
            return invalid(e, "expected `(synth-fun NAME ((PARAM SORT) ..) SORT [GRAMMAR])`");
        };
        let name = self.fresh_name(n)?;
        let params = self.params(ps)?;
        let ret = self.scope.sort(r)?;
        let (grammar, grammar_given) = if rest.is_empty() {
            (logic::default_grammar(&self.problem.logic, &params, ret), false)
        } else {
            let saved = std::mem::take(&mut self.scope.vars);
            let parsed = grammar::read(&mut self.scope, e, &params, ret, rest);
            self.scope.vars = saved;
            let parsed = parsed?;
            if parsed.v1_syntax {
                self.problem.version = Version::V1;
            }
            (parsed.grammar, true)
        };
        let index = self.problem.synth_funs.len() as u32;
        let func =
            Func::Synth { index, name: name.clone(), params: params.iter().map(|p| p.1).collect(), ret };
        self.scope.funcs.insert(name.to_string(), func);
        self.problem.synth_funs.push(SynthFun { name, params, ret, grammar, grammar_given });
        Ok(())
    }

    fn define_fun(&mut self, e: &SExpr, args: &[SExpr]) -> Res<()> {
        let [n, ps, r, body] = args else {
            return invalid(e, "expected `(define-fun NAME ((PARAM SORT) ..) SORT BODY)`");
        };
        let name = self.fresh_name(n)?;
        let params = self.params(ps)?;
        let ret = self.scope.sort(r)?;
        // The body sees its parameters only, not the declared variables.
        let inner = params.iter().enumerate().map(|(i, (p, s))| (p.to_string(), var(i, p, *s))).collect();
        let saved = std::mem::replace(&mut self.scope.vars, inner);
        let term = self.scope.term(body);
        self.scope.vars = saved;
        let term = term?;
        if term.sort() != ret {
            return invalid(
                body,
                format!("expected a body of sort {ret}, found one of sort {}", term.sort()),
            );
        }
        let term = inline::checked(term, body)?;
        let def = Arc::new(FunDef { name: name.clone(), params, ret, body: term });
        self.scope.funcs.insert(name.to_string(), Func::Defined(def.clone()));
        self.problem.defined.push(def);
        Ok(())
    }

    /// `(define-sort NAME () SORT)`, or version 1's `(define-sort NAME SORT)`.
    fn define_sort(&mut self, e: &SExpr, args: &[SExpr]) -> Res<()> {
        let (n, s) = match args {
            [n, ps, s] if ps.list().is_some_and(<[SExpr]>::is_empty) => (n, s),
            [_, ps, _] if ps.list().is_some() => {
                return unsupported(e, "sorts with parameters are not supported")
            }
            [n, s] => {
                self.problem.version = Version::V1;
                (n, s)
            }
            _ => return invalid(e, "expected `(define-sort NAME () SORT)`"),
        };
        let Some(name) = n.symbol() else {
            return invalid(n, format!("expected a sort name, found {}", n.describe()));
        };
        let sort = self.scope.sort(s)?;
        self.scope.sorts.insert(name.to_string(), sort);
        Ok(())
    }

    fn finish(mut self, end: Pos) -> Res<Problem> {
        if self.problem.synth_funs.is_empty() {
            return Err(Located {
                pos: end,
                message: "expected at least one `synth-fun`, found none".into(),
                unsupported: false,
            });
        }
        if let Some(first) = self.assumptions.first().cloned() {
            // `assume A` restricts the inputs every constraint must hold for: the specification
            // becomes (A1 and ..) => C for each constraint C.
            let a = if self.assumptions.len() == 1 {
                first
            } else {
                Term::app(Op::And, std::mem::take(&mut self.assumptions))
            };
            for c in &mut self.problem.constraints {
                let t = std::mem::replace(&mut c.term, Term::Lit(quill_lang::Value::Bool(true)));
                c.term = Term::app(Op::Implies, vec![a.clone(), t]);
            }
        }
        Ok(self.problem)
    }
}

/// Whether an s-expression uses a construct that only SyGuS-IF version 1 has: `(BitVec n)`, the
/// old string operator names, `declare-fun` for variables, negative numerals written as symbols,
/// or the v1 variable kinds of grammars. Grammars written as a single list are detected where
/// they are read.
fn has_v1_marks(e: &SExpr) -> bool {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match &e.kind {
            SKind::Symbol { name, quoted: false } => {
                let negative = name
                    .strip_prefix('-')
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
                let old = matches!(
                    name.as_str(),
                    "int.to.str"
                        | "str.to.int"
                        | "declare-fun"
                        | "InputVariable"
                        | "LocalVariable"
                        | "synth-inv"
                        | "inv-constraint"
                        | "declare-primed-var"
                );
                if negative || old {
                    return true;
                }
            }
            SKind::List(items) => {
                if let [h, SExpr { kind: SKind::Numeral(_), .. }] = items.as_slice() {
                    if h.symbol() == Some("BitVec") {
                        return true;
                    }
                }
                stack.extend(items.iter());
            }
            _ => {}
        }
    }
    false
}
