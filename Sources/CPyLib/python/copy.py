"""Shallow and deep copies: copy(x) and deepcopy(x, memo)."""

__all__ = ["Error", "copy", "deepcopy"]


class Error(Exception):
    pass


error = Error

_atomic = (type(None), int, float, bool, str, bytes, range, type, type(len), type(lambda: 0), frozenset,
           type(Ellipsis), type(NotImplemented))


def _is_atomic(x):
    if x is None or x is Ellipsis or x is NotImplemented:
        return True
    t = type(x)
    return t in _atomic or isinstance(x, type)


def _new_like(x):
    cls = type(x)
    if isinstance(x, (list, dict, set)):
        # mpsh makes the list (dict, set) part of a subclass's instance when it is called, not in __new__
        try:
            return cls()
        except TypeError:
            pass
    return cls.__new__(cls)


def _set_state(y, state):
    setstate = getattr(y, "__setstate__", None)
    if setstate is not None and hasattr(type(y), "__setstate__"):
        setstate(state)
        return
    for k, v in state.items():
        object.__setattr__(y, k, v)


def _get_state(x):
    getstate = getattr(type(x), "__getstate__", None)
    if getstate is not None:
        return x.__getstate__()
    try:
        return dict(x.__dict__)
    except AttributeError:
        return None


def copy(x):
    cls = type(x)
    if _is_atomic(x):
        return x
    if cls is list:
        return x[:]
    if cls is dict:
        return x.copy()
    if cls is set:
        return x.copy()
    if cls is tuple:
        return x
    if cls is bytearray:
        return x[:]
    c = getattr(cls, "__copy__", None)
    if c is not None:
        return x.__copy__()
    if not hasattr(x, "__dict__") and not isinstance(x, (list, dict, set)):
        raise TypeError("cannot pickle '%s' object" % cls.__name__)
    y = _new_like(x)
    if isinstance(x, list):
        y.extend(x)
    elif isinstance(x, dict):
        y.update(x)
    elif isinstance(x, set):
        y.update(x)
    state = _get_state(x)
    if state:
        _set_state(y, state)
    return y


def deepcopy(x, memo=None, _nil=[]):
    if memo is None:
        memo = {}
    d = id(x)
    y = memo.get(d, _nil)
    if y is not _nil:
        return y
    cls = type(x)
    if _is_atomic(x):
        return x
    if cls is list:
        y = []
        memo[d] = y
        for a in x:
            y.append(deepcopy(a, memo))
    elif cls is tuple:
        items = [deepcopy(a, memo) for a in x]
        # a tuple that held itself through a list was copied on the way
        if d in memo:
            return memo[d]
        same = True
        for a, b in zip(x, items):
            if a is not b:
                same = False
                break
        y = x if same else tuple(items)
    elif cls is dict:
        y = {}
        memo[d] = y
        for k, v in x.items():
            y[deepcopy(k, memo)] = deepcopy(v, memo)
    elif cls is set:
        y = set()
        memo[d] = y
        for a in x:
            y.add(deepcopy(a, memo))
    elif cls is bytearray:
        y = x[:]
    else:
        c = getattr(cls, "__deepcopy__", None)
        if c is not None:
            y = x.__deepcopy__(memo)
        else:
            if not hasattr(x, "__dict__") and not isinstance(x, (list, dict, set)):
                raise TypeError("cannot pickle '%s' object" % cls.__name__)
            y = _new_like(x)
            memo[d] = y
            if isinstance(x, list):
                for a in x:
                    y.append(deepcopy(a, memo))
            elif isinstance(x, dict):
                for k, v in x.items():
                    y[deepcopy(k, memo)] = deepcopy(v, memo)
            elif isinstance(x, set):
                for a in x:
                    y.add(deepcopy(a, memo))
            state = _get_state(x)
            if state:
                _set_state(y, deepcopy(state, memo))
    if y is not x:
        memo[d] = y
        _keep_alive(x, memo)
    return y


def _keep_alive(x, memo):
    # the memo holds the originals too, so that no id in it can be reused by a new object while it lives
    try:
        memo[id(memo)].append(x)
    except KeyError:
        memo[id(memo)] = [x]
