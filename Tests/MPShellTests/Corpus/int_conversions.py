print(int("  42  "), int("-0"), int("1_000"), int("0x1F", 16), int("z", 36), int("777", 8), int(" -12 "))
print(str(-0), str(10 ** 5), float("1e-3"), float("-1.5E2"), int(float("3.7")), bool("False"), int(-7 / 2))
print(hex(0), oct(-8), bin(-3), 0o17, 0b111, 0x10, 1_000_000, int("+5"))
for bad in ["", "1.5", "abc", "1 2"]:
    try:
        int(bad)
    except ValueError as e:
        print("ValueError:", e)
