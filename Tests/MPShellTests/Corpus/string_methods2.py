s = "The Quick Brown Fox"
print(s.split(" ", 1), s.rsplit(" ", 1), s.lower().count("o"), s.find("xyz"), s.startswith(("A", "T")), s.endswith(("x", "y")))
print("a-b-c".replace("-", ""), "tab\tsep".expandtabs(4), "Hello".removeprefix("He"), "Hello".removesuffix("lo"))
print("snake_case_name".split("_"), "CamelCase".lower(), "  multiple   spaces  ".split(), "x".join("abc"))
print("abc".encode(), b"abc".decode(), "héllo".encode("utf-8"), len("héllo".encode()), "abc"[1:2], "abc"[5:], "abc"[-10:2])
print(str(123).rjust(6, "0"), "{:>6}".format(123), "yes" if "ell" in "hello" else "no", "A".lower() == "a", "ß".upper())
print(sorted("hello world".split(), key=lambda w: w[::-1]), "mississippi".rindex("s"), "ab,cd".split(",", maxsplit=0))
print(" a b ".split(" "), "a\n\nb".split("\n"), "x=1;y=2".split(";"), "title case words".title(), "123abc".isalnum())
