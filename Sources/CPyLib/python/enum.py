"""Enumerations, as CPython's enum (3.11): Enum, IntEnum, StrEnum, Flag, IntFlag, auto, unique, the functional
API, iteration in definition order, aliases, lookups by value and name, reprs and errors.

What differs: mpsh's int and str cannot be subclassed as values, so IntEnum/IntFlag/StrEnum members are not
instances of int/str; they compare, hash, order, format and do arithmetic as their values do (int(m), m + 1,
m == 1, '%d' % m), which is what programs use them for. Members can be reassigned (Color.RED = 5): the engine does not yet call
a metaclass's __setattr__, where CPython refuses it."""

__all__ = ["EnumType", "EnumMeta", "Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum", "auto", "unique",
           "verify", "member", "nonmember", "FlagBoundary", "STRICT", "CONFORM", "EJECT", "KEEP",
           "global_enum", "EnumCheck", "CONTINUOUS", "NAMED_FLAGS", "UNIQUE"]


class _Auto:
    pass


_auto_null = _Auto()


class auto:
    """Instances are replaced with an appropriate value in Enum class suites."""

    def __init__(self, value=_auto_null):
        self.value = value

    def __repr__(self):
        return "auto(%r)" % (self.value,)

    # CPython's class body sees auto() values at once (READ | WRITE works there); here they are generated when
    # the class is made, so an expression of them is kept and worked out then, in definition order
    def __or__(self, other):
        return _AutoExpr(lambda a, b: a | b, self, other)

    def __ror__(self, other):
        return _AutoExpr(lambda a, b: a | b, other, self)

    def __and__(self, other):
        return _AutoExpr(lambda a, b: a & b, self, other)

    def __xor__(self, other):
        return _AutoExpr(lambda a, b: a ^ b, self, other)


class _AutoExpr(auto):
    def __init__(self, op, left, right):
        auto.__init__(self)
        self._op, self._left, self._right = op, left, right

    def _resolve(self):
        def v(x):
            if isinstance(x, _AutoExpr):
                return x._resolve()
            if isinstance(x, auto):
                return x._resolved
            return x
        return self._op(v(self._left), v(self._right))


class member:
    def __init__(self, value):
        self.value = value


class nonmember:
    def __init__(self, value):
        self.value = value




def _is_dunder(name):
    return len(name) > 4 and name[:2] == name[-2:] == '__' and name[2] != '_' and name[-3] != '_'


def _is_sunder(name):
    return len(name) > 2 and name[0] == name[-1] == '_' and name[1] != '_' and name[-2] != '_'


def _is_descriptor(obj):
    return hasattr(obj, '__get__') or hasattr(obj, '__set__') or hasattr(obj, '__delete__') or \
        isinstance(obj, (classmethod, staticmethod, property)) or callable(obj) and not isinstance(obj, (auto, member))


def _is_private(cls_name, name):
    pattern = '_%s__' % (cls_name.lstrip('_'),)
    return name.startswith(pattern) and not name.endswith('__')


