# A module of the program's own, imported by import_own_module.py (run on its own, it prints nothing).
COUNT = 3


def square(x):
    return x * x


def report(q, tag):
    q.put((tag, square(COUNT)))
