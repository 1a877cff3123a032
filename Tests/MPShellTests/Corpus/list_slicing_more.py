a = list(range(10))
print(a[2:8:2], a[::-1], a[-3:-1], a[8:2:-2], a[100:], a[:-100], a[::], a[1::3])
a[::2] = [0] * 5
print(a)
a[2:5] = []
print(a)
a[:0] = [-1, -2]
print(a)
s = "abcdefgh"
print(s[1:-1], s[-1::-2], s[3:3], s[:3] + s[3:] == s)
t = tuple(range(6))
print(t[1:4], t[::-1], t[-2:])
