# io: StringIO and BytesIO as files: write, seek, tell, read, readline, iteration, getvalue, truncate
import io

s = io.StringIO()
print(s.write('first line\n'), s.write('second\n'), s.tell())
s.seek(0)
print(repr(s.readline()), repr(s.read()), repr(s.read()))
s.seek(6); s.write('LINE'); print(repr(s.getvalue()))
print([line for line in io.StringIO('a\nb\nc')], io.StringIO('x\ny\n').readlines())
b = io.BytesIO(b'hello world')
print(b.read(5), b.tell(), b.seek(6), b.read(), b.getvalue())
b.seek(0, 2); b.write(b'!!'); print(b.getvalue())
b.truncate(5); print(b.getvalue())
with io.StringIO('ctx') as f:
    print(f.read(), f.closed)
print(f.closed)
try:
    f.read()
except ValueError as e:
    print('ValueError:', e)
print(isinstance(io.StringIO(), io.StringIO), io.StringIO('abc').read(2))
