//! Grammars in the SyGuS sense: typed non-terminals and their productions.

use crate::op::Op;
use crate::sort::Sort;
use crate::term::{FunDef, Func, Symbol, Term, Var};
use crate::value::Value;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// Index of a non-terminal in [`Grammar::nonterminals`].
pub type NtId = usize;

/// A grammar. Non-terminal 0 is the start symbol; its sort is the sort of every program it derives.
#[derive(Clone, Debug, PartialEq)]
pub struct Grammar {
    pub nonterminals: Vec<NonTerminal>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NonTerminal {
    pub name: Symbol,
    pub sort: Sort,
    pub productions: Vec<Production>,
}

/// One production `N -> ...`. Its arguments are non-terminals, filled left to right.
#[derive(Clone, Debug, PartialEq)]
pub struct Production {
    pub kind: ProdKind,
    pub args: Vec<NtId>,
}

/// The shape of a production.
#[derive(Clone, Debug, PartialEq)]
pub enum ProdKind {
    /// A closed term: a literal, a variable, or any term without non-terminals. No arguments.
    Leaf(Term),
    /// `(f N1 .. Nk)`: a function applied directly to the arguments.
    Apply(Func),
    /// Any other term with non-terminals inside; `Term::Hole(i)` marks where argument `i` goes.
    Template(Term),
    /// `N -> M`: the single argument itself.
    Chain,
    /// `(Constant S)`: any literal of the sort, chosen by the synthesizer.
    AnyConst(Sort),
}

impl Production {
    /// Builds the term this production derives from the terms of its arguments.
    pub fn build(&self, children: Vec<Term>) -> Term {
        match &self.kind {
            ProdKind::Leaf(t) => t.clone(),
            ProdKind::Apply(f) => Term::App(f.clone(), children),
            ProdKind::Template(t) => t.fill_holes(&children),
            ProdKind::Chain => children.into_iter().next().expect("chain production has one argument"),
            ProdKind::AnyConst(s) => Term::Lit(Value::default_of(*s)),
        }
    }
}

impl Grammar {
    pub fn start(&self) -> &NonTerminal {
        &self.nonterminals[0]
    }

    pub fn find(&self, name: &str) -> Option<NtId> {
        self.nonterminals.iter().position(|n| &*n.name == name)
    }

    /// The first non-terminal of a sort, if any.
    pub fn nt_of_sort(&self, sort: Sort) -> Option<NtId> {
        self.nonterminals.iter().position(|n| n.sort == sort)
    }

    /// A default grammar over the given parameters: one non-terminal per sort in `sorts` (the return
    /// sort first), with every operator of `ops` whose argument and result sorts are among them, the
    /// parameters, and `(Constant S)` for each sort. This is what `synth-fun` without a grammar means.
    pub fn default_for(params: &[(Symbol, Sort)], ret: Sort, sorts: &[Sort], ops: &[Op]) -> Grammar {
        let mut order = vec![ret];
        for s in sorts.iter().chain(params.iter().map(|p| &p.1)) {
            if !order.contains(s) {
                order.push(*s);
            }
        }
        let nt_of = |s: Sort| order.iter().position(|o| *o == s);
        let mut nts: Vec<NonTerminal> = order
            .iter()
            .map(|s| NonTerminal { name: nt_name(*s).into(), sort: *s, productions: Vec::new() })
            .collect();
        for (i, (name, sort)) in params.iter().enumerate() {
            let var = Term::Var(Var { index: i as u32, name: name.clone(), sort: *sort });
            nts[nt_of(*sort).expect("parameter sorts are in the order")]
                .productions
                .push(Production { kind: ProdKind::Leaf(var), args: vec![] });
        }
        let bv = order.iter().copied().find(|s| matches!(s, Sort::BitVec(_)));
        for nt in nts.iter_mut() {
            nt.productions.push(Production { kind: ProdKind::AnyConst(nt.sort), args: vec![] });
            for op in ops {
                for arg_sorts in typical_signatures(*op, nt.sort, bv) {
                    let Some(args) = arg_sorts.iter().map(|s| nt_of(*s)).collect::<Option<Vec<_>>>() else {
                        continue;
                    };
                    if op.result_sort(&arg_sorts).ok() == Some(nt.sort) {
                        nt.productions.push(Production { kind: ProdKind::Apply(Func::Builtin(*op)), args });
                    }
                }
            }
        }
        Grammar { nonterminals: nts }
    }

