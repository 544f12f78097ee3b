# Asks for far more memory than the limit, in one piece and then piecemeal.
import sys

try:
    block = bytearray(8 << 30)
    print("allocated 8 GiB")
except MemoryError:
    print("one block refused")
chunks = []
while True:
    chunks.append(bytearray(64 << 20))
