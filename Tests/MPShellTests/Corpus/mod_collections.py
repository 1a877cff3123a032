from collections import defaultdict, namedtuple, deque, OrderedDict
dd = defaultdict(list)
for word in ["apple", "avocado", "banana"]:
    dd[word[0]].append(word)
print(dict(dd), dd["z"], len(dd), "a" in dd)
counts = defaultdict(int)
for c in "hello":
    counts[c] += 1
print(sorted(counts.items()))
Point = namedtuple("Point", ["x", "y"])
p = Point(1, y=2)
print(p, p.x, p[1], tuple(p), p._asdict(), p == Point(1, 2), p._replace(x=5))
x, y = p
print(x + y)
q = deque([1, 2, 3])
q.append(4); q.appendleft(0)
print(q, q.popleft(), q.pop(), len(q), list(q))
d = deque(maxlen=2)
for i in range(5):
    d.append(i)
print(d)
