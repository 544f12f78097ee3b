//! A typed top-down sampler of string programs in the SyGuS PBE strings grammar.
//!
//! Uniform sampling of the grammar gives mostly nonsense (substrings at random numbers of random
//! concatenations). Real solutions locate pieces of an input with `str.indexof` of a delimiter
//! that occurs in it, take them with `str.substr`/`str.at`, and glue them with constants; this
//! sampler draws those shapes directly, with per-operator weights and a size budget, and looks at
//! the task's example inputs to choose delimiters and constants that occur in them.

use super::consts::{delimiter, insert, small_int, token};
use crate::rng::Rng;
use quill_lang::{Func, Op, Sort, Term, Value, Var};
use std::sync::Arc;

/// How deep a sampled program may nest.
const MAX_DEPTH: usize = 6;

/// What the sampler knows about a task: its parameters and example inputs.
pub struct StringSampler<'a> {
    pub rng: &'a mut Rng,
    vars: Vec<Term>,
    strs: Vec<usize>,
    ints: Vec<usize>,
    pub(super) inputs: &'a [Vec<Value>],
    /// Which parameters the program uses so far: real tasks use all their columns, so unused
    /// parameters are preferred.
    used: Vec<bool>,
}

pub(super) fn app(op: Op, args: Vec<Term>) -> Term {
    Term::app(op, args)
}
fn s(text: &str) -> Term {
    Term::Lit(Value::str(text))
}
pub(super) fn i(n: i64) -> Term {
    Term::Lit(Value::Int(n))
}
/// `last_indexof(src, d)`: Quill's helper for the position of the last `d` in `src`.
pub(super) fn last_index(src: &Term, d: &str) -> Term {
    Term::App(Func::Defined(Arc::new(quill_lang::grammar::last_indexof())), vec![src.clone(), s(d)])
}
fn str_len(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.len())
}

impl<'a> StringSampler<'a> {
    pub fn new(rng: &'a mut Rng, params: &[(String, Sort)], inputs: &'a [Vec<Value>]) -> Self {
        let vars: Vec<Term> = params
            .iter()
            .enumerate()
            .map(|(k, (n, s))| Term::Var(Var { index: k as u32, name: n.as_str().into(), sort: *s }))
            .collect();
        let of = |sort: Sort| params.iter().enumerate().filter(|p| p.1 .1 == sort).map(|p| p.0).collect();
        StringSampler {
            rng,
            strs: of(Sort::String),
            ints: of(Sort::Int),
            used: vec![false; vars.len()],
            vars,
            inputs,
        }
    }

    /// A program of the given sort within `budget` nodes (a target, not a hard bound: the caller
    /// checks the final size).
    pub fn program(&mut self, ret: Sort, budget: usize) -> Term {
        match ret {
            Sort::Int => self.int_root(budget),
            Sort::Bool => self.cond(budget),
            _ => self.str_expr(budget, 0, true),
        }
    }

    /// The values of a term on the example inputs (failed evaluations left out): what delimiters
    /// and constants are chosen from.
    pub(super) fn values(&self, t: &Term) -> Vec<Value> {
        self.inputs.iter().filter_map(|env| quill_eval::eval(t, env).ok()).collect()
    }

    pub(super) fn str_var(&mut self) -> Term {
        let strs = self.strs.clone();
        self.var_of(&strs)
    }

    pub(super) fn int_var(&mut self) -> Option<Term> {
        let ints = self.ints.clone();
        (!ints.is_empty()).then(|| self.var_of(&ints))
    }

    /// A parameter among `of` (not empty), an unused one with probability 3/4 when there is one.
    fn var_of(&mut self, of: &[usize]) -> Term {
        let unused: Vec<usize> = of.iter().copied().filter(|k| !self.used[*k]).collect();
        let k = if !unused.is_empty() && self.rng.chance(3, 4) {
            unused[self.rng.below(unused.len())]
        } else {
            of[self.rng.below(of.len())]
        };
        self.used[k] = true;
        self.vars[k].clone()
    }

    fn str_leaf(&mut self) -> Term {
        if self.rng.chance(4, 5) {
            self.str_var()
        } else {
            let all: Vec<Value> = self.inputs.iter().flatten().cloned().collect();
            s(&insert(self.rng, &all))
        }
    }

