import time
def timer(func):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        end = time.perf_counter()
        print(f"{func.__name__} took {'some'} seconds")
        return result
    return wrapper
@timer
def work(n):
    return sum(i * i for i in range(n))
print(work(1000))
class Meta:
    count = 0
    def __new__(cls, *a):
        inst = super().__new__(cls)
        cls.count += 1
        return inst
    def __init__(self, v):
        self.v = v
m1 = Meta(1); m2 = Meta(2)
print(Meta.count, m1.v, m2.v)
class Singleton:
    _inst = None
    def __new__(cls):
        if cls._inst is None:
            cls._inst = super().__new__(cls)
        return cls._inst
print(Singleton() is Singleton())
print(sorted(set("hello world")), "".join(sorted(set("hello"))))
print(list(map(lambda x: x ** 2, filter(lambda x: x % 2 == 0, range(10)))))
matrix = [[i * 3 + j for j in range(3)] for i in range(3)]
for row in matrix:
    print(" ".join(f"{v:3d}" for v in row))
print(str(3) + "3", int("3") + 3, float("3") * 2, str(True).lower())
s = "The quick brown fox"
print({w: len(w) for w in s.split()}, s.split()[::-1], " ".join(reversed(s.split())))
print(f"{'Name':<10}{'Age':>5}")
print(f"{'Alice':<10}{30:>5}")
print("=" * 15)

class Animal:
    sound = "..."
    def speak(self):
        return f"{self.__class__.__name__} says {self.sound}"
class Dog(Animal):
    sound = "woof"
print(Dog().speak(), Animal().speak())
print(hash(1) == hash(1.0), {1: "a", 1.0: "b"})
items = [("a", 3), ("b", 1)]
items.sort(key=lambda t: t[1])
print(items, dict(items))
print(list(enumerate(["x"])), type(enumerate([])).__name__, type(zip()).__name__, type(map(str, [])).__name__)
print(repr(1e-10), 1.0e-4, 12.0, 1.5e16, float(123456789012345678))
