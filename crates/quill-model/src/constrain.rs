//! Grammar-constrained decoding: which program tokens keep a prefix derivable in a task's grammar.
//!
//! Every production is compiled to a pattern of items: a fixed token, a slot for one of its
//! argument non-terminals, or "any literal of a sort" for `(Constant S)`. A decoding state is a
//! small set of parse configurations (a stack of partly matched productions each); a token is
//! allowed when some configuration accepts it and can still finish within the token budget, so
//! every decoded program is complete, well-sorted and derivable from the grammar. Productions
//! without a token pattern (helper functions other than Quill's own, operators or arities outside
//! the vocabulary, templates that repeat an argument) are never used.

use crate::vocab::{ProgTok, Vocab, EOS, LIT};
use quill_lang::{Grammar, NtId, ProdKind, Sort, Term, Value};

#[derive(Clone, Debug, PartialEq)]
enum Item {
    Tok(u32),
    /// Argument `i` of the production.
    Slot(usize),
    /// Any literal of the sort: a constant token of that sort, or `<lit>`.
    AnyLit(Sort),
}

#[derive(Clone, Debug, PartialEq)]
struct Frame {
    /// `None` for the root, whose single slot is the start symbol.
    prod: Option<(NtId, usize)>,
    pos: usize,
    children: Vec<Option<Term>>,
    lit: Option<Value>,
}

#[derive(Clone, Debug, PartialEq)]
struct Config {
    stack: Vec<Frame>,
    done: Option<Term>,
    /// `<lit>` tokens taken for `(Constant S)`: their values are left to the caller.
    free_consts: usize,
}

/// A decoding state: the tokens so far and the parse configurations they leave.
#[derive(Clone, Debug)]
pub struct DecodeState {
    pub tokens: Vec<u32>,
    configs: Vec<Config>,
}

/// A finished program.
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    pub term: Term,
    /// `(Constant S)` choices written as `<lit>`; the term holds the sort's default value there.
    pub free_consts: usize,
}

/// The token patterns of a grammar, ready to constrain decoding.
#[derive(Clone, Debug)]
pub struct GrammarDecoder {
    grammar: Grammar,
    vocab: Vocab,
    patterns: Vec<Vec<Option<Vec<Item>>>>,
    min_len: Vec<usize>,
    max_tokens: usize,
}

/// At most this many parse configurations are kept per state; ambiguous grammars rarely need more.
const MAX_CONFIGS: usize = 64;

