"""Functions to run when the program ends, as CPython's atexit: last registered, first run; an exception in one
is reported ("Exception ignored in atexit callback") and the rest still run. mpsh runs them when the program
ends normally or by SystemExit, in the process that registered them (a forked child, which ends with _exit,
does not run its parent's)."""

import os as _os
import sys as _sys

_callbacks = []
_owner = _os.getpid()


def register(func, *args, **kwargs):
    if not callable(func):
        raise TypeError('the first argument must be callable')
    _callbacks.append((func, args, kwargs))
    return func


def unregister(func):
    _callbacks[:] = [c for c in _callbacks if c[0] != func]


def _clear():
    del _callbacks[:]


def _ncallbacks():
    return len(_callbacks)


def _run_exitfuncs():
    if _os.getpid() != _owner:
        del _callbacks[:]
        return
    while _callbacks:
        func, args, kwargs = _callbacks.pop()
        try:
            func(*args, **kwargs)
        except SystemExit:
            pass
        except BaseException as e:
            import traceback
            print('Exception ignored in atexit callback: %r' % (func,), file=_sys.stderr)
            traceback.print_exception(e, file=_sys.stderr)
