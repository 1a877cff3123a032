text = """The quick brown fox jumps over the lazy dog.
The dog barks. The fox runs away!"""
words = [w.strip(".,!").lower() for w in text.split()]
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:4]
print(top, len(words), len(freq))
for word, n in top:
    print(f"{word:<8}{n:>3} {'*' * n}")
lines = text.splitlines()
print(len(lines), [len(l) for l in lines], max(words, key=len))
