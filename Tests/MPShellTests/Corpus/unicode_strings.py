s = "héllo wörld ✓"
print(s, len(s), s.upper(), s[1], s[-1], s[::-1], s.encode("utf-8")[:3])
print("日本語".find("本"), list("añb"), ord("✓"), chr(10003), "ü" in s, sorted("äab"))
print(repr("✓"), ascii("✓é"), "{:^7}".format("ü"), f"{'ä':*>3}")
