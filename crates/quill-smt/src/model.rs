//! Reading the values z3 prints (`get-value` answers) back into [`Value`]s.

use quill_lang::resolve::unescape_string;
use quill_lang::sexpr::{read_one, SExpr, SKind};
use quill_lang::sort::MAX_BV_WIDTH;
use quill_lang::{Sort, Str, Value};

/// Why a printed value is not a [`Value`] of the expected sort.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// An integer beyond 64 bits, which z3's unbounded integers allow and Quill cannot hold.
    #[error("the integer {0} does not fit in 64 bits")]
    OutOfRange(String),
    /// Something else than a literal of the sort.
    #[error("expected a value of sort {sort}, found `{found}`")]
    Unexpected { sort: Sort, found: String },
    /// A string literal with an escape that names no character of the string theory.
    #[error("bad string literal: {0}")]
    BadString(String),
}

/// Reads an SMT-LIB 2.6 literal of `sort`: `true`/`false`; a numeral or `(- numeral)`; a string
/// literal (`""` for a quote, `\u{..}` and `\uXXXX` escapes); `#x..`, `#b..` or `(_ bvN w)`.
pub fn parse_value(e: &SExpr, sort: Sort) -> Result<Value, ValueError> {
    let unexpected = || ValueError::Unexpected { sort, found: e.to_string() };
    match (sort, &e.kind) {
        (Sort::Bool, SKind::Symbol { name, quoted: false }) => match name.as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(unexpected()),
        },
        (Sort::Int, SKind::Numeral(n)) => int(n, false),
        (Sort::Int, SKind::List(items)) => match items.as_slice() {
            [minus, SExpr { kind: SKind::Numeral(n), .. }] if minus.symbol() == Some("-") => int(n, true),
            _ => Err(unexpected()),
        },
        (Sort::String, SKind::Str(raw)) => {
            unescape_string(raw).map(|cs| Value::Str(Str::from(cs))).map_err(ValueError::BadString)
        }
        (Sort::BitVec(w), SKind::Hex(d)) if d.len() as u64 * 4 == u64::from(w) => {
            u64::from_str_radix(d, 16).map(|b| Value::bv(w, b)).map_err(|_| unexpected())
        }
        (Sort::BitVec(w), SKind::Binary(d)) if d.len() as u64 == u64::from(w) => {
            u64::from_str_radix(d, 2).map(|b| Value::bv(w, b)).map_err(|_| unexpected())
        }
        (Sort::BitVec(w), SKind::List(items)) => {
            let [us, name, width] = items.as_slice() else { return Err(unexpected()) };
            let digits = name.symbol().and_then(|n| n.strip_prefix("bv")).ok_or_else(unexpected)?;
            let bits = digits.parse::<u128>().map_err(|_| unexpected())?;
            let same_width = matches!(&width.kind, SKind::Numeral(n) if n.parse() == Ok(w));
            if us.symbol() != Some("_") || !same_width || w > MAX_BV_WIDTH || bits >> w != 0 {
                return Err(unexpected());
            }
            Ok(Value::bv(w, bits as u64))
        }
        _ => Err(unexpected()),
    }
}

fn int(digits: &str, negative: bool) -> Result<Value, ValueError> {
    let shown = || if negative { format!("-{digits}") } else { digits.to_string() };
    let magnitude: i128 = digits.parse().map_err(|_| ValueError::OutOfRange(shown()))?;
    let v = if negative { -magnitude } else { magnitude };
    i64::try_from(v).map(Value::Int).map_err(|_| ValueError::OutOfRange(shown()))
}

/// The value terms of a `get-value` answer `((t1 v1) (t2 v2) ..)` with `n` pairs, in order.
pub(crate) fn answer_values(lines: &[String], n: usize) -> Result<Vec<SExpr>, String> {
    let text = lines.join("\n");
    let bad = || format!("unexpected answer to get-value: {}", text.chars().take(300).collect::<String>());
    let e = read_one(&text).map_err(|_| bad())?;
    let pairs = e.list().ok_or_else(bad)?;
    if pairs.len() != n {
        return Err(bad());
    }
    pairs
        .iter()
        .map(|p| match p.list() {
            Some([_, v]) => Ok(v.clone()),
            _ => Err(bad()),
        })
        .collect()
}

