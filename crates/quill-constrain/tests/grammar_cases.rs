//! Hand-picked programs the Python grammar must accept (code a model writes for MBPP-like tasks)
//! and must reject (invalid Python, in particular the lexical traps described in the grammar's
//! header).

use quill_constrain::{grammar_accepts, python_function_grammar};

const ACCEPT: &[&str] = &[
    "def f(x):\n    return x",
    "def f(x):\n    return x\n",
    "def f(x): return x + 1\n\n",
    "import math\nfrom collections import Counter, defaultdict\n\ndef f(n: int) -> bool:\n    return math.sqrt(n) > 2\n",
    "def remove_Occ(s, ch):\n    \"\"\"Remove the first and last occurrence of ch.\"\"\"\n    i = s.find(ch)\n    if i != -1:\n        s = s[:i] + s[i + 1:]\n    j = s.rfind(ch)\n    if j != -1:\n        s = s[:j] + s[j + 1:]\n    return s",
    "def f(xs, key=None, *args, reverse=False, **kw):\n    # sort them\n    return sorted(xs, key=lambda x: -x, reverse=True)",
    "def f(a):\n    res = [x * 2 for x in a if x % 2 == 0]\n    d = {k: v for k, v in zip(a, a)}\n    s = {x for x in a}\n    g = sum(x for x in a)\n    return res, d, s, g",
    "def f(n):\n    total = 0\n    for i in range(1, n + 1):\n        if i % 3 == 0 and not i % 5 == 0:\n            total += i\n        elif i in (7, 11):\n            continue\n        else:\n            break\n    while total > 100:\n        total //= 2\n    return total",
    "def f(x):\n    try:\n        return int(x)\n    except (ValueError, TypeError) as e:\n        raise ValueError(f\"bad {x!r}: {e}\") from e\n    finally:\n        pass",
    "def f(path):\n    with open(path) as fh:\n        return [line.strip() for line in fh]",
    "def f(a, b):\n    a, b = b, a\n    first, *rest = a\n    x = a if a is not None else b\n    return x[::-1], rest[1:-1], {**b}, [*a, *b]",
    "def f(n):\n    def helper(k):\n        return k * k\n    return list(map(helper, range(n)))",
    "def f(s):\n    count = {}\n    for ch in s:\n        count[ch] = count.get(ch, 0) + 1\n    return max(count, key=count.get)",
    "def f(x):\n    return x ** 2 if x > 0 else -x // 3 % 4 << 1 | 2 & 3 ^ ~x",
    "def f(lst):\n    return sorted(\n        lst,\n        key=len,\n    )",
    "def f(s):\n    return r'\\d+' + 'it\\'s' + \"\\n\\t\" + b'ab'.decode() + '''x\"y'''",
    "def f():\n    return 1 if True else 0",
    "def f(x):\n    return [1 for _ in x]",
    "def f(x):\n    return 1.5e3 + .5 + 1_000 + 0x1F + 2j",
    "def f(x):\n\n    # comment line\n        # indented comment\n    return x  # trailing",
    "def f(a):\n    if a:\n        if a:\n            if a:\n                if a:\n                    if a:\n                        return 1\n    return 0",
    "def g(x):\n    return x\n\n\ndef f(x):\n    return g(x)\n",
    "def f(x):\n    global y\n    assert x, 'message'\n    del x\n    return",
    "def f(x):\n    yield x\n    yield",
    "def f(x):\n    for i in range(x):\n        pass\n    else:\n        return i",
    "import re\ndef f(s):\n    return re.sub(r'[aeiou]', '', s)",
    "def f(n):\n    count = 0; i = 1;\n    while i < n: i += 1; count += i\n    return count;",
    "def f(t):\n    for x in t:\n        yield from g(x)",
    "def f(s):\n    return re.match(r\"\"\"^[0-9]+(\\.[0-9]{1,2})?$\"\"\", s)",
    "def f(a, b):\n    return tuple(x + y\n\t\tfor x, y in zip(a, b)\n        if x)",
    "def f(a, b):\n    a[0], a[1] == a[1], a[0]",
    "def f(x):\n    x.y, x[0] = 1, 2\n    x.z: int = 3\n    (a, b) = [c, d] = x\n    return a",
];

