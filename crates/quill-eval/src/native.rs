//! Rust implementations of Quill's calendar helpers (`quill_lang::calendar`), its calendar counts
//! (`quill_lang::weeks`), its reading of times (`time_minutes`, `quill_lang::times`) and its digit
//! runs (`num_at`, `quill_lang::runs`). Their SMT-LIB definitions scan text with a dozen
//! `str.indexof`s and unrolled tests per number, and a search applies them to every string it
//! keeps, so evaluated through their bodies they slowed enumeration about tenfold on date problems.
//! `quill_lang::calendar::read`, `quill_lang::times::minutes` and `quill_lang::runs::num_at` are
//! the same readings, and `tests/helpers.rs` holds the bodies to them. A definition is computed here only when it is
//! exactly Quill's (same name and same body), so a problem file that defines its own `day_name`
//! keeps its own meaning.

use quill_lang::{FunDef, Str, Value};

/// A helper computed natively: it takes one string, or a string and an integer.
#[derive(Clone, Copy)]
pub(crate) enum Native {
    Str(fn(&Str) -> Value),
    StrInt(fn(&Str, i64) -> Value),
}

impl Native {
    /// The value on these arguments, or `None` when they are not the ones it takes.
    pub(crate) fn apply(self, args: &[Value]) -> Option<Value> {
        match (self, args) {
            (Native::Str(f), [Value::Str(s)]) => Some(f(s)),
            (Native::StrInt(f), [Value::Str(s), Value::Int(k)]) => Some(f(s, *k)),
            _ => None,
        }
    }
}

fn abbr(name: &str) -> &str {
    &name[..name.len().min(3)]
}

/// The native implementation of `def`, if it is one of Quill's calendar helpers, its reading of
/// times or its digit runs.
pub(crate) fn native(def: &FunDef) -> Option<Native> {
    use quill_lang::calendar::{day_name, read};
    let one: fn(&Str) -> Value = match &*def.name {
        "date_year" => |s| Value::Int(read(&s.to_rust_string()).0),
        "date_month" => |s| Value::Int(read(&s.to_rust_string()).1),
        "date_day" => |s| Value::Int(read(&s.to_rust_string()).2),
        "day_name" => |s| Value::str(day_name(&s.to_rust_string())),
        "day_abbr" => |s| Value::str(abbr(day_name(&s.to_rust_string()))),
        "date_week" => |s| Value::Int(quill_lang::weeks::week(&s.to_rust_string())),
        "date_yday" => |s| Value::Int(quill_lang::weeks::yday(&s.to_rust_string())),
        "date_quarter" => |s| Value::Int(quill_lang::weeks::quarter(&s.to_rust_string())),
        "time_minutes" => |s| Value::Int(quill_lang::times::minutes(&s.to_rust_string())),
        "num_at" => {
            return own(
                def,
                Native::StrInt(|s, i| Value::str(&quill_lang::runs::num_at(&s.to_rust_string(), i))),
            )
        }
        _ => return None,
    };
    own(def, Native::Str(one))
}

/// `f` when `def` is Quill's own helper of that name.
fn own(def: &FunDef, f: Native) -> Option<Native> {
    // The grammars Quill builds hold the helper table's own allocation, found at once; the same
    // definition read from a problem file is another allocation, compared by value.
    quill_lang::grammar::offerable_helper(&def.name)
        .is_some_and(|h| std::ptr::eq(&**h, def) || **h == *def)
        .then_some(f)
}
