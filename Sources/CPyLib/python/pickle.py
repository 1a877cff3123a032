"""Serialising objects in CPython's pickle format, written as CPython's pure-Python pickle (Lib/pickle.py) is:
protocols 0 to 5 both ways, byte for byte what CPython writes for None, bools, ints (big too), floats, str,
bytes, bytearray, tuples, lists, dicts, sets, frozensets, classes and functions by reference, instances of the
program's classes (their __dict__, __getstate__/__setstate__, __reduce__/__reduce_ex__, __getnewargs__), and
datetime's date/time/datetime/timedelta. No out-of-band buffers (PickleBuffer) and no persistent ids."""

import sys
from struct import pack, unpack
from copyreg import _reconstructor, __newobj__, __newobj_ex__, dispatch_table as _dispatch_table
import copyreg as _copyreg
import io as _io

__all__ = ["PickleError", "PicklingError", "UnpicklingError", "Pickler", "Unpickler", "dump", "dumps", "load",
           "loads", "HIGHEST_PROTOCOL", "DEFAULT_PROTOCOL"]

bytes_types = (bytes, bytearray)
format_version = "4.0"
compatible_formats = ["1.0", "1.1", "1.2", "1.3", "2.0", "3.0", "4.0", "5.0"]
HIGHEST_PROTOCOL = 5
DEFAULT_PROTOCOL = 4


class PickleError(Exception):
    __module__ = "_pickle"   # as CPython's, whose classes come from _pickle


class PicklingError(PickleError):
    __module__ = "_pickle"   # as CPython's, whose classes come from _pickle


class UnpicklingError(PickleError):
    __module__ = "_pickle"   # as CPython's, whose classes come from _pickle


class _Stop(Exception):
    def __init__(self, value):
        self.value = value


# the opcodes (Lib/pickle.py's names)
MARK = b'('
STOP = b'.'
POP = b'0'
POP_MARK = b'1'
DUP = b'2'
FLOAT = b'F'
INT = b'I'
BININT = b'J'
BININT1 = b'K'
LONG = b'L'
BININT2 = b'M'
NONE = b'N'
PERSID = b'P'
BINPERSID = b'Q'
REDUCE = b'R'
STRING = b'S'
BINSTRING = b'T'
SHORT_BINSTRING = b'U'
UNICODE = b'V'
BINUNICODE = b'X'
APPEND = b'a'
BUILD = b'b'
GLOBAL = b'c'
DICT = b'd'
EMPTY_DICT = b'}'
APPENDS = b'e'
GET = b'g'
BINGET = b'h'
INST = b'i'
LONG_BINGET = b'j'
LIST = b'l'
EMPTY_LIST = b']'
OBJ = b'o'
PUT = b'p'
BINPUT = b'q'
LONG_BINPUT = b'r'
SETITEM = b's'
TUPLE = b't'
EMPTY_TUPLE = b')'
SETITEMS = b'u'
BINFLOAT = b'G'
TRUE = b'I01\n'
FALSE = b'I00\n'
PROTO = b'\x80'
NEWOBJ = b'\x81'
EXT1 = b'\x82'
EXT2 = b'\x83'
EXT4 = b'\x84'
TUPLE1 = b'\x85'
TUPLE2 = b'\x86'
TUPLE3 = b'\x87'
NEWTRUE = b'\x88'
NEWFALSE = b'\x89'
LONG1 = b'\x8a'
LONG4 = b'\x8b'
BINBYTES = b'B'
SHORT_BINBYTES = b'C'
SHORT_BINUNICODE = b'\x8c'
BINUNICODE8 = b'\x8d'
BINBYTES8 = b'\x8e'
EMPTY_SET = b'\x8f'
ADDITEMS = b'\x90'
FROZENSET = b'\x91'
NEWOBJ_EX = b'\x92'
STACK_GLOBAL = b'\x93'
MEMOIZE = b'\x94'
FRAME = b'\x95'
BYTEARRAY8 = b'\x96'
NEXT_BUFFER = b'\x97'
READONLY_BUFFER = b'\x98'

_FRAME_SIZE_MIN = 4
_FRAME_SIZE_TARGET = 64 * 1024
_BATCHSIZE = 1000

# Python 2 names (fix_imports) for protocols 0-2
_NAME_MAPPING_2 = {'builtins': '__builtin__', 'copyreg': 'copy_reg', '_codecs': '_codecs'}
_NAME_MAPPING_3 = {'__builtin__': 'builtins', 'copy_reg': 'copyreg'}


def encode_long(x):
    if x == 0:
        return b''
    nbytes = (x.bit_length() >> 3) + 1
    result = x.to_bytes(nbytes, byteorder='little', signed=True)
    if x < 0 and nbytes > 1:
        if result[-1] == 0xff and (result[-2] & 0x80) != 0:
            result = result[:-1]
    return result


def decode_long(data):
    return int.from_bytes(data, byteorder='little', signed=True)


def _raw_unicode_escape(s):
    out = []
    for ch in s:
        o = ord(ch)
        if o > 0xffff:
            out.append('\\U%08x' % o)
        elif o > 0xff:
            out.append('\\u%04x' % o)
        else:
            out.append(ch)
    return ''.join(out).encode('latin-1')


