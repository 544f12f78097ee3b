# Quill's test harness. Runs a candidate program's definitions, then each test statement separately,
# in this one process, and reports on its own descriptor (argv[2]) as JSON lines carrying the run's
# nonce, so that nothing the candidate prints can be taken for a result. The job (nonce, program,
# tests) arrives on the descriptor argv[1] as fields, each `<byte length>\n<UTF-8 bytes>`. Quill times every step from the outside: a test
# that never finishes is killed with the process, and the tests after it are reported as not run.
def _quill_harness():
    # Only built-in modules: `_ast` with compile(..., PyCF_ONLY_AST) instead of `ast`, a hand-made
    # traceback walk instead of `traceback`, and hand-made framing and JSON instead of `json` (which
    # imports `re`). Those imports cost 40-80 ms per run here, more than everything else.
    import _ast as ast, builtins, os, sys

    only_ast = 0x400  # ast.PyCF_ONLY_AST

    limit = 2000  # characters kept of any repr or message

    def read_all(fd):
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(fd)
        return b"".join(chunks)

    raw = read_all(int(sys.argv[1]))
    fields = []
    pos = 0
    while pos < len(raw):
        nl = raw.index(b"\n", pos)
        n = int(raw[pos:nl])
        fields.append(raw[nl + 1:nl + 1 + n].decode("utf-8"))
        pos = nl + 1 + n
    nonce, program, tests = fields[0], fields[1], fields[2:]
    del raw, fields
    out = int(sys.argv[2])

    escapes = {i: "\\u%04x" % i for i in range(32)}
    escapes[ord('"')] = '\\"'
    escapes[ord("\\")] = "\\\\"

    def enc(v):
        if v is None:
            return "null"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, dict):
            return "{" + ",".join('"%s":%s' % (k, enc(x)) for k, x in v.items()) + "}"
        return '"' + v.translate(escapes) + '"'

    def send(msg):
        msg["nonce"] = nonce
        data = (enc(msg) + "\n").encode("utf-8", "replace")
        while data:
            data = data[os.write(out, data):]

    def clip(s):
        return s if len(s) <= limit else s[:limit] + "..."

    def safe_repr(v):
        try:
            return clip(repr(v))
        except BaseException as e:
            return "<repr failed: %s>" % type(e).__name__

    sources = {}

    def describe(e):
        # The innermost frame in the candidate's or a test's code (named "<...>"), with its line.
        where = None
        tb = e.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code
            if code.co_filename in sources:
                where = 'File "%s", line %s, in %s' % (code.co_filename, tb.tb_lineno, code.co_name)
                lines = sources[code.co_filename]
                if tb.tb_lineno is not None and 0 < tb.tb_lineno <= len(lines):
                    where += ": " + lines[tb.tb_lineno - 1].strip()
            tb = tb.tb_next
        try:
            message = clip(str(e))
        except BaseException:
            message = "<str failed>"
        return {"type": type(e).__name__, "message": message, "location": where}

    def remember(name, source):
        sources[name] = source.splitlines()

    sys.argv[:] = ["<candidate>"]
    builtins.exit = builtins.quit = sys.exit
    remember("<candidate>", program)
    try:
        code = compile(program, "<candidate>", "exec")
    except SyntaxError as e:
        send({"ev": "program", "status": "syntax", "error": {
            "type": type(e).__name__, "message": clip(str(e.msg)),
            "location": "line %s, column %s: %s" % (e.lineno, e.offset, (e.text or "").strip())}})
        return
    env = {"__name__": "__candidate__", "__builtins__": builtins}
    try:
        exec(code, env)
    except BaseException as e:
        send({"ev": "program", "status": "error", "error": describe(e)})
        return
    send({"ev": "program", "status": "ok"})

    ops = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Lt: lambda a, b: a < b,
           ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
           ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b,
           ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b}

    def evaluate(node, name):
        return eval(compile(ast.Expression(node), name, "eval"), env)

    def run_test(i, test):
        name = "<test %d>" % i
        remember(name, test)
        try:
            tree = compile(test, name, "exec", only_ast)
        except SyntaxError as e:
            return {"status": "bad_test", "message": clip("%s (column %s)" % (e.msg, e.offset))}
        try:
            stmt = tree.body[0] if len(tree.body) == 1 else None
            if isinstance(stmt, ast.Assert):
                t = stmt.test
                if isinstance(t, ast.Compare) and len(t.ops) == 1 and type(t.ops[0]) in ops:
                    # Split `assert LHS op RHS` so that a failure can say what LHS actually was.
                    lhs = evaluate(t.left, name)
                    rhs = evaluate(t.comparators[0], name)
                    if ops[type(t.ops[0])](lhs, rhs):
                        return {"status": "passed"}
                    return {"status": "failed", "actual": safe_repr(lhs), "expected": safe_repr(rhs)}
                value = evaluate(t, name)
                if value:
                    return {"status": "passed"}
                return {"status": "failed", "actual": safe_repr(value), "expected": None}
            exec(compile(tree, name, "exec"), env)
            return {"status": "passed"}
        except AssertionError as e:
            return {"status": "failed", "actual": None, "expected": None, "error": describe(e)}
        except BaseException as e:
            return {"status": "error", "error": describe(e)}

    for i, test in enumerate(tests):
        result = run_test(i, test)
        result.update(ev="test", i=i)
        send(result)
    send({"ev": "end"})


_quill_harness()
