class Stack(list):
    def push(self, x):
        self.append(x)
    def peek(self):
        return self[-1]
s = Stack()
s.push(1); s.push(2)
print(s, len(s), s.peek(), s.pop(), s, isinstance(s, list))
class AttrDict(dict):
    def __getattr__(self, k):
        return self[k]
a = AttrDict(x=1, y=2)
print(a.x, a["y"], a, len(a), sorted(a.keys()))
class Upper(str):
    def shout(self):
        return self.upper() + "!"
print(Upper("hi").shout(), Upper("x") + "y", len(Upper("abc")))
class Pos(int):
    def double(self):
        return self * 2
print(Pos(21).double(), Pos(3) + 4)
