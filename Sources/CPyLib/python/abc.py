"""Abstract base classes. ABCMeta records a class's abstract methods when the class is made (__abstractmethods__)
and refuses instances while any remain; register() records a virtual subclass that isinstance() does not consult
(the engine does not call a metaclass's __instancecheck__). An abstract method under @property or @classmethod is not seen (mpsh's property and
classmethod objects do not show the function they wrap), so only plain abstract methods are enforced."""

__all__ = ["ABC", "ABCMeta", "abstractmethod", "abstractclassmethod", "abstractstaticmethod", "abstractproperty",
           "get_cache_token", "update_abstractmethods"]


def abstractmethod(funcobj):
    funcobj.__isabstractmethod__ = True
    return funcobj


class abstractclassmethod(classmethod):
    __isabstractmethod__ = True

    def __init__(self, callable):
        callable.__isabstractmethod__ = True
        classmethod.__init__(self, callable)


class abstractstaticmethod(staticmethod):
    __isabstractmethod__ = True

    def __init__(self, callable):
        callable.__isabstractmethod__ = True
        staticmethod.__init__(self, callable)


class abstractproperty(property):
    __isabstractmethod__ = True


def _is_abstract(value):
    if getattr(value, "__isabstractmethod__", False):
        return True
    for inner in ("__func__", "fget", "fset", "fdel"):
        f = getattr(value, inner, None)
        if f is not None and getattr(f, "__isabstractmethod__", False):
            return True
    return False


def _abstract_names(cls):
    names = set()
    for base in cls.__mro__:
        for name in vars(base):
            names.add(name)
    found = []
    for name in names:
        if name.startswith("__") and name.endswith("__") and name not in ("__call__", "__iter__", "__len__",
                "__getitem__", "__contains__", "__hash__", "__next__", "__enter__", "__exit__", "__eq__"):
            continue
        value = None
        for base in cls.__mro__:
            d = vars(base)
            if name in d:
                value = d[name]
                break
        if _is_abstract(value):
            found.append(name)
    return frozenset(found)


_abstracts_of = {}
_registry = {}
_token = [0]


def update_abstractmethods(cls):
    _abstracts_of[cls] = _abstract_names(cls)
    return cls


class ABCMeta(type):
    """The metaclass of ABC: records each class's abstract methods (__abstractmethods__) when the class is made;
    making an instance of a class that still has some is refused (ABC.__new__, or ABCMeta.__call__)."""

    def __new__(mcls, name, bases, namespace, **kwargs):
        cls = super().__new__(mcls, name, bases, namespace, **kwargs)
        abstract = _abstract_names(cls)
        _abstracts_of[cls] = abstract
        cls.__abstractmethods__ = abstract
        return cls

    def __call__(cls, *args, **kwargs):
        _refuse_abstract(cls)
        return super().__call__(*args, **kwargs)

    def register(cls, subclass):
        if not isinstance(subclass, type):
            raise TypeError("Can only register classes")
        _registry.setdefault(cls, []).append(subclass)
        _token[0] += 1
        return subclass


def _refuse_abstract(cls):
    abstract = _abstracts_of.get(cls)
    if abstract is None:
        abstract = _abstract_names(cls)
        _abstracts_of[cls] = abstract
    if abstract:
        names = sorted(abstract)
        raise TypeError("Can't instantiate abstract class %s with abstract method%s %s"
                        % (cls.__name__, "s" if len(names) > 1 else "", ", ".join(names)))


class ABC(metaclass=ABCMeta):
    __slots__ = ()

    def __new__(cls, *args, **kwargs):
        _refuse_abstract(cls)
        return object.__new__(cls)

    @classmethod
    def register(cls, subclass):
        if not isinstance(subclass, type):
            raise TypeError("Can only register classes")
        _registry.setdefault(cls, []).append(subclass)
        _token[0] += 1
        return subclass


def get_cache_token():
    return _token[0]
