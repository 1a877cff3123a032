def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(10), fact(30))
def hanoi(n, src, dst, via, moves):
    if n == 0:
        return
    hanoi(n - 1, src, via, dst, moves)
    moves.append((src, dst))
    hanoi(n - 1, via, dst, src, moves)
m = []
hanoi(4, "A", "C", "B", m)
print(len(m), m[:3])
def is_even(n):
    return True if n == 0 else is_odd(n - 1)
def is_odd(n):
    return False if n == 0 else is_even(n - 1)
print(is_even(10), is_odd(7))
def flatten(x):
    return [a for i in x for a in flatten(i)] if isinstance(x, list) else [x]
print(flatten([1, [2, [3, [4]]], 5]))
