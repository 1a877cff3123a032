# generator expressions and generators inside comprehensions
def squares(n):
    for i in range(n):
        yield i * i

print([x for x in squares(5)])
print({x % 3 for x in squares(6)})
print({x: x + 1 for x in squares(4)})
print([list(squares(k)) for k in range(4)])
print([y for x in range(4) for y in squares(x) if y % 2 == 0])
print(sum(x for x in squares(10) if x % 2))
print(max((len(w), w) for w in "the quick brown fox".split()))
ge = (i * 2 for i in range(5))
print(next(ge), next(ge), list(ge), list(ge))
print(list(a + b for a in range(3) for b in squares(a)))
nested = ((i, j) for i in range(3) for j in (k for k in range(i)))
print(list(nested))
print(any(x > 10 for x in squares(100)), all(x < 5 for x in squares(3)))
print(sorted(squares(5), reverse=True))
print(dict(zip("abc", squares(3))))
print(list(enumerate(squares(3), 1)))
print(list(map(str, squares(4))), list(filter(None, squares(4))))
print(", ".join(str(x) for x in squares(4)))
print(tuple(squares(3)), set(squares(3)) == {0, 1, 4})
gens = [squares(i) for i in range(3)]
print([sum(g) for g in gens])
# a generator made in a comprehension's loop, consumed later
pending = [(lambda n: (n * m for m in range(3)))(n) for n in range(3)]
print([list(p) for p in pending])
# many generators alive at once, consumed round-robin
live = [squares(4) for _ in range(100)]
rounds = []
for _ in range(4):
    rounds.append(sum(next(g) for g in live))
print(rounds)
