# Dict displays with constant keys share their keys until one dict changes them: every dict made by one display
# must stay independent of the others, whatever is done to it.
def make(i):
    return {'a': i, 'b': i * 2, 'c': [i]}
ds = [make(i) for i in range(4)]
ds[0]['d'] = 'new'
del ds[1]['a']
ds[2]['b'] = 'replaced'
ds[3].pop('c')
ds[3]['a'] = -1
for d in ds:
    print(d, list(d), len(d))
print(make(9))

def wide(i):
    return {0: i, 1: i, 2: i, 3: i, 4: i, 5: i, 6: i, 7: i, 8: i, 9: i}
w1, w2 = wide(1), wide(2)
w1[100] = 'x'
del w2[5]
w2[5] = 'back'
print(w1)
print(w2)
print(wide(3) == {k: 3 for k in range(10)}, list(wide(0).items())[:3])

# repeated keys keep the last value, in the first key's place, as CPython
def rep(i):
    return {'k': 1, 'j': 2, 'k': i}
print(rep(5), rep(6))
# mixed constant kinds and non-constant keys take the general path
k = 'dyn'
print({1: 'int', True: 'bool', 'x': 0}, {1.0: 'f', 1: 'i'}, {k: 1, 'a': 2}, {'a': 1, **{'b': 2}})
# the values are evaluated in order, and an error in one leaves nothing behind
order = []
def v(n):
    order.append(n)
    return n
print({'p': v(1), 'q': v(2), 'r': v(3)}, order)
try:
    {'p': v(4), 'q': 1 // 0, 'r': v(5)}
except ZeroDivisionError as e:
    print("ZeroDivisionError", e, order)
# a shared-keys dict in a set of keys views and comparisons
a, b = make(1), make(2)
print(a.keys() == b.keys(), a == make(1), sorted(a) == sorted(b))
a.clear()
print(a, b, make(1))
# views compare as sets (keys and items), values views by identity
p, q = {'x': 1, 'y': [2]}, {'y': [2], 'x': 1}
print(p.keys() == q.keys(), p.items() == q.items(), p.keys() == {'x', 'y'}, {'x', 'y'} == p.keys(),
      p.keys() == ['x', 'y'], p.values() == q.values(), p.keys() != q.keys(), p.items() == {('x', 1)},
      {'a': 1}.items() == {('a', 1)}, {'a': 1}.keys() == frozenset('a'), p.keys() == q.items())
