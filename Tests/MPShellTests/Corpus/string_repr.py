print(repr("it's"), repr('say "hi"'), repr("both ' and \""), repr("tab\there"), repr("nl\n"), repr("back\\slash"))
print(repr(""), repr("\x00\x7f"), repr("ünïcode"), ["a", 'b'], ("x",), {"k": "v"})
print(str("plain"), repr(1), repr(1.5), repr(None), repr(True), repr([1, "2", 3.0]))
print(repr(b"bytes"), repr(b"\x00\xff'"), b"abc", bytes([65, 66]), bytes("hi", "utf-8"))
