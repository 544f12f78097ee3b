//! A seeded generator of random well-sorted terms and inputs for the agreement test.
//!
//! A hand-written generator (rather than proptest) produces the whole batch up front, so that one
//! Python process can run every case.

use quill_lang::resolve::{var, Scope};
use quill_lang::sexpr::read_one;
use quill_lang::{FunDef, Func, Op, Sort, Symbol, Term, Value};
use std::sync::Arc;

/// SplitMix64: small, fast and good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with the given probability in percent.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Parameter names, including keywords, built-ins, helper names, a define-fun's name and names that
/// are not Python identifiers, to exercise renaming.
const PARAM_NAMES: &[&str] =
    &["x", "name", "lambda", "a.b", "a_b", "1st", "len", "str", "_substr", "class", "s", "first", "pos"];

const STRINGS: &[&str] = &[
    "",
    "a",
    "ab",
    " ",
    "-",
    "1",
    "12",
    "+1",
    " 1",
    "\u{661}",
    "é",
    "\"",
    "\\",
    "\n",
    "abc",
    "0",
    "x y",
    "\u{1F600}",
    "\u{301}",
    "007",
];

const CHARS: &[char] =
    &['a', 'b', ' ', '-', '1', '0', '7', '+', '\u{663}', 'é', '"', '\\', '\n', '\u{1F600}'];

/// The bit-vector widths terms use; 1 is for `bvcomp` and single-bit extracts.
const WIDTHS: &[u32] = &[1, 4, 8, 64];

pub struct Gen {
    pub rng: Rng,
    params: Vec<(Symbol, Sort)>,
    /// Subterms generated so far for the current problem, to be repeated now and then.
    pool: Vec<Term>,
    helpers: Vec<Arc<FunDef>>,
}

/// A definition from the SMT-LIB text of its body, calling any of `helpers`.
pub fn define(name: &str, params: &[(&str, Sort)], ret: Sort, body: &str, helpers: &[Arc<FunDef>]) -> FunDef {
    let mut scope = Scope::default();
    for (i, (p, s)) in params.iter().enumerate() {
        scope.vars.push((p.to_string(), var(i, p, *s)));
    }
    for h in helpers {
        scope.funcs.insert(h.name.to_string(), Func::Defined(h.clone()));
    }
    let body = scope.term(&read_one(body).expect("helper bodies read")).expect("helper bodies resolve");
    FunDef { name: name.into(), params: params.iter().map(|(p, s)| (Arc::from(*p), *s)).collect(), ret, body }
}

impl Gen {
    pub fn new(seed: u64) -> Gen {
        use Sort::{Int, String as S};
        let first = Arc::new(define("first", &[("lambda", S)], S, "(str.at lambda 0)", &[]));
        let len = Arc::new(define("len", &[("s", S), ("k", Int)], Int, "(+ (str.len s) k)", &[]));
        let wrap = Arc::new(define(
            "wrap",
            &[("s", S)],
            S,
            r#"(str.++ "[" (first s) "]")"#,
            std::slice::from_ref(&first),
        ));
        let safe_div =
            Arc::new(define("safe_div", &[("a", Int), ("b", Int)], Int, "(ite (= b 0) 0 (div a b))", &[]));
        Gen {
            rng: Rng::new(seed),
            params: Vec::new(),
            pool: Vec::new(),
            // Quill's own last-occurrence helper, which the export writes as `s.rfind(t)`, and its
            // `field`, which it writes as the module helper `_field`.
            helpers: vec![
                first,
                len,
                wrap,
                safe_div,
                Arc::new(quill_lang::grammar::last_indexof()),
                quill_lang::grammar::offerable_helper("field").cloned().expect("Quill offers `field`"),
            ],
        }
    }

    /// A random definition named `name` over one or two parameters.
    pub fn problem(&mut self, name: &str) -> FunDef {
        let n = 1 + self.rng.below(2);
        let bv_theme = self.rng.chance(35);
        let w = *self.rng.pick(&[4, 8, 8, 64]);
        let mut names: Vec<&str> = Vec::new();
        while names.len() < n {
            let p = *self.rng.pick(PARAM_NAMES);
            if !names.contains(&p) {
                names.push(p);
            }
        }
        self.params = names
            .iter()
            .map(|p| {
                let sort = if bv_theme {
                    Sort::BitVec(w)
                } else {
                    *self.rng.pick(&[Sort::String, Sort::String, Sort::Int])
                };
                (Symbol::from(*p), sort)
            })
            .collect();
        let ret = if bv_theme {
            if self.rng.chance(20) {
                Sort::Bool
            } else {
                Sort::BitVec(w)
            }
        } else {
            *self.rng.pick(&[Sort::String, Sort::String, Sort::Int, Sort::Bool])
        };
        self.pool.clear();
        let body = self.term(ret, 4);
        FunDef { name: name.into(), params: self.params.clone(), ret, body }
    }

