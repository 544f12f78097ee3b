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
}

pub struct Bank {
    pub entries: Vec<Entry>,
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

    /// Keeps the entry unless a term with the same values is already in its non-terminal.
    pub fn insert(&mut self, e: Entry) -> Option<EntryId> {
        let h = self.hash(&e.col);
        let entries = &self.entries;
        if self.seen[e.nt].find(h, |id| entries[*id as usize].col == e.col).is_some() {
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
