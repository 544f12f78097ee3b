//! Terms as Python expressions, with Python's operator precedence and local variables for repeated
//! or long subterms.

use super::helpers::Helper;
use super::ops;
use super::syntax::{identifier, literal, Names};
use quill_lang::{Func, Op, Sort, Term, Value};
use std::collections::{BTreeSet, HashMap};

/// Python's precedence levels, loosest first. An operand whose level is below what its position
/// needs is parenthesized; some positions ask for more than Python does, for readability (operands
/// of bitwise operators and of comparisons are never bare arithmetic or bitwise expressions).
pub const COND: u8 = 1;
pub const OR: u8 = 2;
pub const AND: u8 = 3;
pub const NOT: u8 = 4;
pub const CMP: u8 = 5;
pub const BOR: u8 = 6;
pub const BXOR: u8 = 7;
pub const BAND: u8 = 8;
pub const SHIFT: u8 = 9;
pub const ADD: u8 = 10;
pub const MUL: u8 = 11;
pub const UNARY: u8 = 12;
pub const ATOM: u8 = 13;

/// A rendered Python expression and the precedence level of its outermost operator.
#[derive(Clone, Debug)]
pub struct Expr {
    pub text: String,
    pub prec: u8,
}

impl Expr {
    pub fn new(text: impl Into<String>, prec: u8) -> Expr {
        Expr { text: text.into(), prec }
    }

    pub fn atom(text: impl Into<String>) -> Expr {
        Expr::new(text, ATOM)
    }

    /// The text, parenthesized unless the expression binds at least as tightly as `prec`.
    pub fn at(&self, prec: u8) -> String {
        if self.prec >= prec {
            self.text.clone()
        } else {
            format!("({})", self.text)
        }
    }
}

/// A subterm whose rendering is longer than this gets its own variable, so that lines stay short.
const LONG: usize = 60;

/// The Python names of the functions a body may call: the module's functions, in order.
pub struct Callees<'a> {
    pub entries: Vec<(&'a quill_lang::FunDef, String)>,
}

impl Callees<'_> {
    /// The Python name of a function the term applies (a `define-fun` helper, or a function under
    /// synthesis, found by name among the exported ones).
    pub fn name_of(&self, f: &Func) -> String {
        let found = match f {
            Func::Defined(d) => self.entries.iter().find(|(e, _)| **e == **d),
            Func::Synth { name, .. } => self.entries.iter().find(|(e, _)| e.name == *name),
            Func::Builtin(_) => None,
        };
        found.map_or_else(|| identifier(&f.name(), "_fun"), |(_, n)| n.clone())
    }
}

/// Renders a function body as statements (indented by four spaces per nesting level, relative to the
/// body). `params` are the Python names of the parameters by index; `names` holds every name the body
/// may not take for a local variable; used helpers are added to `helpers`.
pub fn body(
    term: &Term,
    params: &[String],
    names: Names,
    callees: &Callees,
    helpers: &mut BTreeSet<Helper>,
) -> Vec<String> {
    let mut counts = HashMap::new();
    count(term, &mut counts);
    let mut r = Renderer {
        params,
        callees,
        helpers,
        names,
        counts,
        bound: HashMap::new(),
        lines: Vec::new(),
        depth: 0,
    };
    r.statements(term, 0);
    r.lines
}

/// Counts the occurrences of each application, not descending into a repeat (whose subterms were
/// already counted on its first occurrence and will share its variable).
fn count<'t>(t: &'t Term, counts: &mut HashMap<&'t Term, usize>) {
    if let Term::App(_, args) = t {
        let n = counts.entry(t).or_insert(0);
        *n += 1;
        if *n == 1 {
            args.iter().for_each(|a| count(a, counts));
        }
    }
}

/// Whether a helper is Quill's `last_indexof` (compared by its whole definition), which is exactly
/// Python's `str.rfind` and so needs no function of its own.
pub fn is_rfind(d: &quill_lang::FunDef) -> bool {
    *d == quill_lang::grammar::last_indexof()
}

/// Whether a function is Quill's `field` helper ([`quill_lang::fields`]), written as the module
/// helper `_field` (one `str.split`) rather than as its SMT-LIB definition, which unrolls the
/// search for the last separator into two dozen small functions.
pub fn is_field(d: &quill_lang::FunDef) -> bool {
    quill_lang::grammar::offerable_helper("field").is_some_and(|f| **f == *d)
}

/// Whether a function is Quill's `num_at` helper ([`quill_lang::runs`]), written as the module
/// helper `_num_at` (one loop over the characters) rather than as its SMT-LIB definition, which
/// unrolls the scan for digits.
pub fn is_num_at(d: &quill_lang::FunDef) -> bool {
    quill_lang::grammar::offerable_helper("num_at").is_some_and(|f| **f == *d)
}

