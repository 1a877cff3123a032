class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return f"Vec({self.x}, {self.y})"
    def __str__(self):
        return f"<{self.x}, {self.y}>"
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)
    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)
    def __rmul__(self, k):
        return self * k
    def __eq__(self, o):
        return isinstance(o, Vec) and self.x == o.x and self.y == o.y
    def __lt__(self, o):
        return (self.x, self.y) < (o.x, o.y)
    def __len__(self):
        return 2
    def __getitem__(self, i):
        return (self.x, self.y)[i]
    def __bool__(self):
        return bool(self.x or self.y)
    def __neg__(self):
        return Vec(-self.x, -self.y)
    def __hash__(self):
        return hash((self.x, self.y))
a, b = Vec(1, 2), Vec(3, 4)
print(a + b, b - a, a * 3, 2 * a, -a, a == Vec(1, 2), a != b, a < b, len(a), a[0], list(a))
print(repr(a), str(a), [a, b], bool(Vec(0, 0)), sorted([b, a]), max(a, b), {a: "v"}[Vec(1, 2)])
x, y = a
print(x, y, f"{a}", f"{a!r}")
