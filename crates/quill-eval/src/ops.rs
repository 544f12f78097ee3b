//! The meaning of each built-in operator on argument values.

use crate::{bv, EvalError, EvalResult, MAX_STRING_LEN};
use quill_lang::value::bv_mask;
use quill_lang::{Op, Str, Value};
use std::cmp::Ordering;

fn ill(op: Op) -> EvalError {
    EvalError::IllFormed(format!("`{op}` applied to arguments of the wrong sort or number"))
}

fn ints(op: Op, args: &[Value]) -> Result<Vec<i64>, EvalError> {
    args.iter().map(|a| a.as_int().ok_or_else(|| ill(op))).collect()
}

fn bools(op: Op, args: &[Value]) -> Result<Vec<bool>, EvalError> {
    args.iter().map(|a| a.as_bool().ok_or_else(|| ill(op))).collect()
}

fn strs(op: Op, args: &[Value]) -> Result<Vec<&Str>, EvalError> {
    args.iter().map(|a| a.as_str().ok_or_else(|| ill(op))).collect()
}

/// The common width of bit-vector arguments and their bits.
fn bvs(op: Op, args: &[Value]) -> Result<(u32, Vec<u64>), EvalError> {
    let mut width = None;
    let mut bits = Vec::with_capacity(args.len());
    for a in args {
        match a {
            Value::BitVec { width: w, bits: b } if width.is_none_or(|x| x == *w) => {
                width = Some(*w);
                bits.push(*b);
            }
            _ => return Err(ill(op)),
        }
    }
    width.map(|w| (w, bits)).ok_or_else(|| ill(op))
}

fn string(chars: Vec<char>) -> EvalResult {
    if chars.len() > MAX_STRING_LEN {
        Err(EvalError::StringTooLong)
    } else {
        Ok(Value::Str(Str::from(chars)))
    }
}

/// Whether each adjacent pair satisfies `rel` (SMT-LIB's chainable comparisons).
fn chain<T>(xs: &[T], rel: impl Fn(&T, &T) -> bool) -> bool {
    xs.windows(2).all(|w| rel(&w[0], &w[1]))
}

/// The first index at or after `from` where `needle` occurs in `hay`.
pub fn find(hay: &[char], needle: &[char], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return (from <= hay.len()).then_some(from);
    }
    if needle.len() > hay.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| hay[i..].starts_with(needle))
}

/// `str.at`: the character at `i`, or "" out of range.
pub fn str_at(s: &Str, i: i64) -> Str {
    if i >= 0 && (i as u64) < s.len() as u64 {
        Str::from(vec![s.chars()[i as usize]])
    } else {
        Str::from("")
    }
}

/// `str.substr`: at most `n` characters from `i`; "" when `i` is out of range or `n <= 0`.
pub fn str_substr(s: &Str, i: i64, n: i64) -> Str {
    let len = s.len() as i64;
    if i < 0 || i >= len || n <= 0 {
        Str::from("")
    } else if i == 0 && n >= len {
        s.clone()
    } else {
        let end = i.saturating_add(n).min(len);
        Str::from(s.chars()[i as usize..end as usize].to_vec())
    }
}

/// `str.indexof`: the first occurrence of `t` in `s` at or after `i`, or -1 (also when `i` is
/// outside `0..=len`).
pub fn str_indexof(s: &Str, t: &Str, i: i64) -> i64 {
    let r = if i < 0 || i > s.len() as i64 { None } else { find(s.chars(), t.chars(), i as usize) };
    r.map_or(-1, |r| r as i64)
}

/// `str.replace`: the first occurrence replaced; an empty pattern occurs at position 0, so the
/// replacement is prepended.
pub fn str_replace(s: &Str, t: &Str, u: &Str) -> Result<Str, EvalError> {
    match find(s.chars(), t.chars(), 0) {
        None => Ok(s.clone()),
        Some(p) => {
            let (a, b) = s.chars().split_at(p);
            let out = [a, u.chars(), &b[t.len()..]].concat();
            if out.len() > MAX_STRING_LEN {
                Err(EvalError::StringTooLong)
            } else {
                Ok(Str::from(out))
            }
        }
    }
}

