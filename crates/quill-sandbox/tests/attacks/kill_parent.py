# Tries to kill the process that started it (the test itself) and to signal init.
import os, signal

for name, pid in [("parent", os.getppid()), ("init", 1)]:
    try:
        os.kill(pid, signal.SIGKILL if name == "parent" else 0)
        print("ESCAPED:", name)
    except OSError as e:
        print("denied:", name, type(e).__name__)
