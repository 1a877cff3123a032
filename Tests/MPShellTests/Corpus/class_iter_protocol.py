class Countdown:
    def __init__(self, start):
        self.current = start
    def __iter__(self):
        return self
    def __next__(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1
print(list(Countdown(3)))
for x in Countdown(2):
    print(x)
class Bag:
    def __init__(self, items):
        self.items = items
    def __iter__(self):
        return iter(self.items)
    def __contains__(self, x):
        return x in self.items
    def __len__(self):
        return len(self.items)
b = Bag([1, 2, 3])
print(sum(b), 2 in b, 5 in b, len(b), sorted(b, reverse=True), list(zip(b, b)))
class Seq:
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError
        return i * 10
print(list(Seq()))
