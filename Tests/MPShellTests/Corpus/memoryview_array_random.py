# memoryview over array.array and bytes-like values, driven by a fixed pseudo-random sequence: casts, slices with
# steps, item and slice assignment of every kind of value, tolist/tobytes/format/strides/contiguous, == with an
# array; each result and error compared whole with CPython's

from array import array
seed = 11
def rand(n):
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return (seed >> 8) % n
TC = 'bBhHiIlLqQfdu'
FMT = ['B', 'b', 'c', 'h', 'H', 'i', 'I', 'l', 'L', 'q', 'Q', 'f', 'd', '?', 'n', 'N', 'P', 'w', '@B', 'x', 'BB']
VALS = [0, 1, -1, 127, 128, 255, 256, 2**15, 2**31, 2**63 - 1, 2**63, 2**64 - 1, 2**64, -2**63, 1.5, 'a', b'a', b'ab', None, True, 3.0e38, float('inf')]
def item(tc):
    if tc == 'u':
        return chr(97 + rand(26))
    if tc in 'fd':
        return rand(1000) / 8
    lim = {'b': 127, 'B': 255, 'h': 2**15 - 1, 'H': 2**16 - 1, 'i': 2**31 - 1, 'I': 2**32 - 1}.get(tc, 2**62)
    return rand(lim) - (0 if tc.isupper() else lim // 2)
for n in range(300):
    tc = TC[rand(len(TC))]
    a = array(tc, [item(tc) for _ in range(rand(7))])
    out = [tc, len(a)]
    try:
        m = memoryview(a)
        for step in range(6):
            op = rand(9)
            if op == 0:
                m = m.cast(FMT[rand(len(FMT))])
            elif op == 1:
                i, j, k = rand(8) - 3, rand(8) - 3, [1, 2, -1, 3][rand(4)]
                m = m[i:j:k]
            elif op == 2:
                m[rand(6) - 2] = VALS[rand(len(VALS))]
            elif op == 3:
                i, j = rand(5), rand(5)
                src = [b'', b'ab', bytearray(b'xyz'), array(tc, [item(tc)]), array('B', [1, 2]), m][rand(6)]
                m[i:j] = src
            elif op == 4:
                out.append(m.tolist())
            elif op == 5:
                out.append((m.format, m.itemsize, m.nbytes, m.shape, m.strides, m.contiguous))
            elif op == 6:
                out.append(m.tobytes())
            elif op == 7:
                out.append(m == array(tc, a.tolist()) if tc != 'u' else None)
            else:
                out.append(m[rand(6) - 3])
    except Exception as e:
        out.append(type(e).__name__ + ': ' + str(e))
    out.append(a.tolist() if tc != 'u' else a.tounicode())
    print(n, out)
