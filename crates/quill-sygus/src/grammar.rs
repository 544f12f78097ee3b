//! The grammar of a `synth-fun`, in both syntaxes.
//!
//! Version 2 writes a predeclaration list and then the rules of each non-terminal:
//! `((N1 S1) (N2 S2)) ((N1 S1 (rule ..)) (N2 S2 (rule ..)))`; the first declared non-terminal is the
//! start symbol. Version 1 writes only the rule lists `((N1 S1 (rule ..)) ..)`, and its start symbol
//! is the one named `Start` (the first one when none is). A rule is a term over non-terminals,
//! `(Constant S)` or `(Variable S)`; each becomes a [`Production`] of the most specific kind, so that
//! an enumerator can treat `(f N1 .. Nk)` as a plain application and keep templates for the rest.

use crate::error::{invalid, unsupported, Res};
use quill_lang::resolve::{var, Scope};
use quill_lang::sexpr::{SExpr, SKind};
use quill_lang::{Grammar, NonTerminal, ProdKind, Production, Sort, Symbol, Term};

/// What the grammar part of a `synth-fun` was, for version detection.
pub(crate) struct Parsed {
    pub grammar: Grammar,
    pub v1_syntax: bool,
}

/// Reads the grammar `items` (the s-expressions after the return sort) of a function with these
/// parameters and return sort. `scope` supplies helpers and sort aliases; its variables and
/// non-terminals are replaced while the rules are read and left empty afterwards.
pub(crate) fn read(
    scope: &mut Scope,
    at: &SExpr,
    params: &[(Symbol, Sort)],
    ret: Sort,
    items: &[SExpr],
) -> Res<Parsed> {
    let (decls, groups, v1_syntax) = match items {
        [decl, groups] => (Some(list(decl, "the list of non-terminals `((NAME SORT) ..)`")?), groups, false),
        [groups] => (None, groups, true),
        _ => {
            return invalid(
                items.get(2).unwrap_or(at),
                "expected a grammar `((NAME SORT) ..) ((NAME SORT (RULE ..)) ..)` after the return sort",
            )
        }
    };
    let groups = list(groups, "the grammar rules `((NAME SORT (RULE ..)) ..)`")?;
    let mut nts: Vec<(String, Sort)> = Vec::new();
    let mut declared_at: Vec<&SExpr> = Vec::new();
    let declarations: Vec<(&SExpr, &[SExpr])> = match decls {
        Some(d) => d.iter().map(|e| (e, e.list().unwrap_or_default())).collect(),
        None => groups.iter().map(|e| (e, e.list().unwrap_or_default())).collect(),
    };
    for (e, parts) in declarations {
        let ok_len = if v1_syntax { parts.len() == 3 } else { parts.len() == 2 };
        let (Some(name), true) = (parts.first().and_then(SExpr::symbol), ok_len) else {
            let shape = if v1_syntax { "(NAME SORT (RULE ..))" } else { "(NAME SORT)" };
            let hint = if v1_syntax && parts.len() == 2 {
                " (a version 2 grammar needs its rules after the list of non-terminals)"
            } else {
                ""
            };
            return invalid(e, format!("expected a non-terminal `{shape}`, found {}{hint}", found(e)));
        };
        if nts.iter().any(|(n, _)| n == name) {
            return invalid(e, format!("the non-terminal `{name}` is declared twice"));
        }
        nts.push((name.to_string(), scope.sort(&parts[1])?));
        declared_at.push(e);
    }
    if v1_syntax {
        // Version 1 starts from `Start` wherever it is listed; put it first.
        if let Some(i) = nts.iter().position(|(n, _)| n == "Start") {
            let start = nts.remove(i);
            nts.insert(0, start);
            let e = declared_at.remove(i);
            declared_at.insert(0, e);
        }
    }
    let Some((start, start_sort)) = nts.first().cloned() else {
        return invalid(at, "expected at least one non-terminal in the grammar, found none");
    };
    if start_sort != ret {
        return invalid(
            declared_at[0],
            format!("the start non-terminal `{start}` has sort {start_sort}, but the function returns {ret}"),
        );
    }
    scope.vars = params.iter().enumerate().map(|(i, (n, s))| (n.to_string(), var(i, n, *s))).collect();
    scope.nonterminals = nts.clone();
    let mut productions: Vec<Option<Vec<Production>>> = vec![None; nts.len()];
    for g in groups {
        let Some([name_e, sort_e, rules]) = g.list() else {
            return invalid(
                g,
                format!("expected the rules of a non-terminal `(NAME SORT (RULE ..))`, found {}", found(g)),
            );
        };
        let name = name_e.symbol().unwrap_or_default();
        let Some(id) = nts.iter().position(|(n, _)| n == name) else {
            return invalid(name_e, format!("expected a declared non-terminal, found {}", name_e.describe()));
        };
        let sort = scope.sort(sort_e)?;
        if sort != nts[id].1 {
            return invalid(
                sort_e,
                format!("`{name}` was declared with sort {}, found sort {sort}", nts[id].1),
            );
        }
        if productions[id].is_some() {
            return invalid(g, format!("the rules of `{name}` are given twice"));
        }
        let rules = list(rules, "a list of rules")?;
        let mut prods = Vec::with_capacity(rules.len());
        for r in rules {
            rule(scope, params, name, sort, r, &mut prods)?;
        }
        productions[id] = Some(prods);
    }
    let mut nonterminals = Vec::with_capacity(nts.len());
    for ((name, sort), (prods, e)) in nts.into_iter().zip(productions.into_iter().zip(declared_at)) {
        let Some(productions) = prods else {
            return invalid(e, format!("expected rules for the non-terminal `{name}`, found none"));
        };
        nonterminals.push(NonTerminal { name: name.into(), sort, productions });
    }
    scope.vars.clear();
    scope.nonterminals.clear();
    Ok(Parsed { grammar: Grammar { nonterminals }, v1_syntax })
}

