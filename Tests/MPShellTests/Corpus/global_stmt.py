counter = 0
def bump():
    global counter
    counter += 1
def read():
    return counter
bump(); bump()
print(counter, read())
def make_global():
    global NEW
    NEW = "created"
make_global()
print(NEW)
x = "module"
def shadow():
    x = "local"
    return x
print(shadow(), x)
