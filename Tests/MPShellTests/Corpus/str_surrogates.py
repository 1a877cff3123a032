# Lone surrogates are code points of a Python str (they cannot be printed as UTF-8, so only reprs are printed):
# len, repr, ord, indexing, slicing, concatenation, comparison, dict keys.
s = "\ud800"
print(len(s), repr(s), ord(s), ascii(s), s == "\ud800", s == "\udc00", s != "\ufffd", s == "\ufffd")
t = "a\ud83d\ude00b"
print(len(t), repr(t), [ord(c) for c in t], repr(t[1]), repr(t[1:3]), repr(t[::-1]), t[0], t[-1])
print(t == "a\ud83d\ude00b", t == "a\U0001f600b", len("a\U0001f600b"), "\ud83d" + "\ude00" == "\U0001f600")
u = chr(0xdfff) + "x" + chr(0xd800)
print(len(u), repr(u), repr(u * 2), repr(u[1:]), u[1], "x" in u, "\udfff" in u, "\ud801" in u)
d = {s: 1, "\udc00": 2, "\ufffd": 3}
print(len(d), d["\ud800"], d[chr(0xdc00)], d["\ufffd"], sorted(map(repr, d)))
print(sorted(["\ue000", "\ud800", "\U00010000", "\ud7ff", "a"]) == ["a", "\ud7ff", "\ud800", "\ue000", "\U00010000"])
print("\ud800" < "\ue000", "\udbff" < "\udc00", "\ud800" > "\ud7ff", repr(max("\ud800", "z")))
v = ""
for c in t:
    v += c
print(v == t, repr(v), len(str(s)), repr(repr(s)))
