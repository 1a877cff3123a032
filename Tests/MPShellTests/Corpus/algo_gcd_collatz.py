def gcd(a, b):
    while b:
        a, b = b, a % b
    return a
def collatz(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps
print(gcd(48, 18), gcd(17, 5), [collatz(n) for n in range(1, 15)], max(range(1, 1000), key=collatz))
