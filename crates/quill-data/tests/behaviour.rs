//! Deduplication by behaviour, and the spread of operators in string programs.

mod common;

use common::config;
use quill_data::{behaviour_key, generate, probe_inputs, term_ops, DomainKind};
use std::collections::{BTreeMap, HashMap};

#[test]
fn no_two_tasks_of_a_domain_behave_alike_on_the_probes() {
    for domain in [DomainKind::Strings, DomainKind::Bv] {
        let (tasks, stats) = generate(&config(400, 11, domain));
        let mut seen: HashMap<u128, String> = HashMap::new();
        for t in &tasks {
            // Recompute the key from scratch: parse, evaluate on the domain's probes.
            let term = t.parse_program().unwrap();
            let probes = probe_inputs(&t.gens).expect("known generators");
            let outs: Vec<String> =
                probes.iter().map(|env| quill_eval::eval(&term, env).unwrap().to_string()).collect();
            let key = behaviour_key(&t.gens.join(","), t.ret_sort().unwrap(), &outs);
            if let Some(prev) = seen.insert(key, t.id.clone()) {
                panic!("{} and {prev} behave alike: {}", t.id, t.program);
            }
        }
        // Duplicates were met and dropped (so the check above is not vacuous).
        assert!(stats.rejected.get("duplicate").copied().unwrap_or(0) > 0, "{domain:?}: {stats:?}");
    }
}

#[test]
fn string_programs_use_a_spread_of_operators() {
    let (tasks, stats) = generate(&config(500, 5, DomainKind::Strings));
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    for t in &tasks {
        for op in term_ops(&t.parse_program().unwrap()) {
            *uses.entry(op).or_default() += 1;
        }
    }
    assert_eq!(uses.iter().map(|(k, v)| (k.clone(), *v as u64)).collect::<BTreeMap<_, _>>(), stats.ops);
    // Every operator of the PBE strings grammar appears in at least 1% of the programs, and none
    // dominates: the most common (str.++) stays below 80%.
    let grammar = [
        "str.++",
        "str.replace",
        "str.at",
        "str.from_int",
        "ite",
        "str.substr",
        "+",
        "-",
        "str.len",
        "str.to_int",
        "str.indexof",
        "=",
        "str.prefixof",
        "str.suffixof",
        "str.contains",
        "str.replace_all",
        "str.to_upper",
        "str.to_lower",
        "last_indexof",
    ];
    for op in grammar {
        let n = uses.get(op).copied().unwrap_or(0);
        assert!(n * 100 >= tasks.len(), "{op} in only {n} of {} programs: {uses:?}", tasks.len());
    }
    // Beyond the grammar's operators, only Quill's number and date helpers appear (where the inputs
    // hold numbers or dates to format), and the number helpers in at least 1% of the programs.
    let helper = |op: &str| quill_lang::grammar::offerable_helper(op).is_some();
    assert!(uses.keys().all(|op| grammar.contains(&op.as_str()) || helper(op)), "{uses:?}");
    let numbers: u64 =
        quill_lang::numbers::OFFERED.iter().map(|op| uses.get(*op).copied().unwrap_or(0) as u64).sum();
    assert!(numbers * 100 >= tasks.len() as u64, "number helpers in only {numbers} programs: {uses:?}");
    assert!(uses.values().all(|n| n * 10 < tasks.len() * 8), "{uses:?}");
    // Programs are not all tiny: a good share is of the size of real solutions (median ~15).
    let large = tasks.iter().filter(|t| t.size >= 10).count();
    assert!(large * 3 >= tasks.len(), "only {large} of {} programs have 10 nodes or more", tasks.len());
}
