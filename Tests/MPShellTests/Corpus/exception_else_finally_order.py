def run(x):
    log = []
    try:
        log.append("try")
        if x == 1:
            raise ValueError("v")
        if x == 2:
            raise TypeError("t")
    except ValueError:
        log.append("except-value")
    except TypeError as e:
        log.append(f"except-type:{e}")
    else:
        log.append("else")
    finally:
        log.append("finally")
    return log
for x in range(3):
    print(run(x))
def reraise():
    try:
        raise KeyError("inner")
    except KeyError as e:
        raise RuntimeError("outer") from e
try:
    reraise()
except RuntimeError as e:
    print(e, type(e.__cause__).__name__, e.__cause__)
try:
    try:
        raise ValueError("first")
    except ValueError:
        raise TypeError("second")
except TypeError as e:
    print(e, repr(e.__context__))
