//! The two vocabularies of the model: program tokens (what the decoder emits) and example characters
//! (what the encoder reads).
//!
//! A program is written in prefix (Polish) order of its term. Operators carry their arity in the
//! token (`str.++/2`, `str.++/3`) because several SMT-LIB operators are variadic and prefix order
//! needs a fixed arity to be read back. Parameters are tokens by position (`$0`, `$1`, ..), so the
//! model never depends on how a problem names them. Common constants have their own tokens; any
//! other literal is the single token `<lit>`, whose value is chosen outside the model.

use quill_lang::{FunDef, Func, Op, Sort, Symbol, Term, Value, Var};
use std::collections::HashMap;
use std::sync::Arc;

/// One program token.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ProgTok {
    Pad,
    Bos,
    Eos,
    /// A literal that has no token of its own.
    Lit,
    /// A built-in operator applied to exactly this many arguments.
    Op(Op, usize),
    /// The parameter at this position.
    Param(u32),
    /// A literal with a token of its own.
    Const(Value),
    /// One of Quill's own helper functions (see [`helpers`]), by name and arity.
    Helper(Symbol, usize),
}

/// The helper functions that have program tokens: Quill's own definitions, which grammars for
/// examples offer (`last_indexof` first, the only one of the first checkpoints; then the number and
/// date helpers). A problem's helper gets the token only when its whole definition is Quill's, so
/// a foreign `define-fun` that happens to share the name is never mistaken for it.
pub fn helpers() -> impl Iterator<Item = &'static Arc<FunDef>> {
    quill_lang::grammar::offerable_helpers()
}

/// Indices of the special program tokens; the vocabulary always starts with them in this order.
pub const PAD: u32 = 0;
pub const BOS: u32 = 1;
pub const EOS: u32 = 2;
pub const LIT: u32 = 3;

/// How many parameters have tokens.
pub const MAX_PARAMS: u32 = 8;

/// Why a term has no token sequence, or a token sequence no term.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("`{0}` has no program token (operator or arity outside the vocabulary)")]
    NoToken(String),
    #[error("parameter {0} is beyond the {MAX_PARAMS} parameters the vocabulary has")]
    TooManyParams(u32),
    #[error("holes, foreign helper functions and functions under synthesis have no program tokens: `{0}`")]
    Unsupported(String),
    #[error("token sequence is malformed: {0}")]
    Malformed(String),
}

impl ProgTok {
    /// The text form used in checkpoints and messages.
    pub fn text(&self) -> String {
        match self {
            ProgTok::Pad => "<pad>".into(),
            ProgTok::Bos => "<s>".into(),
            ProgTok::Eos => "</s>".into(),
            ProgTok::Lit => "<lit>".into(),
            ProgTok::Op(op, n) => format!("{op}/{n}"),
            ProgTok::Param(i) => format!("${i}"),
            ProgTok::Const(v) => v.to_string(),
            ProgTok::Helper(name, n) => format!("{name}/{n}"),
        }
    }
}

/// The arities with which an operator gets tokens. Variadic operators get 2 and 3 arguments, which
/// covers the programs of the SyGuS tracks; `-` also gets its unary (negation) form.
fn arities(op: Op) -> &'static [usize] {
    use Op::*;
    match op {
        Not | Abs | StrLen | StrToInt | StrFromInt | StrIsDigit | StrToCode | StrFromCode | BvNot | BvNeg => {
            &[1]
        }
        Ite | StrSubstr | StrIndexOf | StrReplace | StrReplaceAll => &[3],
        Sub => &[1, 2],
        And | Or | Add | Mul | StrConcat | BvAdd | BvMul | BvAnd | BvOr | BvXor => &[2, 3],
        _ => &[2],
    }
}

/// String constants common in string transformations (separators, punctuation, digits).
const STRING_CONSTS: &[&str] = &[
    "", " ", ",", ".", "@", "-", "/", "_", ":", ";", "(", ")", "+", "#", "&", "*", "<", ">", "=", "|", "$",
    "%", "!", "?", "\"", "'", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
];

