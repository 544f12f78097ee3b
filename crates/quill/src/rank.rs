//! A learned ranker for the programs that fit the examples: a linear score over features of each
//! candidate (the model's likelihood, the program's shape, how it behaves on inputs varied from
//! the examples), fitted by `quill rank fit` on synthetic tasks whose held-out examples say which
//! candidates were right. The likelihood alone is a prior over programs; it does not know that a
//! constant offset which happens to fit two examples rarely fits a third, and this ranker learns
//! that from execution.

use quill_lang::{Func, Op, Term, Value};
use quill_search::Example;
use serde::{Deserialize, Serialize};

/// The features, in order, that [`features`] computes and a [`Ranker`] weighs. A ranker fitted on
/// other features is refused when loaded, so a stale file cannot silently mis-rank.
pub const FEATURES: [&str; 19] = [
    "loglik_rel",
    "loglik_per_node_rel",
    "size_rel",
    "int_literals",
    "unit_literals",
    "input_strings",
    "invented_strings",
    "ite",
    "str_len",
    "index_of",
    "arith",
    "ignores_inputs",
    "proposed",
    "unscored",
    "agreement",
    "fails_on_varied",
    "empty_on_varied",
    "unlike_outputs_on_varied",
    "misses_carried",
];

/// Indices into [`FEATURES`] of the features the solver's own order and `quill rank` read.
pub const LOGLIK_REL: usize = 0;
pub const SIZE_REL: usize = 2;
pub const IGNORES_INPUTS: usize = 11;
pub const MISSES_CARRIED: usize = 18;

/// Features of one candidate, aligned with [`FEATURES`].
pub type Features = [f64; FEATURES.len()];

/// What the ranker knows of a candidate besides its program.
#[derive(Clone, Copy, Debug)]
pub struct Facts {
    /// The guide's log-likelihood, or its estimate for a program it could not score.
    pub key: f64,
    /// Whether `key` is an estimate.
    pub unscored: bool,
    /// Whether it came from the guide's proposals.
    pub proposed: bool,
}

/// How far below the best candidate's likelihood a feature may go: an unscorable program's
/// `-inf` must not swamp the linear score.
const FLOOR: f64 = -50.0;

/// At most this many varied inputs are tried per task.
const MAX_VARIED: usize = 24;

/// Computes the features of every candidate of one pool (all fit `examples`). Likelihood and size
/// are relative to the pool's best, so a score compares candidates of one task only.
/// `carried` are the task's carried examples (see [`crate::transport::carried`]), computed once by
/// the caller, who also searches with them.
pub fn features(terms: &[Term], facts: &[Facts], examples: &[Example], carried: &[Example]) -> Vec<Features> {
    let finite = |k: f64| if k.is_finite() { k } else { f64::NEG_INFINITY };
    let best_key = facts.iter().map(|f| finite(f.key)).fold(f64::NEG_INFINITY, f64::max);
    let per_node: Vec<f64> = terms.iter().zip(facts).map(|(t, f)| finite(f.key) / t.size() as f64).collect();
    let best_per_node = per_node.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min_size = terms.iter().map(Term::size).min().unwrap_or(0);
    let rel =
        |x: f64, best: f64| if x.is_finite() && best.is_finite() { (x - best).max(FLOOR) } else { FLOOR };
    let inputs: Vec<String> = examples
        .iter()
        .flat_map(|e| &e.inputs)
        .filter_map(|v| match v {
            Value::Str(s) => Some(s.to_rust_string()),
            _ => None,
        })
        .collect();
    let any_empty_output =
        examples.iter().any(|e| matches!(&e.output, Value::Str(s) if s.to_rust_string().is_empty()));
    let mut varied = varied_inputs(examples);
    varied.truncate(MAX_VARIED);
    let outputs: Vec<Vec<Option<Value>>> =
        terms.iter().map(|t| varied.iter().map(|i| quill_eval::eval(t, i).ok()).collect()).collect();
    let weights = softmax(&facts.iter().map(|f| finite(f.key)).collect::<Vec<_>>());
    let profiles: Vec<Profile> = examples.iter().filter_map(|e| profile(&e.output)).collect();
    terms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut shape = Shape::default();
            shape.visit(t, &inputs);
            let (agree, fails, empty) = behaviour(i, &outputs, &weights, any_empty_output);
            let unlike = unlike_outputs(&outputs[i], &profiles);
            [
                rel(finite(facts[i].key), best_key),
                rel(per_node[i], best_per_node),
                (t.size() - min_size) as f64,
                shape.int_literals,
                shape.unit_literals,
                shape.input_strings,
                shape.invented_strings,
                shape.ite,
                shape.str_len,
                shape.index_of,
                shape.arith,
                f64::from(u8::from(quill_search::ignores_inputs(t, examples))),
                f64::from(u8::from(facts[i].proposed)),
                f64::from(u8::from(facts[i].unscored)),
                agree,
                fails,
                empty,
                unlike,
                misses(t, carried),
            ]
        })
        .collect()
}

