//! Running a sampled program on its examples and the domain's probes, and deciding whether it is
//! worth keeping: it must run everywhere, do something non-trivial, and contain no part that a
//! smaller term does just as well.

use crate::rng::{fnv64, FNV_BASIS};
use quill_eval::EvalError;
use quill_lang::{Func, Sort, Term, Value};
use std::hash::{Hash, Hasher};

/// Why a sampled program was not kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reject {
    /// Larger than the configured maximum size.
    TooLarge,
    /// Some evaluation failed (on an example or a probe).
    Error,
    /// The same output on every example.
    ConstantOutput,
    /// The empty string on every example.
    EmptyOutput,
    /// Equal to one parameter on every example.
    Identity,
    /// A subterm is constant, or equals one of its arguments or a parameter, on every example and
    /// probe: a smaller program behaves the same.
    Redundant,
    /// Another kept task of the domain behaves the same on the probes.
    Duplicate,
}

impl Reject {
    pub fn name(self) -> &'static str {
        match self {
            Reject::TooLarge => "too_large",
            Reject::Error => "error",
            Reject::ConstantOutput => "constant_output",
            Reject::EmptyOutput => "empty_output",
            Reject::Identity => "identity",
            Reject::Redundant => "redundant",
            Reject::Duplicate => "duplicate",
        }
    }
}

/// A program that passed: its outputs and trace on the examples and its behaviour key.
#[derive(Clone, Debug)]
pub struct Checked {
    pub outputs: Vec<Value>,
    /// Every proper subterm that is an application, in prefix order, with its values on the examples.
    pub trace: Vec<(String, Vec<Value>)>,
    pub key: u128,
}

/// A term laid out in prefix order, each node with the positions of its arguments. Arguments
/// come after their parent, so evaluating from the last node to the first sees arguments first.
pub struct Flat<'t> {
    pub nodes: Vec<&'t Term>,
    pub children: Vec<Vec<usize>>,
    /// The subtree of node `n` is `n..ends[n]` (prefix order keeps it contiguous).
    pub ends: Vec<usize>,
}

impl<'t> Flat<'t> {
    pub fn new(t: &'t Term) -> Flat<'t> {
        let mut flat = Flat { nodes: Vec::new(), children: Vec::new(), ends: Vec::new() };
        flat.push(t);
        flat
    }

    fn push(&mut self, t: &'t Term) -> usize {
        let at = self.nodes.len();
        self.nodes.push(t);
        self.children.push(Vec::new());
        self.ends.push(at + 1);
        if let Term::App(_, args) = t {
            let kids: Vec<usize> = args.iter().map(|a| self.push(a)).collect();
            self.children[at] = kids;
        }
        self.ends[at] = self.nodes.len();
        at
    }

    /// The value of every node on one input. Both branches of a conditional are evaluated, so
    /// every subterm has a value (the string and bit-vector operators used here are total, except
    /// for results too large to represent, which fail the whole program).
    pub fn eval(&self, env: &[Value]) -> Result<Vec<Value>, EvalError> {
        let mut vals: Vec<Option<Value>> = vec![None; self.nodes.len()];
        for n in (0..self.nodes.len()).rev() {
            let v = match self.nodes[n] {
                Term::App(func, _) => {
                    // Values share their string storage, so these clones are cheap.
                    let args: Vec<Value> = self.children[n]
                        .iter()
                        .map(|c| vals[*c].clone().unwrap_or(Value::Bool(false)))
                        .collect();
                    match func {
                        Func::Builtin(op) => quill_eval::apply(*op, &args),
                        Func::Defined(def) => quill_eval::eval(&def.body, &args),
                        Func::Synth { .. } => {
                            Err(EvalError::IllFormed("call of a function under synthesis".into()))
                        }
                    }?
                }
                t => quill_eval::eval(t, env)?,
            };
            vals[n] = Some(v);
        }
        Ok(vals.into_iter().map(|v| v.unwrap_or(Value::Bool(false))).collect())
    }
}

/// Checks a program on the examples and the domain's probes.
pub fn check(
    term: &Term,
    domain_key: &str,
    ret: Sort,
    examples: &[Vec<Value>],
    probes: &[Vec<Value>],
) -> Result<Checked, Reject> {
    let flat = Flat::new(term);
    // cols[input][node]: examples first, then probes.
    let cols: Vec<Vec<Value>> = examples
        .iter()
        .chain(probes)
        .map(|env| flat.eval(env))
        .collect::<Result<_, _>>()
        .map_err(|_| Reject::Error)?;
    let ne = examples.len();
    let outputs: Vec<Value> = cols[..ne].iter().map(|c| c[0].clone()).collect();
    // Empty everywhere is also constant; it is counted apart because it is the commonest way a
    // string program fails to apply to its inputs.
    if outputs.iter().all(|o| o.as_str().is_some_and(|s| s.is_empty())) {
        return Err(Reject::EmptyOutput);
    }
    if outputs.windows(2).all(|w| w[0] == w[1]) {
        return Err(Reject::ConstantOutput);
    }
    let params = examples.first().map_or(0, Vec::len);
    if (0..params).any(|p| examples.iter().zip(&outputs).all(|(env, o)| env[p] == *o)) {
        return Err(Reject::Identity);
    }
    if redundant(&flat, &cols, examples, probes) {
        return Err(Reject::Redundant);
    }
    let trace = (1..flat.nodes.len())
        .filter(|n| matches!(flat.nodes[*n], Term::App(..)))
        .map(|n| (flat.nodes[n].to_string(), cols[..ne].iter().map(|c| c[n].clone()).collect()))
        .collect();
    let probe_out: Vec<String> = cols[ne..].iter().map(|c| c[0].to_string()).collect();
    Ok(Checked { outputs, trace, key: behaviour_key(domain_key, ret, &probe_out) })
}

/// Whether some application in the program is constant, equal to a term inside it, or equal to a
/// parameter on every input: then a smaller program does the same.
fn redundant(flat: &Flat, cols: &[Vec<Value>], examples: &[Vec<Value>], probes: &[Vec<Value>]) -> bool {
    let inputs: Vec<&Vec<Value>> = examples.iter().chain(probes).collect();
    // A hash of each node's values over all inputs, so that most comparisons are one integer
    // comparison; equal hashes are confirmed value by value.
    let hashes: Vec<u64> = (0..flat.nodes.len())
        .map(|n| {
            let mut h = std::hash::DefaultHasher::new();
            cols.iter().for_each(|c| c[n].hash(&mut h));
            h.finish()
        })
        .collect();
    let same = |a: usize, b: usize| hashes[a] == hashes[b] && cols.iter().all(|c| c[a] == c[b]);
    (0..flat.nodes.len()).filter(|n| matches!(flat.nodes[*n], Term::App(..))).any(|n| {
        let constant = cols.iter().all(|c| c[n] == cols[0][n]);
        let like_inner = (n + 1..flat.ends[n]).any(|k| same(n, k));
        let like_param =
            (0..inputs[0].len()).any(|p| cols.iter().zip(&inputs).all(|(c, env)| c[n] == env[p]));
        constant || like_inner || like_param
    })
}

/// The behaviour key: the domain, the result sort and the outputs on the domain's probes, hashed
/// to 128 bits (two independent FNV-1a hashes).
pub fn behaviour_key(domain_key: &str, ret: Sort, probe_outputs: &[String]) -> u128 {
    let mut text = format!("{domain_key}|{ret}");
    for o in probe_outputs {
        text.push('\u{0}');
        text.push_str(o);
    }
    let lo = fnv64(text.as_bytes(), FNV_BASIS);
    let hi = fnv64(text.as_bytes(), FNV_BASIS ^ 0x5555_5555_5555_5555);
    ((hi as u128) << 64) | lo as u128
}

#[cfg(test)]
mod tests {
    use super::*;
    use quill_lang::resolve::{var, Scope};
    use quill_lang::sexpr::read_one;

