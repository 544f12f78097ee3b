//! Bottom-up enumeration in order of cost.

use crate::bank::{Alt, Bank, Entry, EntryId};
use crate::budget::{Deadline, MIN_COLLECT, OCCAM_RATIO};
use crate::goal::Goal;
use crate::{concat, consts, unify, Config, Outcome, Stats, StopReason, Task};
use quill_eval::{apply_func_columns, eval_columns, Column};
use quill_lang::{Func, Grammar, NonTerminal, NtId, Op, ProdKind, Production, Term, Value};
use std::time::{Duration, Instant};

/// Everything a search needs besides the task: input rows, the goal, and values that suggest
/// constants.
pub struct Setup {
    pub rows: Vec<Vec<Value>>,
    pub goal: Goal,
    pub hints: Vec<Value>,
    pub constant_output: Option<Value>,
}

/// The state of one search.
pub struct Search<'a> {
    pub grammar: Grammar,
    pub config: &'a Config,
    pub costs: Vec<Vec<u32>>,
    pub bank: Bank,
    /// Columns of the parameters.
    pub inputs: Vec<Column>,
    pub goal: Goal,
    pub n: usize,
    /// Non-terminals whose terms are answers: the start symbol and those it reaches by chain rules.
    pub answer_nts: Vec<NtId>,
    pub answers: Vec<Term>,
    pub unifier: Option<unify::Unifier>,
    pub deadline: Deadline,
    pub stats: Stats,
    pools: Vec<Vec<Value>>,
    stop: Option<StopReason>,
    /// A conditional answer held back while a smaller one may still appear, and the cost level
    /// until which it waits (`u32::MAX` under [`Config::occam`], whose wait is a time).
    held: Option<(Term, u32)>,
    /// The cost of the costliest term, when the grammar is not recursive (its language finite).
    pub finite_cost: Option<u32>,
    /// When the search began (the budget's start), to time the first answer.
    started: Instant,
    /// The derivations of answers the enumerator built (not deduced), for [`Config::variants`].
    derivations: Vec<(NtId, Alt)>,
}

/// How many cost levels a conditional answer to a logical specification waits for a smaller one.
const LOOKAHEAD: u32 = 1;

fn is_commutative(p: &Production) -> bool {
    use Op::*;
    matches!(
        &p.kind,
        ProdKind::Apply(Func::Builtin(BvAnd | BvOr | BvXor | BvAdd | BvMul | Add | Mul | And | Or | Eq))
    ) && p.args.len() == 2
        && p.args[0] == p.args[1]
}

impl<'a> Search<'a> {
    /// Searches for a term fitting the task's examples, which `synthesize` has already made
    /// distinct and checked for contradictions.
    pub fn run(task: &Task, config: &'a Config) -> Outcome {
        let started = Instant::now();
        let examples = &task.examples;
        let Some(target) = Column::from_values(task.ret, examples.iter().map(|e| e.output.clone())) else {
            let why = "an example's output does not match the function's sort".into();
            return Outcome { answers: vec![], stop: StopReason::Unsupported(why), stats: Stats::default() };
        };
        let rows: Vec<Vec<Value>> = examples.iter().map(|e| e.inputs.clone()).collect();
        let hints = match &config.literals {
            Some(l) => l.clone(),
            None => rows.iter().flatten().chain(examples.iter().map(|e| &e.output)).cloned().collect(),
        };
        let constant =
            examples.first().map(|e| &e.output).filter(|o| examples.iter().all(|e| e.output == **o));
        let setup = Setup { rows, goal: Goal::Outputs(target), hints, constant_output: constant.cloned() };
        Self::run_goal(task, setup, config, started)
    }