    /// The default grammar for string transformations (`quill synth --examples`): the SLIA
    /// operators of the SyGuS-Comp PBE strings track, over strings, integers and Booleans.
    pub fn default_strings(params: &[(Symbol, Sort)], ret: Sort) -> Grammar {
        Grammar::default_strings_with(params, ret, &[])
    }

    /// [`Grammar::default_strings`] with more operators (cvc5's case operators, say, when
    /// [`case_changes`] finds the examples need them).
    pub fn default_strings_with(params: &[(Symbol, Sort)], ret: Sort, extra: &[Op]) -> Grammar {
        use Op::*;
        let base = [
            StrConcat,
            StrReplace,
            StrAt,
            StrFromInt,
            Ite,
            StrSubstr,
            Add,
            Sub,
            StrLen,
            StrToInt,
            StrIndexOf,
            Eq,
            StrPrefixOf,
            StrSuffixOf,
            StrContains,
        ];
        let ops: Vec<Op> = base.iter().chain(extra).copied().collect();
        Grammar::default_for(params, ret, &[Sort::String, Sort::Int, Sort::Bool], &ops)
    }

    /// The grammar Quill gives problems stated only by examples (a table, a generated task): the
    /// PBE strings operators, `str.replace_all` ("remove every `-`"), the [`last_indexof`] helper
    /// ("the part after the last `/`"), and the case operators when `case` says the examples
    /// change case (see [`case_changes`]).
    pub fn for_examples(params: &[(Symbol, Sort)], ret: Sort, case: bool) -> Grammar {
        let extra: &[Op] =
            if case { &[Op::StrReplaceAll, Op::StrToUpper, Op::StrToLower] } else { &[Op::StrReplaceAll] };
        let mut grammar = Grammar::default_strings_with(params, ret, extra);
        grammar.offer_helpers(&[Arc::new(last_indexof())]);
        grammar
    }

    /// Adds a production for each helper to the non-terminal of its sort, with the non-terminals
    /// of its parameters' sorts as arguments, or for the arguments of [`literal_args`] their
    /// non-terminals of literals. A helper whose sorts the grammar lacks is left out, and so is
    /// `field`, which [`Grammar::offer_field`] offers with the examples' separators.
    pub fn offer_helpers(&mut self, helpers: &[Arc<FunDef>]) {
        for h in helpers.iter().filter(|h| !crate::fields::is_offered(h)) {
            // A definition of another arity under the same name (a problem file's) takes no literals.
            let literals = Some(literal_args(&h.name)).filter(|l| l.len() < h.params.len()).unwrap_or(&[]);
            let (own, filled) = h.params.split_at(h.params.len() - literals.len());
            let args: Option<Vec<NtId>> = own.iter().map(|p| self.nt_of_sort(p.1)).collect();
            let (Some(nt), Some(mut args)) = (self.nt_of_sort(h.ret), args) else { continue };
            for (lit, p) in literals.iter().zip(filled) {
                args.push(self.literal_nt(lit.nt, p.1, lit.values));
            }
            let kind = ProdKind::Apply(Func::Defined(h.clone()));
            self.nonterminals[nt].productions.push(Production { kind, args });
        }
    }

