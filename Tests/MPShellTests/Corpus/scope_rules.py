x = "global"
def read_global():
    return x
def local_shadow():
    x = "local"
    def inner():
        return x
    return inner()
def use_before_global():
    global x
    x = "changed"
print(read_global(), local_shadow())
use_before_global()
print(x)
def counter():
    total = 0
    def add(n):
        nonlocal total
        total += n
        return total
    def get():
        return total
    return add, get
add, get = counter()
add(3); add(4)
print(get())
class K:
    a = 1
    b = a + 1
    c = [a * i for i in range(3)]
print(K.b, K.c)
