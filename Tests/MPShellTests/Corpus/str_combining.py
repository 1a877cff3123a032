# Python compares strs by code point: a decomposed 'e' + COMBINING ACUTE is not the precomposed 'é'
# (no canonical equivalence), has two code points, and is a different dict key and set element.
a = "e\u0301"
b = "\u00e9"
print(len(a), len(b), a == b, a != b, a < b, b < a, a[0], len(a[1]), repr(a[1]), a[1] == "\u0301")
print(a in "caf" + b, b in "caf" + a, "e" in "caf" + a, "e" in "caf" + b, ("caf" + a).find("\u0301"))
d = {a: "decomposed", b: "precomposed"}
print(len(d), d[a], d[b], sorted(d.values()))
d["cafe\u0301"] = 1
print("café" in d, "cafe\u0301" in d, d.get("caf\u00e9"), d.get("cafe\u0301"))
s = {a, b, "e\u0301", "\u00e9"}
print(len(s), a in s, b in s)
print([len(w) for w in ["n\u0303", "\u00f1", "\u1100\u1161", "\uac00", "👍🏽", "🇫🇷"]])
print(list("👍🏽"), list("🇫🇷"), "🇫🇷"[1], "e\u0301\u0302"[::-1] == "\u0302\u0301e")
print(a.upper() == "E\u0301", (a * 3).count("\u0301"), a.split("\u0301"), "x".join([a, b]), len("x".join([a, b])))
print(repr(a), ascii(a), ascii(b), a.encode("utf-8"), b.encode("utf-8"))
print(sorted([a, b, "e", "f", "\u0301"]), max(a, b), min(a, b))
print(a.startswith("e"), b.startswith("e"), a.endswith("\u0301"), a.replace("e", "E"), len(a.replace("\u0301", "")))