    /// A string expression. `root` excludes bare leaves (a variable or constant is no task).
    fn str_expr(&mut self, b: usize, depth: usize, root: bool) -> Term {
        if b <= 2 || depth >= MAX_DEPTH {
            return self.str_leaf();
        }
        let leaf = match (root, b) {
            (true, _) => 0,
            (_, 0..=5) => 4,
            (_, 6..=11) => 2,
            _ => 1,
        };
        // Composite operators get more weight as the budget grows, so that large budgets give
        // large programs (real solutions have a median size of about 15).
        let grow = (b / 4) as u32;
        let w = [
            leaf,
            if b >= 3 { 4 + 2 * grow } else { 0 },           // concat
            if b >= 4 { 6 } else { 0 },                      // substr
            if root && b >= 8 { 1 } else { 3 },              // at
            if b >= 4 { 3 + grow } else { 0 },               // replace
            if b >= 4 { 2 } else { 0 },                      // from_int
            if b >= 7 && depth <= 2 { 1 + grow } else { 0 }, // ite
            if b >= 3 { 1 } else { 0 },                      // change case
            if b < 4 {
                0
            } else if self.holds_date() {
                6
            } else {
                3
            }, // number or date format
            if b >= 4 { 3 } else { 0 },                      // field
        ];
        match self.rng.weighted(&w) {
            0 => self.str_leaf(),
            1 => self.concat(b, depth),
            2 => self.substr(b, depth),
            3 => self.at(b, depth),
            4 => self.replace(b, depth),
            5 => self.int_to_str(b, depth),
            6 => self.ite(b, depth),
            7 => self.change_case(b, depth),
            // Inputs without a number or date to format get a leaf instead.
            8 => self.format().unwrap_or_else(|| self.str_leaf()),
            _ => self.field(b, depth),
        }
    }

    /// A string to take pieces from: usually a parameter, sometimes a computed string.
    fn source(&mut self, b: usize, depth: usize) -> Term {
        if b >= 4 && self.rng.chance(if b >= 8 { 2 } else { 1 }, 5) {
            self.str_expr(b, depth + 1, false)
        } else {
            self.str_var()
        }
    }

    fn concat(&mut self, b: usize, depth: usize) -> Term {
        // Split the budget roughly evenly, so that both sides can be more than a leaf.
        let left = 1 + (b - 2) / 4 + self.rng.below((b - 2) / 2 + 1);
        let l = self.str_expr(left, depth + 1, false);
        let mut r = self.str_expr(b - 1 - left, depth + 1, false);
        // Two constants glued together are a constant, and a string glued to itself is rare in
        // real tasks: give the right side a variable instead (or, if that is the same, a constant).
        if matches!((&l, &r), (Term::Lit(_), Term::Lit(_))) || l == r {
            r = self.str_var();
            if l == r {
                let all: Vec<Value> = self.inputs.iter().flatten().cloned().collect();
                r = s(&insert(self.rng, &all));
            }
        }
        app(Op::StrConcat, vec![l, r])
    }

    fn substr(&mut self, b: usize, depth: usize) -> Term {
        let src = self.source(b / 3, depth);
        let vals = self.values(&src);
        let len_src = || app(Op::StrLen, vec![src.clone()]);
        // Fixed windows suit fixed formats (phone numbers, dates, codes), where every value has the
        // same length.
        let fixed = vals.windows(2).all(|w| str_len(&w[0]) == str_len(&w[1]));
        let (start, len) = match self.rng.weighted(&[4, 4, if fixed { 5 } else { 1 }, 3, 3, 2, 2, 2]) {
            // Up to a delimiter.
            0 => (i(0), self.index_of(&src, &vals, i(0))),
            // From after a delimiter to the end.
            1 => {
                let d = delimiter(self.rng, &vals);
                let skip =
                    if self.rng.chance(4, 5) { d.chars().count() as i64 } else { self.rng.range(1, 2) };
                let at = app(Op::StrIndexOf, vec![src.clone(), s(&d), i(0)]);
                (app(Op::Add, vec![at, i(skip)]), len_src())
            }
            // A fixed window.
            2 => (i(self.rng.range(0, 5)), i(self.rng.range(1, 6))),
            // The last k characters.
            3 => {
                let k = self.rng.range(1, 5);
                (app(Op::Sub, vec![len_src(), i(k)]), i(k))
            }
            // Between two delimiters.
            4 => {
                let at = self.index_of(&src, &vals, i(0));
                let start = app(Op::Add, vec![at, i(1)]);
                let end = self.index_of(&src, &vals, start.clone());
                (start.clone(), app(Op::Sub, vec![end, start]))
            }
            5 => (self.position(&src, &vals, b / 3), self.length(&src, &vals)),
            // After the last delimiter ("the file name of a path").
            6 => {
                let d = delimiter(self.rng, &vals);
                let at = last_index(&src, &d);
                (app(Op::Add, vec![at, i(d.chars().count() as i64)]), len_src())
            }
            // Up to the last delimiter ("the directory of a path").
            _ => (i(0), last_index(&src, &delimiter(self.rng, &vals))),
        };
        app(Op::StrSubstr, vec![src, start, len])
    }