/// Counts of the constructs in a program that tell a general program from a memorizing one.
#[derive(Default)]
struct Shape {
    int_literals: f64,
    unit_literals: f64,
    input_strings: f64,
    invented_strings: f64,
    ite: f64,
    str_len: f64,
    index_of: f64,
    arith: f64,
}

impl Shape {
    fn visit(&mut self, t: &Term, inputs: &[String]) {
        match t {
            Term::Lit(Value::Int(n)) => {
                if *n == 0 || *n == 1 {
                    self.unit_literals += 1.0;
                } else {
                    self.int_literals += 1.0;
                }
            }
            Term::Lit(Value::Str(s)) => {
                let s = s.to_rust_string();
                if s.is_empty() {
                } else if inputs.iter().any(|i| i.contains(&s)) {
                    self.input_strings += 1.0;
                } else {
                    self.invented_strings += 1.0;
                }
            }
            Term::App(f, args) => {
                match f {
                    Func::Builtin(Op::Ite) => self.ite += 1.0,
                    Func::Builtin(Op::StrLen) => self.str_len += 1.0,
                    Func::Builtin(Op::StrIndexOf) => self.index_of += 1.0,
                    Func::Defined(d) if d.name.contains("indexof") => self.index_of += 1.0,
                    Func::Builtin(Op::Add | Op::Sub) => self.arith += 1.0,
                    _ => {}
                }
                for a in args {
                    self.visit(a, inputs);
                }
            }
            _ => {}
        }
    }
}

/// For candidate `i`: the likelihood-weighted share of the other candidates giving its output on
/// a varied input, the share of varied inputs on which it fails, and the share on which it gives
/// the empty string (counted only when no example's output is empty); each averaged over inputs.
fn behaviour(i: usize, outputs: &[Vec<Option<Value>>], weights: &[f64], empty_ok: bool) -> (f64, f64, f64) {
    let n = outputs[i].len();
    if n == 0 {
        return (0.0, 0.0, 0.0);
    }
    let (mut agree, mut fails, mut empty) = (0.0, 0.0, 0.0);
    for v in 0..n {
        match &outputs[i][v] {
            None => fails += 1.0,
            Some(out) => {
                if !empty_ok && matches!(out, Value::Str(s) if s.to_rust_string().is_empty()) {
                    empty += 1.0;
                }
                agree += outputs
                    .iter()
                    .enumerate()
                    .filter(|(j, o)| *j != i && o[v].as_ref() == Some(out))
                    .map(|(j, _)| weights[j])
                    .sum::<f64>();
            }
        }
    }
    let n = n as f64;
    (agree / n, fails / n, empty / n)
}

/// The share of the carried examples (see [`crate::transport`]) that `t` does not map to their
/// carried output; 0 when there are none.
fn misses(t: &Term, carried: &[Example]) -> f64 {
    if carried.is_empty() {
        return 0.0;
    }
    let missed =
        carried.iter().filter(|e| quill_eval::eval(t, &e.inputs).ok().as_ref() != Some(&e.output)).count();
    missed as f64 / carried.len() as f64
}

/// The outline of a string output: the kind of its first and last character, whether it has a
/// space, and which punctuation it uses. A general program's output on a new input usually looks
/// like its outputs on the examples (a word stays a word); a memorizing one's (the last five
/// characters of a longer name) often does not.
type Profile = (u32, u32, bool, Vec<char>);