    /// Searches with an explicit goal over the given input rows.
    pub fn run_goal(task: &Task, setup: Setup, config: &'a Config, started: Instant) -> Outcome {
        let mut s = match Self::prepare(task, setup, config, started) {
            Ok(s) => s,
            Err(out) => return out,
        };
        let stop = s.search();
        if s.occam_wait().is_some() {
            // A stable sort keeps the order found (cost order) among programs of one size.
            let mut answers = std::mem::take(&mut s.answers);
            answers.sort_by_cached_key(|t| (s.ignores_inputs(t), crate::memorizes(t), t.size()));
            s.answers = answers;
        }
        s.add_variants();
        s.stats.elapsed = started.elapsed();
        s.stats.bank_bytes = s.bank.bytes;
        Outcome { answers: s.answers, stop, stats: s.stats }
    }

    /// Appends up to `config.variants` programs that behave like the built answers on the
    /// examples, after all the answers themselves.
    fn add_variants(&mut self) {
        let mut left = self.config.variants;
        let derivations = std::mem::take(&mut self.derivations);
        // Each answer gets its share, so that the first one's many variants do not crowd out
        // those of a different program.
        let share = (left / derivations.len().max(1)).max(4);
        for (nt, d) in derivations {
            for t in self.bank.variants(&self.grammar, nt, &d, share.min(left)) {
                if left > 0 && !self.answers.contains(&t) {
                    self.answers.push(t);
                    left -= 1;
                }
            }
        }
    }

    /// Enumerates terms up to `config.max_cost` (or the deadline) and returns those of the start
    /// symbol, one per behaviour on the rows, in order of cost, with their values.
    pub fn collect(task: &Task, setup: Setup, config: &Config, started: Instant) -> Vec<(Term, Column, u32)> {
        let setup = Setup { goal: Goal::Collect, ..setup };
        let config = Config { deduction: false, ..config.clone() };
        let Ok(mut s) = Search::prepare(task, setup, &config, started) else {
            return Vec::new();
        };
        let _ = s.search();
        let mut out = Vec::new();
        for (id, e) in s.bank.entries.iter().enumerate() {
            if s.answer_nts.contains(&e.nt) {
                out.push((s.bank.term(&s.grammar, id as EntryId), e.col.clone(), e.cost));
            }
        }
        out.sort_by_key(|x| x.2);
        out
    }

    /// Builds the search state: the grammar (with a sketch's non-terminal), input columns, costs,
    /// constant pools and the unifier.
    #[allow(clippy::result_large_err)]
    fn prepare(task: &Task, setup: Setup, config: &'a Config, started: Instant) -> Result<Self, Outcome> {
        let done = |stop, answers| Outcome {
            answers,
            stop,
            stats: Stats { elapsed: started.elapsed(), ..Stats::default() },
        };
        let mut grammar = task.grammar.clone();
        let mut start = 0;
        if let Some(sketch) = &task.sketch {
            match sketch_nonterminal(&grammar, sketch) {
                Ok(nt) => {
                    grammar.nonterminals.push(nt);
                    start = grammar.nonterminals.len() - 1;
                }
                Err(why) => return Err(done(StopReason::Unsupported(why), vec![])),
            }
        }
        let rows = &setup.rows;
        let n = rows.len();
        let inputs: Option<Vec<Column>> = task
            .params
            .iter()
            .enumerate()
            .map(|(i, (_, s))| {
                Column::from_values(
                    *s,
                    rows.iter().map(|r| r.get(i).cloned().unwrap_or(Value::default_of(*s))),
                )
            })
            .collect();
        let Some(inputs) = inputs else {
            return Err(done(
                StopReason::Unsupported("an example's values do not match the function's sorts".into()),
                vec![],
            ));
        };
        let costs = config.costs.clone().unwrap_or_else(|| {
            grammar
                .nonterminals
                .iter()
                .map(|nt| {
                    nt.productions.iter().map(|p| if p.kind == ProdKind::Chain { 0 } else { 1 }).collect()
                })
                .collect()
        });
        let answer_nts = chain_closure(&grammar, start);
        let pools = grammar
            .nonterminals
            .iter()
            .map(|nt| {
                if nt.productions.iter().any(|p| matches!(p.kind, ProdKind::AnyConst(_))) {
                    consts::pool(nt.sort, &setup.hints, setup.constant_output.as_ref())
                } else {
                    vec![]
                }
            })
            .collect();
        let unifier = if config.deduction && task.sketch.is_none() {
            unify::Unifier::new(&grammar, &answer_nts, &setup.goal, n)
        } else {
            None
        };
        Ok(Search {
            bank: Bank::new(grammar.nonterminals.len()),
            grammar,
            config,
            costs,
            inputs,
            goal: setup.goal,
            n,
            answer_nts,
            answers: Vec::new(),
            unifier,
            deadline: Deadline::new(config.timeout.saturating_sub(started.elapsed())),
            stats: Stats::default(),
            pools,
            stop: None,
            held: None,
            finite_cost: None,
            started,
            derivations: Vec::new(),
        })
        .map(|mut s: Search| {
            s.finite_cost = max_cost(&s.grammar, &s.costs, start, &mut Vec::new());
            if config.variants > 0 {
                s.bank.keep_alternatives();
            }
            s
        })
    }

