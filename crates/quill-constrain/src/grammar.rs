//! The shipped Lark grammar for Python functions, with the target function name filled in.

use crate::ConstrainError;

/// The grammar template (see its header comment); `{{TARGET}}` marks the function-name slot.
pub const PYTHON_FUNCTION_TEMPLATE: &str = include_str!("../grammars/python_function.lark");

/// Python's hard keywords: none of them may name a function.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
    "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// The Lark grammar for one or more Python function definitions (optionally preceded by import
/// lines) that end the output. With `fn_name`, the first function of that exact name is the last
/// one (helpers, named otherwise, come before it); without, any names go.
///
/// With `fenced`, the code is wrapped in a Markdown fence (```` ```python ```` ... ```` ``` ````), which is
/// how chat models answer and what lets them stop on their own; the fence is not Python, so the
/// caller takes the code out of it.
pub fn python_function_grammar(fn_name: Option<&str>, fenced: bool) -> Result<String, ConstrainError> {
    let (target, helper) = match fn_name {
        None => ("NAME_CORE".to_string(), "NAME_CORE".to_string()),
        Some(name) => {
            if !is_identifier(name) {
                return Err(ConstrainError::InvalidName(name.to_string()));
            }
            // An identifier needs no escaping inside a Lark string literal.
            (format!("\"{name}\""), format!("NAME_CORE & ~\"{name}\""))
        }
    };
    let start = if fenced { "FENCE_OPEN code FENCE_CLOSE" } else { "code" };
    Ok(PYTHON_FUNCTION_TEMPLATE
        .replace("{{START}}", start)
        .replace("{{TARGET}}", &target)
        .replace("{{HELPER}}", &helper))
}

/// An ASCII Python identifier that is not a keyword (the grammar's names are ASCII only).
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && !KEYWORDS.contains(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(python_function_grammar(Some("remove_Occ"), false)
            .unwrap()
            .contains("TARGET: \"remove_Occ\""));
        for bad in ["", "1abc", "a-b", "for", "None", "naïve", "a\"b"] {
            assert!(
                matches!(python_function_grammar(Some(bad), false), Err(ConstrainError::InvalidName(_))),
                "{bad:?} accepted"
            );
        }
    }
}
