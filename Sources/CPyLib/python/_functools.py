"""The parts of functools written in Python (the native module imports them): cached_property.

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