class EnumType(type):
    """Metaclass for Enum."""

    @classmethod
    def __prepare__(metacls, cls, bases, **kwds):
        return {}

    def __new__(metacls, cls, bases, classdict, *, boundary=None, _simple=False, **kwds):
        members = []
        body = {}
        for key, value in classdict.items():
            if isinstance(value, nonmember):
                body[key] = value.value
            elif isinstance(value, member):
                members.append((key, value.value))
            elif _is_dunder(key) or _is_sunder(key) or _is_private(cls, key) or _is_descriptor(value) \
                    or isinstance(value, type):
                body[key] = value
            else:
                members.append((key, value))
        for key, _ in members:
            if key in ('mro', ''):
                raise ValueError('invalid enum member name: {0!r}'.format(key))
        body['_member_names_'] = []
        body['_member_map_'] = {}
        body['_value2member_map_'] = {}
        body['_unhashable_values_'] = []
        enum_class = super().__new__(metacls, cls, bases, body, **kwds)
        base_enums = [b for b in enum_class.__mro__[1:] if isinstance(b, EnumType)]
        for b in base_enums:
            if b._member_names_:
                raise TypeError('%s: cannot extend enumeration %r' % (cls, b.__name__))
        enum_class._boundary_ = boundary or getattr(enum_class, '_boundary_', None)
        last_values = []
        gen = enum_class._generate_next_value_
        custom_new = None
        for klass in enum_class.__mro__:
            if '__new__' in klass.__dict__ and klass is not object and klass.__module__ != 'enum':
                custom_new = klass.__dict__['__new__']
                break
        for name, value in members:
            if isinstance(value, _AutoExpr):
                value = value._resolve()
            elif isinstance(value, auto):
                a = value
                if value.value is _auto_null:
                    value = gen(name, 1, len(enum_class._member_names_), last_values[:])
                else:
                    value = value.value
                a._resolved = value
            elif isinstance(value, tuple) and any(isinstance(v, auto) for v in value):
                value = tuple(gen(name, 1, len(enum_class._member_names_), last_values[:]) if isinstance(v, auto) else v
                              for v in value)
            last_values.append(value)
            args = value if isinstance(value, tuple) else (value,)
            if custom_new is not None:
                m = custom_new(enum_class, *args)
                if not hasattr(m, '_value_'):
                    m._value_ = value
            else:
                m = object.__new__(enum_class)
                m._value_ = enum_class._convert_value_(value) if hasattr(enum_class, '_convert_value_') else value
            m._name_ = name
            m.__objclass__ = enum_class
            init = getattr(enum_class, '__init__', None)
            if init is not None and init is not object.__init__ and getattr(init, '__module__', None) != 'enum' and '__init__' in _own_dicts(enum_class):
                m.__init__(*args)
            m._sort_order_ = len(enum_class._member_names_)
            canonical = None
            try:
                canonical = enum_class._value2member_map_.get(m._value_)
            except TypeError:
                for other in enum_class._member_map_.values():
                    if other._value_ == m._value_:
                        canonical = other
                        break
            if canonical is None:
                for other in enum_class._member_map_.values():
                    if other._value_ == m._value_:
                        canonical = other
                        break
            if canonical is not None:
                m = canonical
            else:
                if Flag is None or not issubclass(enum_class, Flag) or _is_single_bit(m._value_):
                    enum_class._member_names_.append(name)
            enum_class._member_map_[name] = m
            try:
                enum_class._value2member_map_.setdefault(m._value_, m)
            except TypeError:
                enum_class._unhashable_values_.append(m._value_)
            setattr(enum_class, name, m)
        if Flag is not None and issubclass(enum_class, Flag):
            all_bits = 0
            for m in enum_class._member_map_.values():
                all_bits |= m._value_
            enum_class._flag_mask_ = all_bits
            enum_class._all_bits_ = 2 ** all_bits.bit_length() - 1 if all_bits else 0
        if '__init_subclass__' in body:
            pass
        return enum_class

    def __bool__(cls):
        return True

    def __call__(cls, value, names=None, *, module=None, qualname=None, type=None, start=1, boundary=None):
        if names is None:
            return cls.__new_member_lookup__(value)
        return cls._create_(value, names, module=module, qualname=qualname, type=type, start=start)

    def __new_member_lookup__(cls, value):
        if isinstance(value, cls):
            return value
        try:
            return cls._value2member_map_[value]
        except KeyError:
            pass
        except TypeError:
            for m in cls._member_map_.values():
                if m._value_ == value:
                    return m
        if Flag is not None and issubclass(cls, Flag) and isinstance(value, int):
            return cls._missing_flag_(value)
        result = cls._missing_(value)
        if isinstance(result, cls):
            return result
        if result is None:
            raise ValueError("%r is not a valid %s" % (value, cls.__qualname__))
        raise TypeError("error in %s._missing_: returned %r instead of None or a valid member"
                        % (cls.__name__, result))

    def _create_(cls, class_name, names, *, module=None, qualname=None, type=None, start=1):
        bases = (cls,) if type is None else (type, cls)
        classdict = {}
        if isinstance(names, str):
            names = names.replace(',', ' ').split()
        if isinstance(names, (tuple, list)) and names and isinstance(names[0], str):
            original, names = names, []
            last_values = []
            for count, name in enumerate(original):
                value = cls._generate_next_value_(name, start, count, last_values[:])
                last_values.append(value)
                names.append((name, value))
        items = names.items() if isinstance(names, dict) else names
        for item in items:
            if isinstance(item, str):
                member_name, member_value = item, names[item]
            else:
                member_name, member_value = item
            classdict[member_name] = member_value
        enum_class = EnumType.__new__(EnumType, class_name, bases, classdict)
        enum_class.__module__ = module or '__main__'
        if qualname is not None:
            enum_class.__qualname__ = qualname
        return enum_class

    def __contains__(cls, member):
        if not isinstance(member, Enum):
            raise TypeError("unsupported operand type(s) for 'in': '%s' and '%s'" % (
                type(member).__qualname__, cls.__class__.__qualname__))
        return isinstance(member, cls) and member._name_ in cls._member_map_

    def __getitem__(cls, name):
        return cls._member_map_[name]

    def __iter__(cls):
        return (cls._member_map_[name] for name in cls._member_names_)

    def __reversed__(cls):
        return (cls._member_map_[name] for name in reversed(cls._member_names_))

    def __len__(cls):
        return len(cls._member_names_)

    @property
    def __members__(cls):
        return dict(cls._member_map_)

    def __repr__(cls):
        if Flag is not None and issubclass(cls, Flag):
            return "<flag %r>" % cls.__name__
        return "<enum %r>" % cls.__name__



