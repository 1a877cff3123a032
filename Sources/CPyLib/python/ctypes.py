"""ctypes' simple C types by name, for multiprocessing.Value/Array and sharedctypes (`Value(c_double, 0.0)`,
`Array(c_int, 10)`): each class carries its struct typecode in `_type_`, instances hold a `.value` converted as
the C type would hold it (ints wrap to their width, c_float rounds to single precision), and sizeof() gives the
C size. Not a foreign-function interface: no CDLL, pointers or Structure layouts."""

import struct as _struct

__all__ = ["c_bool", "c_char", "c_wchar", "c_byte", "c_ubyte", "c_short", "c_ushort", "c_int", "c_uint", "c_long",
           "c_ulong", "c_longlong", "c_ulonglong", "c_size_t", "c_ssize_t", "c_float", "c_double", "c_longdouble",
           "c_char_p", "c_wchar_p", "c_void_p", "c_int8", "c_uint8", "c_int16", "c_uint16", "c_int32", "c_uint32",
           "c_int64", "c_uint64", "sizeof", "alignment", "ArgumentError"]


class ArgumentError(Exception):
    pass


class _SimpleCData:
    _type_ = None

    def __init__(self, value=None):
        self.value = self._default() if value is None else value

    def _default(self):
        return 0

    def __setattr__(self, name, value):
        if name == 'value':
            value = self._convert(value)
        object.__setattr__(self, name, value)

    def _convert(self, value):
        return value

    def __repr__(self):
        return '%s(%r)' % (type(self).__name__, self.value)

    def __bool__(self):
        return bool(self.value)


class _Int(_SimpleCData):
    _signed = True

    def _convert(self, value):
        if isinstance(value, float) or not isinstance(value, int):
            raise TypeError("'%s' object cannot be interpreted as an integer" % type(value).__name__)
        bits = 8 * _struct.calcsize(self._type_)
        value &= (1 << bits) - 1
        if self._signed and value >= 1 << (bits - 1):
            value -= 1 << bits
        return value


class _Float(_SimpleCData):
    def _default(self):
        return 0.0

    def _convert(self, value):
        if not isinstance(value, (int, float)):
            raise TypeError('must be real number, not %s' % type(value).__name__)
        value = float(value)
        if self._type_ == 'f' and abs(value) < 3.4e38:
            value = _struct.unpack('f', _struct.pack('f', value))[0]
        return value


def _int_type(name, code, signed):
    return type(name, (_Int,), {'_type_': code, '_signed': signed, '__module__': 'ctypes'})


c_byte = _int_type('c_byte', 'b', True)
c_ubyte = _int_type('c_ubyte', 'B', False)
c_short = _int_type('c_short', 'h', True)
c_ushort = _int_type('c_ushort', 'H', False)
c_int = _int_type('c_int', 'i', True)
c_uint = _int_type('c_uint', 'I', False)
c_long = _int_type('c_long', 'l', True)
c_ulong = _int_type('c_ulong', 'L', False)
# long long is long on x86-64 Linux: CPython makes them one type
c_longlong, c_ulonglong = c_long, c_ulong


class c_float(_Float):
    _type_ = 'f'


class c_double(_Float):
    _type_ = 'd'


class c_longdouble(_Float):
    _type_ = 'g'


class c_bool(_SimpleCData):
    _type_ = '?'

    def _default(self):
        return False

    def _convert(self, value):
        return bool(value)


class c_char(_SimpleCData):
    _type_ = 'c'

    def _default(self):
        return b'\x00'

    def _convert(self, value):
        if isinstance(value, int) and 0 <= value < 256:
            return bytes([value])
        if isinstance(value, (bytes, bytearray)) and len(value) == 1:
            return bytes(value)
        raise TypeError('one character bytes, bytearray or integer expected')


class c_wchar(_SimpleCData):
    _type_ = 'u'

    def _default(self):
        return '\x00'

    def _convert(self, value):
        if isinstance(value, str) and len(value) == 1:
            return value
        raise TypeError('one character unicode string expected')


class c_char_p(_SimpleCData):
    _type_ = 'z'

    def _default(self):
        return None

    def __init__(self, value=None):
        object.__setattr__(self, 'value', value)

    def _convert(self, value):
        if value is not None and not isinstance(value, bytes):
            raise TypeError('bytes or integer address expected instead of %s instance' % type(value).__name__)
        return value


class c_wchar_p(c_char_p):
    _type_ = 'Z'

    def _convert(self, value):
        if value is not None and not isinstance(value, str):
            raise TypeError('unicode string or integer address expected instead of %s instance' % type(value).__name__)
        return value


class c_void_p(c_char_p):
    _type_ = 'P'

    def _convert(self, value):
        if value is not None and not isinstance(value, int):
            raise TypeError('cannot be converted to pointer')
        return value


c_size_t, c_ssize_t = c_ulong, c_long
c_int8, c_uint8, c_int16, c_uint16 = c_byte, c_ubyte, c_short, c_ushort
c_int32, c_uint32, c_int64, c_uint64 = c_int, c_uint, c_long, c_ulong

_sizes = {'b': 1, 'B': 1, 'h': 2, 'H': 2, 'i': 4, 'I': 4, 'l': 8, 'L': 8, 'q': 8, 'Q': 8, 'f': 4, 'd': 8, 'g': 16,
          '?': 1, 'c': 1, 'u': 4, 'z': 8, 'Z': 8, 'P': 8}


def sizeof(obj_or_type):
    t = obj_or_type if isinstance(obj_or_type, type) else type(obj_or_type)
    code = getattr(t, '_type_', None)
    if code not in _sizes:
        raise TypeError('this type has no size')
    return _sizes[code]


def alignment(obj_or_type):
    return sizeof(obj_or_type)
