//! The term bank: every kept term, by non-terminal and cost, with one term per behaviour.

use hashbrown::HashTable;
use quill_eval::Column;
use quill_lang::{Grammar, NtId, Term};
use std::hash::BuildHasher;

pub type EntryId = u32;

/// A kept term: the production that built it, its children, its cost and its values on the
/// examples (its observational signature).
pub struct Entry {
    pub nt: NtId,
    pub prod: u32,
    pub cost: u32,
    pub children: Box<[EntryId]>,
    pub col: Column,
    /// For `(Constant S)` productions: the literal chosen.
    pub lit: Option<quill_lang::Value>,
    /// Whether the term reads a parameter (a variable occurs in it).
    pub reads: bool,
}

/// Another derivation of an entry's behaviour, which observational equivalence kept out of the
/// bank: the raw material of [`Bank::variants`].
#[derive(Clone, Debug)]
pub struct Alt {
    pub prod: u32,
    pub children: Box<[EntryId]>,
    pub lit: Option<quill_lang::Value>,
    pub reads: bool,
}

/// How many alternative derivations are kept per behaviour: at most one per production, so that
/// the few slots go to different ideas (`5`, `(str.len x)`, `(str.indexof x " " 0)`) rather
/// than to many sums of constants. A production's slot goes to its first derivation, except that
/// one reading a parameter replaces one that does not: from one example, `(+ (last_indexof x " ")
/// 1)` and `(+ 5 6)` have the same value, and only the first can be the general program.
const ALTS_PER_ENTRY: usize = 6;

/// How many alternatives a bank keeps in all (about 50 bytes each).
const MAX_ALTS: usize = 1 << 20;

pub struct Bank {
    pub entries: Vec<Entry>,
    /// Alternative derivations per entry, when enabled ([`Bank::keep_alternatives`]).
    alts: Option<rustc_hash::FxHashMap<EntryId, Vec<Alt>>>,
    alt_count: usize,
    /// `by_cost[nt][cost]`: the entries of a non-terminal at a cost.
    pub by_cost: Vec<Vec<Vec<EntryId>>>,
    /// Per non-terminal: entries keyed by their column, for observational equivalence.
    seen: Vec<HashTable<EntryId>>,
    hasher: rustc_hash::FxBuildHasher,
    pub bytes: usize,
}

impl Bank {
    pub fn new(nts: usize) -> Self {
        Bank {
            entries: Vec::new(),
            alts: None,
            alt_count: 0,
            by_cost: vec![Vec::new(); nts],
            seen: (0..nts).map(|_| HashTable::new()).collect(),
            hasher: rustc_hash::FxBuildHasher,
            bytes: 0,
        }
    }

    pub fn hash(&self, col: &Column) -> u64 {
        self.hasher.hash_one(col)
    }

    /// The entry of `nt` with exactly these values, if any.
    pub fn lookup(&self, nt: NtId, col: &Column) -> Option<EntryId> {
        let h = self.hash(col);
        self.seen[nt].find(h, |id| self.entries[*id as usize].col == *col).copied()
    }

    /// From now on, remember a few other derivations of each kept behaviour.
    pub fn keep_alternatives(&mut self) {
        self.alts.get_or_insert_with(Default::default);
    }

    /// Keeps the entry unless a term with the same values is already in its non-terminal (then,
    /// when alternatives are kept, it may be remembered as another derivation of that term).
    pub fn insert(&mut self, e: Entry) -> Option<EntryId> {
        let h = self.hash(&e.col);
        let entries = &self.entries;
        if let Some(&dup) = self.seen[e.nt].find(h, |id| entries[*id as usize].col == e.col) {
            self.remember(dup, e);
            return None;
        }
        let id = self.entries.len() as EntryId;
        let hasher = self.hasher;
        let entries = &self.entries;
        self.seen[e.nt].insert_unique(h, id, |id| {
            // Rehashing needs the column of an existing entry; the new one is not in `entries` yet.
            entries.get(*id as usize).map_or(h, |x| hasher.hash_one(&x.col))
        });
        let level = &mut self.by_cost[e.nt];
        if level.len() <= e.cost as usize {
            level.resize(e.cost as usize + 1, Vec::new());
        }
        level[e.cost as usize].push(id);
        self.bytes += e.col.heap_bytes() + std::mem::size_of::<Entry>() + e.children.len() * 4 + 16;
        self.entries.push(e);
        Some(id)
    }