    fn search(&mut self) -> StopReason {
        let stop = self.levels();
        // A conditional answer held back for a smaller one is still an answer when time runs out,
        // and a ranker gets it beside the enumerated ones.
        let room = self.answers.len() < self.config.top_k.max(1);
        if let (Some((t, _)), true) = (self.held.take(), room) {
            self.found(t);
            if !self.answers.is_empty() {
                return StopReason::Solved;
            }
        }
        // The collection window after the first answer ended: the task is solved, not timed out.
        if stop == StopReason::Timeout && self.deadline.shortened && !self.answers.is_empty() {
            return StopReason::Solved;
        }
        stop
    }

    fn levels(&mut self) -> StopReason {
        let mut empty_levels = 0;
        for cost in 1..=self.config.max_cost {
            let before = self.bank.entries.len();
            self.level(cost);
            if let Some(stop) = self.stop.take() {
                return stop;
            }
            self.stats.cost_reached = cost;
            if self.config.deduction && self.answers.is_empty() && self.config.top_k > 0 {
                self.deduce(cost);
                if let Some(stop) = self.stop.take() {
                    return stop;
                }
            }
            // A non-recursive grammar is exhausted, provably, past the cost of its costliest term.
            // Otherwise, enough levels without a new behaviour end the search as exhausted: a
            // heuristic, since later levels could still combine old terms into new behaviour.
            if let Some(m) = self.finite_cost {
                if cost >= m {
                    return if self.answers.is_empty() { StopReason::Exhausted } else { StopReason::Solved };
                }
                continue;
            }
            // A production of arity k over leaves of cost 1 first yields a term k levels past
            // them, so the gap to wait out grows with the widest production as well as the
            // costliest (a grammar whose only operator is `str.substr` has two empty levels).
            let max_prod = self.costs.iter().flatten().copied().max().unwrap_or(1).max(1);
            let max_arity =
                self.grammar.nonterminals.iter().flat_map(|n| &n.productions).map(|p| p.args.len());
            let gap = max_prod as usize * max_arity.max().unwrap_or(1).max(1);
            empty_levels = if self.bank.entries.len() == before { empty_levels + 1 } else { 0 };
            if empty_levels > gap {
                return if self.answers.is_empty() { StopReason::Exhausted } else { StopReason::Solved };
            }
        }
        if self.answers.is_empty() {
            StopReason::CostLimit
        } else {
            StopReason::Solved
        }
    }

    /// Runs the deductive steps (unification, string splitting) on the bank as it is now.
    ///
    /// Under a logical specification a decision tree that fits the points so far may be an
    /// overfit patchwork of small predicates, and every such answer costs a CEGIS round. The tree
    /// is therefore held back for [`LOOKAHEAD`] more cost levels, during which better predicates
    /// appear, and the smallest tree found is answered.
    fn deduce(&mut self, cost: u32) {
        let spec = matches!(self.goal, Goal::Spec { .. }) && self.config.top_k == 1;
        // Held for a ranker too: a deduced answer in the pool would end deduction (which runs only
        // while no answer is known) before the smaller tree or concatenation is built.
        let occam = self.occam_wait().is_some();
        if let Some(t) = unify::solve(self) {
            if spec {
                self.hold(t, cost + LOOKAHEAD);
            } else if occam {
                self.hold(t, u32::MAX);
            } else {
                self.found(t);
            }
        }
        if let Some((t, until)) = self.held.clone() {
            if cost >= until {
                self.held = None;
                self.found(t);
            }
        }
        if self.answers.is_empty() && self.stop.is_none() {
            if let Some(t) = concat::solve(self) {
                if occam {
                    self.hold(t, u32::MAX);
                } else {
                    self.found(t);
                }
            }
        }
    }

