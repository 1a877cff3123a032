# A list's append, pop and insert called inline at their call sites and through a bound method kept in a
# variable: negative, boolean and out-of-range indices, wrong argument counts and types with CPython's
# messages, a list subclass's own pop, and arguments that change the list while they are evaluated.
l = list(range(6))
print(l.pop(), l.pop(0), l.pop(-1), l.pop(1), l, l.pop(True))
l.insert(0, "a"); l.insert(-1, "b"); l.insert(100, "c"); l.insert(-100, "d"); l.insert(False, "e")
print(l)
for bad in [lambda: [].pop(), lambda: [].pop(0), lambda: [1].pop(5), lambda: [1].pop(-2), lambda: [1].pop("x"), lambda: [1].insert("x", 2), lambda: [1].pop(2**70)]:
    try: print(bad())
    except Exception as e: print(type(e).__name__, e)
class L(list):
    def pop(self, i=-1): return "mine"
print(L([1]).pop(), L([1]).pop(0))
x = [1, 2, 3]
def g(): x.append(9); return 0
print(x.pop(g()), x)
print(x.insert(1, x.pop()), x)
y = [1, 2, 3]
ins, pop, app = y.insert, y.pop, y.append
app(4); ins(0, pop()); print(y, pop(0), y)
try: pop(1, 2)
except TypeError as e: print(e)
try: app()
except TypeError as e: print(e)
try: ins(1)
except TypeError as e: print(e)
print(pop.__name__, ins.__name__)