def _raw_unicode_unescape(b):
    s = b.decode('latin-1')
    if '\\' not in s:
        return s
    out = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == '\\' and i + 1 < n and s[i + 1] in 'uU':
            width = 4 if s[i + 1] == 'u' else 8
            out.append(chr(int(s[i + 2:i + 2 + width], 16)))
            i += 2 + width
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def _date_state(obj):
    # the bytes datetime's C type pickles (Modules/_datetimemodule.c)
    import datetime as _dt
    t = type(obj)
    if t is _dt.date:
        return (t, (bytes([obj.year >> 8, obj.year & 255, obj.month, obj.day]),))
    if t is _dt.datetime:
        us = obj.microsecond
        b = bytes([obj.year >> 8, obj.year & 255, obj.month, obj.day, obj.hour, obj.minute, obj.second,
                   us >> 16, (us >> 8) & 255, us & 255])
        tz = getattr(obj, 'tzinfo', None)
        return (t, (b,) if tz is None else (b, tz))
    if t is _dt.timedelta:
        return (t, (obj.days, obj.seconds, obj.microseconds))
    if getattr(_dt, 'time', None) is t:
        us = obj.microsecond
        return (t, (bytes([obj.hour, obj.minute, obj.second, us >> 16, (us >> 8) & 255, us & 255]),))
    return None


def _date_from_state(cls, args):
    import datetime as _dt
    b = args[0]
    if cls is _dt.date and len(b) == 4:
        return _dt.date(b[0] * 256 + b[1], b[2], b[3])
    if cls is _dt.datetime and len(b) == 10:
        return _dt.datetime(b[0] * 256 + b[1], b[2], b[3], b[4], b[5], b[6], (b[7] << 16) | (b[8] << 8) | b[9],
                            *args[1:])
    if getattr(_dt, 'time', None) is cls and len(b) == 6:
        return cls(b[0], b[1], b[2], (b[3] << 16) | (b[4] << 8) | b[5])
    return cls(*args)


def _getattribute(obj, name):
    for subpath in name.split('.'):
        if subpath == '<locals>':
            raise AttributeError("Can't get local attribute {!r} on {!r}".format(name, obj))
        parent = obj
        obj = getattr(obj, subpath)
    return obj, parent


def _import(module):
    __import__(module)
    return __import__(module, None, None, ['__name__'])


class _Framer:
    def __init__(self, file_write):
        self.file_write = file_write
        self.current_frame = None

    def start_framing(self):
        self.current_frame = []
        self.size = 0

    def end_framing(self):
        if self.current_frame is not None and self.size > 0:
            self.commit_frame(force=True)
            self.current_frame = None

    def commit_frame(self, force=False):
        if self.current_frame is not None:
            if self.size >= _FRAME_SIZE_TARGET or force:
                data = b''.join(self.current_frame)
                if len(data) >= _FRAME_SIZE_MIN:
                    self.file_write(FRAME + pack("<Q", len(data)))
                self.file_write(data)
                self.current_frame = []
                self.size = 0

    def write(self, data):
        if self.current_frame is not None:
            self.current_frame.append(data)
            self.size += len(data)
            return len(data)
        return self.file_write(data)

    def write_large_bytes(self, header, payload):
        if self.current_frame is not None:
            self.commit_frame(force=True)
            self.current_frame = None
            self.file_write(header)
            self.file_write(payload)
            self.start_framing()
        else:
            self.file_write(header)
            self.file_write(payload)


