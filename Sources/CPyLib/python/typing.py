"""Type hints at run time: the names programs import, with CPython's reprs. mpsh checks no types; a subscripted
class (Stack[int]) is the class itself, so Generic and Protocol are plain base classes. NamedTuple's class form
reads the class's annotations when its first instance is made (there is no class-creation hook without
metaclasses), and its instances are not tuples."""

import collections
import collections as _collections

__all__ = ["Any", "Callable", "ClassVar", "Final", "Generic", "Literal", "Optional", "Protocol", "Tuple", "Type",
           "TypeVar", "Union", "AbstractSet", "ByteString", "Container", "Hashable", "ItemsView", "Iterable",
           "Iterator", "KeysView", "Mapping", "MappingView", "MutableMapping", "MutableSequence", "MutableSet",
           "Sequence", "Sized", "ValuesView", "Awaitable", "AsyncIterator", "AsyncIterable", "Coroutine",
           "Collection", "AsyncGenerator", "Reversible", "SupportsAbs", "SupportsBytes", "SupportsComplex",
           "SupportsFloat", "SupportsIndex", "SupportsInt", "SupportsRound", "Counter", "Deque", "Dict",
           "DefaultDict", "List", "OrderedDict", "Set", "FrozenSet", "NamedTuple", "TypedDict", "Generator",
           "AnyStr", "cast", "final", "get_args", "get_origin", "get_type_hints", "NewType", "no_type_check",
           "overload", "runtime_checkable", "Text", "TYPE_CHECKING", "NoReturn", "Never", "Self", "TypeAlias",
           "ParamSpec", "Concatenate", "assert_never", "reveal_type", "LiteralString", "Annotated", "Required",
           "NotRequired", "Unpack", "TypeVarTuple", "TypeGuard", "IO", "TextIO", "BinaryIO", "Pattern", "Match"]

TYPE_CHECKING = False


def _type_repr(obj):
    if isinstance(obj, type):
        if obj.__module__ == "builtins":
            return obj.__qualname__
        return "%s.%s" % (obj.__module__, obj.__qualname__)
    if obj is ...:
        return "..."
    if obj is None:
        return "None"
    if obj is type(None):
        return "NoneType"
    if isinstance(obj, list):
        return "[%s]" % ", ".join(_type_repr(a) for a in obj)
    if callable(obj) and hasattr(obj, "__name__") and not isinstance(obj, (_Form, _Alias, TypeVar)):
        return obj.__name__
    return repr(obj)


class _Form:
    """A special form or a bare generic name: typing.Any, typing.List, ..., subscripted into an _Alias."""

    def __init__(self, name, origin=None, nparams=-1, inst=True):
        self._name = name
        self.__origin__ = origin
        self._nparams = nparams
        self._inst = inst

    def __repr__(self):
        return "typing." + self._name

    def __getitem__(self, params):
        if not isinstance(params, tuple):
            params = (params,)
        params = tuple(type(None) if p is None else p for p in params)
        if self._name == "Union":
            return _union(params)
        if self._name == "Optional":
            if len(params) != 1:
                raise TypeError("typing.Optional requires a single type. Got %r." % (params,))
            return _union((params[0], type(None)))
        if self._name == "Any":
            raise TypeError("type 'Any' is not subscriptable")
        if self._name in ("NoReturn", "Never", "Self", "LiteralString", "TypeAlias"):
            raise TypeError("%r is not subscriptable" % self)
        if self._nparams >= 0 and self._name not in ("Tuple", "Callable") and len(params) != self._nparams:
            raise TypeError("Too %s arguments for %r; actual %d, expected %d"
                            % ("many" if len(params) > self._nparams else "few", self, len(params), self._nparams))
        return _Alias(self, params)

    def __call__(self, *args, **kwargs):
        if self._inst and self.__origin__ is not None:
            return self.__origin__(*args, **kwargs)
        if self.__origin__ is not None:
            raise TypeError("Type %s cannot be instantiated; use %s() instead"
                            % (self._name, self.__origin__.__name__))
        raise TypeError("Cannot instantiate %r" % self)

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return hash(self._name)

    def __or__(self, other):
        return _union((self, other))

    def __ror__(self, other):
        return _union((other, self))


