# copy of instances with __slots__-free state, __getstate__/__setstate__, deep copies of dict subclasses' contents
import copy

class Account:
    def __init__(self, owner, history):
        self.owner = owner
        self.history = history
        self.cache = {'computed': True}
    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop('cache')
        return state
    def __setstate__(self, state):
        for k, v in state.items():
            setattr(self, k, v)
        self.cache = {}

a = Account('ann', [1, 2])
b = copy.deepcopy(a)
b.history.append(3)
print(a.history, b.history, b.owner, getattr(b, 'cache', 'none'))
c = copy.copy(a)
print(c.history is a.history, c.cache)
nested = {'k': [{'v': [1]}]}
d = copy.deepcopy(nested)
d['k'][0]['v'].append(2)
print(nested, d)
print(copy.copy(5), copy.deepcopy('s'), copy.copy([1, [2]])[1] is [1, [2]][1] or True)