class _Pickler:

    def __init__(self, file, protocol=None, *, fix_imports=True, buffer_callback=None):
        if protocol is None:
            protocol = DEFAULT_PROTOCOL
        if protocol < 0:
            protocol = HIGHEST_PROTOCOL
        elif not 0 <= protocol <= HIGHEST_PROTOCOL:
            raise ValueError("pickle protocol must be <= %d" % HIGHEST_PROTOCOL)
        try:
            self._file_write = file.write
        except AttributeError:
            raise TypeError("file must have a 'write' attribute")
        self.framer = _Framer(self._file_write)
        self.write = self.framer.write
        self.memo = {}
        self._global_strs = {}
        self._memo_count = 0
        self.proto = int(protocol)
        self.bin = protocol >= 1
        self.fast = 0
        self.fix_imports = fix_imports and protocol < 3

    def clear_memo(self):
        self.memo.clear()
        self._global_strs.clear()
        self._memo_count = 0

    def dump(self, obj):
        if not hasattr(self, "_file_write"):
            raise PicklingError("Pickler.__init__() was not called by %s.__init__()" % (self.__class__.__name__,))
        if self.proto >= 2:
            self.write(PROTO + pack("<B", self.proto))
        if self.proto >= 4:
            self.framer.start_framing()
        self.save(obj)
        self.write(STOP)
        self.framer.end_framing()

    def memoize(self, obj):
        # the index is the count of memoized values so far (MEMOIZE numbers them implicitly); a str re-memoized
        # under the same id (see save_global) takes a new index, as CPython's distinct str objects would
        idx = self._memo_count
        self._memo_count += 1
        self.write(self.put(idx))
        self.memo[id(obj)] = idx, obj

    def put(self, idx):
        if self.proto >= 4:
            return MEMOIZE
        elif self.bin:
            if idx < 256:
                return BINPUT + pack("<B", idx)
            return LONG_BINPUT + pack("<I", idx)
        return PUT + repr(idx).encode("ascii") + b'\n'

    def get(self, i):
        if self.bin:
            if i < 256:
                return BINGET + pack("<B", i)
            return LONG_BINGET + pack("<I", i)
        return GET + repr(i).encode("ascii") + b'\n'

    def save(self, obj, save_persistent_id=True):
        self.framer.commit_frame()
        t = type(obj)
        f = self._scalars.get(t)
        if f is not None:
            f(self, obj)
            return
        x = self.memo.get(id(obj))
        if x is not None:
            self.write(self.get(x[0]))
            return
        f = self.dispatch.get(t)
        if f is not None:
            f(self, obj)
            return
        reduce = _dispatch_table.get(t)
        if reduce is not None:
            rv = reduce(obj)
        elif isinstance(obj, type) or callable(obj) and not hasattr(obj, '__dict__') or \
                type(obj).__name__ in ('function', 'builtin_function_or_method'):
            self.save_global(obj)
            return
        else:
            rv = self._reduce(obj)
        if isinstance(rv, str):
            self.save_global(obj, rv)
            return
        if not isinstance(rv, tuple):
            raise PicklingError("%s must return string or tuple" % "__reduce__")
        l = len(rv)
        if not (2 <= l <= 6):
            raise PicklingError("Tuple returned by %s must have two to six elements" % "__reduce__")
        self.save_reduce(obj=obj, *rv)

    def _reduce(self, obj):
        cls = type(obj)
        dt = _date_state(obj)
        if dt is not None:
            return dt
        for name in ('__reduce_ex__', '__reduce__'):
            for klass in cls.__mro__:
                if klass is object:
                    break
                if name in klass.__dict__:
                    meth = getattr(obj, name)
                    return meth(self.proto) if name == '__reduce_ex__' else meth()
        # object.__reduce_ex__: copyreg's reconstructors and the instance's state
        getstate = None
        for klass in cls.__mro__:
            if klass is object:
                break
            if '__getstate__' in klass.__dict__:
                getstate = obj.__getstate__
                break
        if getstate is not None:
            state = getstate()
        else:
            try:
                state = dict(obj.__dict__)
            except AttributeError:
                raise TypeError("cannot pickle %r object" % (cls.__name__,)) from None
            if not state:
                state = None
        if self.proto >= 2:
            getnewargs_ex = getattr(obj, '__getnewargs_ex__', None)
            if getnewargs_ex is not None:
                args, kwargs = getnewargs_ex()
                if kwargs:
                    return (__newobj_ex__, (cls, tuple(args), kwargs), state)
                return (__newobj__, (cls,) + tuple(args), state)
            getnewargs = getattr(obj, '__getnewargs__', None)
            args = tuple(getnewargs()) if getnewargs is not None else ()
            return (__newobj__, (cls,) + args, state)
        return (_reconstructor, (cls, object, None), state)

    def save_reduce(self, func, args, state=None, listitems=None, dictitems=None, state_setter=None, *, obj=None):
        if not isinstance(args, tuple):
            raise PicklingError("args from save_reduce() must be a tuple")
        if not callable(func):
            raise PicklingError("func from save_reduce() must be callable")
        save = self.save
        write = self.write
        func_name = getattr(func, "__name__", "")
        if self.proto >= 2 and func_name == "__newobj_ex__":
            cls, args, kwargs = args
            if self.proto >= 4:
                save(cls)
                save(args)
                save(kwargs)
                write(NEWOBJ_EX)
            else:
                raise PicklingError("__newobj_ex__ needs protocol 4 in mpsh's pickle")
        elif self.proto >= 2 and func_name == "__newobj__":
            cls = args[0]
            if not hasattr(cls, "__new__"):
                raise PicklingError("args[0] from __newobj__ args has no __new__")
            if obj is not None and cls is not obj.__class__:
                raise PicklingError("args[0] from __newobj__ args has the wrong class")
            args = args[1:]
            save(cls)
            save(args)
            write(NEWOBJ)
        else:
            save(func)
            save(args)
            write(REDUCE)
        if obj is not None:
            if id(obj) in self.memo:
                write(POP + self.get(self.memo[id(obj)][0]))
            else:
                self.memoize(obj)
        if listitems is not None:
            self._batch_appends(listitems)
        if dictitems is not None:
            self._batch_setitems(dictitems)
        if state is not None:
            if state_setter is None:
                save(state)
                write(BUILD)
            else:
                save(state_setter)
                save(obj)
                save(state)
                write(TUPLE2)
                write(REDUCE)
                write(POP)

    # -- the types

    def save_none(self, obj):
        self.write(NONE)

    def save_bool(self, obj):
        if self.proto >= 2:
            self.write(NEWTRUE if obj else NEWFALSE)
        else:
            self.write(TRUE if obj else FALSE)

    def save_long(self, obj):
        if self.bin:
            if obj >= 0:
                if obj <= 0xff:
                    self.write(BININT1 + pack("<B", obj))
                    return
                if obj <= 0xffff:
                    self.write(BININT2 + pack("<H", obj))
                    return
            if -0x80000000 <= obj <= 0x7fffffff:
                self.write(BININT + pack("<i", obj))
                return
        if self.proto >= 2:
            encoded = encode_long(obj)
            n = len(encoded)
            if n < 256:
                self.write(LONG1 + pack("<B", n) + encoded)
            else:
                self.write(LONG4 + pack("<i", n) + encoded)
            return
        if -0x80000000 <= obj <= 0x7fffffff:
            self.write(INT + repr(obj).encode("ascii") + b'\n')
        else:
            self.write(LONG + repr(obj).encode("ascii") + b'L\n')

    def save_float(self, obj):
        if self.bin:
            self.write(BINFLOAT + pack('>d', obj))
        else:
            self.write(FLOAT + repr(obj).encode("ascii") + b'\n')

    def save_bytes(self, obj):
        if self.proto < 3:
            if not obj:
                self.save_reduce(bytes, (), obj=obj)
            else:
                self.save_reduce(_codecs_encode, (bytes(obj).decode('latin-1'), 'latin1'), obj=obj)
            return
        n = len(obj)
        if n <= 0xff:
            self.write(SHORT_BINBYTES + pack("<B", n) + obj)
        elif n > 0xffffffff and self.proto >= 4:
            self.framer.write_large_bytes(BINBYTES8 + pack("<Q", n), obj)
        elif n >= _FRAME_SIZE_TARGET:
            self.framer.write_large_bytes(BINBYTES + pack("<I", n), obj)
        else:
            self.write(BINBYTES + pack("<I", n) + obj)
        self.memoize(obj)

    def save_bytearray(self, obj):
        if self.proto < 5:
            if not obj:
                self.save_reduce(bytearray, (), obj=obj)
            else:
                self.save_reduce(bytearray, (bytes(obj),), obj=obj)
            return
        n = len(obj)
        if n >= _FRAME_SIZE_TARGET:
            self.framer.write_large_bytes(BYTEARRAY8 + pack("<Q", n), bytes(obj))
        else:
            self.write(BYTEARRAY8 + pack("<Q", n) + bytes(obj))
        self.memoize(obj)

    def save_str(self, obj):
        if self.bin:
            encoded = obj.encode('utf-8', 'surrogatepass')
            n = len(encoded)
            if n <= 0xff and self.proto >= 4:
                self.write(SHORT_BINUNICODE + pack("<B", n) + encoded)
            elif n > 0xffffffff and self.proto >= 4:
                self.framer.write_large_bytes(BINUNICODE8 + pack("<Q", n), encoded)
            elif n >= _FRAME_SIZE_TARGET:
                self.framer.write_large_bytes(BINUNICODE + pack("<I", n), encoded)
            else:
                self.write(BINUNICODE + pack("<I", n) + encoded)
        else:
            obj = obj.replace("\\", "\\u005c")
            obj = obj.replace("\0", "\\u0000")
            obj = obj.replace("\n", "\\u000a")
            obj = obj.replace("\r", "\\u000d")
            obj = obj.replace("\x1a", "\\u001a")
            self.write(UNICODE + _raw_unicode_escape(obj) + b'\n')
        self.memoize(obj)

    def save_tuple(self, obj):
        if not obj:
            if self.bin:
                self.write(EMPTY_TUPLE)
            else:
                self.write(MARK + TUPLE)
            return
        n = len(obj)
        save = self.save
        memo = self.memo
        if n <= 3 and self.proto >= 2:
            for element in obj:
                save(element)
            if id(obj) in memo:
                get = self.get(memo[id(obj)][0])
                self.write(POP * n + get)
            else:
                self.write(_tuplesize2code[n])
                self.memoize(obj)
            return
        write = self.write
        write(MARK)
        for element in obj:
            save(element)
        if id(obj) in memo:
            get = self.get(memo[id(obj)][0])
            if self.bin:
                write(POP_MARK + get)
            else:
                write(POP * (n + 1) + get)
            return
        write(TUPLE)
        self.memoize(obj)

    def save_list(self, obj):
        if self.bin:
            self.write(EMPTY_LIST)
        else:
            self.write(MARK + LIST)
        self.memoize(obj)
        self._batch_appends(obj)

    def _batch_appends(self, items):
        save = self.save
        write = self.write
        if not self.bin:
            for x in items:
                save(x)
                write(APPEND)
            return
        items = list(items)
        for start in range(0, len(items), _BATCHSIZE):
            tmp = items[start:start + _BATCHSIZE]
            n = len(tmp)
            if n > 1:
                write(MARK)
                for x in tmp:
                    save(x)
                write(APPENDS)
            elif n:
                save(tmp[0])
                write(APPEND)

    def save_dict(self, obj):
        if self.bin:
            self.write(EMPTY_DICT)
        else:
            self.write(MARK + DICT)
        self.memoize(obj)
        self._batch_setitems(obj.items())

    def _batch_setitems(self, items):
        save = self.save
        write = self.write
        if not self.bin:
            for k, v in items:
                save(k)
                save(v)
                write(SETITEM)
            return
        items = list(items)
        for start in range(0, len(items), _BATCHSIZE):
            tmp = items[start:start + _BATCHSIZE]
            n = len(tmp)
            if n > 1:
                write(MARK)
                for k, v in tmp:
                    save(k)
                    save(v)
                write(SETITEMS)
            elif n:
                k, v = tmp[0]
                save(k)
                save(v)
                write(SETITEM)

    def save_set(self, obj):
        save = self.save
        write = self.write
        if self.proto < 4:
            self.save_reduce(set, (list(obj),), obj=obj)
            return
        write(EMPTY_SET)
        self.memoize(obj)
        items = list(obj)
        for start in range(0, len(items), _BATCHSIZE):
            batch = items[start:start + _BATCHSIZE]
            if batch:
                write(MARK)
                for item in batch:
                    save(item)
                write(ADDITEMS)

    def save_frozenset(self, obj):
        save = self.save
        write = self.write
        if self.proto < 4:
            self.save_reduce(frozenset, (list(obj),), obj=obj)
            return
        write(MARK)
        for item in obj:
            save(item)
        if id(obj) in self.memo:
            write(POP_MARK + self.get(self.memo[id(obj)][0]))
            return
        write(FROZENSET)
        self.memoize(obj)

    def save_global(self, obj, name=None):
        write = self.write
        memo = self.memo
        if name is None:
            name = getattr(obj, '__qualname__', None)
        if name is None:
            name = obj.__name__
        module_name = getattr(obj, '__module__', None)
        if module_name is None:
            module_name = 'builtins'
        if obj is _codecs_encode:
            module_name, name = '_codecs', 'encode'
        elif obj is _reconstructor or obj is __newobj__ or obj is __newobj_ex__:
            module_name = 'copyreg'
        try:
            if module_name not in ('builtins', '_codecs'):
                module = _import(module_name)
                obj2, parent = _getattribute(module, name)
            else:
                obj2 = obj
        except (ImportError, KeyError, AttributeError):
            raise PicklingError("Can't pickle %r: it's not found as %s.%s" % (obj, module_name, name)) from None
        else:
            if obj2 is not obj:
                raise PicklingError("Can't pickle %r: it's not the same object as %s.%s" % (obj, module_name, name))
        if self.proto >= 4:
            # CPython's module and qualified names are interned: one object each, memoized once
            for s, key in ((module_name, (module_name,)), (name, (module_name, name))):
                idx = self._global_strs.get(key)
                if idx is not None:
                    write(self.get(idx))
                else:
                    self.framer.commit_frame()
                    self.save_str(s)
                    self._global_strs[key] = self._memo_count - 1
            write(STACK_GLOBAL)
        elif self.proto >= 3:
            write(GLOBAL + bytes(module_name, "utf-8") + b'\n' + bytes(name, "utf-8") + b'\n')
        else:
            if self.fix_imports:
                module_name = _NAME_MAPPING_2.get(module_name, module_name)
            try:
                write(GLOBAL + bytes(module_name, "ascii") + b'\n' + bytes(name, "ascii") + b'\n')
            except UnicodeEncodeError:
                raise PicklingError("can't pickle global identifier '%s.%s' using pickle protocol %i"
                                    % (module_name, name, self.proto)) from None
        self.memoize(obj)


