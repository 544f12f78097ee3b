//! Each built-in operator as Python: plain Python where it is exact, a helper where it is not.

use super::expr::*;
use super::helpers::Helper;
use super::syntax::mask;
use quill_lang::{Func, Op, Term};

/// `e & mask`: reduces an unbounded Python int to the low `w` bits, as bit-vector arithmetic wraps.
fn masked(e: Expr, w: u32) -> Expr {
    Expr::new(format!("{} & {}", e.at(UNARY), mask(w)), BAND)
}

/// Joins operands with an infix operator: the first operand needs level `first`, the others `rest`
/// (one more than the operator's own level where the operator is not associative). No operands at
/// all (only in ill-formed terms) give `empty`.
fn join(parts: &[Expr], sep: &str, first: u8, rest: u8, prec: u8, empty: &str) -> Expr {
    match parts {
        [] => Expr::atom(empty),
        [only] => only.clone(),
        [head, tail @ ..] => {
            let mut text = head.at(first);
            for p in tail {
                text.push_str(sep);
                text.push_str(&p.at(rest));
            }
            Expr::new(text, prec)
        }
    }
}

/// A chain of comparisons. Python's `a < b < c` means `a < b and b < c`, exactly SMT-LIB's chainable
/// comparisons; fewer than two operands compare nothing, which holds.
fn chain(parts: &[Expr], sep: &str) -> Expr {
    if parts.len() < 2 {
        return Expr::atom("True");
    }
    join(parts, sep, ADD, ADD, CMP, "True")
}

fn texts(parts: &[Expr]) -> Vec<String> {
    parts.iter().map(|p| p.text.clone()).collect()
}

/// Renders the application of a built-in operator.
pub fn render<'t>(r: &mut Renderer<'_, 't>, op: Op, args: &'t [Term]) -> Expr {
    use Op::*;
    match op {
        Not => match args {
            [inner @ Term::App(Func::Builtin(Eq), xs)] if xs.len() == 2 && r.single(inner) => {
                let xs = r.args(xs);
                chain(&xs, " != ")
            }
            [inner @ Term::App(Func::Builtin(StrContains), xs)] if xs.len() == 2 && r.single(inner) => {
                let (s, t) = (r.arg(xs, 0), r.arg(xs, 1));
                Expr::new(format!("{} not in {}", t.at(ADD), s.at(ADD)), CMP)
            }
            _ => Expr::new(format!("not {}", r.arg(args, 0).at(BOR)), NOT),
        },
        And => join(&r.args(args), " and ", NOT, NOT, AND, "True"),
        Or => join(&r.args(args), " or ", NOT, NOT, OR, "False"),
        Xor => {
            let parts = r.args(args);
            let mut it = parts.into_iter();
            let first = it.next().unwrap_or_else(|| Expr::atom("False"));
            it.fold(first, |acc, b| Expr::new(format!("{} != {}", acc.at(ADD), b.at(ADD)), CMP))
        }
        Implies => {
            // `(=> a b c)` is `(=> a (=> b c))`: true unless every premise holds and `c` does not.
            let parts = r.args(args);
            let last = parts.len().saturating_sub(1);
            let terms: Vec<Expr> = parts
                .into_iter()
                .enumerate()
                .map(|(i, p)| if i < last { Expr::new(format!("not {}", p.at(BOR)), NOT) } else { p })
                .collect();
            join(&terms, " or ", NOT, NOT, OR, "True")
        }
        Eq => chain(&r.args(args), " == "),
        Distinct => {
            let parts = r.args(args);
            match parts.len() {
                0 | 1 => Expr::atom("True"),
                2 => chain(&parts, " != "),
                n => Expr::new(format!("len({{{}}}) == {n}", texts(&parts).join(", ")), CMP),
            }
        }
        Ite => {
            let (c, t, e) = (r.arg(args, 0), r.arg(args, 1), r.arg(args, 2));
            Expr::new(format!("{} if {} else {}", t.at(OR), c.at(OR), e.at(COND)), COND)
        }
        Add => join(&r.args(args), " + ", ADD, MUL, ADD, "0"),
        StrConcat => join(&r.args(args), " + ", ADD, MUL, ADD, "\"\""),
        Sub if args.len() == 1 => Expr::new(format!("-{}", r.arg(args, 0).at(ATOM)), UNARY),
        // `x - -1` reads badly; subtracting a negative literal is adding its magnitude.
        Sub => match (args.len(), args.get(1).and_then(negative_lit)) {
            (2, Some(k)) => Expr::new(format!("{} + {k}", r.arg(args, 0).at(ADD)), ADD),
            _ => join(&r.args(args), " - ", ADD, MUL, ADD, "0"),
        },
        Mul => join(&r.args(args), " * ", MUL, UNARY, MUL, "1"),
        // Floor division and Python's `%` agree with SMT-LIB's Euclidean ones for a positive divisor.
        Div => match int_lit(args.get(1)) {
            Some(d) if d > 0 => Expr::new(format!("{} // {d}", r.arg(args, 0).at(MUL)), MUL),
            _ => {
                let parts = r.args(args);
                r.helper(Helper::Div, &texts(&parts))
            }
        },
        Mod => {
            let a = r.arg(args, 0);
            let d = match int_lit(args.get(1)) {
                Some(d) if d != 0 => d.unsigned_abs().to_string(),
                _ => format!("abs({})", r.arg(args, 1).text),
            };
            Expr::new(format!("{} % {d}", a.at(MUL)), MUL)
        }
        Abs => Expr::atom(format!("abs({})", r.arg(args, 0).text)),
        Lt => chain(&r.args(args), " < "),
        Le => chain(&r.args(args), " <= "),
        Gt => chain(&r.args(args), " > "),
        Ge => chain(&r.args(args), " >= "),
        StrLt => chain(&r.args(args), " < "),
        StrLe => chain(&r.args(args), " <= "),
        _ => strings(r, op, args),
    }
}

