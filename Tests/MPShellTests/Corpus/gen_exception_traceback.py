# an uncaught exception raised inside a nested generator ends the program (compared: stdout and the last line)
def inner():
    yield 1
    raise KeyError("missing-key")

def outer():
    yield from inner()

def consumer():
    for x in outer():
        print("got", x)

consumer()