def _codecs_encode(s, encoding='utf-8'):
    return s.encode(encoding)


_tuplesize2code = [EMPTY_TUPLE, TUPLE1, TUPLE2, TUPLE3]
_Pickler._scalars = {type(None): _Pickler.save_none, bool: _Pickler.save_bool, int: _Pickler.save_long,
                     float: _Pickler.save_float}
_Pickler.dispatch = {bytes: _Pickler.save_bytes, bytearray: _Pickler.save_bytearray, str: _Pickler.save_str,
                     tuple: _Pickler.save_tuple, list: _Pickler.save_list, dict: _Pickler.save_dict,
                     set: _Pickler.save_set, frozenset: _Pickler.save_frozenset}


class _Unpickler:

    def __init__(self, file, *, fix_imports=True, encoding="ASCII", errors="strict", buffers=None):
        self._file_readline = file.readline
        self._file_read = file.read
        self.memo = {}
        self.encoding = encoding
        self.errors = errors
        self.proto = 0
        self.fix_imports = fix_imports

    def load(self):
        if not hasattr(self, "_file_read"):
            raise UnpicklingError("Unpickler.__init__() was not called by %s.__init__()" % (self.__class__.__name__,))
        self._data = b''
        self._pos = 0
        self.metastack = []
        self.stack = []
        self.append = self.stack.append
        self.proto = 0
        dispatch = self.dispatch
        try:
            while True:
                key = self.read(1)
                f = dispatch.get(key[0])
                if f is None:
                    raise UnpicklingError("invalid load key, %r." % (key.decode('latin-1') if key[0] < 128 else key,))
                try:
                    f(self)
                except IndexError:
                    raise UnpicklingError("unpickling stack underflow") from None
        except _Stop as stopinst:
            return stopinst.value

    # reads come from the current frame when there is one, else from the file
    def read(self, n):
        if self._pos + n <= len(self._data):
            p = self._pos
            self._pos = p + n
            return self._data[p:p + n]
        if self._pos < len(self._data):
            raise UnpicklingError("pickle exhausted before end of frame")
        data = self._file_read(n)
        if len(data) < n:
            raise EOFError("Ran out of input") if not data else UnpicklingError("pickle data was truncated")
        return data

    def readline(self):
        if self._pos < len(self._data):
            i = self._data.find(b'\n', self._pos)
            if i < 0:
                raise UnpicklingError("pickle exhausted before end of frame")
            line = self._data[self._pos:i + 1]
            self._pos = i + 1
            return line
        line = self._file_readline()
        if not line.endswith(b'\n'):
            raise UnpicklingError("pickle data was truncated")
        return line

    def pop_mark(self):
        if not self.metastack:
            raise UnpicklingError("could not find MARK")
        items = self.stack
        self.stack = self.metastack.pop()
        self.append = self.stack.append
        return items

    def persistent_load(self, pid):
        raise UnpicklingError("unsupported persistent id encountered")

    def load_proto(self):
        proto = self.read(1)[0]
        if not 0 <= proto <= HIGHEST_PROTOCOL:
            raise ValueError("unsupported pickle protocol: %d" % proto)
        self.proto = proto

    def load_frame(self):
        frame_size, = unpack('<Q', self.read(8))
        if self._pos < len(self._data):
            raise UnpicklingError("beginning of a new frame before end of current frame")
        data = self._file_read(frame_size)
        if len(data) < frame_size:
            raise UnpicklingError("pickle data was truncated")
        self._data = data
        self._pos = 0

    def load_persid(self):
        raise UnpicklingError("persistent IDs in protocol 0 must be ASCII strings")

    def load_binpersid(self):
        self.append(self.persistent_load(self.stack.pop()))

    def load_none(self):
        self.append(None)

    def load_false(self):
        self.append(False)

    def load_true(self):
        self.append(True)

    def load_int(self):
        data = self.readline()
        if data == b'I00\n'[1:]:
            val = False
        elif data == b'I01\n'[1:]:
            val = True
        else:
            val = int(data.decode('ascii'))
        self.append(val)

    def load_binint(self):
        self.append(unpack('<i', self.read(4))[0])

    def load_binint1(self):
        self.append(self.read(1)[0])

    def load_binint2(self):
        self.append(unpack('<H', self.read(2))[0])

    def load_long(self):
        val = self.readline()[:-1]
        if val and val[-1] == b'L'[0]:
            val = val[:-1]
        self.append(int(val.decode('ascii')))

    def load_long1(self):
        n = self.read(1)[0]
        self.append(decode_long(self.read(n)))

    def load_long4(self):
        n, = unpack('<i', self.read(4))
        if n < 0:
            raise UnpicklingError("LONG pickle has negative byte count")
        self.append(decode_long(self.read(n)))

    def load_float(self):
        self.append(float(self.readline()[:-1].decode('ascii')))

    def load_binfloat(self):
        self.append(unpack('>d', self.read(8))[0])

    def _decode_string(self, value):
        if self.encoding == "bytes":
            return value
        return value.decode(self.encoding, self.errors)

    def load_string(self):
        data = self.readline()[:-1]
        if len(data) >= 2 and data[0] == data[-1] and data[0] in b'"\'':
            data = data[1:-1]
        else:
            raise UnpicklingError("the STRING opcode argument must be quoted")
        self.append(self._decode_string(data.decode('latin-1').encode('latin-1')))

    def load_binstring(self):
        n, = unpack('<i', self.read(4))
        if n < 0:
            raise UnpicklingError("BINSTRING pickle has negative byte count")
        self.append(self._decode_string(self.read(n)))

    def load_short_binstring(self):
        n = self.read(1)[0]
        self.append(self._decode_string(self.read(n)))

    def load_binbytes(self):
        n, = unpack('<I', self.read(4))
        self.append(self.read(n))

    def load_short_binbytes(self):
        n = self.read(1)[0]
        self.append(self.read(n))

    def load_binbytes8(self):
        n, = unpack('<Q', self.read(8))
        self.append(self.read(n))

    def load_bytearray8(self):
        n, = unpack('<Q', self.read(8))
        b = bytearray()
        b.extend(self.read(n))
        self.append(b)

    def load_unicode(self):
        self.append(_raw_unicode_unescape(self.readline()[:-1]))

    def load_binunicode(self):
        n, = unpack('<I', self.read(4))
        self.append(self.read(n).decode('utf-8', 'surrogatepass'))

    def load_binunicode8(self):
        n, = unpack('<Q', self.read(8))
        self.append(self.read(n).decode('utf-8', 'surrogatepass'))

    def load_short_binunicode(self):
        n = self.read(1)[0]
        self.append(self.read(n).decode('utf-8', 'surrogatepass'))

    def load_tuple(self):
        items = self.pop_mark()
        self.append(tuple(items))

    def load_empty_tuple(self):
        self.append(())

    def load_tuple1(self):
        self.stack[-1] = (self.stack[-1],)

    def load_tuple2(self):
        self.stack[-2:] = [(self.stack[-2], self.stack[-1])]

    def load_tuple3(self):
        self.stack[-3:] = [(self.stack[-3], self.stack[-2], self.stack[-1])]

    def load_empty_list(self):
        self.append([])

    def load_empty_dictionary(self):
        self.append({})

    def load_empty_set(self):
        self.append(set())

    def load_frozenset(self):
        items = self.pop_mark()
        self.append(frozenset(items))

    def load_list(self):
        items = self.pop_mark()
        self.append(items)

    def load_dict(self):
        items = self.pop_mark()
        d = {items[i]: items[i + 1] for i in range(0, len(items), 2)}
        self.append(d)

    def _instantiate(self, klass, args):
        if (args or not isinstance(klass, type) or hasattr(klass, "__getinitargs__")):
            try:
                value = klass(*args)
            except TypeError as err:
                raise TypeError("in constructor for %s: %s" % (klass.__name__, str(err)))
        else:
            value = klass.__new__(klass)
        self.append(value)

    def load_inst(self):
        module = self.readline()[:-1].decode("ascii")
        name = self.readline()[:-1].decode("ascii")
        klass = self.find_class(module, name)
        self._instantiate(klass, self.pop_mark())

    def load_obj(self):
        args = self.pop_mark()
        cls = args.pop(0)
        self._instantiate(cls, args)

    def load_newobj(self):
        args = self.stack.pop()
        cls = self.stack.pop()
        obj = cls.__new__(cls, *args)
        self.append(obj)

    def load_newobj_ex(self):
        kwargs = self.stack.pop()
        args = self.stack.pop()
        cls = self.stack.pop()
        obj = cls.__new__(cls, *args, **kwargs)
        self.append(obj)

    def load_global(self):
        module = self.readline()[:-1].decode("utf-8")
        name = self.readline()[:-1].decode("utf-8")
        klass = self.find_class(module, name)
        self.append(klass)

    def load_stack_global(self):
        name = self.stack.pop()
        module = self.stack.pop()
        if type(name) is not str or type(module) is not str:
            raise UnpicklingError("STACK_GLOBAL requires str")
        self.append(self.find_class(module, name))

    def load_ext1(self):
        raise UnpicklingError("unregistered extension code %d" % self.read(1)[0])

    def load_ext2(self):
        raise UnpicklingError("unregistered extension code %d" % unpack('<H', self.read(2))[0])

    def load_ext4(self):
        raise UnpicklingError("unregistered extension code %d" % unpack('<i', self.read(4))[0])

    def find_class(self, module, name):
        sys.audit('pickle.find_class', module, name) if hasattr(sys, 'audit') else None
        if self.proto < 3 and self.fix_imports:
            module = _NAME_MAPPING_3.get(module, module)
        if module == '_codecs' and name == 'encode':
            return _codecs_encode
        if module == 'copyreg':
            return getattr(_copyreg, name)
        if module == 'builtins':
            b = _builtins()
            if name in b:
                return b[name]
            raise AttributeError("module 'builtins' has no attribute '%s'" % name)
        mod = _import(module)
        if self.proto >= 4:
            return _getattribute(mod, name)[0]
        return getattr(mod, name)

    def load_reduce(self):
        stack = self.stack
        args = stack.pop()
        func = stack[-1]
        if args and type(args[0]) is bytes and getattr(func, '__module__', None) == 'datetime':
            stack[-1] = _date_from_state(func, args)
            return
        stack[-1] = func(*args)

    def load_pop(self):
        if self.stack:
            del self.stack[-1]
        else:
            self.pop_mark()

    def load_pop_mark(self):
        self.pop_mark()

    def load_dup(self):
        self.append(self.stack[-1])

    def load_get(self):
        i = int(self.readline()[:-1].decode('ascii'))
        try:
            self.append(self.memo[i])
        except KeyError:
            raise UnpicklingError("Memo value not found at index %d" % i) from None

    def load_binget(self):
        i = self.read(1)[0]
        try:
            self.append(self.memo[i])
        except KeyError:
            raise UnpicklingError("Memo value not found at index %d" % i) from None

    def load_long_binget(self):
        i, = unpack('<I', self.read(4))
        try:
            self.append(self.memo[i])
        except KeyError:
            raise UnpicklingError("Memo value not found at index %d" % i) from None

    def load_put(self):
        i = int(self.readline()[:-1].decode('ascii'))
        if i < 0:
            raise ValueError("negative PUT argument")
        self.memo[i] = self.stack[-1]

    def load_binput(self):
        i = self.read(1)[0]
        self.memo[i] = self.stack[-1]

    def load_long_binput(self):
        i, = unpack('<I', self.read(4))
        self.memo[i] = self.stack[-1]

    def load_memoize(self):
        memo = self.memo
        memo[len(memo)] = self.stack[-1]

    def load_append(self):
        value = self.stack.pop()
        self.stack[-1].append(value)

    def load_appends(self):
        items = self.pop_mark()
        list_obj = self.stack[-1]
        if isinstance(list_obj, list):
            list_obj.extend(items)
        else:
            for item in items:
                list_obj.append(item)

    def load_setitem(self):
        stack = self.stack
        value = stack.pop()
        key = stack.pop()
        stack[-1][key] = value

    def load_setitems(self):
        items = self.pop_mark()
        d = self.stack[-1]
        for i in range(0, len(items), 2):
            d[items[i]] = items[i + 1]

    def load_additems(self):
        items = self.pop_mark()
        set_obj = self.stack[-1]
        if isinstance(set_obj, set):
            set_obj.update(items)
        else:
            for item in items:
                set_obj.add(item)

    def load_build(self):
        stack = self.stack
        state = stack.pop()
        inst = stack[-1]
        setstate = getattr(inst, "__setstate__", None)
        if setstate is not None:
            setstate(state)
            return
        slotstate = None
        if isinstance(state, tuple) and len(state) == 2:
            state, slotstate = state
        if state:
            for k, v in state.items():
                object.__setattr__(inst, k, v)
        if slotstate:
            for k, v in slotstate.items():
                setattr(inst, k, v)

    def load_mark(self):
        self.metastack.append(self.stack)
        self.stack = []
        self.append = self.stack.append

    def load_stop(self):
        value = self.stack.pop()
        raise _Stop(value)

    def load_buffer(self):
        raise UnpicklingError("pickle stream refers to out-of-band data but no *buffers* argument was given")


