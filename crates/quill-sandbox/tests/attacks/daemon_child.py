# Leaves a daemon behind: double fork, new session, then exec a long sleep; the parent exits at once.
import os

r, w = os.pipe()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.write(w, b"%d\n" % os.getpid())
        os.execv("/bin/sleep", ["sleep", "100"])
    os._exit(0)
os.close(w)
print(os.read(r, 100).decode().strip())
