# contextlib.redirect_stdout captures print() (nested, restored on exceptions); redirect_stderr the same for stderr
import contextlib
import io
import sys

f = io.StringIO()
with contextlib.redirect_stdout(f):
    print('captured', 1)
    help_text = 'in the block'
    print(help_text.upper())
print('outside:', repr(f.getvalue()))

outer, inner = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(outer):
    print('outer 1')
    with contextlib.redirect_stdout(inner):
        print('inner')
    print('outer 2')
print(repr(outer.getvalue()), repr(inner.getvalue()))

g = io.StringIO()
try:
    with contextlib.redirect_stdout(g) as target:
        print('before the error', target is g)
        raise ValueError('boom')
except ValueError as e:
    print('caught', e, repr(g.getvalue()))
print(sys.stdout is sys.__stdout__)

err = io.StringIO()
with contextlib.redirect_stderr(err):
    print('to stderr', file=sys.stderr)
print(repr(err.getvalue()))


class Upper:
    def __init__(self, stream):
        self.stream = stream

    def write(self, s):
        self.stream.write(s.upper())


with contextlib.redirect_stdout(Upper(sys.stdout)):
    print('shouted', 'words')


def quiet():
    with contextlib.redirect_stdout(io.StringIO()) as sink:
        print('never seen')
    return sink.getvalue()


print(repr(quiet()))
