# copy: shallow and deep copies of containers and instances, shared references and cycles, __copy__/__deepcopy__
import copy

a = [1, [2, 3], {'k': [4]}]
s, d = copy.copy(a), copy.deepcopy(a)
a[1].append(99); a[2]['k'].append(5)
print(s, d, s[1] is a[1], d[1] is a[1])
shared = [0]
pair = [shared, shared]
dp = copy.deepcopy(pair)
print(dp[0] is dp[1], dp[0] is shared)
cyc = [1]; cyc.append(cyc)
cc = copy.deepcopy(cyc)
print(cc[1] is cc, cc is not cyc)
class Node:
    def __init__(self, v, children=()):
        self.v = v; self.children = list(children)
    def __repr__(self):
        return 'Node(%r, %r)' % (self.v, self.children)
tree = Node(1, [Node(2), Node(3)])
t2 = copy.deepcopy(tree); t2.children[0].v = 20
print(tree, t2, copy.copy(tree).children is tree.children)
class Custom:
    def __init__(self): self.log = []
    def __copy__(self):
        c = Custom(); c.log = self.log + ['copied']; return c
    def __deepcopy__(self, memo):
        c = Custom(); c.log = ['deep'] + copy.deepcopy(self.log, memo); return c
c = Custom(); c.log.append('orig')
print(copy.copy(c).log, copy.deepcopy(c).log, copy.deepcopy((1, 'a', None)) == (1, 'a', None))
t = (1, [2]); print(copy.deepcopy(t) == t, copy.deepcopy(t) is t, copy.copy(t) is t, copy.copy({1, 2}), copy.deepcopy(frozenset([1])))
