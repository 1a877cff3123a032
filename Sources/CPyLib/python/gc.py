"""The garbage collector interface. mpsh frees an object by reference counting as soon as its last reference
goes (Swift's ARC); the cycle collector (Sources/PyLang/Objects/Cycles.swift) finds the groups of containers that
only refer to one another and frees them: at collect(), and automatically when the number of containers has
grown by the threshold (or doubled) since the last collection. There is one generation: every collection looks
at every container, and the generation arguments are checked, not used."""

import _gc

DEBUG_STATS = 1
DEBUG_COLLECTABLE = 2
DEBUG_UNCOLLECTABLE = 4
DEBUG_SAVEALL = 32
DEBUG_LEAK = 38

garbage = []
callbacks = []
_enabled = True
_debug = 0
_threshold = (700, 10, 10)


def enable():
    global _enabled
    _enabled = True
    _gc.set_automatic(_threshold[0] != 0)


def disable():
    global _enabled
    _enabled = False
    _gc.set_automatic(False)


def isenabled():
    return _enabled


def collect(generation=2):
    if not isinstance(generation, int):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(generation).__name__)
    if generation not in (0, 1, 2):
        raise ValueError("invalid generation")
    info = {"generation": generation, "collected": 0, "uncollectable": 0}
    for cb in list(callbacks):
        cb("start", info)
    if _debug & DEBUG_STATS:
        import sys
        print("gc: collecting generation %d..." % generation, file=sys.stderr)
    n = _gc.collect(garbage if _debug & DEBUG_SAVEALL else None)
    if _debug & DEBUG_STATS:
        import sys
        print("gc: done, %d unreachable, 0 uncollectable." % n, file=sys.stderr)
    info = {"generation": generation, "collected": n, "uncollectable": 0}
    for cb in list(callbacks):
        cb("stop", info)
    return n


def get_count():
    return (min(_gc.count(), 9999), 0, 0)


def get_threshold():
    return _threshold


def set_threshold(threshold0, threshold1=None, threshold2=None):
    global _threshold
    t = list(_threshold)
    t[0] = threshold0
    if threshold1 is not None:
        t[1] = threshold1
    if threshold2 is not None:
        t[2] = threshold2
    _threshold = tuple(t)
    # CPython's threshold counts allocations between young collections; here every collection is a full one,
    # so it waits for at least ten thousand more containers (or for their number to double)
    _gc.set_min_growth(max(10000, threshold0 * 10))
    _gc.set_automatic(_enabled and threshold0 != 0)


def get_debug():
    return _debug


def set_debug(flags):
    global _debug
    _debug = flags


def get_objects(generation=None):
    if generation is not None and generation not in (0, 1, 2):
        raise ValueError("generation parameter must be 0, 1 or 2") if generation >= 0 else \
            ValueError("generation parameter cannot be negative")
    return _gc.get_objects()


def get_stats():
    collections, collected = _gc.stats()
    return [{"collections": 0, "collected": 0, "uncollectable": 0},
            {"collections": 0, "collected": 0, "uncollectable": 0},
            {"collections": collections, "collected": collected, "uncollectable": 0}]


get_referrers = _gc.get_referrers    # native: an argument tuple here would be one more referrer
get_referents = _gc.get_referents


def is_tracked(obj):
    return _gc.is_tracked(obj)


def is_finalized(obj):
    return False


freeze = _gc.freeze          # every container alive now is left out of later collections
unfreeze = _gc.unfreeze
get_freeze_count = _gc.get_freeze_count