EnumMeta = EnumType
# the classes the metaclass refers to, defined below (None while Enum itself is being made)
Enum = Flag = IntFlag = None


def _own_dicts(cls):
    # the names the enum's own classes (not enum's) define
    names = set()
    for klass in cls.__mro__:
        if klass is not object and klass.__module__ != 'enum':
            names.update(klass.__dict__)
    return names


def _is_single_bit(num):
    if not isinstance(num, int) or num == 0:
        return False
    num &= num - 1
    return num == 0


class Enum(metaclass=EnumType):
    """Create a collection of name/value pairs."""

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        if not last_values:
            return start
        try:
            last = sorted(last_values)[-1] if all(isinstance(v, int) for v in last_values) else last_values[-1]
            return last + 1
        except TypeError:
            raise TypeError('unable to sort non-numeric values') from None

    @classmethod
    def _missing_(cls, value):
        return None

    def __repr__(self):
        return "<%s.%s: %r>" % (self.__class__.__name__, self._name_, self._value_)

    def __str__(self):
        return "%s.%s" % (self.__class__.__name__, self._name_)

    def __format__(self, format_spec):
        return format(str(self), format_spec)

    def __hash__(self):
        return hash(self._name_)

    def __reduce_ex__(self, proto):
        return self.__class__, (self._value_,)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __dir__(self):
        return ['__class__', '__doc__', '__eq__', '__hash__', '__module__', 'name', 'value']

    @property
    def name(self):
        return self._name_

    @property
    def value(self):
        return self._value_


class ReprEnum(Enum):
    """Only changes the repr(), leaving str() and format() to the mixed-in type."""


class _IntLike:
    """The int behaviour of IntEnum and IntFlag members (mpsh's int is not subclassable as a value)."""

    def __int__(self):
        return self._value_

    def __index__(self):
        return self._value_

    def __float__(self):
        return float(self._value_)

    def __bool__(self):
        return bool(self._value_)

    def __eq__(self, other):
        if isinstance(other, Enum):
            other = other._value_
        return self._value_ == other

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self._value_)

    def __lt__(self, other):
        return self._value_ < int(other)

    def __le__(self, other):
        return self._value_ <= int(other)

    def __gt__(self, other):
        return self._value_ > int(other)

    def __ge__(self, other):
        return self._value_ >= int(other)

    def __add__(self, other):
        return self._value_ + other

    def __radd__(self, other):
        return other + self._value_

    def __sub__(self, other):
        return self._value_ - other

    def __rsub__(self, other):
        return other - self._value_

    def __mul__(self, other):
        return self._value_ * other

    def __rmul__(self, other):
        return other * self._value_

    def __floordiv__(self, other):
        return self._value_ // other

    def __truediv__(self, other):
        return self._value_ / other

    def __mod__(self, other):
        return self._value_ % other

    def __neg__(self):
        return -self._value_

    def __abs__(self):
        return abs(self._value_)

    def __lshift__(self, other):
        return self._value_ << other

    def __rshift__(self, other):
        return self._value_ >> other

    def __str__(self):
        return str(self._value_)

    def __format__(self, spec):
        return format(self._value_, spec)


class IntEnum(_IntLike, ReprEnum):
    """Enum where members are also (and must be) ints."""

    @classmethod
    def _convert_value_(cls, value):
        if not isinstance(value, int):
            raise ValueError("invalid literal for int() with base 10: %r" % (value,))
        return value


class StrEnum(ReprEnum):
    """Enum where members are also (and must be) strings."""

    @classmethod
    def _convert_value_(cls, value):
        if not isinstance(value, str):
            raise TypeError('%r is not a string' % (value,))
        return value

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        return name.lower()

    def __str__(self):
        return self._value_

    def __format__(self, spec):
        return format(self._value_, spec)

    def __eq__(self, other):
        if isinstance(other, Enum):
            other = other._value_
        return self._value_ == other

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self._value_)

    def __lt__(self, other):
        return self._value_ < str(other)

    def __len__(self):
        return len(self._value_)

    def __add__(self, other):
        return self._value_ + other

    def __radd__(self, other):
        return other + self._value_

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        return getattr(self._value_, name)


class FlagBoundary:
    pass


STRICT, CONFORM, EJECT, KEEP = 'strict', 'conform', 'eject', 'keep'