    /// Offers `(field s d k)` ([`crate::fields`]) on the string non-terminal, with `d` one of
    /// `separators` and `k` a literal piece (the first [`crate::fields::MAX_FIELD`] + 1 and the
    /// last two), each from a non-terminal of its own (`ntSep`, `ntPiece`): a separator or index
    /// computed from the input fits a few examples by accident (split on the digit `2`) and would
    /// widen the search by a factor of the whole bank. Nothing is added without separators or a
    /// string non-terminal.
    pub fn offer_field(&mut self, separators: &[String]) {
        let (Some(field), Some(strings)) = (offerable_helper("field"), self.nt_of_sort(Sort::String)) else {
            return;
        };
        if separators.is_empty() {
            return;
        }
        let sep = self.push_literals("ntSep", Sort::String, separators.iter().map(|d| Value::str(d)));
        let piece = self.push_literals("ntPiece", Sort::Int, crate::fields::pieces().map(Value::Int));
        let kind = ProdKind::Apply(Func::Defined(field.clone()));
        self.nonterminals[strings].productions.push(Production { kind, args: vec![strings, sep, piece] });
    }
}

impl Grammar {
    /// The non-terminal called `name` whose productions are the integer literals `values`, added
    /// unless the grammar has it already.
    fn literal_nt(&mut self, name: &str, sort: Sort, values: &[i64]) -> NtId {
        match self.find(name) {
            Some(nt) => nt,
            None => self.push_literals(name, sort, values.iter().map(|v| Value::Int(*v))),
        }
    }

    /// Adds a non-terminal whose productions are these literals, and returns it.
    fn push_literals(&mut self, name: &str, sort: Sort, values: impl Iterator<Item = Value>) -> NtId {
        let productions =
            values.map(|v| Production { kind: ProdKind::Leaf(Term::Lit(v)), args: vec![] }).collect();
        self.nonterminals.push(NonTerminal { name: name.into(), sort, productions });
        self.nonterminals.len() - 1
    }
}

/// An integer argument that grammars fill from a non-terminal of literals of its own instead of
/// the bank: a place, step or index computed from the input fits a few examples by accident and
/// would widen the search by a factor of the whole bank.
#[derive(Clone, Copy, Debug)]
pub struct LiteralArg {
    /// The non-terminal's name.
    pub nt: &'static str,
    /// Its literals.
    pub values: &'static [i64],
}

/// The last arguments of an offerable helper that come from literals ([`LiteralArg`]), in order:
/// `round_step`'s places and step ([`crate::decimals::PLACES`], [`crate::decimals::STEPS`]) and
/// `num_at`'s run ([`crate::runs::RUNS`]), `bin_range`'s width and ends ([`crate::bins::WIDTHS`],
/// [`crate::bins::ENDS`]); none for the others.
pub fn literal_args(helper: &str) -> &'static [LiteralArg] {
    const STEP: &[LiteralArg] = &[
        LiteralArg { nt: "ntPlaces", values: &crate::decimals::PLACES },
        LiteralArg { nt: "ntStep", values: &crate::decimals::STEPS },
    ];
    const RUN: &[LiteralArg] = &[LiteralArg { nt: "ntRun", values: &crate::runs::RUNS }];
    const BIN: &[LiteralArg] = &[
        LiteralArg { nt: "ntBinWidth", values: &crate::bins::WIDTHS },
        LiteralArg { nt: "ntBinEnd", values: &crate::bins::ENDS },
    ];
    match helper {
        "round_step" => STEP,
        "num_at" => RUN,
        "bin_range" => BIN,
        _ => &[],
    }
}

/// Whether some example's output has a word that its inputs hold only in another case (`smith` →
/// `SMITH`, `ann lee` → `Lee, A.`). Grammars for examples offer `str.to_upper` and `str.to_lower`
/// only then, because two more string operators widen every search.
pub fn case_changes<'a>(examples: impl IntoIterator<Item = (&'a [String], &'a str)>) -> bool {
    examples.into_iter().any(|(inputs, output)| {
        output.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().any(|c| c.is_ascii_alphabetic())).any(
            |w| {
                let lower = w.to_ascii_lowercase();
                !inputs.iter().any(|i| i.contains(w))
                    && inputs.iter().any(|i| i.to_ascii_lowercase().contains(&lower))
            },
        )
    })
}