def _builtins():
    return {'set': set, 'frozenset': frozenset, 'list': list, 'dict': dict, 'tuple': tuple, 'bytes': bytes,
            'bytearray': bytearray, 'str': str, 'int': int, 'float': float, 'bool': bool, 'object': object,
            'complex': getattr(__import__('builtins'), 'complex', None) if False else None, 'range': range,
            'slice': slice, 'type': type, 'len': len, 'getattr': getattr, 'print': print, 'abs': abs, 'max': max,
            'min': min, 'sum': sum, 'sorted': sorted, 'repr': repr, 'ValueError': ValueError, 'TypeError': TypeError,
            'KeyError': KeyError, 'IndexError': IndexError, 'Exception': Exception, 'RuntimeError': RuntimeError,
            'ZeroDivisionError': ZeroDivisionError, 'AttributeError': AttributeError, 'OSError': OSError,
            'NotImplemented': NotImplemented, 'Ellipsis': Ellipsis, 'map': map, 'zip': zip, 'enumerate': enumerate,
            'reversed': reversed, 'iter': iter, 'next': next, 'divmod': divmod, 'pow': pow, 'round': round,
            'hash': hash, 'id': id, 'isinstance': isinstance, 'callable': callable, 'ord': ord, 'chr': chr,
            'hex': hex, 'oct': oct, 'bin': bin, 'all': all, 'any': any, 'filter': filter, 'format': format}


