# print() writes to whatever sys.stdout is: an io.StringIO, a user class with .write, None; print(file=...) too
import io
import sys


class Recorder:
    def __init__(self):
        self.calls = []

    def write(self, s):
        self.calls.append(s)
        return len(s)

    def flush(self):
        self.calls.append('<flush>')


saved = sys.stdout
buf = io.StringIO()
sys.stdout = buf
print('hello', 42, [1, 2])
print('a', 'b', sep='-', end='!\n')
print()
sys.stdout.write('direct\n')
sys.stdout = saved
print(repr(buf.getvalue()))

rec = Recorder()
sys.stdout = rec
print('x', 3.5, None, sep=', ', end='.\n')
print('flushed', flush=True)
sys.stdout = sys.__stdout__
print(rec.calls)

rec2 = Recorder()
print(1, 2, 3, file=rec2)
print(file=rec2)
print('s', file=rec2, sep='|', end='')
print(rec2.calls)

sys.stdout = None
print('this goes nowhere')
sys.stdout = saved
print('back', file=None)


def report(n):
    for k in range(n):
        print('line', k)


out = io.StringIO()
old, sys.stdout = sys.stdout, out
try:
    report(3)
finally:
    sys.stdout = old
print(out.getvalue().splitlines())