/// The helpers a grammar for these examples offers besides [`last_indexof`]: the number helpers
/// when an output computes a number ([`crate::numbers::computes_numbers`]), the month helpers
/// when an example turns a month number into its name or back, the clock helpers when one turns a
/// time into `AM`/`PM` or back ([`crate::dates`]), `field` when an output takes a piece of
/// separated text ([`crate::fields::splits`]), the calendar helpers when one writes a part of a
/// date in a form its inputs lack ([`crate::calendar::converts_dates`]) or takes a part out of a
/// date alone ([`crate::calendar::takes_date_parts`]), the time helpers when one
/// writes a time on a clock its inputs lack ([`crate::times::converts_times`]), with them
/// `slot_last` when an output ends a slot a minute early ([`crate::times::ends_slots_early`]),
/// `slot_next` when one writes a slot ([`crate::times::writes_slots`]) and
/// `clock_12s` when one writes `6:00 PM` ([`crate::times::spaces_half_day`]), the decimal step
/// helpers when the examples compute numbers and hold decimals ([`crate::decimals`]), the calendar
/// counts (with the calendar helpers) when one writes the ISO week, day of the year or quarter of
/// an input's date ([`crate::weeks`]), `num_at` when one takes a run of digits out of an input
/// ([`crate::runs::takes_runs`]) or bins one, `bin_range` when every output is a range that
/// holds a number of its inputs ([`crate::bins::writes_bins`]).
#[derive(Clone, Debug, Default)]
pub struct ExampleHelpers {
    /// Every definition a problem file needs, callees first.
    pub defined: Vec<Arc<FunDef>>,
    /// The ones the grammar has productions for.
    pub offered: Vec<Arc<FunDef>>,
    /// Integer literals that come with the number helpers: the outputs' rounding step and padding
    /// width ([`crate::numbers::int_constants`]) and the usual negative shifts
    /// ([`crate::numbers::SHIFTS`]); none without them. With the time helpers, the usual time
    /// steps in minutes ([`crate::times::STEPS`]).
    pub int_constants: Vec<i64>,
}

/// Picks the [`ExampleHelpers`] for examples given as (inputs, output) texts.
pub fn example_helpers(rows: &[(Vec<String>, String)]) -> ExampleHelpers {
    let it = || rows.iter().map(|(i, o)| (i.as_slice(), o.as_str()));
    let times = crate::times::converts_times(it());
    let counts = crate::weeks::counts_dates(it());
    // Time slots are times rounded to a step (`floor_to`), so the time helpers bring the number
    // helpers along.
    let numbers = times || crate::numbers::computes_numbers(it());
    let bins = crate::bins::writes_bins(it());
    let wanted = |g: Group| match g {
        Group::LastIndexOf => false,
        Group::Numbers => numbers,
        Group::Months => crate::dates::converts_months(it()),
        Group::Clock => crate::dates::converts_clock(it()),
        Group::Fields => crate::fields::splits(it()),
        // The calendar counts call the calendar helpers, so they bring them along.
        Group::Calendar => {
            counts || crate::calendar::converts_dates(it()) || crate::calendar::takes_date_parts(it())
        }
        Group::Times => times,
        Group::SlotEnds => times && crate::times::ends_slots_early(it()),
        // Implies the number helpers, which the decimal helpers call.
        Group::Decimals => crate::decimals::rounds_decimals(it()),
        Group::Weeks => counts,
        Group::SpacedClock => times && crate::times::spaces_half_day(it()),
        // A binned number is often a run of digits of its input (the minutes of a time), which
        // the output does not show.
        Group::Runs => bins || crate::runs::takes_runs(it()),
        Group::Bins => bins,
        Group::SlotNext => times && crate::times::writes_slots(it()),
    };
    let mut h = ExampleHelpers::default();
    for group in helper_table().chunk_by(|a, b| a.group == b.group).filter(|g| wanted(g[0].group)) {
        h.defined.extend(group.iter().map(|e| e.def.clone()));
        h.offered.extend(group.iter().filter(|e| e.offered).map(|e| e.def.clone()));
    }
    if numbers {
        let outputs: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
        h.int_constants = crate::numbers::int_constants(&outputs);
        h.int_constants.extend(crate::numbers::SHIFTS);
    }
    if times {
        for k in crate::times::STEPS {
            if !h.int_constants.contains(&k) {
                h.int_constants.push(k);
            }
        }
    }
    h
}

