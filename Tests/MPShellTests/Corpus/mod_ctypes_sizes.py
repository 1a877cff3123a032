# ctypes: sizeof of types and instances, the aliases of fixed-width names, repr of values
import ctypes

for name in ['c_int8', 'c_uint8', 'c_int16', 'c_uint16', 'c_int32', 'c_uint32', 'c_int64', 'c_uint64', 'c_size_t', 'c_ssize_t',
             'c_double', 'c_float', 'c_bool', 'c_char', 'c_void_p']:
    t = getattr(ctypes, name)
    print(name, t.__name__, ctypes.sizeof(t), ctypes.sizeof(t()) == ctypes.sizeof(t))
print(repr(ctypes.c_int(-3)), repr(ctypes.c_double(2.5)), repr(ctypes.c_bool(True)), repr(ctypes.c_char(b'z')))