/// The program vocabulary: a fixed list, so that a checkpoint's vocabulary can be compared with
/// the code's.
#[derive(Clone, Debug)]
pub struct Vocab {
    toks: Vec<ProgTok>,
    index: HashMap<ProgTok, u32>,
}

impl Vocab {
    /// The standard vocabulary (specials, operators, parameters, constants, then the tokens added
    /// since the first checkpoint).
    pub fn standard() -> Vocab {
        let mut toks = vec![ProgTok::Pad, ProgTok::Bos, ProgTok::Eos, ProgTok::Lit];
        // Solver extensions (cvc5's case and reversal operators) came after the first checkpoint,
        // so the case operators are appended at the end below: an older checkpoint's vocabulary
        // stays a prefix of this one and still loads.
        for op in Op::all_plain().filter(|op| !op.is_extension()) {
            for &n in arities(op) {
                toks.push(ProgTok::Op(op, n));
            }
        }
        toks.extend((0..MAX_PARAMS).map(ProgTok::Param));
        toks.extend(STRING_CONSTS.iter().map(|s| ProgTok::Const(Value::str(s))));
        toks.extend((-1..=10).map(|i| ProgTok::Const(Value::Int(i))));
        toks.extend([true, false].map(|b| ProgTok::Const(Value::Bool(b))));
        for w in [64, 32, 16, 8] {
            toks.extend([0, 1].map(|b| ProgTok::Const(Value::bv(w, b))));
        }
        // Append-only from here on: every token added later goes after these.
        toks.push(ProgTok::Op(Op::StrToUpper, 1));
        toks.push(ProgTok::Op(Op::StrToLower, 1));
        toks.extend(helpers().map(|h| ProgTok::Helper(h.name.clone(), h.params.len())));
        Vocab::of(toks)
    }

    /// The first `n` tokens of the standard vocabulary: the vocabulary of a checkpoint trained
    /// before the later tokens existed.
    pub fn prefix(n: usize) -> Vocab {
        let mut toks = Vocab::standard().toks;
        toks.truncate(n);
        Vocab::of(toks)
    }

    /// The vocabulary whose token texts are `texts`, which must be a prefix of the standard one's.
    pub fn of_texts(texts: &[String]) -> Option<Vocab> {
        let standard = Vocab::standard();
        let same =
            texts.len() <= standard.len() && standard.toks.iter().zip(texts).all(|(t, s)| t.text() == *s);
        same.then(|| Vocab::prefix(texts.len()))
    }

