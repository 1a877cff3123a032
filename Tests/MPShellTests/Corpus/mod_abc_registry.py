# abc: __abstractmethods__ recorded when the class is made, partial implementations refused, concrete subclasses
from abc import ABC, ABCMeta, abstractmethod

class Store(ABC):
    @abstractmethod
    def get(self, key): ...
    @abstractmethod
    def put(self, key, value): ...
    def describe(self):
        return 'store with ' + ', '.join(sorted(type(self).__abstractmethods__ or {'nothing abstract'}))

class Memory(Store):
    def __init__(self):
        self.d = {}
    def get(self, key):
        return self.d.get(key)
    def put(self, key, value):
        self.d[key] = value

m = Memory()
m.put('a', 1)
print(m.get('a'), m.describe(), isinstance(m, Store), issubclass(Memory, Store))
print(sorted(Store.__abstractmethods__), Memory.__abstractmethods__ == frozenset(), type(Store) is ABCMeta)
class Partial(Store):
    def get(self, key):
        return None
print(sorted(Partial.__abstractmethods__))
for cls in (Store, Partial):
    try:
        cls()
    except TypeError as e:
        print('TypeError:', e)
class Plugin(metaclass=ABCMeta):
    @abstractmethod
    def run(self): ...
try:
    Plugin()
except TypeError as e:
    print('TypeError:', e)
