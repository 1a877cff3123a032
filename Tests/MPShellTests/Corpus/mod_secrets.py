# secrets: tokens of the asked sizes and alphabets, bounds of randbelow/choice/randbits, compare_digest
import secrets, string

print(len(secrets.token_bytes()), len(secrets.token_bytes(5)), len(secrets.token_hex(8)), len(secrets.token_urlsafe(16)))
print(all(c in string.hexdigits for c in secrets.token_hex()), all(c.isalnum() or c in '-_' for c in secrets.token_urlsafe(64)))
print(len({secrets.token_hex(16) for _ in range(100)}))
draws = [secrets.randbelow(10) for _ in range(500)]
print(min(draws) >= 0, max(draws) <= 9, len(set(draws)) == 10)
print(all(0 <= secrets.randbits(7) < 128 for _ in range(200)), secrets.choice('a') == 'a', secrets.choice([1, 2, 3]) in (1, 2, 3))
print(secrets.compare_digest(b'abc', b'abc'), secrets.compare_digest('abc', 'abd'), secrets.compare_digest(b'a', b'ab'))
r = secrets.SystemRandom()
print(0 <= r.random() < 1, 1 <= r.randint(1, 6) <= 6, sorted(r.sample(range(5), 5)))
for bad in [lambda: secrets.randbelow(0), lambda: secrets.choice([]), lambda: secrets.compare_digest('a', b'a')]:
    try:
        bad()
    except (ValueError, IndexError, TypeError) as e:
        print(type(e).__name__, e)
