# secrets: password-style tokens built from choice over an alphabet; uniform-looking spreads of randbelow
import secrets, string

alphabet = string.ascii_letters + string.digits
pw = ''.join(secrets.choice(alphabet) for _ in range(20))
print(len(pw), all(c in alphabet for c in pw))
counts = [0] * 4
for _ in range(4000):
    counts[secrets.randbelow(4)] += 1
print(all(800 < c < 1200 for c in counts), sum(counts))
tokens = [secrets.token_urlsafe(8) for _ in range(50)]
print(len(set(tokens)), all(len(t) == 11 for t in tokens), all('=' not in t for t in tokens))
print(len(secrets.token_hex(0)), secrets.token_bytes(0), secrets.DEFAULT_ENTROPY)
