# strs as dict keys and set elements: equal code points are one key; different code points (even canonically
# equivalent text) are different keys; one-character keys made by indexing, slicing and iteration find the same
# entries as literals.
d = {}
text = "naïve café 日本 naïve e\u0301"
for ch in text:
    d[ch] = d.get(ch, 0) + 1
print(sorted(d.items()))
print(d["ï"], d[text[2]], d[text[-1]], text[-1] in d, "\u00e9" in d, d.get("\u00e9"))
words = {}
for w in text.split():
    words[w] = len(w)
print(words, words["e\u0301"], "é" in words, words.get("café"))
k1 = "".join(["ab", "ç"])
k2 = "abç"[:3]
k3 = "xabç"[1:]
counts = {k1: 1}
counts[k2] = counts.get(k2, 0) + 1
counts[k3] = counts.get(k3, 0) + 1
print(counts, len(counts))
s = set("abcé") | {"e\u0301", "\u00e9"}
print(sorted(s), len(s))
big = {str(i) + "é": i for i in range(1000)}
print(big["999é"], big.get("999e\u0301"), sum(big[str(i) + "é"] for i in range(0, 1000, 7)))
