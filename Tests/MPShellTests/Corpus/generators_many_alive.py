def counter(start):
    n = start
    while True:
        yield n
        n += 1
gens = [counter(i * 100) for i in range(300)]
firsts = [next(g) for g in gens]
seconds = [next(g) for g in gens]
print(sum(firsts), sum(seconds), firsts[:3], seconds[-3:])
del gens
def squares(n):
    for i in range(n):
        yield i * i
total = 0
for k in range(200):
    total += sum(squares(k))
print(total)
pairs = list(zip(counter(0), "abc"))
print(pairs)