/// Python's slice `s[i:j]` is exact for SMT-LIB's `str.at` and `str.substr` when the start and the
/// length are non-negative literals.
fn slice(s: Expr, start: i64, len: i64) -> Expr {
    let end = i128::from(start) + i128::from(len);
    match start {
        0 => Expr::atom(format!("{}[:{end}]", s.at(ATOM))),
        _ => Expr::atom(format!("{}[{start}:{end}]", s.at(ATOM))),
    }
}

fn strings<'t>(r: &mut Renderer<'_, 't>, op: Op, args: &'t [Term]) -> Expr {
    use Op::*;
    let call = |r: &mut Renderer<'_, 't>, h: Helper| {
        let parts = r.args(args);
        r.helper(h, &texts(&parts))
    };
    match op {
        StrLen => Expr::atom(format!("len({})", r.arg(args, 0).text)),
        StrAt => match int_lit(args.get(1)) {
            Some(i) if i >= 0 => slice(r.arg(args, 0), i, 1),
            _ => call(r, Helper::At),
        },
        StrSubstr => match (int_lit(args.get(1)), int_lit(args.get(2))) {
            (Some(i), Some(n)) if i >= 0 && n > 0 => slice(r.arg(args, 0), i, n),
            _ => call(r, Helper::Substr),
        },
        // Note the argument order: `(str.prefixof t s)` asks whether `t` is a prefix of `s`.
        StrPrefixOf | StrSuffixOf => {
            let (t, s) = (r.arg(args, 0), r.arg(args, 1));
            let method = if op == StrPrefixOf { "startswith" } else { "endswith" };
            Expr::atom(format!("{}.{method}({})", s.at(ATOM), t.text))
        }
        StrContains => {
            let (s, t) = (r.arg(args, 0), r.arg(args, 1));
            Expr::new(format!("{} in {}", t.at(ADD), s.at(ADD)), CMP)
        }
        // From position 0, `find` is exact, the empty needle included.
        StrIndexOf if int_lit(args.get(2)) == Some(0) => {
            let (s, t) = (r.arg(args, 0), r.arg(args, 1));
            Expr::atom(format!("{}.find({})", s.at(ATOM), t.text))
        }
        StrIndexOf => call(r, Helper::IndexOf),
        // Python's `replace(t, u, 1)` also puts `u` in front when `t` is empty, as SMT-LIB does.
        StrReplace => {
            let (s, t, u) = (r.arg(args, 0), r.arg(args, 1), r.arg(args, 2));
            Expr::atom(format!("{}.replace({}, {}, 1)", s.at(ATOM), t.text, u.text))
        }
        StrReplaceAll => match args.get(1) {
            Some(Term::Lit(quill_lang::Value::Str(t))) if !t.is_empty() => {
                let (s, t, u) = (r.arg(args, 0), r.arg(args, 1), r.arg(args, 2));
                Expr::atom(format!("{}.replace({}, {})", s.at(ATOM), t.text, u.text))
            }
            _ => call(r, Helper::ReplaceAll),
        },
        StrToInt => call(r, Helper::ToInt),
        StrFromInt => call(r, Helper::FromInt),
        StrIsDigit => call(r, Helper::IsDigit),
        StrToUpper => call(r, Helper::Upper),
        StrToLower => call(r, Helper::Lower),
        StrRev => {
            let s = r.arg(args, 0);
            Expr::atom(format!("{}[::-1]", s.at(ATOM)))
        }
        StrToCode => call(r, Helper::ToCode),
        StrFromCode => call(r, Helper::FromCode),
        _ => bit_vectors(r, op, args),
    }
}