/// How an s-expression is named in a message: short lists are quoted, long ones only described.
fn found(e: &SExpr) -> String {
    let text = e.to_string();
    if e.list().is_some() && text.len() <= 60 {
        format!("`{text}`")
    } else {
        e.describe()
    }
}

fn list<'a>(e: &'a SExpr, what: &str) -> Res<&'a [SExpr]> {
    match e.list() {
        Some(items) => Ok(items),
        None => invalid(e, format!("expected {what}, found {}", e.describe())),
    }
}

/// Reads one rule of non-terminal `nt` (of sort `sort`) and appends its productions.
fn rule(
    scope: &Scope,
    params: &[(Symbol, Sort)],
    nt: &str,
    sort: Sort,
    r: &SExpr,
    out: &mut Vec<Production>,
) -> Res<()> {
    if let Some([head, s]) = r.list() {
        let special = head.symbol().filter(|_| matches!(head.kind, SKind::Symbol { quoted: false, .. }));
        if let Some(kind @ ("Constant" | "Variable" | "InputVariable" | "LocalVariable")) = special {
            let s = scope.sort(s)?;
            if s != sort {
                return invalid(r, format!("`{nt}` has sort {sort}, but this rule gives sort {s}"));
            }
            match kind {
                "Constant" => out.push(Production { kind: ProdKind::AnyConst(s), args: vec![] }),
                "LocalVariable" => {
                    return unsupported(
                        r,
                        "`(LocalVariable S)` (variables bound by `let` in grammars) is not supported",
                    )
                }
                _ => out.extend(
                    params
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| p.1 == s)
                        .map(|(i, (n, _))| Production { kind: ProdKind::Leaf(var(i, n, s)), args: vec![] }),
                ),
            }
            return Ok(());
        }
    }
    nested_special(r, true)?;
    let mut nt_args = Vec::new();
    let term = scope.term_in(r, &mut nt_args)?;
    if crate::inline::reaches_synth(&term) {
        return invalid(r, "a grammar rule may not call a function under synthesis");
    }
    if term.sort() != sort {
        return invalid(r, format!("`{nt}` has sort {sort}, but the rule `{r}` has sort {}", term.sort()));
    }
    out.push(production(term, nt_args));
    Ok(())
}

/// Refuses `(Constant S)` and friends below the top of a rule (version 1 allowed them anywhere),
/// which would need an invented non-terminal; no benchmark uses them there.
fn nested_special(e: &SExpr, top: bool) -> Res<()> {
    if let Some(items) = e.list() {
        if let (false, Some(h @ ("Constant" | "Variable" | "InputVariable" | "LocalVariable"))) =
            (top, items.first().and_then(SExpr::symbol))
        {
            return unsupported(
                e,
                format!("`({h} S)` inside a larger rule is not supported: give it a non-terminal of its own"),
            );
        }
        for it in items {
            nested_special(it, false)?;
        }
    }
    Ok(())
}

/// Classifies a rule's term, renumbering its holes in order of first appearance and dropping
/// non-terminals that `let` bound but the body never used, so that every template's arguments are
/// exactly its holes.
pub(crate) fn production(term: Term, nt_args: Vec<usize>) -> Production {
    if let Term::Hole(i, _) = term {
        let args = nt_args.get(i as usize).copied().into_iter().collect();
        return Production { kind: ProdKind::Chain, args };
    }
    let mut order: Vec<u32> = Vec::new();
    first_appearance(&term, &mut order);
    if order.is_empty() {
        return Production { kind: ProdKind::Leaf(term), args: vec![] };
    }
    let args: Vec<usize> = order.iter().filter_map(|i| nt_args.get(*i as usize).copied()).collect();
    let term = renumber(&term, &order);
    if let Term::App(f, xs) = &term {
        let direct = xs.len() == args.len()
            && xs.iter().enumerate().all(|(i, x)| matches!(x, Term::Hole(h, _) if *h as usize == i));
        if direct {
            return Production { kind: ProdKind::Apply(f.clone()), args };
        }
    }
    Production { kind: ProdKind::Template(term), args }
}

fn first_appearance(t: &Term, order: &mut Vec<u32>) {
    match t {
        Term::Hole(i, _) if !order.contains(i) => order.push(*i),
        Term::App(_, args) => args.iter().for_each(|a| first_appearance(a, order)),
        _ => {}
    }
}

fn renumber(t: &Term, order: &[u32]) -> Term {
    match t {
        Term::Hole(i, s) => Term::Hole(order.iter().position(|o| o == i).unwrap_or(0) as u32, *s),
        Term::App(f, args) => Term::App(f.clone(), args.iter().map(|a| renumber(a, order)).collect()),
        _ => t.clone(),
    }
}
