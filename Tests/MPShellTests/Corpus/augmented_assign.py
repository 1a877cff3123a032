x = 10
x += 5; x -= 3; x *= 2; x //= 5; x **= 3; x %= 7
print(x)
f = 1.5
f /= 2; f += 1
print(f)
s = "a"
s += "b"; s *= 3
print(s)
lst = [1]
alias = lst
lst += [2]
print(alias, lst is alias)
t = (1,)
t2 = t
t += (2,)
print(t, t2)
bits = 0b1010
bits |= 1; bits &= 0b1110; bits ^= 0b0100; bits <<= 2; bits >>= 1
print(bits)
d = {"k": 1}
d["k"] += 10
class A:
    v = 1
a = A()
a.v += 1
print(d, a.v, A.v)
