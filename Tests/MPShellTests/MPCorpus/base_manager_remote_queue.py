# A queue served by a BaseManager at a TCP address with an authkey, used by two programs: this one and a second
# interpreter started with subprocess, which connects to the running server (connect()), registers the same
# typeid without a callable and puts items; this program's get() waits for them in the server. A client with a
# wrong authkey is refused and the server serves on.
import queue
import subprocess
import sys
from multiprocessing.managers import BaseManager
from multiprocessing import AuthenticationError

shared = queue.Queue()


def get_queue():
    return shared


class QueueManager(BaseManager):
    pass


QueueManager.register("get_queue", callable=get_queue)

SECOND = """
import sys
from multiprocessing.managers import BaseManager
class QueueManager(BaseManager):
    pass
QueueManager.register("get_queue")
m = QueueManager(address=("127.0.0.1", int(sys.argv[-1])), authkey=b"abracadabra")
m.connect()
q = m.get_queue()
for i in range(5):
    q.put(("item", i))
q.put(None)
print("second program put 6 items", flush=True)
"""

if __name__ == "__main__":
    m = QueueManager(address=("127.0.0.1", 0), authkey=b"abracadabra")
    m.start()
    port = m.address[1]
    q = m.get_queue()
    print("empty at first:", q.empty(), q.qsize(), flush=True)
    try:
        q.get(timeout=0.05)
    except queue.Empty:
        print("get(timeout) on the empty remote queue: Empty", flush=True)
    wrong = QueueManager(address=("127.0.0.1", port), authkey=b"wrong")
    try:
        wrong.connect()
    except AuthenticationError as e:
        print("wrong key:", e, flush=True)
    second = subprocess.Popen([sys.executable, "-c", SECOND, "--", str(port)] if "mpsh" in sys.executable
                              else [sys.executable, "-c", SECOND, str(port)])
    got = []
    while True:
        item = q.get()
        if item is None:
            break
        got.append(item)
    code = second.wait(30)   # its line first
    print("first program got:", got)
    print("second exit:", code)
    m.shutdown()
    print("server exit:", m._process.exitcode)