/// Which of Quill's calendar helpers ([`quill_lang::calendar`]) a function is, if any. They are
/// written with the module helpers `_date` (a tuple of year, month and day) and `_day_name`,
/// rather than as their SMT-LIB definitions, which spell out a scan for digits in SMT-LIB.
pub fn calendar_helper(d: &quill_lang::FunDef) -> Option<&'static str> {
    let name = ["date_year", "date_month", "date_day", "day_name", "day_abbr"]
        .into_iter()
        .find(|n| **n == *d.name)?;
    quill_lang::grammar::offerable_helper(name).is_some_and(|f| **f == *d).then_some(name)
}

/// Whether a defined function is written in place rather than exported as a function of its own.
pub fn in_place(d: &quill_lang::FunDef) -> bool {
    is_rfind(d) || is_field(d) || is_num_at(d) || calendar_helper(d).is_some()
}

/// Whether the Python rendering of a term may raise an exception on some input. Such a term stays
/// where it is (perhaps inside a conditional branch, which SMT-LIB does not evaluate when it is not
/// taken) rather than being hoisted into a variable that is computed unconditionally. Division by
/// zero raises; `int(..)` and `str(..)` refuse numbers beyond 4300 digits, which only products can
/// reach; holes (`...`) and calls of other functions under synthesis are not known to be total.
pub fn can_raise(t: &Term) -> bool {
    fn has_mul(t: &Term) -> bool {
        match t {
            Term::App(Func::Builtin(Op::Mul), _) => true,
            Term::App(Func::Defined(d), args) => has_mul(&d.body) || args.iter().any(has_mul),
            Term::App(_, args) => args.iter().any(has_mul),
            _ => false,
        }
    }
    match t {
        Term::Var(_) | Term::Lit(_) => false,
        Term::Hole(..) => true,
        Term::App(f, args) => {
            args.iter().any(can_raise)
                || match f {
                    Func::Builtin(Op::Div | Op::Mod) => {
                        !matches!(args.get(1), Some(Term::Lit(Value::Int(d))) if *d != 0)
                    }
                    Func::Builtin(Op::StrToInt) => true,
                    Func::Builtin(Op::StrFromInt) => args.iter().any(has_mul),
                    Func::Builtin(_) => false,
                    Func::Defined(d) => can_raise(&d.body),
                    Func::Synth { .. } => true,
                }
        }
    }
}

/// A name for a local variable holding the value of `t`, after what it computes.
fn stem(t: &Term) -> &'static str {
    use Op::*;
    match t {
        Term::App(Func::Builtin(StrIndexOf), _) => "pos",
        Term::App(Func::Builtin(StrLen), _) => "length",
        Term::App(Func::Builtin(StrSubstr | StrAt), _) => "part",
        Term::App(Func::Builtin(StrConcat), _) => "joined",
        Term::App(Func::Builtin(StrReplace | StrReplaceAll), _) => "replaced",
        Term::App(Func::Builtin(StrFromInt), _) => "digits",
        _ => match t.sort() {
            Sort::String => "text",
            Sort::Int => "num",
            Sort::Bool => "cond",
            Sort::BitVec(_) => "bits",
        },
    }
}

/// The state of rendering one body.
pub struct Renderer<'a, 't> {
    params: &'a [String],
    callees: &'a Callees<'a>,
    helpers: &'a mut BTreeSet<Helper>,
    names: Names,
    counts: HashMap<&'t Term, usize>,
    bound: HashMap<&'t Term, String>,
    lines: Vec<String>,
    /// The nesting level of the block that statements go to.
    depth: usize,
}

/// What [`Renderer::statements`] restores when it discards a trial rendering.
struct Saved<'t> {
    helpers: BTreeSet<Helper>,
    names: Names,
    bound: HashMap<&'t Term, String>,
    lines: usize,
}

/// The column a `return` line should not pass; a conditional that would becomes `if` statements.
const WIDTH: usize = 80;