    fn at(&mut self, b: usize, depth: usize) -> Term {
        let src = self.source(b / 2, depth);
        let vals = self.values(&src);
        let pos = match self.rng.weighted(&[5, 2, 2, 3]) {
            0 => i(0),
            1 => app(Op::Sub, vec![app(Op::StrLen, vec![src.clone()]), i(1)]),
            2 => i(self.rng.range(1, 6)),
            _ => self.position(&src, &vals, b / 2),
        };
        app(Op::StrAt, vec![src, pos])
    }

    fn replace(&mut self, b: usize, depth: usize) -> Term {
        let src = self.str_expr(b.saturating_sub(3), depth + 1, false);
        let vals = self.values(&src);
        let pat = match self.rng.weighted(&[6, 3]) {
            0 => delimiter(self.rng, &vals),
            _ => token(self.rng, &vals).unwrap_or_else(|| delimiter(self.rng, &vals)),
        };
        let rep = if self.rng.chance(1, 8) && b >= 6 { self.str_var() } else { s(&insert(self.rng, &vals)) };
        // "Remove every `-`" is as common in real tasks as replacing the first one.
        let op = if self.rng.chance(2, 5) { Op::StrReplaceAll } else { Op::StrReplace };
        app(op, vec![src, s(&pat), rep])
    }

    /// `(field src d k)`: a piece of separated text, split on a delimiter the source holds, mostly
    /// one of the first pieces or the last, as in addresses, logs and lists.
    fn field(&mut self, b: usize, depth: usize) -> Term {
        let src = self.source(b.saturating_sub(3), depth);
        let vals = self.values(&src);
        let d = delimiter(self.rng, &vals);
        let k = match self.rng.weighted(&[3, 4, 3, 2, 1, 3, 1]) {
            5 => -1,
            6 => -2,
            k => k as i64,
        };
        match quill_lang::grammar::offerable_helper("field") {
            Some(field) => Term::App(Func::Defined(field.clone()), vec![src, s(&d), i(k)]),
            None => self.str_leaf(),
        }
    }

    /// Upper or lower case of a string expression (names, codes, headings).
    fn change_case(&mut self, b: usize, depth: usize) -> Term {
        let x = self.str_expr(b - 1, depth + 1, false);
        let op = if self.rng.chance(1, 2) { Op::StrToUpper } else { Op::StrToLower };
        app(op, vec![x])
    }

    fn int_to_str(&mut self, b: usize, depth: usize) -> Term {
        let n = self.int_expr(b - 1, depth + 1);
        app(Op::StrFromInt, vec![n])
    }

    fn ite(&mut self, b: usize, depth: usize) -> Term {
        let c = self.cond(b / 3);
        let rest = b - 1 - c.size().min(b - 3);
        let half = (rest / 2).max(1);
        let then = self.str_expr(half, depth + 1, false);
        let other = self.str_expr(rest.saturating_sub(half).max(1), depth + 1, false);
        app(Op::Ite, vec![c, then, other])
    }

    /// `(str.indexof src d from)` for a delimiter `d` that occurs in the source.
    fn index_of(&mut self, src: &Term, vals: &[Value], from: Term) -> Term {
        app(Op::StrIndexOf, vec![src.clone(), s(&delimiter(self.rng, vals)), from])
    }

    /// A position in `src`: a constant, a delimiter's position (or just after it), the end minus a
    /// constant, or the integer parameter.
    fn position(&mut self, src: &Term, vals: &[Value], b: usize) -> Term {
        let w = [3, 3, 3, 2, if self.ints.is_empty() { 0 } else { 3 }, if b >= 8 { 1 } else { 0 }, 2];
        match self.rng.weighted(&w) {
            0 => i(small_int(self.rng).max(0)),
            6 => last_index(src, &delimiter(self.rng, vals)),
            1 => self.index_of(src, vals, i(0)),
            2 => {
                let at = self.index_of(src, vals, i(0));
                app(Op::Add, vec![at, i(self.rng.range(1, 2))])
            }
            3 => app(Op::Sub, vec![app(Op::StrLen, vec![src.clone()]), i(self.rng.range(1, 5))]),
            4 => self.int_var().unwrap_or_else(|| i(0)),
            // The second occurrence of a delimiter.
            _ => {
                let first = self.index_of(src, vals, i(0));
                self.index_of(src, vals, app(Op::Add, vec![first, i(1)]))
            }
        }
    }

    /// A length of a piece of `src`.
    fn length(&mut self, src: &Term, vals: &[Value]) -> Term {
        let w = [3, 3, 2, 2, if self.ints.is_empty() { 0 } else { 3 }];
        match self.rng.weighted(&w) {
            0 => i(self.rng.range(1, 6)),
            1 => app(Op::StrLen, vec![src.clone()]),
            2 => app(Op::Sub, vec![app(Op::StrLen, vec![src.clone()]), i(self.rng.range(1, 4))]),
            3 => self.index_of(src, vals, i(0)),
            _ => self.int_var().unwrap_or_else(|| i(1)),
        }
    }

