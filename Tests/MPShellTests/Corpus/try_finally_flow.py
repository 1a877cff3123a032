def f():
    try:
        return "try"
    finally:
        print("cleanup f")
print(f())
def g():
    for i in range(3):
        try:
            if i == 1:
                continue
            if i == 2:
                break
            print("body", i)
        finally:
            print("finally", i)
    return "g done"
print(g())
def h():
    try:
        raise ValueError("x")
    except ValueError:
        return "handled"
    finally:
        print("h finally")
print(h())
def nested():
    try:
        try:
            1 / 0
        finally:
            print("inner finally")
    except ZeroDivisionError:
        print("caught outer")
nested()
