# ctypes' simple types: typecodes, sizes, .value as the C type holds it (wrapping, single precision), reprs
import ctypes
from ctypes import c_int, c_uint, c_double, c_float, c_char, c_bool, c_long, c_ubyte, c_short, sizeof

for t in [ctypes.c_byte, c_ubyte, c_short, ctypes.c_ushort, c_int, c_uint, c_long, ctypes.c_ulong, ctypes.c_longlong,
          ctypes.c_ulonglong, c_float, c_double, c_bool, c_char, ctypes.c_wchar]:
    print(t.__name__, t._type_, sizeof(t), repr(t()))
print(c_int(5), c_int(2**31).value, c_uint(-1).value, c_ubyte(300).value, c_short(40000).value, c_long(-7).value)
print(c_double(1.5), c_float(0.1).value, c_bool(3).value, c_char(b'x'), c_char(65).value)
x = c_int(1); x.value += 41; print(x.value, sizeof(x), ctypes.c_size_t is ctypes.c_ulong, ctypes.c_int32 is c_int)
print(ctypes.c_char_p(b'hi').value, ctypes.c_wchar_p('w').value, ctypes.c_void_p().value)
for bad in [lambda: c_int(1.5), lambda: c_double('x'), lambda: c_char(b'ab'), lambda: sizeof(int)]:
    try:
        bad()
    except TypeError as e:
        print('TypeError:', e)