/// The groups of Quill's helpers, each offered as a whole (see [`example_helpers`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    LastIndexOf,
    Numbers,
    Months,
    Clock,
    Fields,
    Calendar,
    Times,
    SlotEnds,
    Decimals,
    Weeks,
    SpacedClock,
    Runs,
    Bins,
    SlotNext,
}

/// One of Quill's helpers: its definition, whether grammars offer it (the others are called only
/// by helpers), and its group.
struct HelperEntry {
    def: Arc<FunDef>,
    offered: bool,
    group: Group,
}

/// A group's definitions (callees first), its group, and which of them grammars offer.
type GroupSource = (fn() -> Vec<Arc<FunDef>>, Group, fn(&FunDef) -> bool);

/// Every helper Quill defines for grammars from examples, callees first and by group, after
/// [`last_indexof`]: the number helpers ([`crate::numbers`]), the date helpers ([`crate::dates`]),
/// the field helper ([`crate::fields`]), the calendar helpers ([`crate::calendar`]), the time
/// helpers ([`crate::times`]) with `slot_last`, the decimal step helpers ([`crate::decimals`]), the
/// calendar counts ([`crate::weeks`]), `clock_12s`, `num_at` ([`crate::runs`]), `bin_range`
/// ([`crate::bins`]) and `slot_next` ([`crate::times`]). A model's vocabulary has one token per
/// offered helper in this order, so new groups go at the end, where it grows and older
/// checkpoints still load. Built once, because each group's functions parse their SMT-LIB text
/// on every call.
fn helper_table() -> &'static [HelperEntry] {
    static ALL: OnceLock<Vec<HelperEntry>> = OnceLock::new();
    ALL.get_or_init(|| {
        let dated = |d: &FunDef| !crate::dates::is_internal(d);
        let all: fn(&FunDef) -> bool = |_| true;
        let sources: [GroupSource; 13] = [
            (crate::numbers::definitions, Group::Numbers, crate::numbers::is_offered),
            (crate::dates::month_definitions, Group::Months, dated),
            (crate::dates::clock_definitions, Group::Clock, dated),
            (crate::fields::definitions, Group::Fields, crate::fields::is_offered),
            (crate::calendar::definitions, Group::Calendar, crate::calendar::is_offered),
            (crate::times::definitions, Group::Times, crate::times::is_offered),
            (crate::times::slot_definitions, Group::SlotEnds, all),
            (crate::decimals::definitions, Group::Decimals, crate::decimals::is_offered),
            (crate::weeks::definitions, Group::Weeks, crate::weeks::is_offered),
            (crate::times::spaced_definitions, Group::SpacedClock, all),
            (crate::runs::definitions, Group::Runs, crate::runs::is_offered),
            (crate::bins::definitions, Group::Bins, crate::bins::is_offered),
            (crate::times::next_definitions, Group::SlotNext, all),
        ];
        let mut table =
            vec![HelperEntry { def: Arc::new(last_indexof()), offered: true, group: Group::LastIndexOf }];
        for (definitions, group, offered) in sources {
            table.extend(definitions().into_iter().map(|def| HelperEntry {
                offered: offered(&def),
                def,
                group,
            }));
        }
        table
    })
}

