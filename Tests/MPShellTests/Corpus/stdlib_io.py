# io.StringIO and io.BytesIO: writes, reads, lines, seeks, iteration, context managers, print(file=), errors
import io
from io import StringIO, BytesIO

s = StringIO()
print(s.write("hello "), s.write("world\n"), s.tell())
s.write("second line\nthird")
print(repr(s.getvalue()))
s.seek(0)
print(repr(s.read(5)), repr(s.readline()), s.tell(), repr(s.readline()), repr(s.readline()), repr(s.readline()))
s.seek(0)
print(s.readlines())
s.seek(0)
print([line.rstrip() for line in s])
s.seek(6)
s.write("WORLD")
print(repr(s.getvalue()), s.tell())
print(s.truncate(5), repr(s.getvalue()), s.tell())
s.seek(0, 2); print(s.tell()); s.seek(0, io.SEEK_SET); print(repr(s.read()))
print(s.readable(), s.writable(), s.seekable(), s.closed)
s.close()
print(s.closed)

t = StringIO("a\nb\nc")
print(repr(t.read()), repr(t.read()), t.tell())
t.seek(0)
print(t.readline(1), repr(t.readline(5)), repr(t.read(100)))
with StringIO() as out:
    print("to", "file", sep="-", end="!\n", file=out)
    print(1, 2, 3, file=out)
    out.writelines(["x\n", "y\n"])
    print(repr(out.getvalue()))
print(out.closed)
u = StringIO("abc")
u.seek(5)
u.write("Z")
print(repr(u.getvalue()))
big = StringIO()
for i in range(1000):
    big.write(str(i))
print(len(big.getvalue()), big.getvalue()[-10:])

b = BytesIO(b"abc\ndef\n")
print(b.read(2), b.readline(), b.readlines(), b.tell())
b.seek(0, 2)
b.write(b"ghi")
b.seek(-3, 2)
print(b.read(), b.getvalue())
print(b.seek(1), b.write(bytearray(b"XY")), b.getvalue())
b.seek(-1, 1); print(b.read())
with BytesIO() as bb:
    bb.write(b"q" * 3)
    print(bb.getvalue(), len(bb.getvalue()))

for bad in (lambda: StringIO().write(5), lambda: BytesIO().write("s"), lambda: StringIO().seek(-1),
            lambda: StringIO("x").seek(1, 1), lambda: StringIO(3), lambda: s.read(), lambda: s.getvalue()):
    try:
        bad()
    except (TypeError, ValueError, OSError) as e:
        print(type(e).__name__, e)
print(issubclass(io.UnsupportedOperation, OSError), isinstance(StringIO(), io.TextIOBase))
s.write("closed")
