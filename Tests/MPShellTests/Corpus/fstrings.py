name = "Ada"
n = 42
pi = 3.14159265
print(f"Hi {name}!", f"{n:5d}|{n:<5}|{n:^7}|{n:>5}|", f"{pi:.2f} {pi:10.3f} {pi:e} {pi:g}")
print(f"{n:x} {n:X} {n:o} {n:b} {n:#x} {n:08b} {n:+d} {-n:d} {n:,} {1234567.891:,.2f}")
print(f"{name!r} {name!s} {name:>6} {name:*^9} {'q'}{{braces}}")
print(f"{n * 2 + 1} {[1, 2][0]} {len(name)} {name.upper()} {n if n > 40 else 0}")
width = 8
print(f"{pi:{width}.{2}f}|", f"{n=}", f"{0.5:%}", f"{0.25:.1%}", f"{12:03}")
d = {"a": 1}
print(f"{d['a']} {d}", f"{3.0} {1e20} {None} {True}")
