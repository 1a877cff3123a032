b = b"hello world"
print(b, len(b), b[0], b[-1], b[:5], b.upper(), b.split(), b.replace(b"o", b"0"), b.find(b"wor"), b"o" in b)
print(b + b"!", b * 2, b.decode(), list(b"abc"), bytes([104, 105]), b.hex(), b.startswith(b"hel"), b.count(b"l"))
ba = bytearray(b"abc")
ba[0] = 65
ba.append(100)
print(ba, bytes(ba), len(ba), b"a" < b"b", b"" == bytes(), b"x\x00y", b.strip(b"hd"))
print("%s" % b"x", str(b"q"), repr(b"'"), b"a,b".split(b","), b"-".join([b"a", b"b"]))