class _Alias:
    """A subscripted form: typing.List[int], typing.Dict[str, int], typing.Optional[int], ..."""

    def __init__(self, form, args):
        self._form = form
        self._name = form._name
        self.__origin__ = form.__origin__ if form.__origin__ is not None else form
        self.__args__ = args

    def __repr__(self):
        if self._name == "Union":
            if len(self.__args__) == 2 and type(None) in self.__args__:
                other = self.__args__[0] if self.__args__[1] is type(None) else self.__args__[1]
                return "typing.Optional[%s]" % _type_repr(other)
        if self._name == "Callable" and len(self.__args__) == 2:
            params, result = self.__args__
            return "typing.Callable[%s, %s]" % (_type_repr(params), _type_repr(result))
        if not self.__args__ and self._name == "Tuple":
            return "typing.Tuple[()]"
        return "typing.%s[%s]" % (self._name, ", ".join(_type_repr(a) for a in self.__args__))

    def __eq__(self, other):
        if not isinstance(other, _Alias):
            return NotImplemented
        if self._name == "Union" and other._name == "Union":
            return set(self.__args__) == set(other.__args__)
        return self.__origin__ == other.__origin__ and self.__args__ == other.__args__

    def __hash__(self):
        return hash((self._name, self.__args__))

    def __getitem__(self, params):
        # substitute type variables: Dict[str, T][int]
        if not isinstance(params, tuple):
            params = (params,)
        tvars = [a for a in self.__args__ if isinstance(a, TypeVar)]
        if len(tvars) != len(params):
            raise TypeError("Too %s arguments for %r" % ("many" if len(params) > len(tvars) else "few", self))
        subst = dict(zip(tvars, params))
        return _Alias(self._form, tuple(subst.get(a, a) if isinstance(a, TypeVar) else a for a in self.__args__))

    def __call__(self, *args, **kwargs):
        return self._form(*args, **kwargs)

    def __or__(self, other):
        return _union((self, other))

    def __ror__(self, other):
        return _union((other, self))


def _union(params):
    flat = []
    for p in params:
        if p is None:
            p = type(None)
        if isinstance(p, _Alias) and p._name == "Union":
            items = p.__args__
        else:
            items = (p,)
        for q in items:
            if q not in flat:
                flat.append(q)
    if len(flat) == 1:
        return flat[0]
    return _Alias(Union, tuple(flat))


Any = _Form("Any", inst=False)
NoReturn = _Form("NoReturn", inst=False)
Never = _Form("Never", inst=False)
Self = _Form("Self", inst=False)
LiteralString = _Form("LiteralString", inst=False)
TypeAlias = _Form("TypeAlias", inst=False)
Union = _Form("Union", inst=False)
Optional = _Form("Optional", inst=False)
ClassVar = _Form("ClassVar", nparams=1, inst=False)
Final = _Form("Final", nparams=1, inst=False)
Literal = _Form("Literal", inst=False)
Annotated = _Form("Annotated", inst=False)
Required = _Form("Required", nparams=1, inst=False)
NotRequired = _Form("NotRequired", nparams=1, inst=False)
Unpack = _Form("Unpack", nparams=1, inst=False)
TypeGuard = _Form("TypeGuard", nparams=1, inst=False)
Concatenate = _Form("Concatenate", inst=False)

List = _Form("List", list, 1, False)
Dict = _Form("Dict", dict, 2, False)
Set = _Form("Set", set, 1, False)
FrozenSet = _Form("FrozenSet", frozenset, 1, False)
Tuple = _Form("Tuple", tuple, -1, False)
Type = _Form("Type", type, 1, False)
DefaultDict = _Form("DefaultDict", collections.defaultdict, 2, False)
OrderedDict = _Form("OrderedDict", collections.OrderedDict, 2, True)
Counter = _Form("Counter", collections.Counter, 1, False)
Deque = _Form("Deque", collections.deque, 1, False)
Callable = _Form("Callable", None, -1, False)
Iterable = _Form("Iterable", None, 1, False)
Iterator = _Form("Iterator", None, 1, False)
Generator = _Form("Generator", None, 3, False)
AsyncGenerator = _Form("AsyncGenerator", None, 2, False)
AsyncIterable = _Form("AsyncIterable", None, 1, False)
AsyncIterator = _Form("AsyncIterator", None, 1, False)
Awaitable = _Form("Awaitable", None, 1, False)
Coroutine = _Form("Coroutine", None, 3, False)
Sequence = _Form("Sequence", None, 1, False)
MutableSequence = _Form("MutableSequence", None, 1, False)
Mapping = _Form("Mapping", None, 2, False)
MutableMapping = _Form("MutableMapping", None, 2, False)
AbstractSet = _Form("AbstractSet", None, 1, False)
MutableSet = _Form("MutableSet", None, 1, False)
Collection = _Form("Collection", None, 1, False)
Container = _Form("Container", None, 1, False)
Reversible = _Form("Reversible", None, 1, False)
Hashable = _Form("Hashable", None, 0, False)
Sized = _Form("Sized", None, 0, False)
ItemsView = _Form("ItemsView", None, 2, False)
KeysView = _Form("KeysView", None, 1, False)
ValuesView = _Form("ValuesView", None, 1, False)
MappingView = _Form("MappingView", None, 1, False)
ByteString = _Form("ByteString", None, 0, False)
IO = _Form("IO", None, 1, False)
TextIO = _Form("TextIO", None, 0, False)
BinaryIO = _Form("BinaryIO", None, 0, False)
Pattern = _Form("Pattern", None, 1, False)
Match = _Form("Match", None, 1, False)
Text = str


