"""The parts of functools written in Python (the native module imports them): cached_property, total_ordering.

The engine does not call a descriptor class's __get__ for instance attributes, so cached_property is made of a
property here: its getter computes the value once and keeps it in the instance (under a private name, since a
property's own name cannot hold a plain attribute), its setter replaces the kept value and its deleter drops it,
which is what CPython's cached_property lets a program do."""


def cached_property(func):
    key = '_cached_property_' + func.__name__

    def fget(self):
        d = self.__dict__
        if key in d:
            return d[key]
        value = func(self)
        object.__setattr__(self, key, value)
        return value

    def fset(self, value):
        object.__setattr__(self, key, value)

    def fdel(self):
        if key in self.__dict__:
            object.__delattr__(self, key)

    return property(fget, fset, fdel, func.__doc__)


# total_ordering: the class's own ordering method (the root: the last of __lt__, __le__, __gt__, __ge__ by name
# among those it defines) gives the missing ones, each passing NotImplemented on, as CPython's functools does.
# Each derived method is the root's answer, negated or not, then `or self == other`, `and self != other` or as it is.

def _derived(root, negate, tie):
    def op(self, other):
        r = getattr(type(self), root)(self, other)
        if r is NotImplemented:
            return r
        if negate:
            r = not r
        if tie == '==':
            return r or self == other
        if tie == '!=':
            return r and self != other
        return r
    return op

_convert = {
    '__lt__': [('__gt__', True, '!='), ('__le__', False, '=='), ('__ge__', True, None)],
    '__le__': [('__ge__', True, '=='), ('__lt__', False, '!='), ('__gt__', True, None)],
    '__gt__': [('__lt__', True, '!='), ('__ge__', False, '=='), ('__le__', True, None)],
    '__ge__': [('__le__', True, '=='), ('__gt__', False, '!='), ('__lt__', True, None)],
}

def total_ordering(cls):
    roots = {op for op in _convert if getattr(cls, op, None) is not getattr(object, op, None)}
    if not roots:
        raise ValueError('must define at least one ordering operation: < > <= >=')
    root = max(roots)
    for opname, negate, tie in _convert[root]:
        if opname not in roots:
            opfunc = _derived(root, negate, tie)
            opfunc.__name__ = opname
            setattr(cls, opname, opfunc)
    return cls
