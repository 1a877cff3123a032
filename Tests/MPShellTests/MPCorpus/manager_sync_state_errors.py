# multiprocessing.Manager()'s (a SyncManager's) states, as BaseManager's: Manager() is started, so start() and
# get_server() raise ProcessError 'Already started server'; after shutdown() they and `with` raise 'Manager has
# shut down', and making an object is an AssertionError. A SyncManager made directly starts at start() or `with`,
# makes nothing before, and has no shutdown() until started; a state it does not know is 'Unknown state N'.
import multiprocessing
from multiprocessing.managers import SyncManager


def attempt(what, call):
    try:
        result = call()
        print(what, "ok", type(result).__name__)
    except Exception as e:
        print(what, type(e).__name__, e)


def child(d, ns):
    d["child"] = ns.x * 2


if __name__ == "__main__":
    m = multiprocessing.Manager()
    print("Manager() state:", m._state.value, type(m).__name__)
    d = m.dict(a=1)
    ns = m.Namespace(x=21)
    attempt("start again:", m.start)
    attempt("get_server after start:", m.get_server)
    attempt("with when started:", lambda: m.__enter__())
    p = multiprocessing.Process(target=child, args=(d, ns))
    p.start()
    p.join()
    print("still works:", sorted(d.items()))
    m.shutdown()
    print("after shutdown:", m._state.value)
    attempt("shutdown again:", m.shutdown)
    attempt("start after shutdown:", m.start)
    attempt("get_server after shutdown:", m.get_server)
    attempt("with after shutdown:", lambda: m.__enter__())
    attempt("dict after shutdown:", m.dict)
    attempt("Lock after shutdown:", m.Lock)

    s = SyncManager()
    print("SyncManager() state:", s._state.value)
    attempt("list before start:", s.list)
    attempt("shutdown before start:", lambda: s.shutdown())
    attempt("start with a bad initializer:", lambda: s.start(initializer=5))
    print("still initial:", s._state.value)
    s.start()
    attempt("start again:", s.start)
    print(s.list([1, 2]), s.Value("i", 7).value)
    s.shutdown()
    attempt("start after shutdown:", s.start)

    with SyncManager() as w:
        print("with starts it:", w._state.value, w.dict(k="v")["k"])
    print("with ends it:", w._state.value)
    attempt("with again:", lambda: w.__enter__())

    with multiprocessing.Manager() as wm:
        q = wm.Queue()
        q.put("queued")
        print(q.get())
    attempt("Queue after with:", wm.Queue)

    odd = SyncManager()
    odd._state.value = 7
    attempt("unknown state start:", odd.start)
    attempt("unknown state get_server:", odd.get_server)
    attempt("unknown state with:", lambda: odd.__enter__())