fn bit_vectors<'t>(r: &mut Renderer<'_, 't>, op: Op, args: &'t [Term]) -> Expr {
    use Op::*;
    let w = width(args.first());
    let wl = w.to_string();
    // A helper whose last argument is the width.
    let sized = |r: &mut Renderer<'_, 't>, h: Helper| {
        let mut parts = texts(&r.args(args));
        parts.push(w.to_string());
        r.helper(h, &parts)
    };
    let signed = |r: &mut Renderer<'_, 't>, i: usize| {
        let x = r.arg(args, i).text;
        r.helper(Helper::Signed, &[x, w.to_string()])
    };
    let cmp = |r: &mut Renderer<'_, 't>, sep: &str, is_signed: bool| {
        let parts = if is_signed { vec![signed(r, 0), signed(r, 1)] } else { r.args(args) };
        chain(&parts, sep)
    };
    match op {
        BvAdd => masked(join(&r.args(args), " + ", ADD, MUL, ADD, "0"), w),
        BvSub => masked(join(&r.args(args), " - ", ADD, MUL, ADD, "0"), w),
        BvMul => masked(join(&r.args(args), " * ", MUL, UNARY, MUL, "1"), w),
        BvAnd => join(&r.args(args), " & ", UNARY, UNARY, BAND, "0"),
        BvOr => join(&r.args(args), " | ", UNARY, UNARY, BOR, "0"),
        BvXor => join(&r.args(args), " ^ ", UNARY, UNARY, BXOR, "0"),
        BvNot => masked(Expr::new(format!("~{}", r.arg(args, 0).at(ATOM)), UNARY), w),
        BvNeg => masked(Expr::new(format!("-{}", r.arg(args, 0).at(ATOM)), UNARY), w),
        BvNand | BvNor | BvXnor => {
            let sep = match op {
                BvNand => " & ",
                BvNor => " | ",
                _ => " ^ ",
            };
            let inner = join(&r.args(args), sep, UNARY, UNARY, BAND, "0");
            masked(Expr::new(format!("~({})", inner.text), UNARY), w)
        }
        BvShl => match bv_lit(args.get(1)) {
            Some(n) if n >= u64::from(w) => Expr::atom("0"),
            Some(n) => masked(Expr::new(format!("{} << {n}", r.arg(args, 0).at(UNARY)), SHIFT), w),
            None => sized(r, Helper::Shl),
        },
        // Python's `>>` on a non-negative int is exact for any shift, however large.
        BvLshr => {
            let x = r.arg(args, 0);
            let n = match bv_lit(args.get(1)) {
                Some(n) => n.to_string(),
                None => r.arg(args, 1).at(UNARY),
            };
            Expr::new(format!("{} >> {n}", x.at(UNARY)), SHIFT)
        }
        BvAshr => sized(r, Helper::Ashr),
        BvUdiv | BvUrem if bv_lit(args.get(1)).is_some_and(|d| d != 0) => {
            let (x, d) = (r.arg(args, 0), r.arg(args, 1));
            let sep = if op == BvUdiv { "//" } else { "%" };
            Expr::new(format!("{} {sep} {}", x.at(MUL), d.at(UNARY)), MUL)
        }
        BvUdiv => sized(r, Helper::Udiv),
        BvUrem => {
            let parts = r.args(args);
            r.helper(Helper::Urem, &texts(&parts))
        }
        BvSdiv => sized(r, Helper::Sdiv),
        BvSrem => sized(r, Helper::Srem),
        BvSmod => sized(r, Helper::Smod),
        BvComp => {
            let parts = r.args(args);
            Expr::atom(format!("int({})", chain(&parts, " == ").text))
        }
        BvUlt => cmp(r, " < ", false),
        BvUle => cmp(r, " <= ", false),
        BvUgt => cmp(r, " > ", false),
        BvUge => cmp(r, " >= ", false),
        BvSlt => cmp(r, " < ", true),
        BvSle => cmp(r, " <= ", true),
        BvSgt => cmp(r, " > ", true),
        BvSge => cmp(r, " >= ", true),
        Concat => {
            let low = width(args.get(1));
            let (x, y) = (r.arg(args, 0), r.arg(args, 1));
            Expr::new(format!("({} << {low}) | {}", x.at(UNARY), y.at(UNARY)), BOR)
        }
        Extract(i, j) => {
            let x = r.arg(args, 0);
            let shifted = if j == 0 { x } else { Expr::new(format!("{} >> {j}", x.at(UNARY)), SHIFT) };
            // Taking the top bits needs no mask: the unused high bits are zero.
            if i.saturating_add(1) >= w {
                shifted
            } else {
                masked(shifted, i.saturating_sub(j).saturating_add(1))
            }
        }
        // Bit-vectors are unsigned ints, so zero extension changes nothing.
        ZeroExtend(_) => r.arg(args, 0),
        SignExtend(0) => r.arg(args, 0),
        SignExtend(k) => masked(signed(r, 0), w.saturating_add(k)),
        RotateLeft(k) | RotateRight(k) => {
            let k = if w == 0 { 0 } else { k % w };
            let k = if matches!(op, RotateRight(_)) && k != 0 { w - k } else { k };
            if k == 0 {
                r.arg(args, 0)
            } else {
                let x = r.arg(args, 0).text;
                r.helper(Helper::RotateLeft, &[x, k.to_string(), wl])
            }
        }
        // Every operator is handled above; an operator added to the language later renders as
        // Python's `...`, which keeps the module valid Python.
        _ => Expr::atom("..."),
    }
}

/// The magnitude of a negative integer literal, written `-k` or `(- k)`.
fn negative_lit(t: &Term) -> Option<i64> {
    match t {
        Term::Lit(quill_lang::Value::Int(n)) if *n < 0 => n.checked_neg(),
        Term::App(Func::Builtin(Op::Sub), a) if a.len() == 1 => int_lit(a.first()).filter(|k| *k > 0),
        _ => None,
    }
}
