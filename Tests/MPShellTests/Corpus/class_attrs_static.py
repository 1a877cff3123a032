class Counter:
    instances = 0
    def __init__(self):
        Counter.instances += 1
        self.id = Counter.instances
    @staticmethod
    def describe():
        return "a counter"
    @classmethod
    def make(cls):
        return cls()
    @property
    def label(self):
        return f"#{self.id}"
a = Counter(); b = Counter(); c = Counter.make()
print(Counter.instances, a.id, b.id, c.id, Counter.describe(), a.describe(), c.label)
class Temp:
    def __init__(self):
        self._c = 0
    @property
    def celsius(self):
        return self._c
    @celsius.setter
    def celsius(self, v):
        if v < -273:
            raise ValueError("too cold")
        self._c = v
t = Temp()
t.celsius = 25
print(t.celsius)
try:
    t.celsius = -300
except ValueError as e:
    print(e)
