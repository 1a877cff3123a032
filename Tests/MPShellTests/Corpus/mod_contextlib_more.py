# contextlib: contextmanager with cleanup on error, suppress, ExitStack unwinding order, redirect_stdout, closing, nullcontext
import contextlib, io

@contextlib.contextmanager
def tag(name):
    print('<%s>' % name)
    try:
        yield name.upper()
    finally:
        print('</%s>' % name)

with tag('b') as t:
    print('inside', t)
try:
    with tag('err'):
        raise KeyError('k')
except KeyError as e:
    print('propagated', e)
with contextlib.suppress(ZeroDivisionError, KeyError):
    1 / 0
print('after suppress')
with contextlib.ExitStack() as stack:
    for n in range(3):
        stack.enter_context(tag('s%d' % n))
    stack.callback(print, 'callback runs first')
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    print('captured', file=buf)
print(repr(buf.getvalue()))
class Res:
    def close(self):
        print('closed')
with contextlib.closing(Res()):
    print('using')
with contextlib.nullcontext(5) as v:
    print('null', v)