    /// An integer expression: lengths, positions, numbers read from the input, small arithmetic.
    fn int_expr(&mut self, b: usize, depth: usize) -> Term {
        if b <= 1 || depth >= MAX_DEPTH {
            return self
                .int_var()
                .filter(|_| self.rng.chance(1, 2))
                .unwrap_or_else(|| i(small_int(self.rng)));
        }
        let w = [3, 3, 4, 3, 2, if self.ints.is_empty() { 0 } else { 2 }, 2, 1];
        let mut k = self.rng.weighted(&w);
        if k == 7 {
            match self.format_int() {
                Some(n) => return n,
                // Inputs without a number or date to format get another shape.
                None => k = self.rng.weighted(&w[..7]),
            }
        }
        let src = self.source(b / 3, depth);
        let vals = self.values(&src);
        match k {
            0 => app(Op::StrLen, vec![src]),
            6 => last_index(&src, &delimiter(self.rng, &vals)),
            1 => self.index_of(&src, &vals, i(0)),
            2 => {
                let piece = if self.rng.chance(1, 2) { src } else { self.substr(b / 2, depth + 1) };
                let n = app(Op::StrToInt, vec![piece]);
                if self.rng.chance(1, 2) {
                    n
                } else {
                    let op = if self.rng.chance(1, 2) { Op::Add } else { Op::Sub };
                    app(op, vec![n, i(self.rng.range(1, 10))])
                }
            }
            3 => {
                let a = self.int_expr(b / 2, depth + 1);
                let op = if self.rng.chance(1, 2) { Op::Add } else { Op::Sub };
                app(op, vec![a, i(self.rng.range(1, 3))])
            }
            4 => {
                let a = self.int_expr(b / 2, depth + 1);
                let c = self.int_expr(b / 2, depth + 1);
                app(if self.rng.chance(1, 2) { Op::Add } else { Op::Sub }, vec![a, c])
            }
            _ => {
                let n = self.int_var().unwrap_or_else(|| i(1));
                app(Op::Add, vec![n, app(Op::StrLen, vec![src])])
            }
        }
    }

    /// The body of an integer-valued task: sometimes a conditional between two integers.
    fn int_root(&mut self, b: usize) -> Term {
        if b >= 8 && self.rng.chance(1, 6) {
            let c = self.cond(b / 3);
            let x = self.int_expr(b / 3, 1);
            let y = self.int_expr(b / 3, 1);
            return app(Op::Ite, vec![c, x, y]);
        }
        self.int_expr(b, 0)
    }

    /// A condition on the inputs, with constants drawn from them so that it holds on some examples.
    fn cond(&mut self, b: usize) -> Term {
        let src = self.source(b / 2, 2);
        let vals = self.values(&src);
        let piece = |this: &mut Self| {
            token(this.rng, &vals)
                .filter(|_| this.rng.chance(2, 3))
                .unwrap_or_else(|| delimiter(this.rng, &vals))
        };
        let w = [3, 3, 4, 2, 1, if self.ints.is_empty() { 0 } else { 2 }];
        match self.rng.weighted(&w) {
            0 => app(Op::StrPrefixOf, vec![s(&piece(self)), src]),
            1 => app(Op::StrSuffixOf, vec![s(&piece(self)), src]),
            2 => app(Op::StrContains, vec![src, s(&piece(self))]),
            // A number computed from the source compared with its value on one example.
            3 => {
                let x = match self.rng.weighted(&[3, 2, 1, 1]) {
                    0 => app(Op::StrLen, vec![src]),
                    1 => self.index_of(&src, &vals, i(0)),
                    2 => app(Op::StrToInt, vec![src]),
                    _ => app(Op::Add, vec![app(Op::StrLen, vec![src]), i(self.rng.range(1, 3))]),
                };
                let seen: Vec<i64> = self.values(&x).iter().filter_map(Value::as_int).collect();
                let k =
                    if seen.is_empty() { self.rng.range(1, 12) } else { seen[self.rng.below(seen.len())] };
                app(Op::Eq, vec![x, i(k)])
            }
            4 => {
                let v = vals.get(self.rng.below(vals.len().max(1))).cloned().unwrap_or(Value::str(""));
                app(Op::Eq, vec![src, Term::Lit(v)])
            }
            _ => {
                let n = self.int_var().unwrap_or_else(|| i(0));
                app(Op::Eq, vec![n, i(self.rng.range(0, 4))])
            }
        }
    }
}
