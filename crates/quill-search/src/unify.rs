//! Divide and conquer for conditionals: decision-tree unification, as EUSolver does.
//!
//! When no single term fits every example, terms that each fit some examples can be combined
//! under conditions: `(ite p t1 t2)`. The search records, for every kept term of the answer's
//! non-terminal, the set of examples it gets right (its coverage), and for every kept term of the
//! condition's non-terminal, the set of examples where it holds (a predicate). Once the coverages
//! together reach every example, a decision tree over the predicates is learned (ID3, with labels
//! from a greedy set cover) whose leaves are terms covering all examples that reach them.

use crate::bank::{Bank, EntryId};
use crate::enumerate::Search;
use crate::goal::Goal;
use quill_eval::Column;
use quill_lang::{Func, Grammar, NtId, Op, ProdKind, Term, Value};
use rustc_hash::FxHashMap;

type Bits = Vec<u64>;

/// How a conditional production decides: its condition argument is a Boolean, or it is compared
/// with a literal (`(ite (= x #x01) y z)` as in the PBE bit-vector track's `if0`/`im` helpers).
#[derive(Clone, Debug)]
enum CondKind {
    Bool,
    EqLit(Value),
}

#[derive(Clone, Debug)]
struct Conditional {
    nt: NtId,
    prod: usize,
    cond_nt: NtId,
    kind: CondKind,
    cond_pos: usize,
    then_pos: usize,
    else_pos: usize,
    arity: usize,
}

pub struct Unifier {
    cond: Conditional,
    n: usize,
    covers: Vec<(Bits, EntryId)>,
    cover_index: FxHashMap<Bits, usize>,
    preds: Vec<(Bits, EntryId)>,
    pred_index: FxHashMap<Bits, usize>,
    union: Bits,
    dirty: bool,
}

fn find_conditional(g: &Grammar, answer_nts: &[NtId]) -> Option<Conditional> {
    for &nt in answer_nts {
        for (pi, p) in g.nonterminals[nt].productions.iter().enumerate() {
            let ProdKind::Apply(f) = &p.kind else { continue };
            let (kind, cond_pos, then_pos, else_pos) = match f {
                Func::Builtin(Op::Ite) => (CondKind::Bool, 0, 1, 2),
                Func::Defined(def) => match &def.body {
                    Term::App(Func::Builtin(Op::Ite), a) => {
                        let var = |t: &Term| if let Term::Var(v) = t { Some(v.index as usize) } else { None };
                        let (Some(th), Some(el)) = (var(&a[1]), var(&a[2])) else { continue };
                        match &a[0] {
                            Term::Var(v) => (CondKind::Bool, v.index as usize, th, el),
                            Term::App(Func::Builtin(Op::Eq), e) if e.len() == 2 => match (&e[0], &e[1]) {
                                (Term::Var(v), Term::Lit(l)) | (Term::Lit(l), Term::Var(v)) => {
                                    (CondKind::EqLit(l.clone()), v.index as usize, th, el)
                                }
                                _ => continue,
                            },
                            _ => continue,
                        }
                    }
                    _ => continue,
                },
                _ => continue,
            };
            let distinct = cond_pos != then_pos && cond_pos != else_pos && then_pos != else_pos;
            if distinct
                && p.args.len() == 3
                && p.args.get(then_pos) == Some(&nt)
                && p.args.get(else_pos) == Some(&nt)
            {
                return Some(Conditional {
                    nt,
                    prod: pi,
                    cond_nt: p.args[cond_pos],
                    kind,
                    cond_pos,
                    then_pos,
                    else_pos,
                    arity: 3,
                });
            }
        }
    }
    None
}

fn bits_where(n: usize, f: impl Fn(usize) -> bool) -> Bits {
    let mut b = vec![0u64; n.div_ceil(64)];
    for i in 0..n {
        if f(i) {
            b[i / 64] |= 1 << (i % 64);
        }
    }
    b
}

fn count(b: &[u64]) -> u32 {
    b.iter().map(|w| w.count_ones()).sum()
}

fn and(a: &[u64], b: &[u64]) -> Bits {
    a.iter().zip(b).map(|(x, y)| x & y).collect()
}

fn and_not(a: &[u64], b: &[u64]) -> Bits {
    a.iter().zip(b).map(|(x, y)| x & !y).collect()
}

fn subset(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x & !y == 0)
}

/// Where two columns agree.
fn agree(a: &Column, b: &Column) -> Bits {
    let n = a.len();
    match (a, b) {
        (Column::Bv(_, x), Column::Bv(_, y)) => bits_where(n, |i| x[i] == y[i]),
        (Column::Int(x), Column::Int(y)) => bits_where(n, |i| x[i] == y[i]),
        (Column::Str(x), Column::Str(y)) => bits_where(n, |i| x[i] == y[i]),
        (Column::Bool(x), Column::Bool(y)) => bits_where(n, |i| x[i] == y[i]),
        _ => vec![0; n.div_ceil(64)],
    }
}

