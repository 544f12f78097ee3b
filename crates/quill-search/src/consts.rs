//! Literal pools for `(Constant S)` productions.
//!
//! A grammar that allows any constant leaves the choice to the synthesizer. Quill offers the small
//! constants programs usually need plus those suggested by the examples themselves, which is the
//! usual practice of enumerative solvers.

use quill_lang::value::bv_mask;
use quill_lang::{Sort, Str, Value};

const MAX_POOL: usize = 24;

/// The literal pool of a sort: small constants, then values from `hints` (the examples' or the
/// specification's values); `constant_output` is the output every example shares, if any.
pub fn pool(sort: Sort, hints: &[Value], constant_output: Option<&Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut push = |v: Value| {
        if !out.contains(&v) && out.len() < MAX_POOL {
            out.push(v);
        }
    };
    let values = || hints.iter();
    match sort {
        Sort::Bool => {
            push(Value::Bool(true));
            push(Value::Bool(false));
        }
        Sort::Int => {
            for i in [0, 1, 2, 3, -1] {
                push(Value::Int(i));
            }
            for v in values() {
                if let Value::Int(i) = v {
                    push(Value::Int(*i));
                }
            }
        }
        Sort::String => {
            push(Value::str(""));
            push(Value::str(" "));
            // Delimiters that occur in the examples are the constants string programs need most.
            let mut chars: Vec<char> = values()
                .filter_map(Value::as_str)
                .flat_map(|s| s.chars().iter().copied())
                .filter(|c| !c.is_alphanumeric())
                .collect();
            chars.sort_unstable();
            chars.dedup();
            for c in chars {
                push(Value::Str(Str::from(vec![c])));
            }
            // A constant output is itself a candidate constant.
            if let Some(c) = constant_output {
                push(c.clone());
            }
        }
        Sort::BitVec(w) => {
            for b in [0, 1, 2, bv_mask(w), 1u64 << (w - 1)] {
                push(Value::bv(w, b));
            }
        }
    }
    out
}