/// `str.to_int`: the number a non-empty string of ASCII digits denotes, otherwise -1.
pub fn str_to_int(s: &Str) -> Result<i64, EvalError> {
    if s.is_empty() || !s.chars().iter().all(|c| c.is_ascii_digit()) {
        return Ok(-1);
    }
    s.chars()
        .iter()
        .try_fold(0i64, |a, c| {
            a.checked_mul(10).and_then(|a| a.checked_add(c.to_digit(10).unwrap_or(0) as i64))
        })
        .ok_or(EvalError::Overflow)
}

/// `str.from_int`: decimal digits, or "" for a negative number.
pub fn str_from_int(n: i64) -> Str {
    if n < 0 {
        Str::from("")
    } else {
        Str::from(n.to_string().as_str())
    }
}

/// Applies a built-in operator to evaluated arguments.
pub fn apply(op: Op, args: &[Value]) -> EvalResult {
    use Op::*;
    let arity = |n: usize| if args.len() == n { Ok(()) } else { Err(ill(op)) };
    Ok(match op {
        Not => {
            arity(1)?;
            Value::Bool(!bools(op, args)?[0])
        }
        And => Value::Bool(bools(op, args)?.iter().all(|b| *b)),
        Or => Value::Bool(bools(op, args)?.iter().any(|b| *b)),
        Xor => Value::Bool(bools(op, args)?.iter().fold(false, |a, b| a ^ b)),
        Implies => {
            // Right-associative: (=> a b c) is (=> a (=> b c)).
            let bs = bools(op, args)?;
            Value::Bool(bs.iter().rev().skip(1).fold(*bs.last().ok_or_else(|| ill(op))?, |acc, b| !b || acc))
        }
        Eq => Value::Bool(chain(args, |a, b| a == b)),
        Distinct => Value::Bool(args.iter().enumerate().all(|(i, a)| args[i + 1..].iter().all(|b| a != b))),
        Ite => match args {
            [Value::Bool(c), a, b] => {
                if *c {
                    a.clone()
                } else {
                    b.clone()
                }
            }
            _ => return Err(ill(op)),
        },
        Add => Value::Int(
            ints(op, args)?.iter().try_fold(0i64, |a, b| a.checked_add(*b)).ok_or(EvalError::Overflow)?,
        ),
        Mul => Value::Int(
            ints(op, args)?.iter().try_fold(1i64, |a, b| a.checked_mul(*b)).ok_or(EvalError::Overflow)?,
        ),
        Sub => {
            let xs = ints(op, args)?;
            let r = match xs.as_slice() {
                [] => return Err(ill(op)),
                [x] => x.checked_neg(),
                [x, rest @ ..] => rest.iter().try_fold(*x, |a, b| a.checked_sub(*b)),
            };
            Value::Int(r.ok_or(EvalError::Overflow)?)
        }
        Div | Mod => {
            arity(2)?;
            let xs = ints(op, args)?;
            if xs[1] == 0 {
                return Err(EvalError::DivisionByZero);
            }
            // SMT-LIB's integer division is Euclidean: the remainder is never negative.
            let r = if op == Div { xs[0].checked_div_euclid(xs[1]) } else { xs[0].checked_rem_euclid(xs[1]) };
            Value::Int(r.ok_or(EvalError::Overflow)?)
        }
        Abs => {
            arity(1)?;
            Value::Int(ints(op, args)?[0].checked_abs().ok_or(EvalError::Overflow)?)
        }
        Lt => Value::Bool(chain(&ints(op, args)?, |a, b| a < b)),
        Le => Value::Bool(chain(&ints(op, args)?, |a, b| a <= b)),
        Gt => Value::Bool(chain(&ints(op, args)?, |a, b| a > b)),
        Ge => Value::Bool(chain(&ints(op, args)?, |a, b| a >= b)),
        _ => {
            return apply_string(op, args).or_else(|e| if e == ill(op) { apply_bv(op, args) } else { Err(e) })
        }
    })
}

