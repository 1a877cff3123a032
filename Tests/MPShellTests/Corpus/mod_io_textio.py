# io.StringIO as a text file for functions that take a file: csv-like writes, print(file=...), line iteration
import io

def report(rows, out):
    for name, value in rows:
        print('%-6s %5.1f' % (name, value), file=out)
    out.write('-' * 12 + '\n')

buf = io.StringIO()
report([('alpha', 1.5), ('beta', 22.25)], buf)
text = buf.getvalue()
print(text, end='')
print([line.split()[0] for line in io.StringIO(text) if not line.startswith('-')])
s = io.StringIO('x' * 5)
s.seek(2)
print(s.read(2), s.tell(), s.read(), s.read() == '')
s = io.StringIO()
s.write('abc'); s.seek(0); s.write('X')
print(s.getvalue(), len(s.getvalue()))
