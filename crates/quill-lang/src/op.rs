//! Built-in operators of the SMT-LIB theories: their names, indices and sorts.
//!
//! The evaluator (`quill-eval`) gives them meaning; this module only knows how they are spelled and
//! which argument sorts they accept.

use crate::sort::Sort;
use std::fmt;

/// A built-in operator. Indexed operators carry their indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    // Core theory.
    Not,
    And,
    Or,
    Xor,
    Implies,
    Eq,
    Distinct,
    Ite,
    // Integers. `Sub` with one argument is negation, as in SMT-LIB.
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Abs,
    Lt,
    Le,
    Gt,
    Ge,
    // Strings.
    StrConcat,
    StrLen,
    StrAt,
    StrSubstr,
    StrPrefixOf,
    StrSuffixOf,
    StrContains,
    StrIndexOf,
    StrReplace,
    StrReplaceAll,
    StrToInt,
    StrFromInt,
    StrLt,
    StrLe,
    StrIsDigit,
    StrToCode,
    StrFromCode,
    // cvc5's string extensions (not SMT-LIB 2.6; z3 lacks them): case of ASCII letters, reversal.
    StrToUpper,
    StrToLower,
    StrRev,
    // Bit-vectors.
    BvAdd,
    BvSub,
    BvMul,
    BvAnd,
    BvOr,
    BvXor,
    BvNot,
    BvNeg,
    BvNand,
    BvNor,
    BvXnor,
    BvShl,
    BvLshr,
    BvAshr,
    BvUdiv,
    BvUrem,
    BvSdiv,
    BvSrem,
    BvSmod,
    BvComp,
    BvUlt,
    BvUle,
    BvUgt,
    BvUge,
    BvSlt,
    BvSle,
    BvSgt,
    BvSge,
    Concat,
    Extract(u32, u32),
    ZeroExtend(u32),
    SignExtend(u32),
    RotateLeft(u32),
    RotateRight(u32),
}

/// Why an application of an operator is ill-sorted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{op}` cannot be applied to arguments of sorts ({})", .args.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "))]
pub struct SortError {
    pub op: String,
    pub args: Vec<Sort>,
}

use Op::*;

/// Plain (non-indexed) operators with their SMT-LIB names, including the SyGuS-IF v1 / SMT-LIB 2.5
/// spellings that older benchmark files use. The first spelling of each operator is the one printed.
const NAMES: &[(&str, Op)] = &[
    ("not", Not),
    ("and", And),
    ("or", Or),
    ("xor", Xor),
    ("=>", Implies),
    ("=", Eq),
    ("distinct", Distinct),
    ("ite", Ite),
    ("+", Add),
    ("-", Sub),
    ("*", Mul),
    ("div", Div),
    ("mod", Mod),
    ("abs", Abs),
    ("<", Lt),
    ("<=", Le),
    (">", Gt),
    (">=", Ge),
    ("str.++", StrConcat),
    ("str.len", StrLen),
    ("str.at", StrAt),
    ("str.substr", StrSubstr),
    ("str.prefixof", StrPrefixOf),
    ("str.suffixof", StrSuffixOf),
    ("str.contains", StrContains),
    ("str.indexof", StrIndexOf),
    ("str.replace", StrReplace),
    ("str.replace_all", StrReplaceAll),
    ("str.to_int", StrToInt),
    ("str.to.int", StrToInt),
    ("str.from_int", StrFromInt),
    ("int.to.str", StrFromInt),
    ("str.<", StrLt),
    ("str.<=", StrLe),
    ("str.is_digit", StrIsDigit),
    ("str.to_code", StrToCode),
    ("str.from_code", StrFromCode),
    ("str.to_upper", StrToUpper),
    ("str.to_lower", StrToLower),
    ("str.rev", StrRev),
    ("bvadd", BvAdd),
    ("bvsub", BvSub),
    ("bvmul", BvMul),
    ("bvand", BvAnd),
    ("bvor", BvOr),
    ("bvxor", BvXor),
    ("bvnot", BvNot),
    ("bvneg", BvNeg),
    ("bvnand", BvNand),
    ("bvnor", BvNor),
    ("bvxnor", BvXnor),
    ("bvshl", BvShl),
    ("bvlshr", BvLshr),
    ("bvashr", BvAshr),
    ("bvudiv", BvUdiv),
    ("bvurem", BvUrem),
    ("bvsdiv", BvSdiv),
    ("bvsrem", BvSrem),
    ("bvsmod", BvSmod),
    ("bvcomp", BvComp),
    ("bvult", BvUlt),
    ("bvule", BvUle),
    ("bvugt", BvUgt),
    ("bvuge", BvUge),
    ("bvslt", BvSlt),
    ("bvsle", BvSle),
    ("bvsgt", BvSgt),
    ("bvsge", BvSge),
    ("concat", Concat),
];

