# bytearray.append/extend: in place (a long build stays linear), CPython's errors, bytes-like and iterable arguments
out = bytearray()
keep = out
for k in range(300000):
    out.append(k % 256)
for k in range(20000):
    out.extend(b'xyz')
print(len(out), out[:5], out[-4:], keep is out)
b = bytearray(b'ab')
b.extend(bytearray(b'cd'))
b.extend(memoryview(b'ef'))
b.extend([103, 104])
b.extend(x for x in (105, 106))
b.extend(range(107, 109))
b.append(True)
print(b)
for bad in [lambda: b.append(256), lambda: b.append(-1), lambda: b.append('a'), lambda: b.append(1.0),
            lambda: b.extend([256]), lambda: b.extend('ab'), lambda: b.extend(5), lambda: b.append()]:
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
print(b)