    /// Holds a deduced answer while the enumeration looks for a smaller program (deduction
    /// assembles decision trees and concatenations that fit the examples piece by piece, and so
    /// memorize them): until cost level `until` under a logical specification, for the time of
    /// [`Config::occam`] with examples (`until` is then `u32::MAX`). A smaller answer held
    /// meanwhile replaces it without moving the end of the wait, and the held answer is the
    /// answer if nothing else appears.
    fn hold(&mut self, t: Term, until: u32) {
        if self.held.is_none() {
            if let Some(wait) = self.occam_wait_for(&t) {
                self.deadline.shorten(Instant::now() + wait);
            }
        }
        let until = self.held.as_ref().map_or(until, |h| h.1);
        if self.held.as_ref().is_none_or(|(h, _)| t.size() < h.size()) {
            self.held = Some((t, until));
        }
    }

    /// Records an answer after checking it on every example.
    pub fn found(&mut self, t: Term) {
        if self.answers.contains(&t) {
            return;
        }
        let ok = eval_columns(&t, &self.inputs.iter().collect::<Vec<_>>(), &[], self.n)
            .is_ok_and(|c| self.goal.accepts(&c));
        debug_assert!(ok, "a deduced answer must fit the examples: {t}");
        if ok {
            self.answers.push(t);
            if self.answers.len() >= self.config.top_k {
                self.stop = Some(StopReason::Solved);
            } else if let (1, Some(ratio)) = (self.answers.len(), self.config.collect_ratio) {
                let mut window = self.started.elapsed().mul_f64(ratio.max(0.0)).max(MIN_COLLECT);
                // A first answer that Occam's razor would hold (conditional, or, from one example,
                // ignoring its input) gets the razor's longer wait, so that a ranker also sees the
                // smaller programs that compute the output.
                let first = &self.answers[0];
                let eager = conditional(first) || self.ignores_inputs(first);
                if let (Some(wait), true) = (self.occam_wait_for(first), eager) {
                    window = window.max(wait);
                }
                self.deadline.shorten(Instant::now() + window);
            }
        }
    }

    /// [`crate::ignores_inputs`] on the task's examples (given here as columns).
    fn ignores_inputs(&self, t: &Term) -> bool {
        let (1, Goal::Outputs(target)) = (self.n, &self.goal) else {
            return false;
        };
        let e =
            crate::Example { inputs: self.inputs.iter().map(|c| c.get(0)).collect(), output: target.get(0) };
        crate::ignores_inputs(t, std::slice::from_ref(&e))
    }

    /// How much longer to look for a program without conditionals, under [`Config::occam`]; `None`
    /// when it does not apply (a logical specification, or no preference set).
    fn occam_wait(&self) -> Option<Duration> {
        let wait = self.config.occam?;
        let spent = self.started.elapsed();
        // At most half the time left: an answer found late must still come back well before the
        // budget ends, not at its last instant.
        let half_left = self.config.timeout.saturating_sub(spent) / 2;
        matches!(self.goal, Goal::Outputs(_)).then(|| wait.max(spent.mul_f64(OCCAM_RATIO)).min(half_left))
    }

    /// [`Self::occam_wait`] for an answer `t`: a lookup table (see [`crate::memorizes`]) waits as
    /// long as the razor ever allows, half the time left, since it almost never generalizes and
    /// most tasks it answers are settled well within the budget.
    fn occam_wait_for(&self, t: &Term) -> Option<Duration> {
        let wait = self.occam_wait()?;
        if crate::memorizes(t) {
            Some(self.config.timeout.saturating_sub(self.started.elapsed()) / 2)
        } else {
            Some(wait)
        }
    }

