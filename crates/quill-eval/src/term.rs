//! Evaluation of whole terms: variables, helpers, functions under synthesis and holes.

use crate::{apply, EvalError, EvalResult};
use quill_lang::{FunDef, Func, Op, Term, Value};

/// What a term may refer to besides its variables: bodies for the functions under synthesis (by
/// index) and values for sketch holes (by index).
#[derive(Clone, Copy, Default)]
pub struct Context<'a> {
    pub synth: &'a [&'a FunDef],
    pub holes: &'a [Value],
}

/// Evaluates a term whose variables take their values from `env` (by index).
pub fn eval(term: &Term, env: &[Value]) -> EvalResult {
    eval_with(term, env, &Context::default())
}

/// Evaluates a term with bodies for functions under synthesis and values for holes.
pub fn eval_with(term: &Term, env: &[Value], ctx: &Context) -> EvalResult {
    match term {
        Term::Lit(v) => Ok(v.clone()),
        Term::Var(v) => env
            .get(v.index as usize)
            .cloned()
            .ok_or_else(|| EvalError::IllFormed(format!("variable {} has no value", v.name))),
        Term::Hole(i, _) => {
            ctx.holes.get(*i as usize).cloned().ok_or_else(|| EvalError::IllFormed("unfilled hole".into()))
        }
        // `ite` evaluates only the branch it takes, so an unspecified value in the other branch
        // (such as a division by zero) does not make the whole term undefined.
        Term::App(Func::Builtin(Op::Ite), args) if args.len() == 3 => match eval_with(&args[0], env, ctx)? {
            Value::Bool(true) => eval_with(&args[1], env, ctx),
            Value::Bool(false) => eval_with(&args[2], env, ctx),
            _ => Err(EvalError::IllFormed("ite condition is not Boolean".into())),
        },
        Term::App(func, args) => {
            let vals = args.iter().map(|a| eval_with(a, env, ctx)).collect::<Result<Vec<_>, _>>()?;
            match func {
                Func::Builtin(op) => apply(*op, &vals),
                Func::Defined(def) => call(def, &vals, ctx),
                Func::Synth { index, name, .. } => match ctx.synth.get(*index as usize) {
                    Some(def) => call(def, &vals, ctx),
                    None => {
                        Err(EvalError::IllFormed(format!("no body for the function under synthesis {name}")))
                    }
                },
            }
        }
    }
}

fn call(def: &FunDef, args: &[Value], ctx: &Context) -> EvalResult {
    if args.len() != def.params.len() {
        return Err(EvalError::IllFormed(format!("{} takes {} arguments", def.name, def.params.len())));
    }
    if let Some(v) = crate::native::native(def).and_then(|f| f.apply(args)) {
        return Ok(v);
    }
    eval_with(&def.body, args, ctx)
}
