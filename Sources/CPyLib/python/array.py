"""Arrays of numbers of one C type, as CPython's array module: typecodes, itemsize, the sequence and list
methods, tobytes/frombytes in the machine's byte order, and CPython's range checks and messages. The items are
kept in a Python list (converted on the way in: f rounded to a C float), so reads cost what a list's do. A
memoryview over an array reads and writes that list (Objects/MemoryView.swift) and counts itself in `_exports`:
while it is not zero the array's size cannot change, with CPython's BufferError."""

import struct as _struct

__all__ = ["array", "ArrayType", "typecodes"]

typecodes = 'bBuhHiIlLqQfd'
_itemsize = {'b': 1, 'B': 1, 'u': 4, 'h': 2, 'H': 2, 'i': 4, 'I': 4, 'l': 8, 'L': 8, 'q': 8, 'Q': 8, 'f': 4, 'd': 8}
_LONG_MIN, _LONG_MAX = -2**63, 2**63 - 1


def _over(msg):
    return OverflowError(msg)


def _check_long(v):
    if v < _LONG_MIN or v > _LONG_MAX:
        raise _over('Python int too large to convert to C long')


def _range(v, lo, hi, name):
    if v > hi:
        raise _over(name + ' is greater than maximum')
    if v < lo:
        raise _over(name + ' is less than minimum')


def _int_item(tc, v):
    if not isinstance(v, int):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(v).__name__)
    v = int(v)
    if tc == 'b':
        _check_long(v)
        _range(v, -32768, 32767, 'signed short integer')
        _range(v, -128, 127, 'signed char')
    elif tc == 'B':
        _check_long(v)
        _range(v, 0, 255, 'unsigned byte integer')
    elif tc == 'h':
        _check_long(v)
        _range(v, -32768, 32767, 'signed short integer')
    elif tc == 'H':
        _check_long(v)
        _range(v, -2**31, 2**31 - 1, 'signed integer')
        _range(v, 0, 65535, 'unsigned short')
    elif tc == 'i':
        _check_long(v)
        _range(v, -2**31, 2**31 - 1, 'signed integer')
    elif tc == 'I':
        if v < 0:
            raise _over("can't convert negative value to unsigned int")
        if v > 2**64 - 1:
            raise _over('Python int too large to convert to C unsigned long')
        if v > 2**32 - 1:
            raise _over('unsigned int is greater than maximum')
    elif tc == 'l':
        _check_long(v)
    elif tc == 'L':
        if v < 0:
            raise _over("can't convert negative value to unsigned int")
        if v > 2**64 - 1:
            raise _over('Python int too large to convert to C unsigned long')
    elif tc == 'q':
        if v < _LONG_MIN or v > _LONG_MAX:
            raise _over('int too big to convert')
    elif tc == 'Q':
        if v < 0:
            raise _over("can't convert negative int to unsigned")
        if v > 2**64 - 1:
            raise _over('int too big to convert')
    return v


def _item(tc, v):
    if tc == 'd':
        if not isinstance(v, (int, float)):
            raise TypeError('must be real number, not %s' % type(v).__name__)
        return float(v)
    if tc == 'f':
        if not isinstance(v, (int, float)):
            raise TypeError('must be real number, not %s' % type(v).__name__)
        return _struct.unpack('f', _struct.pack('f', float(v)))[0] if abs(v) < 3.4e38 else float(v)
    if tc == 'u':
        if not isinstance(v, str) or len(v) != 1:
            raise TypeError('array item must be unicode character')
        return v
    return _int_item(tc, v)