impl Op {
    /// Whether the operator is an extension of a solver (cvc5's `str.to_upper`, `str.to_lower`,
    /// `str.rev`) rather than part of SMT-LIB 2.6. Quill evaluates and prints them; an SMT solver
    /// that lacks them cannot check a program that uses them.
    pub fn is_extension(&self) -> bool {
        matches!(self, StrToUpper | StrToLower | StrRev)
    }

    /// Looks up a plain operator by its SMT-LIB name.
    pub fn from_name(name: &str) -> Option<Op> {
        NAMES.iter().find(|(n, _)| *n == name).map(|(_, op)| *op)
    }

    /// Looks up an indexed operator `(_ name i..)`.
    pub fn from_indexed(name: &str, idx: &[u32]) -> Option<Op> {
        Some(match (name, idx) {
            ("extract", [i, j]) if i >= j => Extract(*i, *j),
            ("zero_extend", [k]) => ZeroExtend(*k),
            ("sign_extend", [k]) => SignExtend(*k),
            ("rotate_left", [k]) => RotateLeft(*k),
            ("rotate_right", [k]) => RotateRight(*k),
            _ => return None,
        })
    }

    /// The SMT-LIB 2.6 name (for indexed operators, the part after `_`).
    pub fn name(&self) -> &'static str {
        match self {
            Extract(..) => "extract",
            ZeroExtend(_) => "zero_extend",
            SignExtend(_) => "sign_extend",
            RotateLeft(_) => "rotate_left",
            RotateRight(_) => "rotate_right",
            op => NAMES.iter().find(|(_, o)| o == op).map(|(n, _)| *n).unwrap_or("?"),
        }
    }

    /// Every plain operator, once each (for default grammars and tests).
    pub fn all_plain() -> impl Iterator<Item = Op> {
        let mut seen = Vec::new();
        NAMES.iter().filter_map(move |(_, op)| {
            if seen.contains(op) {
                None
            } else {
                seen.push(*op);
                Some(*op)
            }
        })
    }

    /// The result sort of applying this operator to arguments of the given sorts, or why it is
    /// ill-sorted.
    pub fn result_sort(&self, args: &[Sort]) -> Result<Sort, SortError> {
        let err = || SortError { op: self.to_string(), args: args.to_vec() };
        let all = |s: Sort| args.iter().all(|a| *a == s);
        let is = |pattern: &[Sort]| args == pattern;
        let bv_width = |n: usize| match args.first() {
            Some(Sort::BitVec(w)) if args.len() == n && all(Sort::BitVec(*w)) => Some(*w),
            _ => None,
        };
        use Sort::{Bool as B, Int as I, String as S};
        let ok = match self {
            Not => is(&[B]).then_some(B),
            And | Or | Xor | Implies => (args.len() >= 2 && all(B)).then_some(B),
            Eq | Distinct => (args.len() >= 2 && all(args[0])).then_some(B),
            Ite => match args {
                [B, a, b] if a == b => Some(*a),
                _ => None,
            },
            Add | Mul => (args.len() >= 2 && all(I)).then_some(I),
            Sub => (!args.is_empty() && all(I)).then_some(I),
            Div | Mod => is(&[I, I]).then_some(I),
            Abs => is(&[I]).then_some(I),
            Lt | Le | Gt | Ge => (args.len() >= 2 && all(I)).then_some(B),
            StrConcat => (args.len() >= 2 && all(S)).then_some(S),
            StrLen => is(&[S]).then_some(I),
            StrAt => is(&[S, I]).then_some(S),
            StrSubstr => is(&[S, I, I]).then_some(S),
            StrPrefixOf | StrSuffixOf | StrContains | StrLt | StrLe => is(&[S, S]).then_some(B),
            StrIndexOf => is(&[S, S, I]).then_some(I),
            StrReplace | StrReplaceAll => is(&[S, S, S]).then_some(S),
            StrToInt | StrToCode => is(&[S]).then_some(I),
            StrFromInt | StrFromCode => is(&[I]).then_some(S),
            StrIsDigit => is(&[S]).then_some(B),
            StrToUpper | StrToLower | StrRev => is(&[S]).then_some(S),
            BvNot | BvNeg => bv_width(1).map(Sort::BitVec),
            BvAdd | BvMul | BvAnd | BvOr | BvXor => match args.first() {
                Some(Sort::BitVec(w)) if args.len() >= 2 && all(Sort::BitVec(*w)) => Some(Sort::BitVec(*w)),
                _ => None,
            },
            BvSub | BvNand | BvNor | BvXnor | BvShl | BvLshr | BvAshr | BvUdiv | BvUrem | BvSdiv | BvSrem
            | BvSmod => bv_width(2).map(Sort::BitVec),
            BvComp => bv_width(2).map(|_| Sort::BitVec(1)),
            BvUlt | BvUle | BvUgt | BvUge | BvSlt | BvSle | BvSgt | BvSge => bv_width(2).map(|_| B),
            Concat => match args {
                [Sort::BitVec(a), Sort::BitVec(b)] if a + b <= crate::sort::MAX_BV_WIDTH => {
                    Some(Sort::BitVec(a + b))
                }
                _ => None,
            },
            Extract(i, j) => match args {
                [Sort::BitVec(w)] if i < w => Some(Sort::BitVec(i - j + 1)),
                _ => None,
            },
            ZeroExtend(k) | SignExtend(k) => match args {
                [Sort::BitVec(w)] => {
                    w.checked_add(*k).filter(|n| *n <= crate::sort::MAX_BV_WIDTH).map(Sort::BitVec)
                }
                _ => None,
            },
            RotateLeft(_) | RotateRight(_) => bv_width(1).map(Sort::BitVec),
        };
        ok.ok_or_else(err)
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Extract(i, j) => write!(f, "(_ extract {i} {j})"),
            ZeroExtend(k) | SignExtend(k) | RotateLeft(k) | RotateRight(k) => {
                write!(f, "(_ {} {k})", self.name())
            }
            _ => f.write_str(self.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_plain_name_round_trips_to_its_printed_name() {
        for op in Op::all_plain() {
            assert_eq!(Op::from_name(op.name()), Some(op), "{op:?}");
        }
    }

    #[test]
    fn version_one_names_are_aliases() {
        assert_eq!(Op::from_name("int.to.str"), Some(Op::StrFromInt));
        assert_eq!(Op::StrFromInt.name(), "str.from_int");
    }

    #[test]
    fn ill_sorted_applications_are_refused() {
        assert!(Op::StrLen.result_sort(&[Sort::Int]).is_err());
        assert_eq!(Op::Ite.result_sort(&[Sort::Bool, Sort::Int, Sort::Int]), Ok(Sort::Int));
        assert!(Op::BvAdd.result_sort(&[Sort::BitVec(8), Sort::BitVec(4)]).is_err());
    }
}