    /// Enumerates every term of exactly `cost`.
    fn level(&mut self, cost: u32) {
        for nt in 0..self.grammar.nonterminals.len() {
            for p in 0..self.grammar.nonterminals[nt].productions.len() {
                let pc = self.costs[nt][p];
                if pc == 0 || pc > cost {
                    continue;
                }
                self.production(nt, p, cost - pc, cost);
                if self.stop.is_some() {
                    return;
                }
            }
        }
        // Chain rules cost nothing, so a chain copies terms of this very level; repeat until no
        // chain adds anything (cycles end because equal behaviour is not kept twice).
        loop {
            let mut added = false;
            for nt in 0..self.grammar.nonterminals.len() {
                for p in 0..self.grammar.nonterminals[nt].productions.len() {
                    let prod = &self.grammar.nonterminals[nt].productions[p];
                    if self.costs[nt][p] != 0 || prod.args.len() != 1 {
                        continue;
                    }
                    let child_nt = prod.args[0];
                    let ids: Vec<EntryId> = self.bank.at(child_nt, cost).to_vec();
                    for id in ids {
                        let col = self.bank.entries[id as usize].col.clone();
                        added |= self.offer(nt, p, cost, Box::new([id]), col, None);
                        if self.stop.is_some() {
                            return;
                        }
                    }
                }
            }
            if !added {
                break;
            }
        }
    }

    /// Enumerates the terms of production `p` of `nt` whose children cost `rest` in total.
    fn production(&mut self, nt: NtId, p: usize, rest: u32, cost: u32) {
        let prod = self.grammar.nonterminals[nt].productions[p].clone();
        match &prod.kind {
            ProdKind::Leaf(t) if rest == 0 => {
                let vars: Vec<&Column> = self.inputs.iter().collect();
                if let Ok(col) = eval_columns(t, &vars, &[], self.n) {
                    self.offer(nt, p, cost, Box::new([]), col, None);
                }
            }
            ProdKind::AnyConst(_) if rest == 0 => {
                for v in self.pools[nt].clone() {
                    let col = Column::splat(&v, self.n);
                    self.offer(nt, p, cost, Box::new([]), col, Some(v));
                }
            }
            ProdKind::Apply(_) | ProdKind::Template(_) if !prod.args.is_empty() => {
                let commutative = is_commutative(&prod);
                let mut split = vec![0u32; prod.args.len()];
                self.splits(nt, p, &prod, 0, rest, &mut split, cost, commutative);
            }
            _ => {}
        }
    }

    /// Chooses the cost of each argument in turn, then enumerates the combinations.
    #[allow(clippy::too_many_arguments)]
    fn splits(
        &mut self,
        nt: NtId,
        p: usize,
        prod: &Production,
        i: usize,
        rest: u32,
        split: &mut Vec<u32>,
        cost: u32,
        commutative: bool,
    ) {
        let k = prod.args.len();
        if i == k - 1 {
            if rest == 0 || self.bank.at(prod.args[i], rest).is_empty() {
                return;
            }
            split[i] = rest;
            if commutative && split[0] > split[1] {
                return;
            }
            self.combinations(nt, p, prod, split, cost, commutative);
            return;
        }
        for c in 1..=rest.saturating_sub((k - 1 - i) as u32) {
            if self.bank.at(prod.args[i], c).is_empty() {
                continue;
            }
            split[i] = c;
            self.splits(nt, p, prod, i + 1, rest - c, split, cost, commutative);
            if self.stop.is_some() {
                return;
            }
        }
    }

