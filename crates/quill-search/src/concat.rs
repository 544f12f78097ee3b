//! Top-down splitting of string outputs for `str.++`.
//!
//! Many string programs are concatenations of pieces that are each small. Instead of waiting for
//! the enumerator to reach the size of the whole concatenation, the goal (the outputs on every
//! example) is split: a kept term whose value on every example is a prefix of the output provides
//! the left part, and the remainders become a new goal for the right part, solved by lookup in the
//! bank or by splitting again (a bounded number of times).

use crate::bank::EntryId;
use crate::enumerate::Search;
use quill_eval::Column;
use quill_lang::{Func, NtId, Op, ProdKind, Str, Term};
use rustc_hash::FxHashSet;

/// How many splits one answer may chain.
const MAX_DEPTH: u32 = 4;
/// How many prefixes are tried per goal, longest first.
const MAX_BRANCH: usize = 24;

struct Ctx {
    /// `(nt, production, left nt, right nt)` for each `str.++` production of an answer non-terminal.
    concat: Vec<(NtId, usize, NtId, NtId)>,
    failed: FxHashSet<(NtId, u64, u32)>,
}

pub fn solve(s: &mut Search) -> Option<Term> {
    let Some(Column::Str(goal)) = s.goal.outputs().cloned() else { return None };
    let mut concat = Vec::new();
    for nt in 0..s.grammar.nonterminals.len() {
        for (pi, p) in s.grammar.nonterminals[nt].productions.iter().enumerate() {
            if matches!(p.kind, ProdKind::Apply(Func::Builtin(Op::StrConcat))) && p.args.len() == 2 {
                concat.push((nt, pi, p.args[0], p.args[1]));
            }
        }
    }
    if concat.is_empty() {
        return None;
    }
    let mut ctx = Ctx { concat, failed: FxHashSet::default() };
    let answer_nts = s.answer_nts.clone();
    for nt in answer_nts {
        if let Some(t) = goal_term(s, &mut ctx, nt, &goal, MAX_DEPTH) {
            return Some(t);
        }
    }
    None
}

fn goal_term(s: &mut Search, ctx: &mut Ctx, nt: NtId, goal: &[Str], depth: u32) -> Option<Term> {
    let col = Column::Str(goal.to_vec());
    if let Some(id) = s.bank.lookup(nt, &col) {
        return Some(s.bank.term(&s.grammar, id));
    }
    if depth == 0 || s.deadline.expired_now() {
        return None;
    }
    let key = (nt, s.bank.hash(&col), depth);
    if ctx.failed.contains(&key) {
        return None;
    }
    let prods: Vec<_> = ctx.concat.iter().filter(|c| c.0 == nt).copied().collect();
    let mut splits: Vec<(usize, NtId, EntryId, Vec<Str>)> = Vec::new();
    for (_, pi, left, right) in prods {
        for id in prefixes(s, left, goal) {
            let Column::Str(vals) = &s.bank.entries[id as usize].col else { continue };
            let rest = goal.iter().zip(vals).map(|(g, v)| Str::from(g.chars()[v.len()..].to_vec())).collect();
            splits.push((pi, right, id, rest));
        }
    }
    // A split whose remainder the bank already holds needs no further splitting; of those, the
    // smallest program wins. Trying the longest prefix first alone would pass over "-" followed
    // by a kept day number for a longer prefix ("-" and the input's third number) whose odd
    // remainder takes more splits and a much larger program.
    let mut best: Option<Term> = None;
    for (pi, right, id, rest) in &splits {
        if let Some(rid) = s.bank.lookup(*right, &Column::Str(rest.clone())) {
            let (l, r) = (s.bank.term(&s.grammar, *id), s.bank.term(&s.grammar, rid));
            let t = s.grammar.nonterminals[nt].productions[*pi].build(vec![l, r]);
            if best.as_ref().is_none_or(|b| t.size() < b.size()) {
                best = Some(t);
            }
        }
    }
    if best.is_some() {
        return best;
    }
    for (pi, right, id, rest) in splits {
        if let Some(r) = goal_term(s, ctx, right, &rest, depth - 1) {
            let l = s.bank.term(&s.grammar, id);
            return Some(s.grammar.nonterminals[nt].productions[pi].build(vec![l, r]));
        }
    }
    ctx.failed.insert(key);
    None
}

/// Kept terms of `nt` whose value on every example is a prefix of the goal and not empty on all,
/// longest total first.
fn prefixes(s: &mut Search, nt: NtId, goal: &[Str]) -> Vec<EntryId> {
    let mut found: Vec<(usize, EntryId)> = Vec::new();
    for level in &s.bank.by_cost[nt] {
        for &id in level {
            let Column::Str(vals) = &s.bank.entries[id as usize].col else { continue };
            let mut total = 0;
            let ok = vals.iter().zip(goal).all(|(v, g)| {
                total += v.len();
                g.chars().starts_with(v.chars())
            });
            if ok && total > 0 {
                found.push((total, id));
            }
        }
    }
    found.sort_by_key(|(t, id)| (std::cmp::Reverse(*t), *id));
    found.truncate(MAX_BRANCH);
    found.into_iter().map(|(_, id)| id).collect()
}
