# atexit: a callback that raises is reported on stderr and the others still run; _clear drops them all
import atexit, sys, io

calls = []
atexit.register(calls.append, 'ran first-registered')
def broken():
    raise RuntimeError('broken callback')
atexit.register(broken)
atexit.register(calls.append, 'ran last-registered')
old = sys.stderr
sys.stderr = buf = io.StringIO()
atexit._run_exitfuncs()
sys.stderr = old
print(calls)
report = buf.getvalue()
print('Exception ignored in atexit callback' in report, report.strip().splitlines()[-1])
atexit.register(print, 'never printed')
atexit._clear()
print(atexit._ncallbacks())
