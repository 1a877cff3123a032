# Indexing ranges near the 64-bit limits, computed exactly as CPython does (with big ints where needed).
print(range(-2**63, 2**63-1)[-1])
print(range(-2**63, 2**63-1, 2**62)[-1])
print(range(-2**63, 2**63-1, 2**62)[3])
print(range(2**63-1, -2**63, -2**62)[-1])
print(range(-2**63, 2**63-1)[0], range(-2**63, 2**63-1)[2**63-2])
for r, i in [(range(10), 10), (range(10), -11), (range(-2**63, 2**63-1), 2**63-1), (range(5, 1), 0)]:
    try:
        print(r[i])
    except IndexError as e:
        print('IndexError:', e)
print(range(0, 10, 3)[-1], range(10, 0, -3)[-1], range(10, 0, -3)[1])