fn profile(v: &Value) -> Option<Profile> {
    let Value::Str(s) = v else { return None };
    let s = s.to_rust_string();
    let kind = |c: Option<char>| match c {
        None => 0,
        Some(c) if c.is_uppercase() => 1,
        Some(c) if c.is_lowercase() => 2,
        Some(c) if c.is_numeric() => 3,
        Some(c) if c.is_whitespace() => 4,
        Some(c) => 5 + c as u32,
    };
    let mut punct: Vec<char> = s.chars().filter(|c| !c.is_alphanumeric() && !c.is_whitespace()).collect();
    punct.sort_unstable();
    punct.dedup();
    Some((kind(s.chars().next()), kind(s.chars().last()), s.contains(' '), punct))
}

/// The share of varied inputs on which a candidate's output has an outline no example output has.
fn unlike_outputs(outputs: &[Option<Value>], examples: &[Profile]) -> f64 {
    if outputs.is_empty() || examples.is_empty() {
        return 0.0;
    }
    let unlike = outputs
        .iter()
        .filter(|o| o.as_ref().and_then(profile).is_some_and(|p| !examples.contains(&p)))
        .count();
    unlike as f64 / outputs.len() as f64
}

fn softmax(keys: &[f64]) -> Vec<f64> {
    let max = keys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return vec![1.0 / keys.len().max(1) as f64; keys.len()];
    }
    let e: Vec<f64> = keys.iter().map(|k| (k - max).exp()).collect();
    let z: f64 = e.iter().sum();
    e.into_iter().map(|x| x / z).collect()
}

/// Inputs varied from the examples' own, one argument at a time (see [`variants`]), each once and
/// none equal to an example's.
pub(crate) fn varied_inputs(examples: &[Example]) -> Vec<Vec<Value>> {
    let mut out = Vec::new();
    for e in examples {
        for (i, v) in e.inputs.iter().enumerate() {
            for w in variants(v) {
                let mut inputs = e.inputs.clone();
                inputs[i] = w;
                if !examples.iter().any(|x| x.inputs == inputs) && !out.contains(&inputs) {
                    out.push(inputs);
                }
            }
        }
    }
    out
}

/// Inputs a user might plausibly give next, made from one they gave: other lengths, other cases,
/// words swapped, neighbouring numbers.
fn variants(v: &Value) -> Vec<Value> {
    match v {
        Value::Str(s) => {
            let s = s.to_rust_string();
            let mut out = vec![
                format!("{s} Xy"),
                format!("Ab {s}"),
                s.to_uppercase(),
                s.to_lowercase(),
                s.chars().skip(1).collect(),
                format!("{s}{s}"),
            ];
            let words: Vec<&str> = s.split(' ').collect();
            if words.len() > 1 {
                out.push(words.iter().rev().copied().collect::<Vec<_>>().join(" "));
            }
            out.into_iter().filter(|w| *w != s).map(|w| Value::str(&w)).collect()
        }
        Value::Int(n) => [n.wrapping_add(1), n.wrapping_sub(1), n.wrapping_mul(2), n.wrapping_neg(), 0]
            .into_iter()
            .filter(|m| m != n)
            .map(Value::Int)
            .collect(),
        Value::Bool(b) => vec![Value::Bool(!b)],
        Value::BitVec { width, bits } => [bits.wrapping_add(1), bits.wrapping_sub(1), !bits, 0]
            .into_iter()
            .map(|x| Value::bv(*width, x))
            .filter(|w| w != v)
            .collect(),
    }
}

/// A fitted linear ranker: the candidate with the highest `weights · features` comes first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ranker {
    /// The feature names it was fitted on; must equal [`FEATURES`].
    pub features: Vec<String>,
    pub weights: Vec<f64>,
    /// How it was made (the command line and what it measured), for people reading the file.
    #[serde(default)]
    pub note: String,
}

/// Why a ranker file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RankerError {
    #[error("not a ranker file: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the ranker was fitted on features [{found}], this build computes [{expected}]; fit it again with `quill rank fit`")]
    Features { found: String, expected: String },
    #[error("the ranker has {weights} weights for {features} features")]
    Length { weights: usize, features: usize },
}