    /// Random values for the parameters of `def`.
    pub fn inputs(&mut self, def: &FunDef) -> Vec<Value> {
        def.params.iter().map(|(_, s)| self.value(*s, true)).collect()
    }

    fn value(&mut self, sort: Sort, input: bool) -> Value {
        match sort {
            Sort::Bool => Value::Bool(self.rng.chance(50)),
            Sort::Int => Value::Int(match self.rng.below(20) {
                0 => *self.rng.pick(&[i64::MAX, i64::MIN, 1 << 40, -(1 << 40), 0x2FFFF, 0xD800]),
                1..=3 if input => *self.rng.pick(&[65, 97, 0x661, 100, -100]),
                _ => self.rng.below(17) as i64 - 5,
            }),
            Sort::String if !input => Value::str(STRINGS[self.rng.below(STRINGS.len())]),
            Sort::String => match self.rng.below(10) {
                0 => {
                    let digits = ["007", "42", "0", "99999999999999999999", "123"];
                    Value::str(digits[self.rng.below(digits.len())])
                }
                _ => {
                    let len = self.rng.below(7);
                    let s: String = (0..len).map(|_| *self.rng.pick(CHARS)).collect();
                    Value::str(&s)
                }
            },
            Sort::BitVec(w) => {
                let msb = 1u64 << (w - 1);
                let bits = match self.rng.below(9) {
                    0 => 0,
                    1 => 1,
                    2 => msb,
                    3 => u64::MAX,
                    4 => msb - 1,
                    5 => u64::MAX - 1,
                    6 => self.rng.below(w as usize + 3) as u64,
                    _ => self.rng.next(),
                };
                Value::bv(w, bits)
            }
        }
    }

    fn leaf(&mut self, sort: Sort) -> Term {
        let vars: Vec<Term> = (self.params.iter().enumerate())
            .filter(|(_, (_, s))| *s == sort)
            .map(|(i, (n, s))| var(i, n, *s))
            .collect();
        if !vars.is_empty() && self.rng.chance(75) {
            return self.rng.pick(&vars).clone();
        }
        Term::Lit(self.value(sort, false))
    }

    fn app(op: Op, args: Vec<Term>) -> Term {
        Term::app(op, args)
    }

    /// A random term of `sort` of depth at most `depth`.
    fn term(&mut self, sort: Sort, depth: u32) -> Term {
        if depth == 0 || self.rng.chance(15) {
            return self.leaf(sort);
        }
        if self.rng.chance(8) {
            let repeats: Vec<&Term> = self.pool.iter().filter(|t| t.sort() == sort).collect();
            if !repeats.is_empty() {
                return (*self.rng.pick(&repeats)).clone();
            }
        }
        let d = depth - 1;
        let t = match sort {
            Sort::String => self.string_term(d),
            Sort::Int => self.int_term(d),
            Sort::Bool => self.bool_term(d),
            Sort::BitVec(w) => self.bv_term(w, d),
        };
        if t.size() >= 3 {
            self.pool.push(t.clone());
        }
        t
    }

    fn args(&mut self, sorts: &[Sort], d: u32) -> Vec<Term> {
        sorts.iter().map(|s| self.term(*s, d)).collect()
    }

    fn call(&mut self, helper: usize, d: u32) -> Term {
        let h = self.helpers[helper].clone();
        let sorts: Vec<Sort> = h.params.iter().map(|p| p.1).collect();
        Term::App(Func::Defined(h), self.args(&sorts, d))
    }

    fn string_term(&mut self, d: u32) -> Term {
        use Op::*;
        use Sort::{Bool as B, Int as I, String as S};
        match self.rng.below(13) {
            0 | 1 => {
                let n = 2 + self.rng.below(2);
                Self::app(StrConcat, self.args(&vec![S; n], d))
            }
            12 => self.call(5, d),
            2 => Self::app(StrAt, self.args(&[S, I], d)),
            3 => Self::app(StrSubstr, self.args(&[S, I, I], d)),
            4 => Self::app(StrReplace, self.args(&[S, S, S], d)),
            5 => Self::app(StrReplaceAll, self.args(&[S, S, S], d)),
            6 => Self::app(StrFromInt, self.args(&[I], d)),
            7 => Self::app(StrFromCode, self.args(&[I], d)),
            8 => Self::app(Ite, self.args(&[B, S, S], d)),
            9 => self.call(0, d),
            10 => {
                let op = *self.rng.pick(&[StrToUpper, StrToLower, StrRev]);
                Self::app(op, self.args(&[S], d))
            }
            _ => self.call(2, d),
        }
    }

