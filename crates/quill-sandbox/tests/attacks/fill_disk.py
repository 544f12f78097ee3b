# Writes 1 MiB files (each under the file-size limit) in its working directory until something stops
# it, then one big file; reports how much it wrote.
import os

written = 0
try:
    for i in range(100000):
        with open("f%d" % i, "wb") as f:
            f.write(b"x" * (1 << 20))
            f.flush()
            os.fsync(f.fileno())
        written += 1 << 20
except OSError as e:
    print("many files stopped:", e.errno)
print("written:", written)
for i in range(100000):
    try:
        os.remove("f%d" % i)
    except OSError:
        break
try:
    with open("big", "wb") as f:
        for _ in range(1024):
            f.write(b"x" * (1 << 20))
            f.flush()
except OSError as e:
    print("big file stopped:", e.errno)
print("big:", os.path.getsize("big"))
