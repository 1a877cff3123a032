# atexit: last registered runs first, arguments kept, unregister, decorator form, errors reported and the rest run
import atexit, io, sys

def bye(name, punct='!'):
    print('bye', name + punct)

atexit.register(bye, 'first')
atexit.register(bye, 'second', punct='?')

@atexit.register
def last():
    print('registered last, runs first')

def boom():
    raise ValueError('in callback')

atexit.register(boom)
atexit.register(boom)
atexit.unregister(boom)
try:
    atexit.register(42)
except TypeError as e:
    print('TypeError:', e)
atexit._run_exitfuncs()
print(atexit._ncallbacks())
atexit.register(print, 'a', 'b', sep='-')
atexit._run_exitfuncs()
