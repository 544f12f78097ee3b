//! What a logic's name means for the default grammar.
//!
//! A `synth-fun` without a grammar may use every operator of the problem's logic. SMT-LIB logic
//! names are built from parts (`QF_` for quantifier-free, `UF`, `BV`, `S` for strings, `LIA`/`NIA`
//! for linear/non-linear integer arithmetic, `C` for the SyGuS "conditional" variant); this module
//! reads those parts and hands the matching sorts and operators to [`Grammar::default_for`].

use quill_lang::{Grammar, Op, Sort, Symbol};

/// The theories a logic name asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Theories {
    ints: bool,
    nonlinear: bool,
    strings: bool,
    bitvectors: bool,
}

fn theories(logic: &str) -> Theories {
    let name = logic.strip_prefix("QF_").unwrap_or(logic);
    let all = Theories { ints: true, nonlinear: true, strings: true, bitvectors: true };
    if name.is_empty() || name == "ALL" {
        return all;
    }
    let rest = name.strip_prefix("UF").unwrap_or(name);
    let rest = rest.strip_prefix("DT").unwrap_or(rest);
    let t = match rest {
        "LIA" | "CLIA" | "IA" => Theories { ints: true, ..Default::default() },
        "NIA" | "CNIA" => Theories { ints: true, nonlinear: true, ..Default::default() },
        "S" | "SLIA" | "SNIA" => {
            Theories { ints: true, strings: true, nonlinear: rest == "SNIA", ..Default::default() }
        }
        "BV" => Theories { bitvectors: true, ..Default::default() },
        "BVLIA" | "LIABV" => Theories { ints: true, bitvectors: true, ..Default::default() },
        // A logic Quill does not know (or one with theories it lacks, such as reals): offer
        // everything it has rather than nothing.
        _ => all,
    };
    if t == Theories::default() {
        all
    } else {
        t
    }
}

const CORE: &[Op] = &[Op::Not, Op::And, Op::Or, Op::Eq, Op::Ite];
const LINEAR: &[Op] = &[Op::Add, Op::Sub, Op::Lt, Op::Le, Op::Gt, Op::Ge];
const NONLINEAR: &[Op] = &[Op::Mul, Op::Div, Op::Mod];
const STRINGS: &[Op] = &[
    Op::StrConcat,
    Op::StrLen,
    Op::StrAt,
    Op::StrSubstr,
    Op::StrPrefixOf,
    Op::StrSuffixOf,
    Op::StrContains,
    Op::StrIndexOf,
    Op::StrReplace,
    Op::StrToInt,
    Op::StrFromInt,
];
const BITVECTORS: &[Op] = &[
    Op::BvNot,
    Op::BvNeg,
    Op::BvAnd,
    Op::BvOr,
    Op::BvXor,
    Op::BvAdd,
    Op::BvSub,
    Op::BvMul,
    Op::BvUdiv,
    Op::BvUrem,
    Op::BvShl,
    Op::BvLshr,
    Op::BvAshr,
    Op::BvUlt,
    Op::BvUle,
    Op::BvSlt,
    Op::BvSle,
];

/// The grammar a `synth-fun` without one gets in `logic`: one non-terminal per sort (the return
/// sort first, then Bool, the logic's sorts and the parameters' sorts), the parameters, constants
/// of every sort, and the logic's operators wherever their sorts fit.
pub fn default_grammar(logic: &str, params: &[(Symbol, Sort)], ret: Sort) -> Grammar {
    let t = theories(logic);
    let mut sorts = vec![Sort::Bool];
    let mut ops: Vec<Op> = CORE.to_vec();
    if t.ints {
        sorts.push(Sort::Int);
        ops.extend_from_slice(LINEAR);
    }
    if t.nonlinear {
        ops.extend_from_slice(NONLINEAR);
    }
    if t.strings {
        sorts.push(Sort::String);
        ops.extend_from_slice(STRINGS);
    }
    if t.bitvectors {
        // Bit-vector operators work at the widths the function itself uses; no other width could
        // reach its parameters or its result without extract/concat, which need chosen indices.
        ops.extend_from_slice(BITVECTORS);
    }
    // Sorts outside the logic still come in through the parameters and the return sort, so the
    // function can at least use them; default_for adds those.
    Grammar::default_for(params, ret, &sorts, &ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logic_names_are_read_by_parts() {
        assert_eq!(theories("LIA"), Theories { ints: true, ..Default::default() });
        assert!(theories("QF_NIA").nonlinear);
        assert!(theories("SLIA").strings && !theories("SLIA").bitvectors);
        assert!(theories("QF_BV").bitvectors && !theories("BV").ints);
        assert_eq!(theories("ALL"), theories("LRA"));
    }
}
