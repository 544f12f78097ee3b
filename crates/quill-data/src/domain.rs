//! Input domains: which generator feeds each parameter of a task, what the parameters are called,
//! and the fixed probe inputs that define a program's behaviour on a domain.

use crate::inputs::{Gen, STRING_GENS};
use crate::rng::{fnv64, Rng, FNV_BASIS};
use quill_lang::{Sort, Value};

/// The parameters of a task: a generator and a name each.
#[derive(Clone, Debug, PartialEq)]
pub struct Domain {
    pub gens: Vec<Gen>,
    pub names: Vec<String>,
}

/// How many probe inputs define a behaviour.
pub const PROBES: usize = 24;

/// The seed of every probe set. It is a constant, not the master seed, so that behaviour keys are
/// comparable across data sets generated with different seeds.
const PROBE_SEED: u64 = 0x5eed_0f9b_0be5;

/// Pairs of generators that real tasks combine (two columns of one spreadsheet row).
const PAIRS: &[(Gen, Gen)] = &[
    (Gen::FirstName, Gen::LastName),
    (Gen::LastName, Gen::FirstName),
    (Gen::Place, Gen::Place),
    (Gen::Words, Gen::Word),
    (Gen::Name, Gen::Company),
    (Gen::Address, Gen::Place),
    (Gen::Code, Gen::Price),
    (Gen::Date, Gen::Time),
    (Gen::Words, Gen::Words),
    (Gen::Name, Gen::Email),
    (Gen::Word, Gen::Word),
];

impl Domain {
    /// The domain's identity for deduplication: its generators, not its parameter names (renaming a
    /// parameter does not change what a program does).
    pub fn key(&self) -> String {
        self.gens.iter().map(|g| g.name()).collect::<Vec<_>>().join(",")
    }

    pub fn sorts(&self) -> Vec<Sort> {
        self.gens.iter().map(|g| g.sort()).collect()
    }

    /// The fixed probe inputs of this domain: every style of every generator appears, drawn from a
    /// stream that depends only on the domain.
    pub fn probes(&self) -> Vec<Vec<Value>> {
        let mut rng = Rng::for_stream(PROBE_SEED, fnv64(self.key().as_bytes(), FNV_BASIS));
        (0..PROBES)
            .map(|i| {
                self.gens
                    .iter()
                    .map(|g| {
                        let style = i + rng.below(3);
                        g.value(&mut rng, style)
                    })
                    .collect()
            })
            .collect()
    }

    /// `n` distinct example inputs. Each parameter keeps one style, except in a mixed task (one in
    /// five), where every example draws its own.
    pub fn examples(&self, rng: &mut Rng, n: usize) -> Vec<Vec<Value>> {
        let styles: Vec<usize> = self.gens.iter().map(|g| rng.below(g.styles())).collect();
        let mixed = rng.chance(1, 5);
        let mut out: Vec<Vec<Value>> = Vec::with_capacity(n);
        // Some generators have few distinct values (a state name); bounded retries keep this finite.
        for _ in 0..n * 8 {
            if out.len() == n {
                break;
            }
            let row: Vec<Value> = self
                .gens
                .iter()
                .zip(&styles)
                .map(|(g, s)| {
                    let style = if mixed { rng.below(g.styles()) } else { *s };
                    g.value(rng, style)
                })
                .collect();
            if !out.contains(&row) {
                out.push(row);
            }
        }
        out
    }
}

/// A random domain of string tasks: one to three string parameters, sometimes an integer one.
pub fn sample_strings(rng: &mut Rng) -> Domain {
    let mut gens = match rng.weighted(&[60, 28, 12]) {
        0 => vec![*rng.pick(STRING_GENS)],
        1 if rng.chance(1, 2) => {
            let (a, b) = *rng.pick(PAIRS);
            vec![a, b]
        }
        1 => vec![*rng.pick(STRING_GENS), *rng.pick(STRING_GENS)],
        _ => (0..3).map(|_| *rng.pick(STRING_GENS)).collect(),
    };
    if rng.chance(3, 20) {
        gens.push(Gen::Int);
    }
    let names = param_names(rng, &gens);
    Domain { gens, names }
}

/// The bit-vector domain: one 64-bit parameter `x`, as in the PBE bit-vector track.
pub fn bv() -> Domain {
    Domain { gens: vec![Gen::Bv64], names: vec!["x".into()] }
}

/// Parameter names in one of the schemes real benchmarks use: `_arg_0 ..` (converted spreadsheet
/// tasks), names after the content (`firstname`, `email`), or generic ones (`name`, `col1 ..`).
fn param_names(rng: &mut Rng, gens: &[Gen]) -> Vec<String> {
    let strings = gens.iter().filter(|g| g.sort() == Sort::String).count();
    let scheme = rng.weighted(&[40, 30, 30]);
    let mut names: Vec<String> = Vec::new();
    let mut col = 0;
    for (i, g) in gens.iter().enumerate() {
        let base = match (scheme, g) {
            (0, _) => format!("_arg_{i}"),
            (1, Gen::Int) | (2, Gen::Int) => "n".to_string(),
            (1, g) => g.name().to_string(),
            (_, _) if strings == 1 => ["name", "s", "str", "input"][rng.below(4)].to_string(),
            _ => {
                col += 1;
                format!("col{col}")
            }
        };
        let mut name = base.clone();
        let mut k = 2;
        while names.contains(&name) {
            name = format!("{base}{k}");
            k += 1;
        }
        names.push(name);
    }
    names
}
