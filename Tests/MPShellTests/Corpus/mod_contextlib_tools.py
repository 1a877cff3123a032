# contextlib: a context manager class via ContextDecorator, ExitStack.pop_all, suppress inside loops, nested managers
import contextlib

class Trace(contextlib.ContextDecorator):
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        print('enter', self.name)
        return self
    def __exit__(self, *exc):
        print('exit', self.name, exc[0].__name__ if exc[0] else None)
        return False

@Trace('decorated')
def work(x):
    print('working', x)
    return x * 2

print(work(21))
results = []
for v in ['1', 'x', '3']:
    with contextlib.suppress(ValueError):
        results.append(int(v))
print(results)
with contextlib.ExitStack() as outer:
    outer.enter_context(Trace('a'))
    moved = outer.pop_all()
print('after outer')
moved.close()
@contextlib.contextmanager
def level(n):
    print(' ' * n + 'in', n)
    yield n
    print(' ' * n + 'out', n)
with level(1), level(2) as two:
    print('inner', two)
