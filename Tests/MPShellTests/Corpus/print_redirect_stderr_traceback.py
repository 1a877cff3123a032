# traceback.print_exc/print_exception write to sys.stderr as it is now: contextlib.redirect_stderr captures them
import contextlib
import io
import sys
import traceback


def fail():
    raise KeyError('missing')


err = io.StringIO()
try:
    fail()
except KeyError:
    with contextlib.redirect_stderr(err):
        traceback.print_exc()
        print('note', file=sys.stderr)
    mine = io.StringIO()
    traceback.print_exc(file=mine)
    print(mine.getvalue().splitlines()[-1])
lines = err.getvalue().splitlines()
print(lines[0], lines[-2], lines[-1], len(lines) > 3)

log = io.StringIO()
old = sys.stderr
sys.stderr = log
try:
    int('x')
except ValueError as e:
    traceback.print_exception(type(e), e, e.__traceback__)
sys.stderr = old
print(log.getvalue().splitlines()[-1])