    fn term(text: &str) -> Term {
        let mut scope = Scope::default();
        scope.vars.push(("s".into(), var(0, "s", Sort::String)));
        scope.term(&read_one(text).unwrap()).unwrap()
    }

    fn inputs(xs: &[&str]) -> Vec<Vec<Value>> {
        xs.iter().map(|x| vec![Value::str(x)]).collect()
    }

    #[test]
    fn each_rule_rejects_what_it_names_and_passes_the_rest() {
        let examples = inputs(&["Ada Lovelace", "Alan Turing", "Grace Hopper"]);
        let probes = inputs(&["Linus Torvalds", "a b", "", "x"]);
        let cases: &[(&str, Result<(), Reject>)] = &[
            ("(str.at s 0)", Ok(())),
            ("(str.substr s 0 (str.indexof s \" \" 0))", Ok(())),
            ("(str.++ (str.at s 0) \".\")", Ok(())),
            ("(str.len \"ab\")", Err(Reject::ConstantOutput)),
            ("(str.replace s \" \" \" \")", Err(Reject::Identity)),
            ("(str.substr s 20 3)", Err(Reject::EmptyOutput)),
            // Inner terms that a smaller term matches everywhere.
            ("(str.++ (str.at s 0) (str.replace \".\" \"@\" \"x\"))", Err(Reject::Redundant)),
            ("(str.at (str.++ s \"\") 0)", Err(Reject::Redundant)),
            ("(str.at (str.substr s 0 (str.len s)) 1)", Err(Reject::Redundant)),
            ("(ite (str.contains s \"#\") \"x\" (str.at s 0))", Err(Reject::Redundant)),
            // Constant on the examples but not on the probes: kept.
            ("(str.++ (str.at s 0) (str.from_int (str.indexof s \"a\" 0)))", Ok(())),
        ];
        for (text, want) in cases {
            let t = term(text);
            let got = check(&t, "name", t.sort(), &examples, &probes).map(|_| ());
            assert_eq!(&got, want, "{text}");
        }
    }

    #[test]
    fn the_trace_lists_proper_applications_in_prefix_order() {
        let t = term("(str.++ (str.at s 0) (str.++ \".\" (str.at s 1)))");
        let c = check(&t, "name", Sort::String, &inputs(&["Ada", "Bob"]), &inputs(&["Cy"])).unwrap();
        let rows: Vec<(String, Vec<String>)> =
            c.trace.iter().map(|(t, v)| (t.clone(), v.iter().map(|v| v.to_string()).collect())).collect();
        let want = [
            ("(str.at s 0)", ["\"A\"", "\"B\""]),
            ("(str.++ \".\" (str.at s 1))", ["\".d\"", "\".o\""]),
            ("(str.at s 1)", ["\"d\"", "\"o\""]),
        ];
        let want: Vec<(String, Vec<String>)> =
            want.iter().map(|(t, v)| (t.to_string(), v.iter().map(|x| x.to_string()).collect())).collect();
        assert_eq!(rows, want);
        assert_eq!(c.outputs, vec![Value::str("A.d"), Value::str("B.o")]);
    }
}
