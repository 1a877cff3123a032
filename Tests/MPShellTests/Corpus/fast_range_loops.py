# `for i in range(...)` into a local runs its own loop: steps, empty ranges, break/continue/else, return from the
# loop, the loop variable after the loop and assigning to it inside, and ranges at the ends of the int range.
def loops():
    out = []
    for i in range(5):
        out.append(i)
    out.append(("after", i))
    for i in range(10, 0, -3):
        out.append(i)
    for i in range(0):
        out.append("never")
    else:
        out.append("empty else")
    for i in range(3):
        if i == 1:
            continue
        out.append(i)
    else:
        out.append("else ran")
    for i in range(100):
        if i == 4:
            break
    else:
        out.append("not reached")
    out.append(("broke at", i))
    for i in range(3):
        i = i * 100
        out.append(i)
    for i in range(5, 5):
        out.append("never")
    for i in range(-3, 3, 2):
        out.append(i)
    return out

print(loops())

def find(n):
    for i in range(n):
        if i * i > 50:
            return i
    return -1

print(find(100), find(3))

def ends():
    big = 9223372036854775807
    r = []
    for i in range(big - 2, big):
        r.append(i)
    for i in range(-big - 1, -big + 1):
        r.append(i)
    for i in range(0, big, big // 2 + 1):
        r.append(i)
    for i in range(big, big - 3, -1):
        r.append(i)
    return r

print(ends())

def nested(n):
    total = 0
    for i in range(n):
        for j in range(i):
            total += i * j
    return total

print(nested(30))
for k in range(3):
    pass
print("module level", k)

def gen_in_loop():
    for i in range(3):
        yield i
        yield -i

print(list(gen_in_loop()))