const REJECT: &[(&str, &str)] = &[
    ("def f(x):\n    return 1if x else 2", "number glued to a keyword"),
    ("def f(x):\n    return x if 1else 2", "number glued to else"),
    ("def f(x):\n    return [i for i in x if i>0or i<1]", "number glued to or"),
    ("def f(x):\n    return x if x elsex", "keyword glued to a name"),
    ("def f(x):\n  return x", "two-space indentation"),
    ("def f(x):\n     return x", "five-space indentation"),
    ("def f(x):\n\treturn x", "tab indentation"),
    ("def f(x):\n    return x\n        y = 1", "unexpected indent"),
    ("def f(a=1, b):\n    return a", "non-default after default"),
    ("def f(x):\n    return f(a=1, x)", "positional after keyword"),
    ("def f(x):\n    return f(**a, *b)", "star after double star"),
    ("def f(x):\n    x = *a", "lone starred value"),
    ("def f(x):\n    f() = 1", "assignment to a call"),
    ("def f(x):\n    1 = x", "assignment to a literal"),
    ("def f(x):\n    return '\\d'", "invalid escape"),
    ("def f(x):\n    return 'abc", "unterminated string"),
    ("def f(x):\n    return 01", "leading zero"),
    ("def f(x):\n    return 1e", "incomplete exponent"),
    ("def for(x):\n    return x", "keyword as a name"),
    ("def f(x):\n    return x\nprint(f(1))", "statement after the functions"),
    ("x = 1", "no function"),
    ("x = 1\ndef f(x):\n    return x", "top-level assignment (kept out so a model cannot ramble there)"),
    ("def f(x):\n    return x\n\n# test\n", "top-level comment after the functions"),
    ("def f(x):\n    y = 1\n# note\n    return y", "comment line left of its block (kept out: see NL1)"),
    ("def f(x):\n    return f'{x'", "unclosed f-string field"),
    ("def f(x):\n    return b'é'", "non-ASCII bytes"),
    ("def f(x):\n    return (x for x in y, 1)", "generator with a sibling"),
    ("def f(x):\n    del *x", "deleting a starred target"),
    ("def f(x):\n    return x\r\n", "carriage return"),
    ("def f(x):\n    x = 1;;", "double semicolon"),
    ("def f(x):\n    x = 1; if x: pass", "compound statement after a semicolon"),
    ("def f(x):\n    return (x\n    for x in y", "unclosed generator"),
    ("def f(x):\n    for x in y\n    if x: pass", "newline before a clause outside brackets"),
    (
        "def f(x):\n    return f\"\"\"a\"\"\"",
        "triple-quoted f-string (f\"\" then \"a\" would differ from Python)",
    ),
    ("def f(x):\n    return \"\"\"\"a\"\"\"\"", "triple-quoted string ending in a quote"),
];

#[test]
fn accepts_typical_functions() {
    let g = python_function_grammar(None, false).unwrap();
    let rejected: Vec<&str> = ACCEPT.iter().copied().filter(|s| !grammar_accepts(&g, s).unwrap()).collect();
    assert!(rejected.is_empty(), "rejected:\n{}", rejected.join("\n-----\n"));
}

#[test]
fn rejects_invalid_python() {
    let g = python_function_grammar(None, false).unwrap();
    for (src, why) in REJECT {
        assert!(!grammar_accepts(&g, src).unwrap(), "accepted ({why}):\n{src}");
    }
}

#[test]
fn fixed_name_is_required() {
    let g = python_function_grammar(Some("remove_Occ"), false).unwrap();
    assert!(grammar_accepts(&g, "def remove_Occ(s, c):\n    return s").unwrap());
    assert!(
        grammar_accepts(&g, "def helper(c):\n    return c\n\ndef remove_Occ(s, c):\n    return s").unwrap()
    );
    assert!(
        !grammar_accepts(&g, "def remove_Occ(s, c):\n    return s\n\ndef helper(c):\n    return c").unwrap()
    );
    assert!(!grammar_accepts(&g, "def remove_occ(s, c):\n    return s").unwrap());
    assert!(!grammar_accepts(&g, "def remove_Occx(s, c):\n    return s").unwrap());
}

#[test]
fn fenced_form_wraps_the_code() {
    let g = python_function_grammar(Some("f"), true).unwrap();
    assert!(grammar_accepts(&g, "```python\ndef f(x):\n    return x\n```").unwrap());
    assert!(grammar_accepts(&g, "```\ndef f(x):\n    return x```").unwrap());
    assert!(!grammar_accepts(&g, "def f(x):\n    return x").unwrap());
    assert!(!grammar_accepts(&g, "```python\ndef f(x):\n    return x\n```\nThis function...").unwrap());
}
