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

def _gt_from_lt(self, other):
    r = type(self).__lt__(self, other)
    return r if r is NotImplemented else not r and self != other

def _le_from_lt(self, other):
    r = type(self).__lt__(self, other)
    return r if r is NotImplemented else r or self == other

def _ge_from_lt(self, other):
    r = type(self).__lt__(self, other)
    return r if r is NotImplemented else not r

def _ge_from_le(self, other):
    r = type(self).__le__(self, other)
    return r if r is NotImplemented else not r or self == other

def _lt_from_le(self, other):
    r = type(self).__le__(self, other)
    return r if r is NotImplemented else r and self != other

def _gt_from_le(self, other):
    r = type(self).__le__(self, other)
    return r if r is NotImplemented else not r

def _lt_from_gt(self, other):
    r = type(self).__gt__(self, other)
    return r if r is NotImplemented else not r and self != other

def _ge_from_gt(self, other):
    r = type(self).__gt__(self, other)
    return r if r is NotImplemented else r or self == other

def _le_from_gt(self, other):
    r = type(self).__gt__(self, other)
    return r if r is NotImplemented else not r

def _le_from_ge(self, other):
    r = type(self).__ge__(self, other)
    return r if r is NotImplemented else not r or self == other

def _gt_from_ge(self, other):
    r = type(self).__ge__(self, other)
    return r if r is NotImplemented else r and self != other

def _lt_from_ge(self, other):
    r = type(self).__ge__(self, other)
    return r if r is NotImplemented else not r

_convert = {
    '__lt__': [('__gt__', _gt_from_lt), ('__le__', _le_from_lt), ('__ge__', _ge_from_lt)],
    '__le__': [('__ge__', _ge_from_le), ('__lt__', _lt_from_le), ('__gt__', _gt_from_le)],
    '__gt__': [('__lt__', _lt_from_gt), ('__ge__', _ge_from_gt), ('__le__', _le_from_gt)],
    '__ge__': [('__le__', _le_from_ge), ('__gt__', _gt_from_ge), ('__lt__', _lt_from_ge)],
}

def total_ordering(cls):
    roots = {op for op in _convert if getattr(cls, op, None) is not getattr(object, op, None)}
    if not roots:
        raise ValueError('must define at least one ordering operation: < > <= >=')
    root = max(roots)
    for opname, opfunc in _convert[root]:
        if opname not in roots:
            opfunc.__name__ = opname
            setattr(cls, opname, opfunc)
    return cls