class array:
    """array(typecode[, initializer]) -> array"""

    _exports = 0  # the memoryviews over this array that have not been released

    def _resizing(self, new_length):
        if self._exports and new_length != len(self._a):
            raise BufferError('cannot resize an array that is exporting buffers')

    def __init__(self, typecode, initializer=None):
        if not isinstance(typecode, str) or len(typecode) != 1:
            raise TypeError('array() argument 1 must be a unicode character, not %s' % type(typecode).__name__)
        if typecode not in _itemsize:
            raise ValueError('bad typecode (must be b, B, u, h, H, i, I, l, L, q, Q, f or d)')
        self.typecode = typecode
        self.itemsize = _itemsize[typecode]
        self._a = []
        if initializer is None:
            return
        if isinstance(initializer, (bytes, bytearray)):
            self.frombytes(initializer)
        elif isinstance(initializer, str):
            if typecode != 'u':
                raise TypeError("cannot use a str to initialize an array with typecode '%s'" % typecode)
            self._a = list(initializer)
        elif isinstance(initializer, array):
            if typecode == 'u' and initializer.typecode != 'u':
                raise TypeError("cannot use a unicode array to initialize an array with typecode 'u'")
            self.extend(initializer._a)
        else:
            self.extend(initializer)

    def _new(self, items):
        a = array(self.typecode)
        a._a = items
        return a

    # -- sequence protocol
    def __len__(self):
        return len(self._a)

    def __iter__(self):
        return iter(self._a)

    def __contains__(self, v):
        return v in self._a

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self._new(self._a[i])
        try:
            return self._a[i]
        except IndexError:
            raise IndexError('array index out of range') from None

    def __setitem__(self, i, v):
        if isinstance(i, slice):
            if not isinstance(v, array):
                raise TypeError('can only assign array (not "%s") to array slice' % type(v).__name__)
            if v.typecode != self.typecode:
                raise TypeError('bad argument type for built-in operation')
            items = list(v._a)
            if self._exports:
                self._resizing(len(self._a) - len(self._a[i]) + len(items))
            self._a[i] = items
            return
        v = _item(self.typecode, v)
        try:
            self._a[i] = v
        except IndexError:
            raise IndexError('array assignment index out of range') from None

    def __delitem__(self, i):
        if self._exports:
            if isinstance(i, slice):
                self._resizing(len(self._a) - len(self._a[i]))
            elif -len(self._a) <= i < len(self._a):
                self._resizing(len(self._a) - 1)
        try:
            del self._a[i]
        except IndexError:
            raise IndexError('array assignment index out of range') from None

    def _same(self, other):
        if not isinstance(other, array):
            return False
        if other.typecode != self.typecode:
            raise TypeError('bad argument type for built-in operation')
        return True

    def __add__(self, other):
        if not isinstance(other, array):
            raise TypeError('can only append array (not "%s") to array' % type(other).__name__)
        self._same(other)
        return self._new(self._a + other._a)

    def __iadd__(self, other):
        if not isinstance(other, array):
            raise TypeError('can only extend array with array (not "%s")' % type(other).__name__)
        self._same(other)
        self._resizing(len(self._a) + len(other._a))
        self._a.extend(other._a)
        return self

    def __mul__(self, n):
        if not isinstance(n, int):
            raise TypeError("can't multiply sequence by non-int of type '%s'" % type(n).__name__)
        return self._new(self._a * n)

    __rmul__ = __mul__

    def __imul__(self, n):
        self._resizing(len(self._a) * max(n, 0))
        self._a = self._a * n
        return self

    def __eq__(self, other):
        if not isinstance(other, array):
            return NotImplemented
        return self._a == other._a

    def __ne__(self, other):
        if not isinstance(other, array):
            return NotImplemented
        return self._a != other._a

    def __lt__(self, other):
        if not isinstance(other, array):
            return NotImplemented
        return self._a < other._a

    def __le__(self, other):
        if not isinstance(other, array):
            return NotImplemented
        return self._a <= other._a

    def __gt__(self, other):
        if not isinstance(other, array):
            return NotImplemented
        return self._a > other._a

    def __ge__(self, other):
        if not isinstance(other, array):
            return NotImplemented
        return self._a >= other._a

    def __repr__(self):
        name = type(self).__name__
        if not self._a:
            return "%s('%s')" % (name, self.typecode)
        if self.typecode == 'u':
            return "%s('u', %r)" % (name, ''.join(self._a))
        return "%s('%s', %r)" % (name, self.typecode, self._a)

    __str__ = __repr__

    def __copy__(self):
        return self._new(list(self._a))

    def __deepcopy__(self, memo):
        return self._new(list(self._a))

    def __reduce__(self):
        return (array, (self.typecode, list(self._a)))

    # -- list-like methods
    def append(self, v):
        v = _item(self.typecode, v)
        if self._exports:
            self._resizing(len(self._a) + 1)
        self._a.append(v)

    def extend(self, iterable):
        if isinstance(iterable, array):
            self._same(iterable)
            self._resizing(len(self._a) + len(iterable._a))
            self._a.extend(iterable._a)
            return
        tc = self.typecode
        items = [_item(tc, v) for v in iterable]
        self._resizing(len(self._a) + len(items))
        self._a.extend(items)

    def insert(self, i, v):
        v = _item(self.typecode, v)
        self._resizing(len(self._a) + 1)
        self._a.insert(i, v)

    def pop(self, i=-1):
        if not self._a:
            raise IndexError('pop from empty array')
        if self._exports and -len(self._a) <= i < len(self._a):
            self._resizing(len(self._a) - 1)
        try:
            return self._a.pop(i)
        except IndexError:
            raise IndexError('pop index out of range') from None

    def remove(self, v):
        if self._exports and v in self._a:
            self._resizing(len(self._a) - 1)
        try:
            self._a.remove(v)
        except ValueError:
            raise ValueError('array.remove(x): x not in array') from None

    def index(self, v, start=0, stop=None):
        try:
            return self._a.index(v, start, len(self._a) if stop is None else stop)
        except ValueError:
            raise ValueError('array.index(x): x not in array') from None

    def count(self, v):
        return self._a.count(v)

    def reverse(self):
        self._a.reverse()

    def tolist(self):
        return list(self._a)

    def fromlist(self, items):
        if not isinstance(items, list):
            raise TypeError('arg must be list')
        self.extend(items)

    def buffer_info(self):
        return (id(self), len(self._a))

    # -- bytes
    def _fmt(self, n):
        return '=%d%s' % (n, 'I' if self.typecode == 'u' else self.typecode)

    def tobytes(self):
        if self.typecode == 'u':
            return _struct.pack(self._fmt(len(self._a)), *[ord(c) for c in self._a])
        return _struct.pack(self._fmt(len(self._a)), *self._a)

    def frombytes(self, b):
        b = bytes(b)
        if len(b) % self.itemsize:
            raise ValueError('bytes length not a multiple of item size')
        items = list(_struct.unpack(self._fmt(len(b) // self.itemsize), b))
        if self.typecode == 'u':
            items = [chr(c) for c in items]
        self._resizing(len(self._a) + len(items))
        self._a.extend(items)

    def byteswap(self):
        if self.typecode == 'u':
            raise RuntimeError("don't know how to byteswap this array type")
        n = len(self._a)
        data = _struct.pack('<%d%s' % (n, self.typecode), *self._a)
        self._a[:] = _struct.unpack('>%d%s' % (n, self.typecode), data)

    def tounicode(self):
        if self.typecode != 'u':
            raise ValueError('tounicode() may only be called on unicode type arrays')
        return ''.join(self._a)

    def fromunicode(self, s):
        if self.typecode != 'u':
            raise ValueError('fromunicode() may only be called on unicode type arrays')
        self._resizing(len(self._a) + len(s))
        self._a.extend(s)

    def tofile(self, f):
        f.write(self.tobytes())

    def fromfile(self, f, n):
        data = f.read(n * self.itemsize)
        self.frombytes(data[:len(data) - len(data) % self.itemsize])
        if len(data) < n * self.itemsize:
            raise EOFError('read() didn\'t return enough bytes')


array.__module__ = 'array'
ArrayType = array