impl GrammarDecoder {
    /// Compiles the grammar's productions; programs get at most `max_tokens` tokens (EOS excluded).
    pub fn new(grammar: &Grammar, vocab: &Vocab, max_tokens: usize) -> GrammarDecoder {
        let patterns: Vec<Vec<Option<Vec<Item>>>> = grammar
            .nonterminals
            .iter()
            .map(|nt| nt.productions.iter().map(|p| pattern(&p.kind, p.args.len(), vocab)).collect())
            .collect();
        let mut dec = GrammarDecoder {
            grammar: grammar.clone(),
            vocab: vocab.clone(),
            patterns,
            min_len: vec![usize::MAX; grammar.nonterminals.len()],
            max_tokens,
        };
        // Shortest completion of each non-terminal, by fixpoint iteration.
        loop {
            let mut changed = false;
            for nt in 0..dec.patterns.len() {
                let best = (0..dec.patterns[nt].len())
                    .filter_map(|p| dec.patterns[nt][p].as_ref().map(|items| dec.items_len(nt, p, items)))
                    .min()
                    .unwrap_or(usize::MAX);
                if best < dec.min_len[nt] {
                    dec.min_len[nt] = best;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        dec
    }

    /// The fixed tokens a production writes (its operator, parameter or constant tokens; `<lit>`
    /// for `(Constant S)`), without its arguments' tokens; `None` for a production the decoder
    /// cannot write. Guidance prices a production by the model's belief in these tokens.
    pub fn production_tokens(&self, nt: NtId, prod: usize) -> Option<Vec<u32>> {
        let items = self.patterns.get(nt)?.get(prod)?.as_ref()?;
        Some(
            items
                .iter()
                .filter_map(|it| match it {
                    Item::Tok(t) => Some(*t),
                    Item::AnyLit(_) => Some(LIT),
                    Item::Slot(_) => None,
                })
                .collect(),
        )
    }

    /// Whether the start symbol derives any program within the token budget.
    pub fn usable(&self) -> bool {
        self.min_len.first().is_some_and(|m| *m <= self.max_tokens)
    }

    fn items_len(&self, nt: NtId, prod: usize, items: &[Item]) -> usize {
        items.iter().fold(0usize, |acc, it| acc.saturating_add(self.item_len(Some((nt, prod)), it)))
    }

    fn item_len(&self, prod: Option<(NtId, usize)>, it: &Item) -> usize {
        match it {
            Item::Tok(_) | Item::AnyLit(_) => 1,
            Item::Slot(i) => self.arg_nt(prod, *i).map_or(usize::MAX, |a| self.min_len[a]),
        }
    }

    fn arg_nt(&self, prod: Option<(NtId, usize)>, i: usize) -> Option<NtId> {
        match prod {
            None => (i == 0 && !self.grammar.nonterminals.is_empty()).then_some(0),
            Some((nt, p)) => self.grammar.nonterminals[nt].productions[p].args.get(i).copied(),
        }
    }

    fn items(&self, prod: Option<(NtId, usize)>) -> &[Item] {
        const ROOT: &[Item] = &[Item::Slot(0)];
        match prod {
            None => ROOT,
            Some((nt, p)) => self.patterns[nt][p].as_deref().unwrap_or(&[]),
        }
    }

    /// The state before any token.
    pub fn start(&self) -> DecodeState {
        let root = Frame { prod: None, pos: 0, children: vec![None], lit: None };
        DecodeState {
            tokens: Vec::new(),
            configs: vec![Config { stack: vec![root], done: None, free_consts: 0 }],
        }
    }

    /// Tokens that may come next (EOS when a program is complete), ascending.
    pub fn allowed(&self, st: &DecodeState) -> Vec<u32> {
        let mut out = Vec::new();
        if st.configs.iter().any(|c| c.done.is_some()) {
            out.push(EOS);
        }
        for tok in 0..self.vocab.len() as u32 {
            if tok == EOS || !self.could_start(tok) {
                continue;
            }
            if st.configs.iter().any(|c| !self.feed(c, tok, st.tokens.len() + 1).is_empty()) {
                out.push(tok);
            }
        }
        out.sort_unstable();
        out
    }

    fn could_start(&self, tok: u32) -> bool {
        !matches!(self.vocab.get(tok), Some(ProgTok::Pad | ProgTok::Bos | ProgTok::Eos) | None)
    }

    /// The state after `tok`, or `None` when the token is not allowed.
    pub fn advance(&self, st: &DecodeState, tok: u32) -> Option<DecodeState> {
        let mut configs: Vec<Config> = Vec::new();
        for c in &st.configs {
            for n in self.feed(c, tok, st.tokens.len() + 1) {
                if !configs.contains(&n) && configs.len() < MAX_CONFIGS {
                    configs.push(n);
                }
            }
        }
        if configs.is_empty() {
            return None;
        }
        let mut tokens = st.tokens.clone();
        tokens.push(tok);
        Some(DecodeState { tokens, configs })
    }

    /// The complete programs a state stands for (more than one only for ambiguous grammars).
    pub fn finish(&self, st: &DecodeState) -> Vec<Finished> {
        let mut out: Vec<Finished> = Vec::new();
        for c in &st.configs {
            if let Some(term) = &c.done {
                let f = Finished { term: term.clone(), free_consts: c.free_consts };
                if !out.contains(&f) {
                    out.push(f);
                }
            }
        }
        out
    }

    /// The configurations after feeding `tok` to `c`, keeping only those that can finish within
    /// the budget when `used` tokens (this one included) have been spent.
    fn feed(&self, c: &Config, tok: u32, used: usize) -> Vec<Config> {
        let mut out = Vec::new();
        self.feed_into(c.clone(), tok, 0, &mut out);
        out.retain(|n| used.saturating_add(self.remaining(n)) <= self.max_tokens);
        out
    }

    fn feed_into(&self, mut c: Config, tok: u32, depth: usize, out: &mut Vec<Config>) {
        let Some(top) = c.stack.last() else { return };
        let Some(item) = self.items(top.prod).get(top.pos).cloned() else { return };
        match item {
            Item::Tok(x) if x == tok => {
                self.complete(&mut c);
                out.push(c);
            }
            Item::Tok(_) => {}
            Item::AnyLit(sort) => {
                let value = match self.vocab.get(tok) {
                    Some(ProgTok::Const(v)) if v.sort() == sort => v.clone(),
                    _ if tok == LIT => {
                        c.free_consts += 1;
                        Value::default_of(sort)
                    }
                    _ => return,
                };
                if let Some(top) = c.stack.last_mut() {
                    top.lit = Some(value);
                }
                self.complete(&mut c);
                out.push(c);
            }
            Item::Slot(i) => {
                // Chain productions expand without consuming a token; the depth bound ends cycles.
                if depth > self.grammar.nonterminals.len() {
                    return;
                }
                let Some(nt) = self.arg_nt(top.prod, i) else { return };
                for (p, pat) in self.patterns[nt].iter().enumerate() {
                    if pat.is_none() || self.min_len[nt] == usize::MAX {
                        continue;
                    }
                    let args = self.grammar.nonterminals[nt].productions[p].args.len();
                    let mut n = c.clone();
                    n.stack.push(Frame {
                        prod: Some((nt, p)),
                        pos: 0,
                        children: vec![None; args],
                        lit: None,
                    });
                    self.feed_into(n, tok, depth + 1, out);
                }
            }
        }
    }

    /// Moves past the item just matched and closes every production that is thereby complete.
    fn complete(&self, c: &mut Config) {
        if let Some(top) = c.stack.last_mut() {
            top.pos += 1;
        }
        while let Some(top) = c.stack.last() {
            if top.pos < self.items(top.prod).len() {
                return;
            }
            let Some(frame) = c.stack.pop() else { return };
            let term = self.build(&frame);
            match c.stack.last_mut() {
                None => {
                    c.done = Some(term);
                    return;
                }
                Some(parent) => {
                    if let Some(Item::Slot(i)) = self.items(parent.prod).get(parent.pos) {
                        if let Some(slot) = parent.children.get_mut(*i) {
                            *slot = Some(term);
                        }
                    }
                    parent.pos += 1;
                }
            }
        }
    }

    fn build(&self, f: &Frame) -> Term {
        let children: Vec<Term> =
            f.children.iter().map(|c| c.clone().unwrap_or(Term::Hole(0, Sort::Bool))).collect();
        match f.prod {
            None => children.into_iter().next().unwrap_or(Term::Hole(0, Sort::Bool)),
            Some((nt, p)) => {
                let prod = &self.grammar.nonterminals[nt].productions[p];
                match (&prod.kind, &f.lit) {
                    (ProdKind::AnyConst(_), Some(v)) => Term::Lit(v.clone()),
                    _ => prod.build(children),
                }
            }
        }
    }

    /// The fewest tokens that finish a configuration.
    fn remaining(&self, c: &Config) -> usize {
        let mut sum = 0usize;
        let n = c.stack.len();
        for (k, f) in c.stack.iter().enumerate() {
            // In frames below the top, the item at `pos` is the slot being expanded above them.
            let from = if k + 1 == n { f.pos } else { f.pos + 1 };
            for it in self.items(f.prod).iter().skip(from) {
                sum = sum.saturating_add(self.item_len(f.prod, it));
            }
        }
        sum
    }
}

/// The token pattern of a production, or `None` when it has none.
fn pattern(kind: &ProdKind, args: usize, vocab: &Vocab) -> Option<Vec<Item>> {
    match kind {
        ProdKind::Leaf(t) => {
            let (mut toks, mut lits) = (Vec::new(), Vec::new());
            vocab.encode(t, &mut toks, &mut lits).ok()?;
            Some(toks.into_iter().map(Item::Tok).collect())
        }
        ProdKind::Apply(f) => {
            let id = vocab.func(f, args)?;
            Some(std::iter::once(Item::Tok(id)).chain((0..args).map(Item::Slot)).collect())
        }
        ProdKind::Template(t) => {
            let mut items = Vec::new();
            template(t, vocab, &mut items)?;
            // Each argument must be written exactly once, or the tokens could not say it.
            let mut seen = vec![0usize; args];
            for it in &items {
                if let Item::Slot(i) = it {
                    *seen.get_mut(*i)? += 1;
                }
            }
            seen.iter().all(|n| *n == 1).then_some(items)
        }
        ProdKind::Chain => Some(vec![Item::Slot(0)]),
        ProdKind::AnyConst(s) => Some(vec![Item::AnyLit(*s)]),
    }
}

fn template(t: &Term, vocab: &Vocab, out: &mut Vec<Item>) -> Option<()> {
    match t {
        Term::Hole(i, _) => out.push(Item::Slot(*i as usize)),
        Term::App(f, xs) => {
            out.push(Item::Tok(vocab.func(f, xs.len())?));
            for x in xs {
                template(x, vocab, out)?;
            }
        }
        leaf => {
            let (mut toks, mut lits) = (Vec::new(), Vec::new());
            vocab.encode(leaf, &mut toks, &mut lits).ok()?;
            out.extend(toks.into_iter().map(Item::Tok));
        }
    }
    Some(())
}
