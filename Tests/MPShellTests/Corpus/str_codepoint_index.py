# Indexing and slicing a str by code point: non-ASCII text (2-, 3- and 4-byte UTF-8), negative indices and steps,
# long strings (past the sparse index's stride), out-of-range errors.
s = "héllo wörld ✓ 日本語 𝄞 end"
print(len(s), s[0], s[1], s[-1], s[-3], s[12], s[14], s[18], s[-5])
print(s[1:5], s[-7:-2], s[::2], s[::-1], s[::-3], s[5:1:-1], s[100:], s[-100:3], s[3:3], repr(s[18:19]))
print([s[i] for i in range(len(s)) if ord(s[i]) > 127])
print("".join(reversed(s)) == s[::-1], list(s[10:16]), s[-1:-len(s)-1:-1] == s[::-1])
long = ("aé✓𝄞" * 50) + "x" + ("b" * 37) + "日" * 40
n = len(long)
print(n, long[199], long[200], long[201], long[238], long[-1], long[-41])
print(long[195:205], long[230:245], long[::29], long[-1:150:-17])
acc = []
for i in range(n - 1, -1, -7):
    acc.append(long[i])
print("".join(acc))
print(sum(1 for i in range(n) if long[i] == "𝄞"), long.count("𝄞"), long.index("x"), long.find("日"))
print(long[3] + long[2] + long[1], long[0:4] * 2)
for bad in (n, -n - 1, 10 ** 6):
    try:
        long[bad]
    except IndexError as e:
        print("IndexError", e)
t = "ab"
t += "ç"
t += "𝄞"
print(t, len(t), t[2], t[-1], t[1:])
print([c for c in "aé✓𝄞"], list(enumerate("ñü")), "é✓" in long, "✓é" in long, "xb" in long)
