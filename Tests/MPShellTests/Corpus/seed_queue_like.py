def producer(items, out):
    for item in items:
        out.append(item * 2)
    out.append(None)
def consumer(inp):
    total = 0
    while True:
        item = inp.pop(0)
        if item is None:
            break
        total += item
        print("consumed", item)
    return total
buf = []
producer(range(5), buf)
print("total", consumer(buf))
