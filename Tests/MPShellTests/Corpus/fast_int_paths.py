# The evaluator's int fast paths (literal and local-name operands read in place) must fall back to Python's
# semantics at every edge: overflow into big ints, negative floor division and modulo, bools, floats, big operands.
big = 2 ** 62

def ops(a, b):
    return (a + b, a - b, a * b, a // b if b else None, a % b if b else None, a < b, a <= b, a == b, a != b, a > b, a >= b)

def lit(n):
    return (n + 1, n - 1, n * 3, n // 7, n % 7, n // -7, n % -7, n < 2, n >= 2, n == 0, n != 0)

for a, b in [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5), (big, big), (-big, big), (big * 4, 3), (3, big * 4),
             (True, 1), (1, True), (False, False), (1.5, 2), (2, 0.5), (-9223372036854775808, 1), (9223372036854775807, 1)]:
    print(a, b, ops(a, b))

for n in [0, 1, 2, -1, -2, 13, -13, 9223372036854775807, -9223372036854775808, 2 ** 70, -2 ** 70, True, False, 2.5, -0.5]:
    print(n, lit(n))

def count_down(n):
    total = 0
    while n > 0:
        total += n * n
        n = n - 1
    return total

print(count_down(10), count_down(0), count_down(-3))
x = 9223372036854775806
for i in range(3):
    x = x + 1
    print(x, x - 1, x * 2, x % 1000, x // 1000)
print(2 < 3 < 4, 3 < 2 < 4, 1 == 1.0, 1 < 1.5, -1 < -0.5)
s = "ab"
print(s * 3, 3 * s, [0] * 2 + [1])
