# ctypes: the C behaviour of values (wrap-around of fixed widths, float rounding, char conversions) in loops
from ctypes import c_uint8, c_int8, c_uint16, c_int32, c_uint32, c_float, c_char, c_bool, sizeof

acc = c_uint8(250)
seen = []
for _ in range(10):
    acc.value += 1
    seen.append(acc.value)
print(seen)
print([c_int8(v).value for v in (127, 128, 255, 256, -129)], c_uint16(-1).value, c_int32(2 ** 31 + 5).value, c_uint32(2 ** 32).value)
f = c_float(1 / 3)
print(f.value, f.value == 1 / 3, c_float(16777217).value)
print(c_char(b'A').value, c_char(97).value, c_bool([]).value, c_bool('x').value)
print([sizeof(t) for t in (c_uint8, c_int8, c_uint16, c_int32, c_float, c_char, c_bool)])