impl Unifier {
    pub fn new(g: &Grammar, answer_nts: &[NtId], goal: &Goal, n: usize) -> Option<Unifier> {
        let cond = find_conditional(g, answer_nts)?;
        // Unification needs each input judged on its own: examples, or pointwise specifications.
        if !matches!(goal, Goal::Outputs(_) | Goal::Spec { pointwise: true, .. }) {
            return None;
        }
        Some(Unifier {
            cond,
            n,
            covers: Vec::new(),
            cover_index: FxHashMap::default(),
            preds: Vec::new(),
            pred_index: FxHashMap::default(),
            union: vec![0; n.div_ceil(64)],
            dirty: false,
        })
    }

    /// Records a newly kept term as a possible leaf or predicate.
    pub fn observe(&mut self, bank: &Bank, id: EntryId, goal: &Goal) {
        let e = &bank.entries[id as usize];
        if e.nt == self.cond.nt {
            let Some(ok) = goal.agreement(&e.col) else { return };
            let cov = bits_where(self.n, |i| ok[i]);
            if count(&cov) > 0 && !self.cover_index.contains_key(&cov) {
                self.union.iter_mut().zip(&cov).for_each(|(u, c)| *u |= c);
                self.cover_index.insert(cov.clone(), self.covers.len());
                self.covers.push((cov, id));
                self.dirty = true;
            }
        }
        if e.nt == self.cond.cond_nt {
            let p = match (&self.cond.kind, &e.col) {
                (CondKind::Bool, Column::Bool(v)) => bits_where(self.n, |i| v[i]),
                (CondKind::EqLit(l), col) => agree(col, &Column::splat(l, self.n)),
                _ => return,
            };
            let c = count(&p) as usize;
            if c > 0 && c < self.n && !self.pred_index.contains_key(&p) {
                self.pred_index.insert(p.clone(), self.preds.len());
                self.preds.push((p, id));
                self.dirty = true;
            }
        }
    }

    fn all(&self) -> Bits {
        bits_where(self.n, |_| true)
    }
}

/// Tries to build a conditional answer from the bank as it is now.
pub fn solve(s: &mut Search) -> Option<Term> {
    let u = s.unifier.as_mut()?;
    if !u.dirty || u.preds.is_empty() || count(&u.union) as usize != u.n {
        return None;
    }
    u.dirty = false;
    let u = s.unifier.as_ref()?;
    let all = u.all();
    let labels = set_cover(u, &all);
    let mut budget = 4 * u.n + 64;
    let tree = learn(u, &labels, &all, &mut budget, &mut s.deadline)?;
    Some(build(&tree, u, &s.bank, &s.grammar))
}

/// Label bitsets from a greedy set cover: each example is labelled with the first chosen term
/// that covers it.
fn set_cover(u: &Unifier, all: &[u64]) -> Vec<Bits> {
    let mut left = all.to_vec();
    let mut labels = Vec::new();
    while count(&left) > 0 {
        let Some(best) = u.covers.iter().max_by_key(|(c, _)| count(&and(c, &left))) else { break };
        let got = and(&best.0, &left);
        if count(&got) == 0 {
            break;
        }
        left = and_not(&left, &got);
        labels.push(got);
    }
    labels
}

enum Tree {
    Leaf(EntryId),
    Node(EntryId, Box<Tree>, Box<Tree>),
}

fn entropy(labels: &[Bits], set: &[u64]) -> f64 {
    let total = count(set) as f64;
    if total == 0.0 {
        return 0.0;
    }
    labels
        .iter()
        .map(|l| count(&and(l, set)) as f64 / total)
        .filter(|p| *p > 0.0)
        .map(|p| -p * p.log2())
        .sum()
}

fn learn(
    u: &Unifier,
    labels: &[Bits],
    set: &[u64],
    budget: &mut usize,
    dl: &mut crate::budget::Deadline,
) -> Option<Tree> {
    if let Some((_, id)) = u.covers.iter().find(|(c, _)| subset(set, c)) {
        return Some(Tree::Leaf(*id));
    }
    if *budget == 0 || dl.expired_now() {
        return None;
    }
    *budget -= 1;
    let total = count(set) as f64;
    let mut best: Option<(f64, usize)> = None;
    for (i, (p, _)) in u.preds.iter().enumerate() {
        let yes = and(set, p);
        let (ny, nn) = (count(&yes) as f64, total - count(&yes) as f64);
        if ny == 0.0 || nn == 0.0 {
            continue;
        }
        let no = and_not(set, p);
        let h = (ny * entropy(labels, &yes) + nn * entropy(labels, &no)) / total;
        if best.is_none_or(|(bh, _)| h < bh - 1e-12) {
            best = Some((h, i));
        }
    }
    let (_, i) = best?;
    let (p, id) = &u.preds[i];
    let yes = learn(u, labels, &and(set, p), budget, dl)?;
    let no = learn(u, labels, &and_not(set, p), budget, dl)?;
    Some(Tree::Node(*id, Box::new(yes), Box::new(no)))
}

fn build(t: &Tree, u: &Unifier, bank: &Bank, g: &Grammar) -> Term {
    match t {
        Tree::Leaf(id) => bank.term(g, *id),
        Tree::Node(pred, yes, no) => {
            let c = &u.cond;
            let mut children = vec![Term::Lit(Value::Bool(false)); c.arity];
            children[c.cond_pos] = bank.term(g, *pred);
            children[c.then_pos] = build(yes, u, bank, g);
            children[c.else_pos] = build(no, u, bank, g);
            g.nonterminals[c.nt].productions[c.prod].build(children)
        }
    }
}
