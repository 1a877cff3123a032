def trace(fn):
    def wrapper(*args, **kwargs):
        print("calling", fn.__name__, args)
        return fn(*args, **kwargs)
    return wrapper
@trace
def add(a, b):
    return a + b
print(add(2, 3))
def repeat(n):
    def deco(fn):
        def wrapper(*a):
            return [fn(*a) for _ in range(n)]
        return wrapper
    return deco
@repeat(3)
def hi(name):
    return "hi " + name
print(hi("x"))
def register(cls):
    cls.registered = True
    return cls
@register
class Plugin:
    pass
print(Plugin.registered)
