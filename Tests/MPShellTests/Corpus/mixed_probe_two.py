print(f"{3.14159:.3}", f"{1234.5:.3}", f"{0.0001:.2}", f"{100.0:.2}", format(1e20, ".3"), format(0.5, "g"), format(123456789.0, "g"))
class Node:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next
head = Node(1, Node(2, Node(3)))
n = head
while n:
    print(n.val, end=" ")
    n = n.next
print()
class Stack:
    def __init__(self):
        self.items = []
    def push(self, x): self.items.append(x)
    def pop(self): return self.items.pop()
    def __len__(self): return len(self.items)
    def __repr__(self): return f"Stack({self.items})"
s = Stack(); s.push(1); s.push(2)
print(s, len(s), s.pop(), s)
def gen():
    x = yield
    print("got", x)
g = gen(); next(g)
try:
    g.send(5)
except StopIteration:
    print("stopped")
import itertools
print(list(itertools.combinations_with_replacement("ab", 2)), list(itertools.pairwise([1, 2, 3])) if hasattr(itertools, "pairwise") else None)
d = {"b": 2, "a": 1}
print(max(d, key=d.get), sorted(d, key=d.get), min(d.values()), list(map(lambda kv: kv[0], d.items())))
print("abc".startswith("b", 1), "abcabc".find("c", 3), "a b c".split(None, 1), "aXbXc".split("X", 1))
print("%.2e" % 12345.6789, "%g" % 100000, "%g" % 1000000, "%g" % 0.0001, "%.3g" % 3.14159)
print(int(True) + 1, 3 * "ab", [1] * 0, "x" * -1, 5 // 0.5 if True else 0)
l = [3, 1, 2]
print(sorted(l) is l, l.sort() is None, l)
print(list(zip(*[[1, 2, 3], [4, 5, 6]])))
nums = [1, 2, 3, 4, 5, 6]
evens, odds = [n for n in nums if n % 2 == 0], [n for n in nums if n % 2]
print(evens, odds, sum(evens) / len(evens), sum(nums) // len(nums))
print(all([]), any([]), min([1]), max([1, 1]), abs(-7), round(-1.5), round(1.5), round(0.1 + 0.2, 10))
print("Result: %s, %d items, %.1f%%" % ("ok", 3, 99.5))
x = 10
def change():
    x = 20
    def inner():
        nonlocal x
        x = 30
    inner()
    return x
print(change(), x)
print(type(print).__name__, type(len), callable(print))
t = 1,
print(t, type(t))
print([] == [], [] is not [], None == False, 1 == True, 2 == True)
print("a\tb".expandtabs(), "tab".upper().lower())
print(list(filter(str.isdigit, "a1b2")), list(map(int, "123")), list(map(str.upper, ["a"])))
print(bytes(range(5)), bytearray(3), b"%d" % 5 if False else "")
