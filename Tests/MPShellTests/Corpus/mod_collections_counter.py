from collections import Counter
c = Counter("mississippi")
print(c, c["s"], c["z"], c.most_common(2), len(c), sorted(c.elements())[:4], c.total())
c.update("ss")
print(c.most_common(1), dict(c) == {"m": 1, "i": 4, "s": 6, "p": 2})
words = "the cat and the hat and the bat".split()
wc = Counter(words)
for w, n in wc.most_common(3):
    print(w, n)
print(Counter(), Counter({"a": 2, "b": 5}), "the" in wc, list(wc.keys())[:2])
