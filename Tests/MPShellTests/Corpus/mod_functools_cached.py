# functools: cached_property computes once per instance, can be reassigned; total_ordering; partial
import functools

class Dataset:
    def __init__(self, values):
        self.values = values
        self.computed = 0
    @functools.cached_property
    def total(self):
        self.computed += 1
        return sum(self.values)

d = Dataset([1, 2, 3])
print(d.total, d.total, d.computed)
d.total = 100
print(d.total, d.computed)
print(Dataset([5]).total)

@functools.total_ordering
class Version:
    def __init__(self, *parts):
        self.parts = parts
    def __eq__(self, other):
        return self.parts == other.parts
    def __lt__(self, other):
        return self.parts < other.parts
print(Version(1, 2) <= Version(1, 3), Version(2) > Version(1, 9), Version(1) >= Version(1), sorted([Version(2), Version(1)])[0].parts)
parse_bin = functools.partial(int, base=2)
print(parse_bin('1010'), functools.reduce(lambda a, b: a * b, range(1, 6), 1))