    fn combinations(
        &mut self,
        nt: NtId,
        p: usize,
        prod: &Production,
        split: &[u32],
        cost: u32,
        commutative: bool,
    ) {
        let lists: Vec<Vec<EntryId>> =
            prod.args.iter().zip(split).map(|(a, c)| self.bank.at(*a, *c).to_vec()).collect();
        let mut idx = vec![0usize; lists.len()];
        let same_level = commutative && split[0] == split[1];
        loop {
            if !(same_level && idx[0] > idx[1]) {
                let children: Box<[EntryId]> = idx.iter().zip(&lists).map(|(i, l)| l[*i]).collect();
                self.stats.candidates += 1;
                if let Ok(col) = self.eval(prod, &children) {
                    self.offer(nt, p, cost, children, col, None);
                }
                if self.stop.is_some() {
                    return;
                }
                if self.deadline.tick() {
                    self.stop = Some(StopReason::Timeout);
                    return;
                }
            }
            // Advance the mixed-radix counter over the argument lists.
            let mut j = lists.len();
            loop {
                if j == 0 {
                    return;
                }
                j -= 1;
                idx[j] += 1;
                if idx[j] < lists[j].len() {
                    break;
                }
                idx[j] = 0;
            }
        }
    }

    fn eval(&self, prod: &Production, children: &[EntryId]) -> Result<Column, quill_eval::EvalError> {
        let cols: Vec<&Column> = children.iter().map(|c| &self.bank.entries[*c as usize].col).collect();
        match &prod.kind {
            ProdKind::Apply(f) => apply_func_columns(f, &cols, self.n),
            ProdKind::Template(t) => eval_columns(t, &self.inputs.iter().collect::<Vec<_>>(), &cols, self.n),
            _ => Err(quill_eval::EvalError::IllFormed("not an operator production".into())),
        }
    }

    fn answer_from(&mut self, nt: NtId, p: usize, children: &[EntryId], lit: &Option<Value>) {
        let g = &self.grammar;
        let prod = &g.nonterminals[nt].productions[p];
        let t = match lit {
            Some(v) => Term::Lit(v.clone()),
            None => prod.build(children.iter().map(|c| self.bank.term(g, *c)).collect()),
        };
        let before = self.answers.len();
        if self.occam_wait().is_some() && self.ignores_inputs(&t) {
            // From a single example, a program that ignores its input is that example's output
            // copied: it waits, as a deduced answer does, for one that computes the output. For a
            // ranker one such program is enough: its rewritings (`(str.++ "out" "")`, ..) would
            // fill the pool before any program that reads the input is reached.
            if self.config.top_k == 1 {
                self.hold(t, u32::MAX);
                return;
            }
            if self.answers.iter().any(|a| self.ignores_inputs(a)) {
                return;
            }
        }
        self.found(t);
        if self.config.variants > 0 && self.answers.len() > before {
            let reads = self.reads(nt, p, children);
            let d = Alt { prod: p as u32, children: children.into(), lit: lit.clone(), reads };
            self.derivations.push((nt, d));
        }
    }

    /// Whether production `p` of `nt` applied to `children` reads a parameter.
    fn reads(&self, nt: NtId, p: usize, children: &[EntryId]) -> bool {
        children.iter().any(|c| self.bank.entries[*c as usize].reads)
            || match &self.grammar.nonterminals[nt].productions[p].kind {
                ProdKind::Leaf(t) | ProdKind::Template(t) => has_var(t),
                _ => false,
            }
    }

    /// Offers a new term: records it as an answer if it fits, and keeps it if its behaviour is new.
    fn offer(
        &mut self,
        nt: NtId,
        p: usize,
        cost: u32,
        children: Box<[EntryId]>,
        col: Column,
        lit: Option<Value>,
    ) -> bool {
        // Example goals are checked before observational equivalence prunes the term, so that
        // top-k sees every distinct answer; a specification is costlier to check and is only
        // checked on terms with new behaviour.
        let is_answer = self.answer_nts.contains(&nt);
        if is_answer && matches!(self.goal, Goal::Outputs(_)) && self.goal.accepts(&col) {
            self.answer_from(nt, p, &children, &lit);
        }
        let reads = self.reads(nt, p, &children);
        let entry = Entry { nt, prod: p as u32, cost, children, col, lit, reads };
        let Some(id) = self.bank.insert(entry) else { return false };
        self.stats.kept += 1;
        if is_answer
            && matches!(self.goal, Goal::Spec { .. })
            && self.goal.accepts(&self.bank.entries[id as usize].col)
        {
            self.found(self.bank.term(&self.grammar, id));
        }
        if let Some(u) = &mut self.unifier {
            u.observe(&self.bank, id, &self.goal);
        }
        if self.bank.bytes > self.config.max_memory {
            self.stop.get_or_insert(StopReason::MemoryLimit);
        }
        true
    }
}

