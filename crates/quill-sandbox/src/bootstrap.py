# Runs a candidate program as __main__. The program arrives on the descriptor named in argv[1], so
# that stdin stays the candidate's own input and no file is needed.
def _quill_run():
    import builtins, os, sys

    fd = int(sys.argv[1])
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    source = b"".join(chunks).decode("utf-8", "replace")
    sys.argv[:] = ["<candidate>"]
    # `python -S` leaves out site's exit() and quit(); programs do call them.
    builtins.exit = builtins.quit = sys.exit
    env = {"__name__": "__main__", "__builtins__": builtins}
    try:
        exec(compile(source, "<candidate>", "exec"), env)
    except SystemExit:
        raise
    except BaseException as e:
        import linecache, traceback

        linecache.cache["<candidate>"] = (len(source), None, source.splitlines(True), "<candidate>")
        # Drop this bootstrap frame: the traceback should show only the candidate's code.
        traceback.print_exception(type(e), e, e.__traceback__.tb_next)
        raise SystemExit(1)


_quill_run()