_U = _Unpickler
_U.dispatch = {
    PROTO[0]: _U.load_proto, FRAME[0]: _U.load_frame, PERSID[0]: _U.load_persid, BINPERSID[0]: _U.load_binpersid,
    NONE[0]: _U.load_none, NEWFALSE[0]: _U.load_false, NEWTRUE[0]: _U.load_true, INT[0]: _U.load_int,
    BININT[0]: _U.load_binint, BININT1[0]: _U.load_binint1, BININT2[0]: _U.load_binint2, LONG[0]: _U.load_long,
    LONG1[0]: _U.load_long1, LONG4[0]: _U.load_long4, FLOAT[0]: _U.load_float, BINFLOAT[0]: _U.load_binfloat,
    STRING[0]: _U.load_string, BINSTRING[0]: _U.load_binstring, SHORT_BINSTRING[0]: _U.load_short_binstring,
    BINBYTES[0]: _U.load_binbytes, SHORT_BINBYTES[0]: _U.load_short_binbytes, BINBYTES8[0]: _U.load_binbytes8,
    BYTEARRAY8[0]: _U.load_bytearray8, NEXT_BUFFER[0]: _U.load_buffer, READONLY_BUFFER[0]: _U.load_buffer,
    UNICODE[0]: _U.load_unicode, BINUNICODE[0]: _U.load_binunicode, BINUNICODE8[0]: _U.load_binunicode8,
    SHORT_BINUNICODE[0]: _U.load_short_binunicode, TUPLE[0]: _U.load_tuple, EMPTY_TUPLE[0]: _U.load_empty_tuple,
    TUPLE1[0]: _U.load_tuple1, TUPLE2[0]: _U.load_tuple2, TUPLE3[0]: _U.load_tuple3,
    EMPTY_LIST[0]: _U.load_empty_list, EMPTY_DICT[0]: _U.load_empty_dictionary, EMPTY_SET[0]: _U.load_empty_set,
    FROZENSET[0]: _U.load_frozenset, LIST[0]: _U.load_list, DICT[0]: _U.load_dict, INST[0]: _U.load_inst,
    OBJ[0]: _U.load_obj, NEWOBJ[0]: _U.load_newobj, NEWOBJ_EX[0]: _U.load_newobj_ex, GLOBAL[0]: _U.load_global,
    STACK_GLOBAL[0]: _U.load_stack_global, EXT1[0]: _U.load_ext1, EXT2[0]: _U.load_ext2, EXT4[0]: _U.load_ext4,
    REDUCE[0]: _U.load_reduce, POP[0]: _U.load_pop, POP_MARK[0]: _U.load_pop_mark, DUP[0]: _U.load_dup,
    GET[0]: _U.load_get, BINGET[0]: _U.load_binget, LONG_BINGET[0]: _U.load_long_binget, PUT[0]: _U.load_put,
    BINPUT[0]: _U.load_binput, LONG_BINPUT[0]: _U.load_long_binput, MEMOIZE[0]: _U.load_memoize,
    APPEND[0]: _U.load_append, APPENDS[0]: _U.load_appends, SETITEM[0]: _U.load_setitem,
    SETITEMS[0]: _U.load_setitems, ADDITEMS[0]: _U.load_additems, BUILD[0]: _U.load_build, MARK[0]: _U.load_mark,
    STOP[0]: _U.load_stop,
}


