def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
print(fib(100), fib(200))
f = 1
for i in range(1, 51):
    f *= i
print(f, len(str(f)), f % 1000007, f // 10 ** 50, -f // 7, str(2 ** 200)[:10])
print(2 ** 100 == 1 << 100, (2 ** 100 + 1) % 2, abs(-(10 ** 30)), 10 ** 30 > 10 ** 29, hex(2 ** 70), int("9" * 30) + 1)
print(pow(2, 1000, 10 ** 9 + 7), (10 ** 20) / (10 ** 10), float(2 ** 80), round(2 ** 70 / 3), max(10 ** 25, 5), 10 ** 25 - 10 ** 25)
print(-(2 ** 64) // 3, -(2 ** 64) % 7, (2 ** 64) * -1, divmod(10 ** 21, 7), bin(2 ** 65)[:6], (2 ** 65).bit_length())