impl Ranker {
    /// Reads a ranker from its JSON text, refusing one fitted on other features.
    pub fn from_json(text: &str) -> Result<Ranker, RankerError> {
        let r: Ranker = serde_json::from_str(text)?;
        if r.features.iter().map(String::as_str).ne(FEATURES.iter().copied()) {
            return Err(RankerError::Features {
                found: r.features.join(", "),
                expected: FEATURES.join(", "),
            });
        }
        if r.weights.len() != r.features.len() {
            return Err(RankerError::Length { weights: r.weights.len(), features: r.features.len() });
        }
        Ok(r)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The linear score of one candidate.
    pub fn score(&self, f: &Features) -> f64 {
        self.weights.iter().zip(f).map(|(w, x)| w * x).sum()
    }
}

/// One task's pool for fitting: each candidate's features and whether it was right on the task's
/// held-out examples.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Group {
    pub features: Vec<Features>,
    pub correct: Vec<bool>,
}

impl Group {
    /// Whether the group can teach anything: some candidate right and some wrong.
    pub fn informative(&self) -> bool {
        self.correct.iter().any(|&c| c) && self.correct.iter().any(|&c| !c)
    }
}

/// Fits a ranker by maximizing, over the informative groups, the log of the softmax probability
/// mass on the right candidates (a listwise objective: it rewards putting any right program
/// first), with an L2 penalty `l2`. Features are standardized while fitting and the weights
/// mapped back, so that one learning rate suits them all.
pub fn fit(groups: &[Group], l2: f64, iterations: usize) -> Vec<f64> {
    let n = FEATURES.len();
    let rows: Vec<&Features> = groups.iter().filter(|g| g.informative()).flat_map(|g| &g.features).collect();
    if rows.is_empty() {
        return vec![0.0; n];
    }
    let count = rows.len() as f64;
    let mean: Vec<f64> = (0..n).map(|k| rows.iter().map(|r| r[k]).sum::<f64>() / count).collect();
    let std: Vec<f64> = (0..n)
        .map(|k| {
            let v = rows.iter().map(|r| (r[k] - mean[k]).powi(2)).sum::<f64>() / count;
            if v > 1e-12 {
                v.sqrt()
            } else {
                1.0
            }
        })
        .collect();
    let data: Vec<(Vec<Vec<f64>>, &[bool])> = groups
        .iter()
        .filter(|g| g.informative())
        .map(|g| {
            let z = g.features.iter().map(|f| (0..n).map(|k| (f[k] - mean[k]) / std[k]).collect()).collect();
            (z, g.correct.as_slice())
        })
        .collect();
    // Adam on the full batch: a few thousand steps over a few thousand pools take seconds.
    let (mut w, mut m, mut v) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let (lr, b1, b2) = (0.05, 0.9, 0.999);
    for step in 1..=iterations {
        let mut grad = vec![0.0; n];
        for (z, correct) in &data {
            let s: Vec<f64> = z.iter().map(|x| dot(&w, x)).collect();
            let p = softmax(&s);
            let mass: f64 = p.iter().zip(correct.iter()).filter(|(_, &c)| c).map(|(p, _)| p).sum();
            // d(-log mass)/ds_i = p_i - [i right] p_i / mass.
            for (i, x) in z.iter().enumerate() {
                let q = if correct[i] { p[i] / mass.max(1e-300) } else { 0.0 };
                let d = p[i] - q;
                for k in 0..n {
                    grad[k] += d * x[k];
                }
            }
        }
        for k in 0..n {
            let g = grad[k] / data.len() as f64 + l2 * w[k];
            m[k] = b1 * m[k] + (1.0 - b1) * g;
            v[k] = b2 * v[k] + (1.0 - b2) * g * g;
            let mh = m[k] / (1.0 - b1.powi(step as i32));
            let vh = v[k] / (1.0 - b2.powi(step as i32));
            w[k] -= lr * mh / (vh.sqrt() + 1e-8);
        }
    }
    (0..n).map(|k| w[k] / std[k]).collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Whether ranking `group` by `score` puts a right candidate first (ties broken by pool order, as
/// the stable sort of the solver does).
pub fn top1(group: &Group, score: impl Fn(usize, &Features) -> f64) -> bool {
    let mut best: Option<(usize, f64)> = None;
    for (i, f) in group.features.iter().enumerate() {
        let s = score(i, f);
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    best.is_some_and(|(i, _)| group.correct[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Term {
        Term::Lit(Value::str(s))
    }

    #[test]
    fn shape_counts_literals_and_positions() {
        let x = Term::Var(quill_lang::Var { index: 0, name: "x".into(), sort: quill_lang::Sort::String });
        let idx = Term::app(Op::StrIndexOf, vec![x.clone(), lit(" "), Term::Lit(Value::Int(0))]);
        let t = Term::app(Op::StrSubstr, vec![x.clone(), idx, Term::Lit(Value::Int(5))]);
        let mut s = Shape::default();
        s.visit(&t, &["a b".to_string()]);
        assert_eq!((s.int_literals, s.unit_literals, s.input_strings, s.index_of), (1.0, 1.0, 1.0, 1.0));
        let mut s = Shape::default();
        s.visit(&lit("zz"), &["a b".to_string()]);
        assert_eq!(s.invented_strings, 1.0);
    }

    #[test]
    fn fitting_learns_to_prefer_the_feature_that_marks_right_answers() {
        // In every pool the right candidate has fewer integer literals but a lower likelihood:
        // the fitted ranker must learn to trust the literals over the likelihood.
        let mk = |ll: f64, ints: f64| {
            let mut f = [0.0; FEATURES.len()];
            f[0] = ll;
            f[3] = ints;
            f
        };
        let groups: Vec<Group> = (0..40)
            .map(|i| {
                let d = (i % 5) as f64 * 0.2;
                Group {
                    features: vec![mk(-1.0 - d, 0.0), mk(0.0, 2.0), mk(-3.0, 3.0)],
                    correct: vec![true, false, false],
                }
            })
            .collect();
        let w = fit(&groups, 1e-3, 300);
        assert!(groups.iter().all(|g| top1(g, |_, f| dot(&w, f))));
        // The likelihood alone gets every pool wrong.
        assert!(!groups.iter().any(|g| top1(g, |_, f| f[0])));
    }

    #[test]
    fn a_ranker_for_other_features_is_refused() {
        let r = Ranker { features: vec!["x".into()], weights: vec![1.0], note: String::new() };
        assert!(matches!(Ranker::from_json(&r.to_json()), Err(RankerError::Features { .. })));
        let ok = Ranker {
            features: FEATURES.iter().map(|s| s.to_string()).collect(),
            weights: vec![0.5; FEATURES.len()],
            note: "test".into(),
        };
        assert_eq!(Ranker::from_json(&ok.to_json()).unwrap(), ok);
        assert!(matches!(Ranker::from_json("{"), Err(RankerError::Json(_))));
    }

    #[test]
    fn agreement_weighs_the_candidates_that_behave_alike() {
        let outputs = vec![
            vec![Some(Value::Int(1)), Some(Value::Int(2))],
            vec![Some(Value::Int(1)), None],
            vec![Some(Value::Int(3)), Some(Value::Int(2))],
        ];
        let (agree, fails, _) = behaviour(0, &outputs, &[0.5, 0.25, 0.25], true);
        assert!((agree - 0.25).abs() < 1e-12 && fails == 0.0);
        let (_, fails, _) = behaviour(1, &outputs, &[0.5, 0.25, 0.25], true);
        assert_eq!(fails, 0.5);
    }

    #[test]
    fn an_output_that_stops_looking_like_the_examples_is_counted() {
        let examples: Vec<Profile> = [profile(&Value::str("Jones")).unwrap()].to_vec();
        // The last word of a longer name is still a capitalized word; its last five characters
        // are not.
        let word = [Some(Value::str("Xavier")), Some(Value::str("Ng"))];
        let tail = [Some(Value::str("es Xy")), Some(Value::str("Ng"))];
        assert_eq!(unlike_outputs(&word, &examples), 0.0);
        assert_eq!(unlike_outputs(&tail, &examples), 0.5);
    }
}