    fn remember(&mut self, dup: EntryId, e: Entry) {
        let Some(alts) = &mut self.alts else { return };
        let first = &mut self.entries[dup as usize];
        let mut alt = Alt { prod: e.prod, children: e.children, lit: e.lit, reads: e.reads };
        // A derivation of the same cost that reads a parameter becomes the entry's own, so that
        // every term built on this behaviour reads the input too (`(last_indexof x " ")` rather
        // than `(+ 5 5)` inside larger programs); the old one stays as an alternative. Children
        // always precede their parent, which keeps derivations acyclic.
        if alt.reads && !first.reads && e.cost == first.cost && alt.children.iter().all(|c| *c < dup) {
            std::mem::swap(&mut first.prod, &mut alt.prod);
            std::mem::swap(&mut first.children, &mut alt.children);
            std::mem::swap(&mut first.lit, &mut alt.lit);
            std::mem::swap(&mut first.reads, &mut alt.reads);
        }
        if self.alt_count >= MAX_ALTS || (first.prod == alt.prod && (first.reads || !alt.reads)) {
            return;
        }
        let list = alts.entry(dup).or_default();
        if let Some(same) = list.iter_mut().find(|a| a.prod == alt.prod) {
            if alt.reads && !same.reads {
                *same = alt;
            }
            return;
        }
        if list.len() >= ALTS_PER_ENTRY {
            return;
        }
        self.bytes += std::mem::size_of::<Alt>() + alt.children.len() * 4 + 16;
        self.alt_count += 1;
        list.push(alt);
    }

    /// Programs that behave like `root` (a derivation of non-terminal `nt`) on the examples: each
    /// replaces every use of one entry by one of its alternatives. At most `limit`, `root`'s own
    /// term not included.
    pub fn variants(&self, g: &Grammar, nt: NtId, root: &Alt, limit: usize) -> Vec<Term> {
        let Some(alts) = &self.alts else { return Vec::new() };
        let mut used = Vec::new();
        for c in root.children.iter() {
            self.collect_ids(*c, &mut used);
        }
        let mut out: Vec<Term> = Vec::new();
        for id in used {
            for alt in alts.get(&id).into_iter().flatten() {
                if out.len() >= limit {
                    return out;
                }
                let t = self.build(g, nt, root, Some((id, alt)));
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The entries a derivation uses, each once, outermost first.
    fn collect_ids(&self, id: EntryId, out: &mut Vec<EntryId>) {
        if out.contains(&id) {
            return;
        }
        out.push(id);
        for c in self.entries[id as usize].children.iter() {
            self.collect_ids(*c, out);
        }
    }

    /// The term of a derivation of `nt`, with entry `swap.0` replaced by `swap.1` wherever used.
    fn build(&self, g: &Grammar, nt: NtId, d: &Alt, swap: Option<(EntryId, &Alt)>) -> Term {
        if let Some(lit) = &d.lit {
            return Term::Lit(lit.clone());
        }
        let prod = &g.nonterminals[nt].productions[d.prod as usize];
        let children = d
            .children
            .iter()
            .map(|c| {
                let e = &self.entries[*c as usize];
                match swap {
                    Some((id, alt)) if id == *c => self.build(g, e.nt, alt, None),
                    _ => {
                        let own = Alt {
                            prod: e.prod,
                            children: e.children.clone(),
                            lit: e.lit.clone(),
                            reads: e.reads,
                        };
                        self.build(g, e.nt, &own, swap)
                    }
                }
            })
            .collect();
        prod.build(children)
    }

    pub fn at(&self, nt: NtId, cost: u32) -> &[EntryId] {
        self.by_cost[nt].get(cost as usize).map_or(&[], |v| v.as_slice())
    }

    /// Rebuilds the term an entry stands for.
    pub fn term(&self, g: &Grammar, id: EntryId) -> Term {
        let e = &self.entries[id as usize];
        let prod = &g.nonterminals[e.nt].productions[e.prod as usize];
        if let Some(lit) = &e.lit {
            return Term::Lit(lit.clone());
        }
        let children = e.children.iter().map(|c| self.term(g, *c)).collect();
        prod.build(children)
    }
}
