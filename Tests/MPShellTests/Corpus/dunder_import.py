# __import__ returns the top-level module for a dotted name, the named module when fromlist is given.
m = __import__('os.path')
print(m.__name__)
print(__import__('os.path', fromlist=['join']).__name__, __import__('math').sqrt(16))
try:
    __import__('no_such_module_here')
except ImportError as e:
    print(type(e).__name__, e)
