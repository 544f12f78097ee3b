//! Terms: the programs Quill synthesizes and the formulas that constrain them.

use crate::op::{Op, SortError};
use crate::sort::Sort;
use crate::value::Value;
use std::fmt;
use std::sync::Arc;

/// An interned-by-sharing name. Names are printed back exactly as they were read.
pub type Symbol = Arc<str>;

/// A variable: a parameter of the function being defined, or a universally quantified variable of
/// a specification. `index` is its position in the environment it is evaluated in.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Var {
    pub index: u32,
    pub name: Symbol,
    pub sort: Sort,
}

/// A function defined by `define-fun` (a helper that grammars and constraints may call), or the
/// answer to a synthesis problem.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FunDef {
    pub name: Symbol,
    pub params: Vec<(Symbol, Sort)>,
    pub ret: Sort,
    /// The body, whose variables index into `params`.
    pub body: Term,
}

/// What a term applies.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    Builtin(Op),
    /// A `define-fun` helper, applied by substituting its arguments into its body.
    Defined(Arc<FunDef>),
    /// A function under synthesis (`synth-fun`), known by its index in the problem. Constraints
    /// call it; candidate programs never do.
    Synth {
        index: u32,
        name: Symbol,
        params: Vec<Sort>,
        ret: Sort,
    },
}

impl Func {
    pub fn name(&self) -> String {
        match self {
            Func::Builtin(op) => op.to_string(),
            Func::Defined(d) => d.name.to_string(),
            Func::Synth { name, .. } => name.to_string(),
        }
    }

    /// The result sort of applying this function to arguments of the given sorts.
    pub fn result_sort(&self, args: &[Sort]) -> Result<Sort, SortError> {
        let check = |params: &mut dyn Iterator<Item = Sort>, ret: Sort| {
            let params: Vec<Sort> = params.collect();
            if params == args {
                Ok(ret)
            } else {
                Err(SortError { op: self.name(), args: args.to_vec() })
            }
        };
        match self {
            Func::Builtin(op) => op.result_sort(args),
            Func::Defined(d) => check(&mut d.params.iter().map(|p| p.1), d.ret),
            Func::Synth { params, ret, .. } => check(&mut params.iter().copied(), *ret),
        }
    }
}

/// A term. Terms are trees; sharing happens through `Arc` inside values and definitions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    Var(Var),
    Lit(Value),
    App(Func, Vec<Term>),
    /// A slot to be filled: argument `index` of a grammar production's template, or a hole of a
    /// sketch. Holes are never part of an answer.
    Hole(u32, Sort),
}

impl Term {
    pub fn app(op: Op, args: Vec<Term>) -> Term {
        Term::App(Func::Builtin(op), args)
    }

    /// The sort of a well-sorted term. Terms are sort-checked when they are built by the front end,
    /// so this does not check again; an ill-sorted application reports its first argument's sort.
    pub fn sort(&self) -> Sort {
        match self {
            Term::Var(v) => v.sort,
            Term::Lit(v) => v.sort(),
            Term::Hole(_, s) => *s,
            Term::App(f, args) => {
                let sorts: Vec<Sort> = args.iter().map(Term::sort).collect();
                f.result_sort(&sorts).unwrap_or_else(|_| sorts.first().copied().unwrap_or(Sort::Bool))
            }
        }
    }

    /// The number of nodes: the usual measure of program size.
    pub fn size(&self) -> usize {
        match self {
            Term::App(_, args) => 1 + args.iter().map(Term::size).sum::<usize>(),
            _ => 1,
        }
    }

    /// Replaces every `Hole(i, _)` with `fill[i]`; holes beyond `fill` stay.
    pub fn fill_holes(&self, fill: &[Term]) -> Term {
        match self {
            Term::Hole(i, _) => fill.get(*i as usize).cloned().unwrap_or_else(|| self.clone()),
            Term::App(f, args) => Term::App(f.clone(), args.iter().map(|a| a.fill_holes(fill)).collect()),
            _ => self.clone(),
        }
    }

    /// Replaces every variable with `args[index]` (how a helper's body is applied to arguments).
    pub fn substitute_vars(&self, args: &[Term]) -> Term {
        match self {
            Term::Var(v) => args.get(v.index as usize).cloned().unwrap_or_else(|| self.clone()),
            Term::App(f, a) => Term::App(f.clone(), a.iter().map(|t| t.substitute_vars(args)).collect()),
            _ => self.clone(),
        }
    }

    /// The number of holes, counting each distinct index once.
    pub fn hole_count(&self) -> usize {
        fn walk(t: &Term, max: &mut Option<u32>) {
            match t {
                Term::Hole(i, _) => *max = Some(max.map_or(*i, |m| m.max(*i))),
                Term::App(_, args) => args.iter().for_each(|a| walk(a, max)),
                _ => {}
            }
        }
        let mut max = None;
        walk(self, &mut max);
        max.map_or(0, |m| m as usize + 1)
    }

    /// Whether any subterm applies a function under synthesis.
    pub fn calls_synth(&self) -> bool {
        match self {
            Term::App(Func::Synth { .. }, _) => true,
            Term::App(_, args) => args.iter().any(Term::calls_synth),
            _ => false,
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Var(v) => write_symbol(f, &v.name),
            Term::Lit(v) => write!(f, "{v}"),
            Term::Hole(_, s) => write!(f, "(? {s})"),
            // A constant function (`define-fun c () S ..`) is written as a bare symbol: SMT-LIB
            // has no `(c)` application syntax.
            Term::App(Func::Defined(d), args) if args.is_empty() => write_symbol(f, &d.name),
            Term::App(Func::Synth { name, .. }, args) if args.is_empty() => write_symbol(f, name),
            Term::App(func, args) => {
                f.write_str("(")?;
                match func {
                    Func::Builtin(op) => write!(f, "{op}")?,
                    Func::Defined(d) => write_symbol(f, &d.name)?,
                    Func::Synth { name, .. } => write_symbol(f, name)?,
                }
                for a in args {
                    write!(f, " {a}")?;
                }
                f.write_str(")")
            }
        }
    }
}

/// Writes a symbol, quoting it with `|..|` when it is not a simple SMT-LIB symbol.
pub fn write_symbol(f: &mut impl fmt::Write, name: &str) -> fmt::Result {
    if is_simple_symbol(name) {
        f.write_str(name)
    } else {
        write!(f, "|{name}|")
    }
}

/// Whether a name can be written without `|..|` quotes.
pub fn is_simple_symbol(name: &str) -> bool {
    const EXTRA: &str = "~!@$%^&*_-+=<>.?/";
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || EXTRA.contains(c))
}

impl fmt::Display for FunDef {
    /// Prints the definition as SyGuS-Comp answers do: `(define-fun NAME ((x S) ..) S BODY)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(define-fun ")?;
        write_symbol(f, &self.name)?;
        f.write_str(" (")?;
        for (i, (n, s)) in self.params.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str("(")?;
            write_symbol(f, n)?;
            write!(f, " {s})")?;
        }
        write!(f, ") {} {})", self.ret, self.body)
    }
}
