//! A sampler of bit-vector programs in the grammar of the SyGuS PBE bit-vector track (the ICFP
//! 2013 "hd" problems): 64-bit `x`, the constants 0 and 1, `bvnot bvand bvor bvxor bvadd`, and the
//! track's helpers `smol` (shift left 1), `ehad` (right 1), `arba` (right 4), `shesh` (right 16)
//! and `im` (if the first argument is 1, the second, else the third).
//!
//! Real solutions test a low bit (`(im (bvand #x..01 (ehad x)) A B)`) and combine shifts of `x`;
//! the sampler draws those shapes more often than uniform sampling would.

use crate::rng::Rng;
use quill_lang::{FunDef, Func, Op, Sort, Term, Value, Var};
use std::sync::{Arc, OnceLock};

/// The helper definitions every bit-vector task's program may call, as SyGuS-IF text (exactly the
/// track's own definitions, with `im` as most of its files name the conditional).
pub const PRELUDE: &str = "\
(define-fun ehad ((x (_ BitVec 64))) (_ BitVec 64) (bvlshr x #x0000000000000001))
(define-fun arba ((x (_ BitVec 64))) (_ BitVec 64) (bvlshr x #x0000000000000004))
(define-fun shesh ((x (_ BitVec 64))) (_ BitVec 64) (bvlshr x #x0000000000000010))
(define-fun smol ((x (_ BitVec 64))) (_ BitVec 64) (bvshl x #x0000000000000001))
(define-fun im ((x (_ BitVec 64)) (y (_ BitVec 64)) (z (_ BitVec 64))) (_ BitVec 64) (ite (= x #x0000000000000001) y z))";

const BV: Sort = Sort::BitVec(64);

/// The helpers as terms: `[ehad, arba, shesh, smol, im]`.
pub fn helpers() -> &'static [Arc<FunDef>; 5] {
    static HELPERS: OnceLock<[Arc<FunDef>; 5]> = OnceLock::new();
    HELPERS.get_or_init(|| {
        let v = |k: u32, n: &str| Term::Var(Var { index: k, name: n.into(), sort: BV });
        let shift = |name: &str, op: Op, by: u64| {
            Arc::new(FunDef {
                name: name.into(),
                params: vec![("x".into(), BV)],
                ret: BV,
                body: Term::app(op, vec![v(0, "x"), Term::Lit(Value::bv(64, by))]),
            })
        };
        let cond = Term::app(Op::Eq, vec![v(0, "x"), Term::Lit(Value::bv(64, 1))]);
        let im = Arc::new(FunDef {
            name: "im".into(),
            params: vec![("x".into(), BV), ("y".into(), BV), ("z".into(), BV)],
            ret: BV,
            body: Term::app(Op::Ite, vec![cond, v(1, "y"), v(2, "z")]),
        });
        [
            shift("ehad", Op::BvLshr, 1),
            shift("arba", Op::BvLshr, 4),
            shift("shesh", Op::BvLshr, 16),
            shift("smol", Op::BvShl, 1),
            im,
        ]
    })
}

fn call(k: usize, args: Vec<Term>) -> Term {
    Term::App(Func::Defined(helpers()[k].clone()), args)
}
fn lit(n: u64) -> Term {
    Term::Lit(Value::bv(64, n))
}

/// Samples a bit-vector program over the parameter `x` within about `budget` nodes.
pub fn program(rng: &mut Rng, x: &Term, budget: usize) -> Term {
    expr(rng, x, budget, 0)
}

fn expr(rng: &mut Rng, x: &Term, b: usize, depth: usize) -> Term {
    if b <= 1 || depth >= 7 {
        return match rng.weighted(&[7, 1, 2]) {
            0 => x.clone(),
            1 => lit(0),
            _ => lit(1),
        };
    }
    let leaf = if depth == 0 { 0 } else { 2 };
    let w = [leaf, 6, 1, 5, if b >= 6 { 3 } else { 0 }];
    match rng.weighted(&w) {
        0 => expr(rng, x, 1, depth),
        // A shift (helpers 0..=3), often of `x` itself or of another shift.
        1 => {
            let k = rng.weighted(&[4, 3, 3, 4]);
            call(k, vec![expr(rng, x, b - 1, depth + 1)])
        }
        2 => Term::app(Op::BvNot, vec![expr(rng, x, b - 1, depth + 1)]),
        3 => {
            let op = [Op::BvAnd, Op::BvOr, Op::BvXor, Op::BvAdd][rng.weighted(&[3, 2, 3, 3])];
            let left = if rng.chance(1, 3) { lit(1) } else { expr(rng, x, (b - 1) / 2, depth + 1) };
            let right = expr(rng, x, b - 1 - left.size().min(b - 2), depth + 1);
            Term::app(op, vec![left, right])
        }
        _ => {
            // The usual condition tests one bit: `(bvand #x..01 SHIFTED-X)`.
            let c = if rng.chance(3, 4) {
                Term::app(Op::BvAnd, vec![lit(1), expr(rng, x, (b / 4).max(1), depth + 2)])
            } else {
                expr(rng, x, b / 4, depth + 1)
            };
            let rest = b.saturating_sub(1 + c.size()).max(2);
            let then = expr(rng, x, rest / 2, depth + 1);
            let other = expr(rng, x, rest - rest / 2, depth + 1);
            call(4, vec![c, then, other])
        }
    }
}