impl<'t> Renderer<'_, 't> {
    /// Emits statements that return the value of `t`. A conditional too long for one `return` line
    /// becomes `if c:` with the branch inside and the other branch after it; the branches keep
    /// their own variables, which are then computed only where SMT-LIB evaluates them.
    fn statements(&mut self, t: &'t Term, depth: usize) {
        self.depth = depth;
        let pad = "    ".repeat(depth);
        let saved = self.save();
        let e = self.node(t);
        let args = match t {
            Term::App(Func::Builtin(Op::Ite), args) if args.len() == 3 => args,
            _ => &[][..],
        };
        if args.len() != 3 || 4 + pad.len() + "return ".len() + e.text.len() <= WIDTH {
            self.lines.push(format!("{pad}return {}", e.text));
            return;
        }
        self.restore(saved);
        let cond = self.sub(&args[0]);
        self.lines.push(format!("{pad}if {}:", cond.text));
        let (bound, names) = (self.bound.clone(), self.names.clone());
        self.statements(&args[1], depth + 1);
        (self.bound, self.names, self.depth) = (bound, names, depth);
        self.statements(&args[2], depth);
    }

    fn save(&self) -> Saved<'t> {
        Saved {
            helpers: self.helpers.clone(),
            names: self.names.clone(),
            bound: self.bound.clone(),
            lines: self.lines.len(),
        }
    }

    fn restore(&mut self, saved: Saved<'t>) {
        *self.helpers = saved.helpers;
        self.names = saved.names;
        self.bound = saved.bound;
        self.lines.truncate(saved.lines);
    }

    /// Renders a subterm, reusing or introducing a local variable for it where that helps.
    pub fn sub(&mut self, t: &'t Term) -> Expr {
        if let Some(name) = self.bound.get(t) {
            return Expr::atom(name.clone());
        }
        let e = self.node(t);
        let repeated = self.counts.get(t).is_some_and(|n| *n > 1);
        if (repeated || e.text.len() > LONG) && t.size() >= 3 && !can_raise(t) {
            let name = self.names.numbered(stem(t));
            self.lines.push(format!("{}{name} = {}", "    ".repeat(self.depth), e.text));
            self.bound.insert(t, name.clone());
            return Expr::atom(name);
        }
        e
    }

    /// Renders argument `i`, or `...` for a missing one (only in ill-formed terms).
    pub fn arg(&mut self, args: &'t [Term], i: usize) -> Expr {
        match args.get(i) {
            Some(t) => self.sub(t),
            None => Expr::atom("..."),
        }
    }

    pub fn args(&mut self, args: &'t [Term]) -> Vec<Expr> {
        args.iter().map(|a| self.sub(a)).collect()
    }

    /// Whether a subterm occurs once and so will be rendered in place, which lets its parent merge
    /// with it (`not (a == b)` printed as `a != b`).
    pub fn single(&self, t: &Term) -> bool {
        self.counts.get(t).is_none_or(|n| *n < 2)
    }

    /// A call of a helper, which is then emitted with the module.
    pub fn helper(&mut self, h: Helper, args: &[String]) -> Expr {
        self.helpers.insert(h);
        self.helpers.extend(h.deps());
        Expr::atom(format!("{}({})", h.name(), args.join(", ")))
    }

    /// Renders a term in place (its own variable, if any, is decided by the caller).
    fn node(&mut self, t: &'t Term) -> Expr {
        match t {
            Term::Var(v) => Expr::atom(
                self.params.get(v.index as usize).cloned().unwrap_or_else(|| identifier(&v.name, "_arg")),
            ),
            Term::Lit(v) => match literal(v) {
                (text, true) => Expr::new(text, UNARY),
                (text, false) => Expr::atom(text),
            },
            // Holes never occur in answers; `...` keeps the output valid Python all the same.
            Term::Hole(..) => Expr::atom("..."),
            Term::App(Func::Builtin(op), args) => ops::render(self, *op, args),
            Term::App(Func::Defined(d), args) if is_rfind(d) && args.len() == 2 => {
                let a = self.args(args);
                Expr::atom(format!("{}.rfind({})", a[0].at(ATOM), a[1].text))
            }
            Term::App(Func::Defined(d), args) if is_field(d) && args.len() == 3 => {
                let a: Vec<String> = self.args(args).into_iter().map(|a| a.text).collect();
                self.helper(Helper::Field, &a)
            }
            Term::App(Func::Defined(d), args) if is_num_at(d) && args.len() == 2 => {
                let a: Vec<String> = self.args(args).into_iter().map(|a| a.text).collect();
                self.helper(Helper::NumAt, &a)
            }
            Term::App(Func::Defined(d), args) if args.len() == 1 && calendar_helper(d).is_some() => {
                let a: Vec<String> = self.args(args).into_iter().map(|a| a.text).collect();
                match calendar_helper(d) {
                    Some("date_year") => Expr::atom(format!("{}[0]", self.helper(Helper::Date, &a).text)),
                    Some("date_month") => Expr::atom(format!("{}[1]", self.helper(Helper::Date, &a).text)),
                    Some("date_day") => Expr::atom(format!("{}[2]", self.helper(Helper::Date, &a).text)),
                    Some("day_abbr") => Expr::atom(format!("{}[:3]", self.helper(Helper::DayName, &a).text)),
                    _ => self.helper(Helper::DayName, &a),
                }
            }
            Term::App(f, args) => {
                let name = self.callees.name_of(f);
                let args: Vec<String> = self.args(args).into_iter().map(|a| a.text).collect();
                Expr::atom(format!("{name}({})", args.join(", ")))
            }
        }
    }
}

/// The bit width of a term of bit-vector sort (0 for any other sort, in ill-formed terms only).
pub fn width(t: Option<&Term>) -> u32 {
    match t.map(Term::sort) {
        Some(Sort::BitVec(w)) => w,
        _ => 0,
    }
}

/// The value of an integer literal.
pub fn int_lit(t: Option<&Term>) -> Option<i64> {
    match t {
        Some(Term::Lit(Value::Int(i))) => Some(*i),
        _ => None,
    }
}

/// The value of a bit-vector literal.
pub fn bv_lit(t: Option<&Term>) -> Option<u64> {
    match t {
        Some(Term::Lit(Value::BitVec { bits, .. })) => Some(*bits),
        _ => None,
    }
}
