def greet(name, greeting="Hello", punct="!"):
    return f"{greeting}, {name}{punct}"
print(greet("Ann"), greet("Bo", "Hi"), greet("Cy", punct="?"), greet(greeting="Yo", name="Di"))
def acc(x, lst=None):
    if lst is None:
        lst = []
    lst.append(x)
    return lst
print(acc(1), acc(2))
def shared(x, lst=[]):
    lst.append(x)
    return lst
print(shared(1), shared(2))
def noret():
    pass
print(noret(), greet.__name__)
