# contextlib: redirect_stderr capture, chdir (3.11), suppress with no exception, ExitStack with push of an exit callback
import contextlib, io, os, sys, tempfile

err = io.StringIO()
with contextlib.redirect_stderr(err):
    print('to stderr', file=sys.stderr)
print(repr(err.getvalue()) if err.getvalue() else 'stderr not captured by print default')
start = os.getcwd()
with contextlib.chdir(tempfile.gettempdir()):
    print(os.getcwd() == os.path.realpath(tempfile.gettempdir()))
print(os.getcwd() == start)
with contextlib.suppress(KeyError):
    print('nothing raised')
def on_exit(exc_type, exc, tb):
    print('exit callback saw', exc_type.__name__ if exc_type else None)
    return True
with contextlib.ExitStack() as st:
    st.push(on_exit)
    raise RuntimeError('swallowed')
print('continued')
