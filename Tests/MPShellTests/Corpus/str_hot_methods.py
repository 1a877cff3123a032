# The hot str methods by code point (not grapheme cluster): strip/lstrip/rstrip with and without chars (a
# combining accent, \x1c-\x1f and \x85 as Python's whitespace), split on whitespace and on a separator, join,
# startswith/endswith, find/index/count, over ASCII, accented and astral text, with CPython's errors.
samples = ["", " ", "  ab  ", "\t\n x y \x1c\x1f", "\u00a0é ü\u2003", "e\u0301 ", "xxaxx", "a,b,,c,", ",", "héllo wörld", "😀a😀", "\r\n", "a\x85b"]
for s in samples:
    print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()), repr(s.strip("x")), repr(s.strip("\u0301 ")), repr(s.strip(None)), repr(s.rstrip("😀")))
    print(s.split(), s.split(","), s.split(", "), s.split("ö"), s.split(None))
    print(s.startswith(""), s.startswith("a"), s.endswith(""), s.endswith(","), s.startswith("hé"), s.endswith("😀"), s.startswith(" "))
    print(s.find(""), s.find("b"), s.find("ö"), s.find("😀a"), s.count("x"), s.count(","), s.count("é"))
    try: print(s.index("w"))
    except ValueError as e: print("ValueError", e)
print(",".join([]), ",".join(["a"]), "-".join(("a", "b", "é")), "".join(["x", "y"]), "😀".join(["a", "b"]), len("ü".join(["é", "😀"])))
try: ",".join(["a", 1])
except TypeError as e: print(e)
print(", ".join(x for x in "abc"), "+".join({"k": 1}), ",".join("xyz"))
try: "a".strip(1)
except TypeError as e: print(e)
try: "a".split("")
except ValueError as e: print(e)
s = "abc"
print(s.strip() is s, "x".join(["solo"]) == "solo")
print(len("  é  ".strip()), "  é  ".strip()[0], "a b".split()[1][0])
