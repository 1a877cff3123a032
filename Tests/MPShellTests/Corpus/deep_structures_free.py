# Issue 20: freeing long chains does not recurse once per link (CPython's trashcan): 3 million linked nodes,
# 3 million nested lists, a million nested tuples and dicts are created and dropped.
class Node:
    def __init__(self, nxt):
        self.next = nxt

head = None
for i in range(3_000_000):
    head = Node(head)
n = 0
p = head
while p is not None and n < 5:
    n += 1
    p = p.next
del p
head = None
print("linked list freed", n)

nested = []
for i in range(3_000_000):
    nested = [nested]
nested = None
print("nested lists freed")

t = ()
for i in range(1_000_000):
    t = (t, i)
print(t[1])
t = None
d = {}
for i in range(1_000_000):
    d = {"inner": d}
d = None
print("nested tuples and dicts freed")

# a deep chain still holds its data until it is dropped
chain = None
for i in range(200_000):
    chain = [i, chain]
total = 0
while chain is not None:
    total += chain[0]
    chain = chain[1]
print(total)