    fn int_term(&mut self, d: u32) -> Term {
        use Op::*;
        use Sort::{Bool as B, Int as I, String as S};
        let op = *self
            .rng
            .pick(&[Add, Sub, Mul, Div, Mod, Abs, StrLen, StrToInt, StrIndexOf, Ite, StrToCode, Sub]);
        match op {
            Add | Mul => {
                let n = 2 + self.rng.below(2);
                Self::app(op, self.args(&vec![I; n], d))
            }
            Sub => {
                let n = 1 + self.rng.below(2);
                Self::app(op, self.args(&vec![I; n], d))
            }
            Div | Mod if self.rng.chance(20) => self.call(3, d),
            Div | Mod => Self::app(op, self.args(&[I, I], d)),
            Abs => Self::app(op, self.args(&[I], d)),
            StrIndexOf if self.rng.chance(30) => self.call(4, d),
            StrIndexOf => Self::app(op, self.args(&[S, S, I], d)),
            Ite => Self::app(op, self.args(&[B, I, I], d)),
            StrLen if self.rng.chance(20) => self.call(1, d),
            _ => Self::app(op, self.args(&[S], d)),
        }
    }

    fn bool_term(&mut self, d: u32) -> Term {
        use Op::*;
        use Sort::{Bool as B, Int as I, String as S};
        let ops = [
            Not,
            And,
            Or,
            Xor,
            Implies,
            Eq,
            Distinct,
            Lt,
            Le,
            Gt,
            Ge,
            StrPrefixOf,
            StrSuffixOf,
            StrContains,
            StrLt,
            StrLe,
            StrIsDigit,
            BvUlt,
            BvUle,
            BvUgt,
            BvUge,
            BvSlt,
            BvSle,
            BvSgt,
            BvSge,
        ];
        let op = *self.rng.pick(&ops);
        let n = 2 + self.rng.below(2);
        match op {
            Not => Self::app(op, self.args(&[B], d)),
            And | Or | Xor | Implies => Self::app(op, self.args(&vec![B; n], d)),
            Eq | Distinct => {
                let s = *self.rng.pick(&[I, S, B, Sort::BitVec(8), Sort::BitVec(4)]);
                Self::app(op, self.args(&vec![s; n], d))
            }
            Lt | Le | Gt | Ge => Self::app(op, self.args(&vec![I; n], d)),
            StrIsDigit => Self::app(op, self.args(&[S], d)),
            StrPrefixOf | StrSuffixOf | StrContains | StrLt | StrLe => Self::app(op, self.args(&[S, S], d)),
            _ => {
                let w = self.bv_width_of_params();
                Self::app(op, self.args(&[w, w], d))
            }
        }
    }

    fn bv_width_of_params(&mut self) -> Sort {
        match self.params.iter().find(|p| matches!(p.1, Sort::BitVec(_))) {
            Some(p) => p.1,
            None => Sort::BitVec(*self.rng.pick(&[4, 8, 64])),
        }
    }

    fn bv_term(&mut self, w: u32, d: u32) -> Term {
        use Op::*;
        let s = Sort::BitVec(w);
        let binary = [
            BvAdd, BvSub, BvMul, BvAnd, BvOr, BvXor, BvNand, BvNor, BvXnor, BvShl, BvLshr, BvAshr, BvUdiv,
            BvUrem, BvSdiv, BvSrem, BvSmod,
        ];
        match self.rng.below(16) {
            0..=6 => {
                let op = *self.rng.pick(&binary);
                let n = if matches!(op, BvAdd | BvMul | BvAnd | BvOr | BvXor) && self.rng.chance(25) {
                    3
                } else {
                    2
                };
                Self::app(op, self.args(&vec![s; n], d))
            }
            7 => Self::app(*self.rng.pick(&[BvNot, BvNeg]), self.args(&[s], d)),
            8 => Self::app(Ite, self.args(&[Sort::Bool, s, s], d)),
            9 => {
                let wide: Vec<u32> = WIDTHS.iter().copied().filter(|x| *x >= w).collect();
                let from = *self.rng.pick(&wide);
                let j = self.rng.below((from - w + 1) as usize) as u32;
                Self::app(Extract(j + w - 1, j), self.args(&[Sort::BitVec(from)], d))
            }
            10 if w > 1 => {
                let narrow: Vec<u32> = WIDTHS.iter().copied().filter(|x| *x < w).collect();
                let from = *self.rng.pick(&narrow);
                let op = if self.rng.chance(50) { ZeroExtend(w - from) } else { SignExtend(w - from) };
                Self::app(op, self.args(&[Sort::BitVec(from)], d))
            }
            11 if w > 1 => {
                let high = if w == 8 { 4 } else { 1 + self.rng.below(w as usize - 1) as u32 };
                Self::app(Concat, self.args(&[Sort::BitVec(high), Sort::BitVec(w - high)], d))
            }
            12 => {
                let k = self.rng.below(2 * w as usize + 1) as u32;
                let op = if self.rng.chance(50) { RotateLeft(k) } else { RotateRight(k) };
                Self::app(op, self.args(&[s], d))
            }
            13 if w == 1 => {
                let from = Sort::BitVec(*self.rng.pick(&[4, 8]));
                Self::app(BvComp, self.args(&[from, from], d))
            }
            _ => {
                let op = *self.rng.pick(&binary);
                Self::app(op, self.args(&[s, s], d))
            }
        }
    }
}