/// Inputs varied from `v`, on which a program that reads `v` gives, almost always, another output.
pub(crate) fn probes(v: &Value) -> Vec<Value> {
    match v {
        Value::Str(s) => {
            let s = s.to_rust_string();
            vec![Value::str(&format!("{s}Zq 7")), Value::str(&format!("Xy-{s}"))]
        }
        Value::Int(n) => vec![Value::Int(n.wrapping_add(7)), Value::Int(n.wrapping_neg().wrapping_sub(3))],
        Value::Bool(b) => vec![Value::Bool(!b)],
        Value::BitVec { width, bits } => {
            vec![Value::bv(*width, !bits), Value::bv(*width, bits.wrapping_add(7))]
        }
    }
}

/// Whether a term branches on a condition (`ite` anywhere in it).
fn conditional(t: &Term) -> bool {
    match t {
        Term::App(Func::Builtin(Op::Ite), _) => true,
        Term::App(_, args) => args.iter().any(conditional),
        _ => false,
    }
}

/// The non-terminals reachable from `start` through chain rules, `start` first.
fn chain_closure(g: &Grammar, start: NtId) -> Vec<NtId> {
    let mut out = vec![start];
    let mut i = 0;
    while i < out.len() {
        for p in &g.nonterminals[out[i]].productions {
            if p.kind == ProdKind::Chain && !out.contains(&p.args[0]) {
                out.push(p.args[0]);
            }
        }
        i += 1;
    }
    out
}

/// A non-terminal with one production: the sketch, whose holes are filled by the grammar's
/// non-terminal of each hole's sort.
fn sketch_nonterminal(g: &Grammar, sketch: &Term) -> Result<NonTerminal, String> {
    let mut args = Vec::new();
    let mut count = 0u32;
    fn renumber(t: &Term, g: &Grammar, args: &mut Vec<NtId>, count: &mut u32) -> Result<Term, String> {
        Ok(match t {
            Term::Hole(_, s) => {
                let nt = g
                    .nt_of_sort(*s)
                    .ok_or_else(|| format!("the grammar has no non-terminal of sort {s} for a hole"))?;
                args.push(nt);
                *count += 1;
                Term::Hole(*count - 1, *s)
            }
            Term::App(f, xs) => Term::App(
                f.clone(),
                xs.iter().map(|x| renumber(x, g, args, count)).collect::<Result<_, _>>()?,
            ),
            t => t.clone(),
        })
    }
    let template = renumber(sketch, g, &mut args, &mut count)?;
    let kind = if args.is_empty() { ProdKind::Leaf(template) } else { ProdKind::Template(template) };
    Ok(NonTerminal {
        name: "Sketch".into(),
        sort: sketch.sort(),
        productions: vec![Production { kind, args }],
    })
}

/// The cost of the costliest term of `nt`; `None` when the grammar is recursive from `nt`.
fn max_cost(g: &Grammar, costs: &[Vec<u32>], nt: NtId, stack: &mut Vec<NtId>) -> Option<u32> {
    if stack.contains(&nt) {
        return None;
    }
    stack.push(nt);
    let mut best = 0;
    for (i, p) in g.nonterminals.get(nt)?.productions.iter().enumerate() {
        let mut sum = costs.get(nt)?.get(i).copied()?;
        for a in &p.args {
            sum += max_cost(g, costs, *a, stack)?;
        }
        best = best.max(sum);
    }
    stack.pop();
    Some(best)
}

/// Whether a variable occurs in `t`.
fn has_var(t: &Term) -> bool {
    match t {
        Term::Var(_) => true,
        Term::App(_, args) => args.iter().any(has_var),
        _ => false,
    }
}