class TypeVar:
    def __init__(self, name, *constraints, bound=None, covariant=False, contravariant=False):
        if covariant and contravariant:
            raise ValueError("Bivariant types are not supported.")
        if len(constraints) == 1:
            raise TypeError("A single constraint is not allowed")
        self.__name__ = name
        self.__constraints__ = constraints
        self.__bound__ = bound
        self.__covariant__ = covariant
        self.__contravariant__ = contravariant

    def __repr__(self):
        if self.__covariant__:
            prefix = "+"
        elif self.__contravariant__:
            prefix = "-"
        else:
            prefix = "~"
        return prefix + self.__name__

    def __or__(self, other):
        return _union((self, other))

    def __ror__(self, other):
        return _union((other, self))


class ParamSpec(TypeVar):
    def __init__(self, name, *, bound=None, covariant=False, contravariant=False):
        TypeVar.__init__(self, name, bound=bound, covariant=covariant, contravariant=contravariant)


class TypeVarTuple:
    def __init__(self, name):
        self.__name__ = name

    def __repr__(self):
        return self.__name__


AnyStr = TypeVar("AnyStr", bytes, str)


class Generic:
    """A base for generic classes: class Stack(Generic[T]) (Generic[T] is Generic itself in mpsh)."""
    __slots__ = ()


class Protocol(Generic):
    __slots__ = ()


class _SupportsBase(Protocol):
    __slots__ = ()


class SupportsInt(_SupportsBase):
    __slots__ = ()


class SupportsFloat(_SupportsBase):
    __slots__ = ()


class SupportsComplex(_SupportsBase):
    __slots__ = ()


class SupportsBytes(_SupportsBase):
    __slots__ = ()


class SupportsIndex(_SupportsBase):
    __slots__ = ()


class SupportsAbs(_SupportsBase):
    __slots__ = ()


class SupportsRound(_SupportsBase):
    __slots__ = ()


def runtime_checkable(cls):
    return cls


def final(f):
    try:
        f.__final__ = True
    except (AttributeError, TypeError):
        pass
    return f


def overload(func):
    def _overload_dummy(*args, **kwds):
        raise NotImplementedError("You should not call an overloaded function. A series of @typing.overload-"
                                  "decorated functions outside a stub module should always be followed by an "
                                  "implementation that is not @typing.overload-ed.")
    return _overload_dummy


def no_type_check(arg):
    return arg


def no_type_check_decorator(decorator):
    return decorator


def cast(typ, val):
    return val


def assert_type(val, typ):
    return val


def assert_never(arg):
    value = repr(arg)
    if len(value) > 100:
        value = value[:100] + "..."
    raise AssertionError("Expected code to be unreachable, but got: %s" % value)


def reveal_type(obj):
    import sys
    print("Runtime type is %r" % type(obj).__name__, file=sys.stderr)
    return obj


def get_origin(tp):
    if isinstance(tp, _Alias):
        if tp._name == "Union":
            return Union
        return tp.__origin__
    if tp is Generic:
        return Generic
    return None


def get_args(tp):
    if isinstance(tp, _Alias):
        args = tp.__args__
        if tp._name == "Callable" and len(args) == 2 and isinstance(args[0], list):
            return (args[0], args[1])
        return args
    return ()


def get_type_hints(obj, globalns=None, localns=None, include_extras=False):
    hints = {}
    if isinstance(obj, type):
        for base in reversed(obj.__mro__):
            hints.update(getattr(base, "__annotations__", None) or {})
        return hints
    return dict(getattr(obj, "__annotations__", None) or {})