class Flag(Enum):
    """Support for flags."""

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        if not count:
            return start if start is not None else 1
        last = max(last_values)
        try:
            high_bit = last.bit_length() - 1
        except Exception:
            raise TypeError('invalid flag value %r' % last) from None
        return 2 ** (high_bit + 1)

    @classmethod
    def _missing_flag_(cls, value):
        if value < 0:
            value = cls._all_bits_ + 1 + value
        if value & ~cls._all_bits_ and not issubclass(cls, IntFlag):
            raise ValueError("%r is not a valid %s" % (value, cls.__qualname__))
        pseudo = object.__new__(cls)
        pseudo._value_ = value
        names = [m._name_ for m in cls if m._value_ & value == m._value_ and m._value_]
        pseudo._name_ = '|'.join(names) if names and sum(cls._member_map_[n]._value_ for n in names) == value else (
            '|'.join(names) if names else None)
        if value & ~cls._flag_mask_:
            pseudo._name_ = None if not names else pseudo._name_
        cls._value2member_map_[value] = pseudo
        return pseudo

    def _members_in(self):
        return [m for m in self.__class__ if m._value_ & self._value_ == m._value_ and m._value_]

    def __iter__(self):
        return iter(self._members_in())

    def __len__(self):
        return len(self._members_in())

    def __contains__(self, other):
        if not isinstance(other, self.__class__):
            raise TypeError("unsupported operand type(s) for 'in': %r and %r" % (
                type(other).__qualname__, self.__class__.__qualname__))
        return other._value_ & self._value_ == other._value_

    def __repr__(self):
        cls_name = self.__class__.__name__
        if self._name_ is None:
            return "<%s: %r>" % (cls_name, self._value_)
        return "<%s.%s: %r>" % (cls_name, self._name_, self._value_)

    def __str__(self):
        cls_name = self.__class__.__name__
        if self._name_ is None:
            return '%s(%r)' % (cls_name, self._value_)
        return "%s.%s" % (cls_name, self._name_)

    def __bool__(self):
        return bool(self._value_)

    def __hash__(self):
        return hash(self._value_)

    def __or__(self, other):
        if isinstance(other, self.__class__):
            other = other._value_
        elif not isinstance(other, int) or not issubclass(self.__class__, IntFlag):
            return NotImplemented
        return self.__class__(self._value_ | other)

    def __and__(self, other):
        if isinstance(other, self.__class__):
            other = other._value_
        elif not isinstance(other, int) or not issubclass(self.__class__, IntFlag):
            return NotImplemented
        return self.__class__(self._value_ & other)

    def __xor__(self, other):
        if isinstance(other, self.__class__):
            other = other._value_
        elif not isinstance(other, int) or not issubclass(self.__class__, IntFlag):
            return NotImplemented
        return self.__class__(self._value_ ^ other)

    __ror__ = __or__
    __rand__ = __and__
    __rxor__ = __xor__

    def __invert__(self):
        return self.__class__(self.__class__._flag_mask_ & ~self._value_)


class IntFlag(_IntLike, ReprEnum, Flag):
    """Support for integer-based Flags."""

    def __or__(self, other):
        return Flag.__or__(self, other)

    def __and__(self, other):
        return Flag.__and__(self, other)

    def __xor__(self, other):
        return Flag.__xor__(self, other)

    __ror__ = __or__
    __rand__ = __and__
    __rxor__ = __xor__

    def __invert__(self):
        return Flag.__invert__(self)

    def __str__(self):
        return str(self._value_)

    def __hash__(self):
        return hash(self._value_)

    def __contains__(self, other):
        return Flag.__contains__(self, other)

    def __iter__(self):
        return Flag.__iter__(self)

    def __len__(self):
        return Flag.__len__(self)

    def __bool__(self):
        return bool(self._value_)


def unique(enumeration):
    """Class decorator for enumerations ensuring unique member values."""
    duplicates = []
    for name, m in enumeration.__members__.items():
        if name != m.name:
            duplicates.append((name, m.name))
    if duplicates:
        alias_details = ', '.join(["%s -> %s" % (alias, name) for (alias, name) in duplicates])
        raise ValueError('duplicate values found in %r: %s' % (enumeration, alias_details))
    return enumeration


class EnumCheck:
    pass


CONTINUOUS, NAMED_FLAGS, UNIQUE = 'no skipped integer values', 'multi-flag aliases may not contain unnamed flags', 'one name per value'


class verify:
    def __init__(self, *checks):
        self.checks = checks

    def __call__(self, enumeration):
        if UNIQUE in self.checks:
            unique(enumeration)
        return enumeration


def global_enum(cls, update_str=False):
    return cls