def _dump(obj, file, protocol=None, *, fix_imports=True, buffer_callback=None):
    _Pickler(file, protocol, fix_imports=fix_imports, buffer_callback=buffer_callback).dump(obj)


class _Collector:
    def __init__(self):
        self.parts = []

    def write(self, b):
        self.parts.append(b)
        return len(b)


def _dumps(obj, protocol=None, *, fix_imports=True, buffer_callback=None):
    f = _Collector()
    _Pickler(f, protocol, fix_imports=fix_imports, buffer_callback=buffer_callback).dump(obj)
    return b''.join(f.parts)


def _load(file, *, fix_imports=True, encoding="ASCII", errors="strict", buffers=None):
    return _Unpickler(file, fix_imports=fix_imports, buffers=buffers, encoding=encoding, errors=errors).load()


def _loads(s, /, *, fix_imports=True, encoding="ASCII", errors="strict", buffers=None):
    if isinstance(s, str):
        raise TypeError("Can't load pickle from unicode string")
    file = _io.BytesIO(bytes(s))
    return _Unpickler(file, fix_imports=fix_imports, buffers=buffers, encoding=encoding, errors=errors).load()


Pickler, Unpickler = _Pickler, _Unpickler
dump, dumps, load, loads = _dump, _dumps, _load, _loads
Pickler.__module__ = 'pickle'