/// Every helper Quill defines for grammars from examples, callees first (the order a problem file
/// must define them in).
pub fn quill_helpers() -> impl Iterator<Item = &'static Arc<FunDef>> {
    helper_table().iter().map(|e| &e.def)
}

/// The helpers of [`quill_helpers`] that grammars offer, in that order: what a model can name, and
/// what a sampler of training programs may call.
pub fn offerable_helpers() -> impl Iterator<Item = &'static Arc<FunDef>> {
    helper_table().iter().filter(|e| e.offered).map(|e| &e.def)
}

/// Quill's offerable helper called `name` (see [`offerable_helpers`]).
pub fn offerable_helper(name: &str) -> Option<&'static Arc<FunDef>> {
    offerable_helpers().find(|d| &*d.name == name)
}

fn nt_name(s: Sort) -> String {
    match s {
        Sort::BitVec(w) => format!("BV{w}"),
        s => format!("{s}Expr"),
    }
}

/// The argument sorts with which an operator usually produces `result`, for default grammars.
/// Polymorphic operators (`=`, `ite`) are instantiated at the result sort or at every base sort.
fn typical_signatures(op: Op, result: Sort, bv: Option<Sort>) -> Vec<Vec<Sort>> {
    use Sort::*;
    let bases = [Int, String, result];
    match op {
        Op::Ite => vec![vec![Bool, result, result]],
        // Equality compares any sort but Bool (where it would duplicate `not`/`xor`), bit-vectors
        // included; duplicates are dropped so that no production is listed twice.
        Op::Eq => {
            let mut sigs: Vec<Vec<Sort>> = Vec::new();
            for s in bases.iter().copied().chain(bv).filter(|s| *s != Bool) {
                if !sigs.contains(&vec![s, s]) {
                    sigs.push(vec![s, s]);
                }
            }
            sigs
        }
        Op::Not => vec![vec![Bool]],
        Op::Abs | Op::StrFromInt | Op::StrFromCode => vec![vec![Int]],
        Op::StrLen | Op::StrToInt | Op::StrIsDigit | Op::StrToCode => vec![vec![String]],
        Op::StrToUpper | Op::StrToLower | Op::StrRev => vec![vec![String]],
        Op::BvNot | Op::BvNeg => vec![vec![result]],
        Op::StrAt => vec![vec![String, Int]],
        Op::StrSubstr => vec![vec![String, Int, Int]],
        Op::StrIndexOf => vec![vec![String, String, Int]],
        Op::StrReplace | Op::StrReplaceAll => vec![vec![String, String, String]],
        Op::StrPrefixOf | Op::StrSuffixOf | Op::StrContains | Op::StrConcat | Op::StrLt | Op::StrLe => {
            vec![vec![String, String]]
        }
        Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Mod | Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            vec![vec![Int, Int]]
        }
        Op::And | Op::Or | Op::Xor | Op::Implies => vec![vec![Bool, Bool]],
        Op::BvUlt | Op::BvUle | Op::BvUgt | Op::BvUge | Op::BvSlt | Op::BvSle | Op::BvSgt | Op::BvSge => {
            bv.map(|s| vec![s, s]).into_iter().collect()
        }
        _ => vec![vec![result, result]],
    }
}

impl fmt::Display for Grammar {
    /// Prints the grammar in SyGuS-IF v2 syntax (predeclaration list, then rule lists).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        for (i, nt) in self.nonterminals.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "({} {})", nt.name, nt.sort)?;
        }
        f.write_str(") (")?;
        for nt in &self.nonterminals {
            write!(f, "({} {} (", nt.name, nt.sort)?;
            for (i, p) in nt.productions.iter().enumerate() {
                if i > 0 {
                    f.write_str(" ")?;
                }
                let holes: Vec<Term> = p
                    .args
                    .iter()
                    .map(|a| {
                        Term::Var(Var {
                            index: 0,
                            name: self.nonterminals[*a].name.clone(),
                            sort: self.nonterminals[*a].sort,
                        })
                    })
                    .collect();
                match &p.kind {
                    ProdKind::AnyConst(s) => write!(f, "(Constant {s})")?,
                    _ => write!(f, "{}", p.build(holes))?,
                }
            }
            f.write_str("))")?;
        }
        f.write_str(")")
    }
}

