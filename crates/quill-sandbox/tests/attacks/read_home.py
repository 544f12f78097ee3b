# Tries to read the user's files: the home directory, a secret in a private directory, the project's
# sources, other processes' environments, and its own environment for leaked variables.
import json, os, sys

p = json.load(sys.stdin)
attempts = {
    "list home": lambda: os.listdir(p["home"]),
    "read canary": lambda: open(p["canary_file"]).read(),
    "list canary dir": lambda: os.listdir(p["canary_dir"]),
    "read project file": lambda: open(p["project_file"]).read(),
    "read /proc/1/environ": lambda: open("/proc/1/environ", "rb").read(),
    "read /etc/shadow": lambda: open("/etc/shadow").read(),
}
for name, act in attempts.items():
    try:
        got = act()
        # The sandbox may show a cover over the home holding only the way to the interpreter.
        if name == "list home" and not set(got) & set(p["home_private"]):
            print("denied:", name, "(a cover: %r)" % got)
        else:
            print("ESCAPED:", name, repr(got)[:200])
    except OSError as e:
        print("denied:", name, type(e).__name__)
leaked = [k for k in os.environ if k not in ("HOME", "TMPDIR", "PATH", "LANG", "LC_ALL")]
print("ESCAPED: environment" if leaked else "denied: environment", leaked)
