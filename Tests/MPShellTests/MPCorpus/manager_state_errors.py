# A manager's state checks: start() and get_server() on a manager already started or shut down raise
# ProcessError with CPython's text, as does `with` on a shut-down manager and a state the manager does not know.
import multiprocessing
from multiprocessing.managers import BaseManager


class Counter:
    def __init__(self):
        self.n = 0

    def bump(self):
        self.n += 1
        return self.n


class CounterManager(BaseManager):
    pass


CounterManager.register("Counter", Counter)


def attempt(what, call):
    try:
        call()
        print(what, "ok")
    except multiprocessing.ProcessError as e:
        print(what, type(e).__name__, e)


if __name__ == "__main__":
    m = CounterManager()
    server = m.get_server()          # not started: a server object, and the manager stays initial
    print("server before start:", type(server).__name__)
    m.start()
    c = m.Counter()
    print("bump:", c.bump(), c.bump())
    attempt("start again:", m.start)
    attempt("get_server after start:", m.get_server)
    m.shutdown()
    attempt("start after shutdown:", m.start)
    attempt("get_server after shutdown:", m.get_server)
    attempt("with after shutdown:", lambda: m.__enter__())

    odd = CounterManager()
    odd._state.value = 7
    attempt("unknown state start:", odd.start)
    attempt("unknown state get_server:", odd.get_server)
    attempt("unknown state with:", lambda: odd.__enter__())
