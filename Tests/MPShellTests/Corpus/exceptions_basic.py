def safe_div(a, b):
    try:
        result = a / b
    except ZeroDivisionError as e:
        print("error:", e)
        return None
    else:
        print("no error")
        return result
    finally:
        print("finally")
print(safe_div(6, 3))
print(safe_div(1, 0))
try:
    int("abc")
except (TypeError, ValueError) as e:
    print(type(e).__name__, e)
try:
    [][1]
except LookupError as e:
    print("lookup", e, type(e).__name__)
try:
    raise RuntimeError("boom")
except Exception as e:
    print(repr(e), e.args)
try:
    try:
        {}["missing"]
    except KeyError:
        print("inner")
        raise
except KeyError as e:
    print("outer", repr(e))