impl Grammar {
    /// Whether non-terminal `nt` derives `term`. Used to check that answers stay inside the
    /// grammar a problem gives.
    pub fn derives(&self, nt: NtId, term: &Term) -> bool {
        self.derives_within(nt, term, self.nonterminals.len())
    }

    /// `chains` bounds how many chain rules may be followed in a row, so cycles such as
    /// `A -> B -> A` end.
    fn derives_within(&self, nt: NtId, term: &Term, chains: usize) -> bool {
        let Some(n) = self.nonterminals.get(nt) else { return false };
        n.productions.iter().any(|p| match &p.kind {
            ProdKind::Leaf(t) => t == term,
            ProdKind::AnyConst(s) => matches!(term, Term::Lit(v) if v.sort() == *s),
            ProdKind::Chain => chains > 0 && self.derives_within(p.args[0], term, chains - 1),
            ProdKind::Apply(f) => match term {
                Term::App(g, xs) => {
                    g == f
                        && xs.len() == p.args.len()
                        && xs.iter().zip(&p.args).all(|(x, a)| self.derives(*a, x))
                }
                _ => false,
            },
            ProdKind::Template(t) => {
                let mut bound = vec![None; p.args.len()];
                matches_template(t, term, &mut bound)
                    && bound.iter().zip(&p.args).all(|(b, a)| b.is_some_and(|x: &Term| self.derives(*a, x)))
            }
        })
    }
}

/// Matches a production template against a term, binding each hole to the subterm in its place.
fn matches_template<'t>(pattern: &Term, term: &'t Term, bound: &mut Vec<Option<&'t Term>>) -> bool {
    match (pattern, term) {
        (Term::Hole(i, _), t) => match bound.get(*i as usize) {
            Some(Some(prev)) => *prev == t,
            Some(None) => {
                bound[*i as usize] = Some(t);
                true
            }
            None => false,
        },
        (Term::App(f, ps), Term::App(g, ts)) => {
            f == g && ps.len() == ts.len() && ps.iter().zip(ts).all(|(p, t)| matches_template(p, t, bound))
        }
        (p, t) => p == t,
    }
}

/// `last_indexof(s, t)`: the position of the last `t` in `s`, `-1` when there is none (`len(s)` for
/// an empty `t`, as Python's `rfind`). SMT-LIB has no such operator; this definition uses cvc5's
/// `str.rev`, so that cvc5 reads a file that defines it. Grammars for examples offer it because
/// "the part after the last `/`" is common, and from few examples it is smaller than the character
/// offsets that overfit.
pub fn last_indexof() -> FunDef {
    let (s, t) = (crate::resolve::var(0, "s", Sort::String), crate::resolve::var(1, "t", Sort::String));
    let rev = |x: &Term| Term::app(Op::StrRev, vec![x.clone()]);
    let len = |x: &Term| Term::app(Op::StrLen, vec![x.clone()]);
    let from_end = Term::app(Op::StrIndexOf, vec![rev(&s), rev(&t), Term::Lit(Value::Int(0))]);
    let body = Term::app(
        Op::Ite,
        vec![
            Term::app(Op::StrContains, vec![s.clone(), t.clone()]),
            Term::app(Op::Sub, vec![len(&s), Term::app(Op::Add, vec![len(&t), from_end])]),
            Term::Lit(Value::Int(-1)),
        ],
    );
    FunDef {
        name: "last_indexof".into(),
        params: vec![("s".into(), Sort::String), ("t".into(), Sort::String)],
        ret: Sort::Int,
        body,
    }
}
