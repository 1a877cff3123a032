# A long str read by index from end to end and back (a scan that is quadratic when s[i] decodes from the start):
# ASCII and non-ASCII text, forward, backward, and with slices.
def scan(s):
    n = len(s)
    total = 0
    for i in range(n):
        total += ord(s[i])
    back = 0
    for i in range(n - 1, -1, -1):
        back += ord(s[i])
    neg = 0
    for i in range(1, n + 1):
        neg += ord(s[-i])
    chunks = 0
    for i in range(0, n, 1000):
        chunks += len(s[i:i + 1000])
    return n, total, back == total, neg == total, chunks == n

ascii_text = "the quick brown fox jumps over the lazy dog. " * 4000
print(scan(ascii_text))
mixed = "ünïcödé ✓ 日本語 𝄞 text; " * 6000
print(scan(mixed))
print(mixed[123456], mixed[-98765], mixed[100000:100010], len(mixed[::7]), mixed[::-1][:12])
count = 0
for c in mixed:
    if c == "𝄞":
        count += 1
print(count, mixed.count("𝄞"))
