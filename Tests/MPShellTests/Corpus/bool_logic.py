print(True and False, True or False, not True, 0 or "x", "" and 5, None or [] or 0)
print(1 and 2 and 3, 0 or 0.0 or "end", [] or {}, bool([]), bool([0]), bool(""), bool("0"))
def t(v):
    print("t", v)
    return v
print(t(0) and t(1))
print(t(1) or t(2))
print(True + True, True * 3, False - 1, int(True), str(False))
x = 5
print("big" if x > 3 else "small", "neg" if x < 0 else "zero" if x == 0 else "pos")
