s = ""
for i in range(1000):
    s += str(i % 10)
print(len(s), s[:20], s[-5:])
parts = []
for i in range(5):
    parts.append(f"<{i}>")
print("".join(parts), ", ".join(str(i) for i in range(5)))
line = "=" * 20
print(line)
table = [("apple", 1.5, 3), ("kiwi", 0.25, 12)]
for name, price, qty in table:
    print(f"{name:<10}|{price:>6.2f}|{qty:>4}|{price * qty:>7.2f}")
print("%-10s|%6s|" % ("name", "price"))