fn apply_string(op: Op, args: &[Value]) -> EvalResult {
    use Op::*;
    let one_char = |s: &Str| if s.len() == 1 { Some(s.chars()[0]) } else { None };
    Ok(match (op, args) {
        (StrConcat, _) => {
            let ss = strs(op, args)?;
            let total: usize = ss.iter().map(|s| s.len()).sum();
            if total > MAX_STRING_LEN {
                return Err(EvalError::StringTooLong);
            }
            let mut out = Vec::with_capacity(total);
            ss.iter().for_each(|s| out.extend_from_slice(s.chars()));
            Value::Str(Str::from(out))
        }
        (StrLen, [Value::Str(s)]) => Value::Int(s.len() as i64),
        (StrAt, [Value::Str(s), Value::Int(i)]) => Value::Str(str_at(s, *i)),
        (StrSubstr, [Value::Str(s), Value::Int(i), Value::Int(n)]) => Value::Str(str_substr(s, *i, *n)),
        (StrPrefixOf, [Value::Str(s), Value::Str(t)]) => Value::Bool(t.chars().starts_with(s.chars())),
        (StrSuffixOf, [Value::Str(s), Value::Str(t)]) => Value::Bool(t.chars().ends_with(s.chars())),
        (StrContains, [Value::Str(s), Value::Str(t)]) => Value::Bool(find(s.chars(), t.chars(), 0).is_some()),
        (StrIndexOf, [Value::Str(s), Value::Str(t), Value::Int(i)]) => Value::Int(str_indexof(s, t, *i)),
        (StrReplace, [Value::Str(s), Value::Str(t), Value::Str(u)]) => Value::Str(str_replace(s, t, u)?),
        (StrReplaceAll, [Value::Str(s), Value::Str(t), Value::Str(u)]) => {
            if t.is_empty() {
                Value::Str(s.clone())
            } else {
                let (s, t) = (s.chars(), t.chars());
                let mut out = Vec::with_capacity(s.len());
                let mut i = 0;
                while let Some(p) = find(s, t, i) {
                    out.extend_from_slice(&s[i..p]);
                    out.extend_from_slice(u.chars());
                    i = p + t.len();
                    if out.len() > MAX_STRING_LEN {
                        return Err(EvalError::StringTooLong);
                    }
                }
                out.extend_from_slice(&s[i..]);
                string(out)?
            }
        }
        (StrToInt, [Value::Str(s)]) => Value::Int(str_to_int(s)?),
        (StrFromInt, [Value::Int(n)]) => Value::Str(str_from_int(*n)),
        (StrLt, [Value::Str(s), Value::Str(t)]) => Value::Bool(s.chars().cmp(t.chars()) == Ordering::Less),
        (StrLe, [Value::Str(s), Value::Str(t)]) => Value::Bool(s.chars() <= t.chars()),
        (StrToUpper, [Value::Str(s)]) => {
            Value::Str(Str::from(s.chars().iter().map(char::to_ascii_uppercase).collect::<Vec<_>>()))
        }
        (StrToLower, [Value::Str(s)]) => {
            Value::Str(Str::from(s.chars().iter().map(char::to_ascii_lowercase).collect::<Vec<_>>()))
        }
        (StrRev, [Value::Str(s)]) => {
            Value::Str(Str::from(s.chars().iter().rev().copied().collect::<Vec<_>>()))
        }
        (StrIsDigit, [Value::Str(s)]) => Value::Bool(one_char(s).is_some_and(|c| c.is_ascii_digit())),
        (StrToCode, [Value::Str(s)]) => Value::Int(one_char(s).map_or(-1, |c| c as i64)),
        (StrFromCode, [Value::Int(n)]) => {
            if (0..=0x2FFFF).contains(n) {
                let c = char::from_u32(*n as u32).ok_or(EvalError::BadCodePoint(*n))?;
                Value::Str(Str::from(vec![c]))
            } else {
                Value::str("")
            }
        }
        _ => return Err(ill(op)),
    })
}

