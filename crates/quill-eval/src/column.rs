//! Column-wise evaluation: a term's values on every example at once.
//!
//! The enumerator evaluates millions of candidate terms on the same examples. Evaluating one
//! operator over a whole column of values (a typed vector, one entry per example) keeps the hot
//! loops free of per-value dispatch for the common operators, and a column is also the term's
//! *observational signature*: two terms with equal columns are interchangeable for the search.
//! Any operator without a fast path falls back to [`apply`] per example, so both paths agree by
//! construction where it matters.

use crate::native::Native;
use crate::ops::{find, str_at, str_from_int, str_indexof, str_replace, str_substr, str_to_int};
use crate::{apply, bv, EvalError, MAX_STRING_LEN};
use quill_lang::value::bv_mask;
use quill_lang::{FunDef, Func, Op, Sort, Str, Term, Value};

/// Values of one sort on every example.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Bool(Vec<bool>),
    Int(Vec<i64>),
    Str(Vec<Str>),
    Bv(u32, Vec<u64>),
}

impl Column {
    pub fn len(&self) -> usize {
        match self {
            Column::Bool(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Str(v) => v.len(),
            Column::Bv(_, v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Value {
        match self {
            Column::Bool(v) => Value::Bool(v[i]),
            Column::Int(v) => Value::Int(v[i]),
            Column::Str(v) => Value::Str(v[i].clone()),
            Column::Bv(w, v) => Value::BitVec { width: *w, bits: v[i] },
        }
    }

    /// A column of `n` copies of a value.
    pub fn splat(v: &Value, n: usize) -> Column {
        match v {
            Value::Bool(b) => Column::Bool(vec![*b; n]),
            Value::Int(i) => Column::Int(vec![*i; n]),
            Value::Str(s) => Column::Str(vec![s.clone(); n]),
            Value::BitVec { width, bits } => Column::Bv(*width, vec![*bits; n]),
        }
    }

    /// Builds a column from values that all have the given sort; `None` if one does not.
    pub fn from_values(sort: Sort, vals: impl IntoIterator<Item = Value>) -> Option<Column> {
        let it = vals.into_iter();
        Some(match sort {
            Sort::Bool => Column::Bool(it.map(|v| v.as_bool()).collect::<Option<_>>()?),
            Sort::Int => Column::Int(it.map(|v| v.as_int()).collect::<Option<_>>()?),
            Sort::String => Column::Str(it.map(|v| v.as_str().cloned()).collect::<Option<_>>()?),
            Sort::BitVec(w) => Column::Bv(w, it.map(|v| v.as_bv()).collect::<Option<_>>()?),
        })
    }

    /// Approximate heap bytes, for memory budgets.
    pub fn heap_bytes(&self) -> usize {
        match self {
            Column::Bool(v) => v.len(),
            Column::Int(v) => v.len() * 8,
            Column::Str(v) => v.iter().map(|s| 16 + 16 + s.len() * 4).sum(),
            Column::Bv(_, v) => v.len() * 8,
        }
    }
}

/// Applies an operator to argument columns of `n` examples. `Err` when some example has no value:
/// the candidate does not fit, whatever the other examples say.
pub fn apply_columns(op: Op, args: &[&Column], n: usize) -> Result<Column, EvalError> {
    if let Some(c) = fast_path(op, args) {
        return c;
    }
    let sort = {
        let sorts: Vec<Sort> = args.iter().map(|c| sort_of(c)).collect();
        op.result_sort(&sorts).map_err(|e| EvalError::IllFormed(e.to_string()))?
    };
    let mut out = Vec::with_capacity(n);
    let mut vals = Vec::with_capacity(args.len());
    for i in 0..n {
        vals.clear();
        vals.extend(args.iter().map(|c| c.get(i)));
        out.push(apply(op, &vals)?);
    }
    Column::from_values(sort, out).ok_or_else(|| EvalError::IllFormed("mixed sorts".into()))
}

fn sort_of(c: &Column) -> Sort {
    match c {
        Column::Bool(_) => Sort::Bool,
        Column::Int(_) => Sort::Int,
        Column::Str(_) => Sort::String,
        Column::Bv(w, _) => Sort::BitVec(*w),
    }
}

/// Tight loops for the operators the search uses most. `None` means "no fast path here".
fn fast_path(op: Op, args: &[&Column]) -> Option<Result<Column, EvalError>> {
    use Column as C;
    use Op::*;
    let r = match (op, args) {
        (BvNot, [C::Bv(w, x)]) => C::Bv(*w, x.iter().map(|a| !a & bv_mask(*w)).collect()),
        (BvNeg, [C::Bv(w, x)]) => C::Bv(*w, x.iter().map(|a| bv::neg(*a, *w)).collect()),
        (_, [C::Bv(w, x), C::Bv(w2, y)]) if w == w2 => {
            let (w, m) = (*w, bv_mask(*w));
            let f: fn(u64, u64, u32) -> u64 = match op {
                BvAdd => |a, b, _| a.wrapping_add(b),
                BvSub => |a, b, _| a.wrapping_sub(b),
                BvMul => |a, b, _| a.wrapping_mul(b),
                BvAnd => |a, b, _| a & b,
                BvOr => |a, b, _| a | b,
                BvXor => |a, b, _| a ^ b,
                BvShl => bv::shl,
                BvLshr => bv::lshr,
                BvAshr => bv::ashr,
                BvUdiv => bv::udiv,
                BvUrem => |a, b, _| bv::urem(a, b),
                BvUlt | BvUle | BvSlt | BvSle | BvUgt | BvUge | BvSgt | BvSge | Eq => {
                    let s = |a: u64| bv::signed(a, w);
                    let cmp: Box<dyn Fn(u64, u64) -> bool> = match op {
                        BvUlt => Box::new(|a, b| a < b),
                        BvUle => Box::new(|a, b| a <= b),
                        BvUgt => Box::new(|a, b| a > b),
                        BvUge => Box::new(|a, b| a >= b),
                        BvSlt => Box::new(move |a, b| s(a) < s(b)),
                        BvSle => Box::new(move |a, b| s(a) <= s(b)),
                        BvSgt => Box::new(move |a, b| s(a) > s(b)),
                        BvSge => Box::new(move |a, b| s(a) >= s(b)),
                        _ => Box::new(|a, b| a == b),
                    };
                    return Some(Ok(C::Bool(x.iter().zip(y).map(|(a, b)| cmp(*a, *b)).collect())));
                }
                _ => return None,
            };
            C::Bv(w, x.iter().zip(y).map(|(a, b)| f(*a, *b, w) & m).collect())
        }
        (Ite, [C::Bool(c), a, b]) => return Some(select(c, a, b)),
        (Add, [C::Int(x), C::Int(y)]) => {
            return Some(
                x.iter()
                    .zip(y)
                    .map(|(a, b)| a.checked_add(*b).ok_or(EvalError::Overflow))
                    .collect::<Result<_, _>>()
                    .map(C::Int),
            )
        }
        (Sub, [C::Int(x), C::Int(y)]) => {
            return Some(
                x.iter()
                    .zip(y)
                    .map(|(a, b)| a.checked_sub(*b).ok_or(EvalError::Overflow))
                    .collect::<Result<_, _>>()
                    .map(C::Int),
            )
        }
        (Eq, [C::Int(x), C::Int(y)]) => C::Bool(x.iter().zip(y).map(|(a, b)| a == b).collect()),
        (Eq, [C::Str(x), C::Str(y)]) => C::Bool(x.iter().zip(y).map(|(a, b)| a == b).collect()),
        (Not, [C::Bool(x)]) => C::Bool(x.iter().map(|a| !a).collect()),
        (And, [C::Bool(x), C::Bool(y)]) => C::Bool(x.iter().zip(y).map(|(a, b)| *a && *b).collect()),
        (Or, [C::Bool(x), C::Bool(y)]) => C::Bool(x.iter().zip(y).map(|(a, b)| *a || *b).collect()),
        (StrAt, [C::Str(x), C::Int(i)]) => C::Str(x.iter().zip(i).map(|(s, i)| str_at(s, *i)).collect()),
        (StrSubstr, [C::Str(x), C::Int(i), C::Int(n)]) => {
            C::Str(x.iter().zip(i).zip(n).map(|((s, i), n)| str_substr(s, *i, *n)).collect())
        }
        (StrIndexOf, [C::Str(x), C::Str(t), C::Int(i)]) => {
            C::Int(x.iter().zip(t).zip(i).map(|((s, t), i)| str_indexof(s, t, *i)).collect())
        }
        (StrReplace, [C::Str(x), C::Str(t), C::Str(u)]) => {
            return Some(
                x.iter()
                    .zip(t)
                    .zip(u)
                    .map(|((s, t), u)| str_replace(s, t, u))
                    .collect::<Result<_, _>>()
                    .map(C::Str),
            )
        }
        (StrToInt, [C::Str(x)]) => {
            return Some(x.iter().map(str_to_int).collect::<Result<_, _>>().map(C::Int))
        }
        (StrFromInt, [C::Int(x)]) => C::Str(x.iter().map(|n| str_from_int(*n)).collect()),
        (StrPrefixOf, [C::Str(x), C::Str(y)]) => {
            C::Bool(x.iter().zip(y).map(|(a, b)| b.chars().starts_with(a.chars())).collect())
        }
        (StrSuffixOf, [C::Str(x), C::Str(y)]) => {
            C::Bool(x.iter().zip(y).map(|(a, b)| b.chars().ends_with(a.chars())).collect())
        }
        (StrContains, [C::Str(x), C::Str(y)]) => {
            C::Bool(x.iter().zip(y).map(|(a, b)| find(a.chars(), b.chars(), 0).is_some()).collect())
        }
        (StrLen, [C::Str(x)]) => C::Int(x.iter().map(|s| s.len() as i64).collect()),
        (StrConcat, [C::Str(x), C::Str(y)]) => {
            let mut out = Vec::with_capacity(x.len());
            for (a, b) in x.iter().zip(y) {
                if a.len() + b.len() > MAX_STRING_LEN {
                    return Some(Err(EvalError::StringTooLong));
                }
                out.push(if a.is_empty() {
                    b.clone()
                } else if b.is_empty() {
                    a.clone()
                } else {
                    Str::from([a.chars(), b.chars()].concat())
                });
            }
            C::Str(out)
        }
        _ => return None,
    };
    Some(Ok(r))
}

fn select(c: &[bool], a: &Column, b: &Column) -> Result<Column, EvalError> {
    use Column as C;
    let pick = |i: usize, t: bool| if t { a.get(i) } else { b.get(i) };
    Ok(match (a, b) {
        (C::Int(x), C::Int(y)) => {
            C::Int(c.iter().enumerate().map(|(i, t)| if *t { x[i] } else { y[i] }).collect())
        }
        (C::Bv(w, x), C::Bv(_, y)) => {
            C::Bv(*w, c.iter().enumerate().map(|(i, t)| if *t { x[i] } else { y[i] }).collect())
        }
        _ => Column::from_values(sort_of(a), c.iter().enumerate().map(|(i, t)| pick(i, *t)))
            .ok_or_else(|| EvalError::IllFormed("ite branches of different sorts".into()))?,
    })
}

/// Evaluates a term column-wise. `vars[i]` is the column of variable `i`; `holes[i]` that of hole
/// `i` (a production's arguments or a sketch's holes).
pub fn eval_columns(term: &Term, vars: &[&Column], holes: &[&Column], n: usize) -> Result<Column, EvalError> {
    match term {
        Term::Lit(v) => Ok(Column::splat(v, n)),
        Term::Var(v) => vars
            .get(v.index as usize)
            .map(|c| (*c).clone())
            .ok_or_else(|| EvalError::IllFormed(format!("variable {} has no value", v.name))),
        Term::Hole(i, _) => holes
            .get(*i as usize)
            .map(|c| (*c).clone())
            .ok_or_else(|| EvalError::IllFormed("unfilled hole".into())),
        Term::App(func, args) => {
            let cols = args.iter().map(|a| eval_columns(a, vars, holes, n)).collect::<Result<Vec<_>, _>>()?;
            let refs: Vec<&Column> = cols.iter().collect();
            apply_func_columns(func, &refs, n)
        }
    }
}

/// Applies a built-in or a `define-fun` helper to argument columns.
pub fn apply_func_columns(func: &Func, args: &[&Column], n: usize) -> Result<Column, EvalError> {
    match func {
        Func::Builtin(op) => apply_columns(*op, args, n),
        Func::Defined(def) => call_columns(def, args, n),
        Func::Synth { name, .. } => Err(EvalError::IllFormed(format!("{name} is under synthesis"))),
    }
}

fn call_columns(def: &FunDef, args: &[&Column], n: usize) -> Result<Column, EvalError> {
    if args.len() != def.params.len() {
        return Err(EvalError::IllFormed(format!("{} takes {} arguments", def.name, def.params.len())));
    }
    let values: Option<Vec<Value>> = match (crate::native::native(def), args) {
        (Some(Native::Str(f)), [Column::Str(col)]) => Some(col.iter().map(f).collect()),
        (Some(Native::StrInt(f)), [Column::Str(col), Column::Int(ks)]) => {
            Some(col.iter().zip(ks).map(|(s, k)| f(s, *k)).collect())
        }
        _ => None,
    };
    if let Some(values) = values {
        return Column::from_values(def.ret, values)
            .ok_or_else(|| EvalError::IllFormed(format!("{} gave a value of another sort", def.name)));
    }
    eval_columns(&def.body, args, &[], n)
}
