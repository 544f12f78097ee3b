# Tries to reach the network: a TCP connection to a port the test listens on, UDP, a listening socket.
import json, socket, sys

p = json.load(sys.stdin)

def tcp():
    s = socket.create_connection(("127.0.0.1", p["port"]), timeout=0.5)
    s.sendall(b"hello")

def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"hello", ("127.0.0.1", p["port"]))
    s.sendto(b"hello", ("8.8.8.8", 53))

def listen():
    s = socket.socket()
    s.bind(("0.0.0.0", 0))
    s.listen()

def unix_abstract():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect("\0" + p["abstract"])

for name, act in [("tcp", tcp), ("udp", udp), ("listen", listen), ("abstract unix", unix_abstract)]:
    try:
        act()
        print("ESCAPED:", name)
    except OSError as e:
        print("denied:", name, type(e).__name__)
