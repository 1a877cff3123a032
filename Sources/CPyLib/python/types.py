"""Names for the interpreter's types, and SimpleNamespace."""

import sys as _sys

__all__ = ["FunctionType", "LambdaType", "GeneratorType", "BuiltinFunctionType", "BuiltinMethodType", "ModuleType",
           "MethodType", "NoneType", "EllipsisType", "NotImplementedType", "SimpleNamespace", "new_class"]


def _f():
    pass


def _g():
    yield 1


class _C:
    def _m(self):
        pass


FunctionType = type(_f)
LambdaType = type(lambda: None)
GeneratorType = type(_g())
BuiltinFunctionType = type(len)
BuiltinMethodType = type([].append)
MethodType = type(_C()._m)
ModuleType = type(_sys)
NoneType = type(None)
EllipsisType = type(Ellipsis)
NotImplementedType = type(NotImplemented)
del _f, _g, _C


class SimpleNamespace:
    def __init__(self, *args, **kwargs):
        if args:
            raise TypeError("no positional arguments expected")
        for k, v in kwargs.items():
            setattr(self, k, v)

    def __getattr__(self, name):
        raise AttributeError("'types.SimpleNamespace' object has no attribute '%s'" % name)

    def __repr__(self):
        return "namespace(%s)" % ", ".join("%s=%r" % (k, v) for k, v in vars(self).items())

    def __eq__(self, other):
        if isinstance(self, SimpleNamespace) and isinstance(other, SimpleNamespace):
            return vars(self) == vars(other)
        return NotImplemented

    __hash__ = None


def new_class(name, bases=(), kwds=None, exec_body=None):
    ns = {}
    if exec_body is not None:
        exec_body(ns)
    return type(name, tuple(bases) if bases else (object,), ns)
