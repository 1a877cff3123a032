i = 0
total = 0
while i < 10:
    i += 1
    if i == 3:
        continue
    if i == 8:
        break
    total += i
print(i, total)
n = 0
while n < 3:
    n += 1
else:
    print("while-else ran", n)
while True:
    n -= 1
    if n == 0:
        break
else:
    print("not printed")
print("done", n)