fn apply_bv(op: Op, args: &[Value]) -> EvalResult {
    use Op::*;
    let (w, xs) = match op {
        // `concat` joins two widths; every other operator wants equal widths.
        Concat => match args {
            [Value::BitVec { width: a, bits: x }, Value::BitVec { width: b, bits: y }] if a + b <= 64 => {
                return Ok(Value::bv(a + b, if *b >= 64 { *y } else { (x << b) | y }));
            }
            _ => return Err(ill(op)),
        },
        _ => bvs(op, args)?,
    };
    let m = bv_mask(w);
    let bin = |f: &dyn Fn(u64, u64) -> u64| match xs.as_slice() {
        [x, y] => Ok(Value::bv(w, f(*x, *y))),
        _ => Err(ill(op)),
    };
    let fold = |f: &dyn Fn(u64, u64) -> u64| match xs.split_first() {
        Some((x, rest)) if !rest.is_empty() => Ok(Value::bv(w, rest.iter().fold(*x, |a, b| f(a, *b)))),
        _ => Err(ill(op)),
    };
    let cmp = |f: &dyn Fn(u64, u64) -> bool| match xs.as_slice() {
        [x, y] => Ok(Value::Bool(f(*x, *y))),
        _ => Err(ill(op)),
    };
    let s = |x: u64| bv::signed(x, w);
    let un = |f: &dyn Fn(u64) -> u64| match xs.as_slice() {
        [x] => Ok(Value::bv(w, f(*x))),
        _ => Err(ill(op)),
    };
    match op {
        BvAdd => fold(&|a, b| a.wrapping_add(b)),
        BvMul => fold(&|a, b| a.wrapping_mul(b)),
        BvAnd => fold(&|a, b| a & b),
        BvOr => fold(&|a, b| a | b),
        BvXor => fold(&|a, b| a ^ b),
        BvSub => bin(&|a, b| a.wrapping_sub(b)),
        BvNand => bin(&|a, b| !(a & b)),
        BvNor => bin(&|a, b| !(a | b)),
        BvXnor => bin(&|a, b| !(a ^ b)),
        BvShl => bin(&|a, b| bv::shl(a, b, w)),
        BvLshr => bin(&|a, b| bv::lshr(a, b, w)),
        BvAshr => bin(&|a, b| bv::ashr(a, b, w)),
        BvUdiv => bin(&|a, b| bv::udiv(a, b, w)),
        BvUrem => bin(&bv::urem),
        BvSdiv => bin(&|a, b| bv::sdiv(a, b, w)),
        BvSrem => bin(&|a, b| bv::srem(a, b, w)),
        BvSmod => bin(&|a, b| bv::smod(a, b, w)),
        BvComp => match xs.as_slice() {
            [x, y] => Ok(Value::bv(1, (x == y) as u64)),
            _ => Err(ill(op)),
        },
        BvNot => un(&|x| !x & m),
        BvNeg => un(&|x| bv::neg(x, w)),
        BvUlt => cmp(&|a, b| a < b),
        BvUle => cmp(&|a, b| a <= b),
        BvUgt => cmp(&|a, b| a > b),
        BvUge => cmp(&|a, b| a >= b),
        BvSlt => cmp(&|a, b| s(a) < s(b)),
        BvSle => cmp(&|a, b| s(a) <= s(b)),
        BvSgt => cmp(&|a, b| s(a) > s(b)),
        BvSge => cmp(&|a, b| s(a) >= s(b)),
        Extract(i, j) if i < w && j <= i => match xs.as_slice() {
            [x] => Ok(Value::bv(i - j + 1, x >> j)),
            _ => Err(ill(op)),
        },
        // `checked_add`: an index near `u32::MAX` (an ill-formed term) must not overflow.
        ZeroExtend(k) if w.checked_add(k).is_some_and(|n| n <= 64) => match xs.as_slice() {
            [x] => Ok(Value::bv(w + k, *x)),
            _ => Err(ill(op)),
        },
        SignExtend(k) if w.checked_add(k).is_some_and(|n| n <= 64) => match xs.as_slice() {
            [x] => Ok(Value::bv(w + k, bv::sign_extend(*x, w, k))),
            _ => Err(ill(op)),
        },
        RotateLeft(k) => un(&|x| bv::rotate_left(x, k, w)),
        RotateRight(k) => un(&|x| bv::rotate_left(x, w - (k % w), w)),
        _ => Err(ill(op)),
    }
}
