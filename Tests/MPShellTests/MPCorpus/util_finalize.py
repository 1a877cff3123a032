# multiprocessing.util.Finalize: called once (then inactive), cancelled, and at the end of the process those with
# an exit priority run, highest first (the last made first among equals), those of 0 or more before the children
# are joined and the others after; a forked child runs only its own.
import multiprocessing
from multiprocessing import util


def say(*words, sep=" "):
    print(*words, sep=sep, flush=True)


def child():
    util.Finalize(None, say, args=("child's own, at its end",), exitpriority=1)


if __name__ == "__main__":
    once = util.Finalize(None, say, args=("called", "once"), kwargs={"sep": ", "}, exitpriority=3)
    print(once.still_active(), repr(once))
    with_object = util.Finalize(say, say, args=("never",), exitpriority=2)
    print(repr(with_object))
    with_object.cancel()
    print(once(), once.still_active(), once())
    util.Finalize(None, say, args=("priority 10",), exitpriority=10)
    util.Finalize(None, say, args=("priority 0, first made",), exitpriority=0)
    util.Finalize(None, say, args=("priority 0, made last",), exitpriority=0)
    util.Finalize(None, say, args=("priority -5, after the join",), exitpriority=-5)
    gone = util.Finalize(None, say, args=("cancelled",), exitpriority=7)
    gone.cancel()
    print(gone.still_active(), repr(gone))
    try:
        util.Finalize(None, say)
    except ValueError as e:
        print("ValueError:", e)
    try:
        util.Finalize(None, say, exitpriority=1.5)
    except TypeError as e:
        print("TypeError:", str(e).split(" must")[0])
    p = multiprocessing.Process(target=child)
    p.start()
    p.join()
    print("child exit code", p.exitcode)
    print("the end")