class NewType:
    def __init__(self, name, tp):
        self.__name__ = name
        self.__qualname__ = name
        self.__supertype__ = tp

    def __call__(self, x):
        return x

    def __repr__(self):
        return "__main__." + self.__name__


class NamedTuple:
    """class Point(NamedTuple): x: int; y: int = 0 -- fields from the annotations, read on first use."""

    def __new__(cls, *args, **kwargs):
        if cls is NamedTuple:
            # the functional form: NamedTuple("Point", [("x", int), ("y", int)])
            if len(args) < 1:
                raise TypeError("NamedTuple() missing 1 required positional argument: 'typename'")
            fields = args[1] if len(args) > 1 else kwargs.pop("fields", None) or list(kwargs.items())
            return _collections.namedtuple(args[0], [f[0] for f in fields])
        fields, defaults = _fields_of(cls)
        if len(args) > len(fields):
            least = len(fields) - len(defaults)
            raise TypeError("%s.__new__() takes %s positional arguments but %d were given"
                            % (cls.__name__, ("from %d to %d" % (least + 1, len(fields) + 1)) if defaults
                               else str(len(fields) + 1), len(args) + 1))
        values = list(args)
        for name in fields[len(args):]:
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif name in defaults:
                values.append(defaults[name])
            else:
                missing = [n for n in fields[len(values):] if n not in kwargs and n not in defaults]
                raise TypeError("%s.__new__() missing %d required positional argument%s: %s"
                                % (cls.__name__, len(missing), "s" if len(missing) > 1 else "",
                                   " and ".join(", ".join(repr(m) for m in missing).rsplit(", ", 1))))
        for name in kwargs:
            if name in fields:
                raise TypeError("%s.__new__() got multiple values for argument '%s'" % (cls.__name__, name))
            raise TypeError("%s.__new__() got an unexpected keyword argument '%s'" % (cls.__name__, name))
        self = object.__new__(cls)
        object.__setattr__(self, "_values", tuple(values))
        for name, v in zip(fields, values):
            object.__setattr__(self, name, v)
        return self

    def __setattr__(self, name, value):
        raise AttributeError("can't set attribute")

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)

    def __getitem__(self, i):
        return self._values[i]

    def __eq__(self, other):
        if isinstance(other, NamedTuple):
            return self._values == other._values
        if isinstance(other, tuple):
            return self._values == other
        return NotImplemented

    def __ne__(self, other):
        r = self.__eq__(other)
        return r if r is NotImplemented else not r

    def __lt__(self, other):
        return self._values < tuple(other)

    def __le__(self, other):
        return self._values <= tuple(other)

    def __gt__(self, other):
        return self._values > tuple(other)

    def __ge__(self, other):
        return self._values >= tuple(other)

    def __hash__(self):
        return hash(self._values)

    def __repr__(self):
        fields, _ = _fields_of(type(self))
        return "%s(%s)" % (type(self).__name__, ", ".join("%s=%r" % (n, v) for n, v in zip(fields, self._values)))

    def __add__(self, other):
        return self._values + tuple(other)

    def count(self, value):
        return self._values.count(value)

    def index(self, value):
        return self._values.index(value)

    def _asdict(self):
        fields, _ = _fields_of(type(self))
        return dict(zip(fields, self._values))

    def _replace(self, **kwargs):
        fields, _ = _fields_of(type(self))
        values = dict(zip(fields, self._values))
        for k, v in kwargs.items():
            if k not in values:
                raise ValueError("Got unexpected field names: %r" % [k])
            values[k] = v
        return type(self)(**values)

    @classmethod
    def _make(cls, iterable):
        return cls(*iterable)


_nt_fields = {}


def _fields_of(cls):
    r = _nt_fields.get(cls)
    if r is None:
        fields = []
        for base in reversed(cls.__mro__):
            if base is NamedTuple or base is object:
                continue
            for name in vars(base).get("__annotations__", {}):
                if name not in fields:
                    fields.append(name)
        defaults = {}
        for name in fields:
            for base in cls.__mro__:
                d = vars(base)
                if name in d:
                    defaults[name] = d[name]
                    break
        r = (fields, defaults)
        _nt_fields[cls] = r
        # the class attributes CPython has
        setattr(cls, "_fields", tuple(fields))
        setattr(cls, "_field_defaults", dict(defaults))
    return r


class TypedDict:
    """class Movie(TypedDict): name: str -- Movie(name=...) is a plain dict."""

    def __new__(cls, *args, **kwargs):
        return dict(*args, **kwargs)
