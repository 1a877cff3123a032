# The class statement's protocol: metaclasses, __prepare__, __init_subclass__, __set_name__, type(name, bases, ns).

class Registry(type):
    classes = []

    def __new__(mcs, name, bases, ns, **kw):
        ns['made_by'] = mcs.__name__
        cls = super().__new__(mcs, name, bases, ns)
        mcs.classes.append(name)
        return cls

    def __init__(cls, name, bases, ns, **kw):
        super().__init__(name, bases, ns)
        cls.init_kw = sorted(kw)

    def __iter__(cls):
        return iter(sorted(k for k in cls.__dict__ if not k.startswith('_')))

    def __len__(cls):
        return len(list(iter(cls)))

    def __contains__(cls, item):
        return item in list(iter(cls))

    def __getitem__(cls, key):
        return getattr(cls, key)

    def describe(cls):
        return 'class ' + cls.__name__

    @property
    def upper_name(cls):
        return cls.__name__.upper()


class Base(metaclass=Registry):
    alpha = 1
    beta = 2


class Derived(Base, flavour='x'):
    gamma = 3


print(type(Base).__name__, type(Derived).__name__)
print(Registry.classes)
print(Base.made_by, Derived.made_by, Derived.init_kw)
print(list(Base), len(Base), 'alpha' in Base, 'zeta' in Base)
print(Base['beta'], Derived.describe(), Derived.upper_name)
print(isinstance(Base, Registry), isinstance(Base, type), isinstance(Base(), Base))
print(issubclass(Registry, type))


# __call__ on the metaclass: a singleton
class Singleton(type):
    def __call__(cls, *args, **kw):
        if not hasattr(cls, '_instance'):
            cls._instance = super().__call__(*args, **kw)
        return cls._instance


class Config(metaclass=Singleton):
    def __init__(self, value):
        self.value = value


a = Config(1)
b = Config(2)
print(a is b, a.value, b.value)


# __prepare__ returning a dict that records the definition order
class Ordered(type):
    @classmethod
    def __prepare__(mcs, name, bases, **kw):
        d = dict()
        d['prepared'] = True
        return d

    def __new__(mcs, name, bases, ns):
        cls = super().__new__(mcs, name, bases, ns)
        cls.order = [k for k in ns if not k.startswith('__')]
        return cls


class Fields(metaclass=Ordered):
    z = 1
    a = 2
    m = 3

print(Fields.order, Fields.prepared)


# __init_subclass__ with keywords, and the plugin pattern
class Plugin:
    registry = {}

    def __init_subclass__(cls, name=None, **kw):
        super().__init_subclass__(**kw)
        Plugin.registry[name or cls.__name__] = cls


class Csv(Plugin, name='csv'):
    pass


class Json(Plugin):
    pass


print(sorted(Plugin.registry), Plugin.registry['csv'] is Csv)

try:
    class Bad(Csv, colour='red'):
        pass
except TypeError as e:
    print('TypeError:', e)

try:
    class Plain(colour='red'):
        pass
except TypeError as e:
    print('TypeError:', e)


# __set_name__ on descriptors
class Field:
    def __set_name__(self, owner, name):
        self.owner = owner.__name__
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return obj.__dict__.get(self.name, 'unset ' + self.name)


class Record:
    title = Field()
    year = Field()


r = Record()
print(Record.title.name, Record.title.owner, Record.year.name)


# type(name, bases, ns) and a metaclass conflict
Point = type('Point', (object,), {'x': 1, 'norm': lambda self: self.x * 2})
print(Point.__name__, Point().norm(), type(Point) is type)
Sub = Registry('Sub', (Base,), {'delta': 4})
print(type(Sub).__name__, list(Sub), Registry.classes[-1])


class OtherMeta(type):
    pass


class Other(metaclass=OtherMeta):
    pass

try:
    class Both(Base, Other):
        pass
except TypeError as e:
    print('TypeError:', e)


# a function as the metaclass
def upper_attrs(name, bases, ns):
    return type(name, bases, {k.upper() if not k.startswith('__') else k: v for k, v in ns.items()})


class Shout(metaclass=upper_attrs):
    quiet = 1

print(hasattr(Shout, 'QUIET'), hasattr(Shout, 'quiet'))


# a metaclass's __new__ sees the class namespace; methods keep their __class__ cell (super() inside them works)
class Tracing(type):
    def __new__(mcs, name, bases, ns):
        ns['traced'] = sorted(k for k in ns if callable(ns[k]))
        return super().__new__(mcs, name, bases, ns)


class A(metaclass=Tracing):
    def hello(self):
        return 'A.hello'


class B(A):
    def hello(self):
        return 'B+' + super().hello()

print(A.traced, B.traced, B().hello())