    fn of(toks: Vec<ProgTok>) -> Vocab {
        let index = toks.iter().enumerate().map(|(i, t)| (t.clone(), i as u32)).collect();
        Vocab { toks, index }
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    pub fn get(&self, id: u32) -> Option<&ProgTok> {
        self.toks.get(id as usize)
    }

    pub fn id(&self, tok: &ProgTok) -> Option<u32> {
        self.index.get(tok).copied()
    }

    /// The text forms of all tokens, in order (stored with a checkpoint).
    pub fn texts(&self) -> Vec<String> {
        self.toks.iter().map(ProgTok::text).collect()
    }

    /// The token of a function applied to `n` arguments: a built-in operator's, or a helper's when
    /// the helper is one of Quill's own (compared by its whole definition).
    pub fn func(&self, f: &Func, n: usize) -> Option<u32> {
        match f {
            Func::Builtin(op) => self.id(&ProgTok::Op(*op, n)),
            Func::Defined(d) if helpers().any(|h| **h == **d) => self.id(&ProgTok::Helper(d.name.clone(), n)),
            _ => None,
        }
    }

    /// The token of a literal: its own, or `<lit>`.
    pub fn literal(&self, v: &Value) -> u32 {
        self.id(&ProgTok::Const(v.clone())).unwrap_or(LIT)
    }

    /// Appends the prefix-order tokens of `term` to `out`; literals without a token of their own
    /// are appended to `lits` in the order their `<lit>` tokens appear.
    pub fn encode(&self, term: &Term, out: &mut Vec<u32>, lits: &mut Vec<Value>) -> Result<(), TokenError> {
        match term {
            Term::Var(v) if v.index < MAX_PARAMS => out.push(self.index[&ProgTok::Param(v.index)]),
            Term::Var(v) => return Err(TokenError::TooManyParams(v.index)),
            Term::Lit(v) => {
                let id = self.literal(v);
                if id == LIT {
                    lits.push(v.clone());
                }
                out.push(id);
            }
            Term::App(f @ Func::Builtin(op), args) => {
                let id = self
                    .func(f, args.len())
                    .ok_or_else(|| TokenError::NoToken(format!("{op}/{}", args.len())))?;
                out.push(id);
                for a in args {
                    self.encode(a, out, lits)?;
                }
            }
            Term::App(f @ Func::Defined(_), args) => {
                let id = self.func(f, args.len()).ok_or_else(|| TokenError::Unsupported(term.to_string()))?;
                out.push(id);
                for a in args {
                    self.encode(a, out, lits)?;
                }
            }
            other => return Err(TokenError::Unsupported(other.to_string())),
        }
        Ok(())
    }

    /// Reads a prefix-order token sequence (without BOS/EOS) back into a well-sorted term over
    /// `params`; `<lit>` tokens take their values from `lits` in order.
    pub fn decode(
        &self,
        toks: &[u32],
        params: &[(Symbol, Sort)],
        lits: &[Value],
    ) -> Result<Term, TokenError> {
        let mut pos = 0;
        let mut lit_pos = 0;
        let t = self.decode_at(toks, &mut pos, params, lits, &mut lit_pos, 0)?;
        if pos != toks.len() {
            return Err(TokenError::Malformed(format!(
                "{} tokens left after a whole term",
                toks.len() - pos
            )));
        }
        Ok(t)
    }

    fn decode_at(
        &self,
        toks: &[u32],
        pos: &mut usize,
        params: &[(Symbol, Sort)],
        lits: &[Value],
        lit_pos: &mut usize,
        depth: usize,
    ) -> Result<Term, TokenError> {
        // Token sequences are short; the bound only keeps hostile input from exhausting the stack.
        if depth > 256 {
            return Err(TokenError::Malformed("nesting deeper than 256".into()));
        }
        let id =
            *toks.get(*pos).ok_or_else(|| TokenError::Malformed("sequence ends inside a term".into()))?;
        *pos += 1;
        match self.get(id) {
            Some(ProgTok::Param(i)) => {
                let (name, sort) = params.get(*i as usize).ok_or_else(|| {
                    TokenError::Malformed(format!("${i} but only {} parameters", params.len()))
                })?;
                Ok(Term::Var(Var { index: *i, name: name.clone(), sort: *sort }))
            }
            Some(ProgTok::Const(v)) => Ok(Term::Lit(v.clone())),
            Some(ProgTok::Lit) => {
                let v = lits
                    .get(*lit_pos)
                    .ok_or_else(|| TokenError::Malformed("more <lit> tokens than literal values".into()))?;
                *lit_pos += 1;
                Ok(Term::Lit(v.clone()))
            }
            Some(ProgTok::Op(op, n)) => {
                let (op, n) = (*op, *n);
                let args = (0..n)
                    .map(|_| self.decode_at(toks, pos, params, lits, lit_pos, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                let sorts: Vec<Sort> = args.iter().map(Term::sort).collect();
                op.result_sort(&sorts).map_err(|e| TokenError::Malformed(e.to_string()))?;
                Ok(Term::app(op, args))
            }
            Some(ProgTok::Helper(name, n)) => {
                let def = helpers()
                    .find(|h| h.name == *name && h.params.len() == *n)
                    .ok_or_else(|| TokenError::Malformed(format!("no helper {name}/{n}")))?;
                let args = (0..*n)
                    .map(|_| self.decode_at(toks, pos, params, lits, lit_pos, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                if args.iter().map(Term::sort).ne(def.params.iter().map(|(_, s)| *s)) {
                    return Err(TokenError::Malformed(format!("{name} applied to ill-sorted arguments")));
                }
                Ok(Term::App(Func::Defined(def.clone()), args))
            }
            Some(t) => Err(TokenError::Malformed(format!("unexpected {}", t.text()))),
            None => Err(TokenError::Malformed(format!("token id {id} is outside the vocabulary"))),
        }
    }
}

/// The example-character vocabulary: printable ASCII plus a few specials.
pub mod chars {
    pub const PAD: u8 = 0;
    /// Starts every example, so that no encoder row is entirely padding.
    pub const START: u8 = 1;
    /// Separates the inputs of one example.
    pub const SEP: u8 = 2;
    /// Separates the inputs from the output.
    pub const ARROW: u8 = 3;
    /// Any character outside printable ASCII.
    pub const UNK: u8 = 4;
    const FIRST: u8 = 5;
    /// Size of the vocabulary.
    pub const SIZE: usize = FIRST as usize + 95;

    /// The id of one character.
    pub fn id(c: char) -> u8 {
        match c {
            ' '..='~' => FIRST + (c as u8 - b' '),
            _ => UNK,
        }
    }

    /// Renders one example as character ids: START, the inputs separated by SEP, ARROW, the
    /// output. The texts are SMT-LIB literals (strings keep their quotes, so `"3"` and `3` differ).
    /// At most `max` ids: the output keeps up to half of them, the inputs get the rest.
    pub fn render(inputs: &[&str], output: &str, max: usize) -> Vec<u8> {
        let out: Vec<u8> = output.chars().map(id).collect();
        let mut ins: Vec<u8> = Vec::new();
        for (i, s) in inputs.iter().enumerate() {
            if i > 0 {
                ins.push(SEP);
            }
            ins.extend(s.chars().map(id));
        }
        let room = max.saturating_sub(2);
        let out_len = out.len().min(room / 2).max(room.saturating_sub(ins.len())).min(out.len());
        let in_len = ins.len().min(room - out_len);
        let mut ids = Vec::with_capacity(max);
        ids.push(START);
        ids.extend_from_slice(&ins[..in_len]);
        ids.push(ARROW);
        ids.extend_from_slice(&out[..out_len]);
        ids.truncate(max);
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quill_lang::resolve::{var, Scope};
    use quill_lang::sexpr::read_one;

    fn params() -> Vec<(Symbol, Sort)> {
        vec![("name".into(), Sort::String), ("n".into(), Sort::Int)]
    }

    fn parse(text: &str) -> Term {
        let mut scope = Scope::default();
        for (i, (n, s)) in params().iter().enumerate() {
            scope.vars.push((n.to_string(), var(i, n, *s)));
        }
        scope.term(&read_one(text).unwrap()).unwrap()
    }

    #[test]
    fn terms_round_trip_through_tokens() {
        let v = Vocab::standard();
        for text in [
            "(str.++ (str.at name 0) \".\")",
            "(str.++ name \"xyz\" (str.from_int (- n 1)))",
            "(ite (str.prefixof \"Dr\" name) (str.substr name 4 (str.len name)) (str.replace name \" \" \"\"))",
            "(+ (- n) 17)",
            "(str.at name (- 1))",
        ] {
            let t = parse(text);
            let (mut toks, mut lits) = (Vec::new(), Vec::new());
            v.encode(&t, &mut toks, &mut lits).unwrap();
            assert_eq!(v.decode(&toks, &params(), &lits).unwrap(), t, "{text}");
        }
    }

    #[test]
    fn quill_helpers_have_tokens_and_foreign_ones_do_not() {
        let v = Vocab::standard();
        let ours = Arc::new(quill_lang::grammar::last_indexof());
        let name = parse("name");
        let t = Term::App(Func::Defined(ours.clone()), vec![name.clone(), Term::Lit(Value::str("/"))]);
        let (mut toks, mut lits) = (Vec::new(), Vec::new());
        v.encode(&t, &mut toks, &mut lits).unwrap();
        assert_eq!(v.get(toks[0]), Some(&ProgTok::Helper("last_indexof".into(), 2)));
        assert_eq!(v.decode(&toks, &params(), &lits).unwrap(), t);
        // Same name, different body: not Quill's helper, so no token.
        let mut foreign = (*ours).clone();
        foreign.body = Term::Lit(Value::Int(0));
        let f = Term::App(Func::Defined(Arc::new(foreign)), vec![name.clone(), name]);
        let err = v.encode(&f, &mut Vec::new(), &mut Vec::new()).unwrap_err();
        assert!(matches!(err, TokenError::Unsupported(_)), "{err}");
    }

    #[test]
    fn an_older_checkpoints_vocabulary_is_a_prefix_without_the_new_tokens() {
        let v = Vocab::standard();
        // The first shipped checkpoint had 145 tokens; the case operators and the helper came after.
        let old = Vocab::of_texts(&v.texts()[..145]).expect("a prefix is accepted");
        assert_eq!(old.len(), 145);
        let upper = Term::app(Op::StrToUpper, vec![parse("name")]);
        assert!(v.encode(&upper, &mut Vec::new(), &mut Vec::new()).is_ok());
        assert!(matches!(old.encode(&upper, &mut Vec::new(), &mut Vec::new()), Err(TokenError::NoToken(_))));
        let mut other = v.texts()[..145].to_vec();
        other.swap(10, 11);
        assert!(Vocab::of_texts(&other).is_none(), "a reordered vocabulary is not a prefix");
        let mut longer = v.texts();
        longer.push("str.rev/1".into());
        assert!(Vocab::of_texts(&longer).is_none(), "a vocabulary with tokens this build lacks");
    }

    #[test]
    fn uncommon_literals_become_lit_tokens() {
        let v = Vocab::standard();
        let (mut toks, mut lits) = (Vec::new(), Vec::new());
        v.encode(&parse("(str.++ name \"xyz\")"), &mut toks, &mut lits).unwrap();
        assert_eq!(toks[2], LIT);
        assert_eq!(lits, vec![Value::str("xyz")]);
        assert_eq!(v.get(toks[1]), Some(&ProgTok::Param(0)));
    }

    #[test]
    fn malformed_sequences_are_errors() {
        let v = Vocab::standard();
        let concat = v.id(&ProgTok::Op(Op::StrConcat, 2)).unwrap();
        let p0 = v.id(&ProgTok::Param(0)).unwrap();
        let p1 = v.id(&ProgTok::Param(1)).unwrap();
        assert!(v.decode(&[concat, p0], &params(), &[]).is_err());
        assert!(v.decode(&[concat, p0, p1], &params(), &[]).is_err(), "ill-sorted");
        assert!(v.decode(&[p0, p0], &params(), &[]).is_err());
        assert!(v.decode(&[9999], &params(), &[]).is_err());
    }

    #[test]
    fn rendering_keeps_part_of_the_output_when_inputs_are_long() {
        let long = "x".repeat(100);
        let ids = chars::render(&[&long, "3"], "\"abc\"", 16);
        assert_eq!(ids.len(), 16);
        assert_eq!(ids[0], chars::START);
        let arrow = ids.iter().position(|c| *c == chars::ARROW).unwrap();
        assert_eq!(&ids[arrow + 1..], &"\"abc\"".chars().map(chars::id).collect::<Vec<_>>()[..]);
        assert_eq!(chars::render(&["a"], "b", 16).len(), 4);
    }
}