/// Whether z3 4.8.12's printing of this string literal can be trusted. It writes a backslash as
/// itself, not as `\u{5c}`, so a printed `\u{41}` may be the escape for `A` or the six characters
/// it consists of; such strings are read back character by character instead.
pub(crate) fn string_is_ambiguous(e: &SExpr) -> bool {
    matches!(&e.kind, SKind::Str(raw) if raw.contains('\\'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, sort: Sort) -> Result<Value, ValueError> {
        parse_value(&read_one(text).unwrap(), sort)
    }

    #[test]
    fn values_round_trip_through_their_printing() {
        let values = [
            Value::Bool(true),
            Value::Bool(false),
            Value::Int(0),
            Value::Int(-5),
            Value::Int(i64::MAX),
            Value::Int(i64::MIN),
            Value::str(""),
            Value::str("a\"b\\u{41}\u{e9}\n\u{1F600}"),
            Value::bv(32, 0xdead_beef),
            Value::bv(5, 0b10101),
            Value::bv(64, u64::MAX),
            Value::bv(1, 1),
        ];
        for v in values {
            assert_eq!(read(&v.to_string(), v.sort()), Ok(v.clone()), "{v}");
        }
    }

    #[test]
    fn z3_spellings_are_read() {
        assert_eq!(read("(- 5)", Sort::Int), Ok(Value::Int(-5)));
        assert_eq!(read("(- 9223372036854775808)", Sort::Int), Ok(Value::Int(i64::MIN)));
        assert_eq!(read("(_ bv300 12)", Sort::BitVec(12)), Ok(Value::bv(12, 300)));
        assert_eq!(read("(_ bv18446744073709551615 64)", Sort::BitVec(64)), Ok(Value::bv(64, u64::MAX)));
        assert_eq!(read(r#""x""""#, Sort::String), Ok(Value::str("x\"")));
        assert_eq!(read(r#""\u{48}\u0049""#, Sort::String), Ok(Value::str("HI")));
    }

    #[test]
    fn wrong_or_oversized_values_are_errors() {
        assert!(matches!(read("9223372036854775808", Sort::Int), Err(ValueError::OutOfRange(_))));
        assert!(matches!(read("(- 99999999999999999999999)", Sort::Int), Err(ValueError::OutOfRange(_))));
        assert!(matches!(read("#x0f", Sort::BitVec(4)), Err(ValueError::Unexpected { .. })));
        assert!(matches!(read("(_ bv16 4)", Sort::BitVec(4)), Err(ValueError::Unexpected { .. })));
        assert!(matches!(read("(_ bv1 8)", Sort::BitVec(4)), Err(ValueError::Unexpected { .. })));
        assert!(matches!(read("5", Sort::Bool), Err(ValueError::Unexpected { .. })));
        assert!(matches!(read("(+ 1 2)", Sort::Int), Err(ValueError::Unexpected { .. })));
        assert!(matches!(read(r#""\u{D800}""#, Sort::String), Err(ValueError::BadString(_))));
    }

    #[test]
    fn get_value_answers_are_split_into_values() {
        let lines: Vec<String> =
            ["((x!v0 (- 3))", " (|a b!v1| \"s\")"].iter().map(|s| s.to_string()).collect();
        let lines = [lines, vec![" (b!v2 #b1))".to_string()]].concat();
        let vals = answer_values(&lines, 3).unwrap();
        assert_eq!(parse_value(&vals[0], Sort::Int), Ok(Value::Int(-3)));
        assert_eq!(parse_value(&vals[2], Sort::BitVec(1)), Ok(Value::bv(1, 1)));
        assert!(answer_values(&lines, 2).is_err());
        assert!(answer_values(&["(error \"x\")".to_string()], 1).is_err());
    }
}
