# CPython 3.11's limit on int<->decimal str conversions (4300 digits) and sys.set_int_max_str_digits.
import sys
print(sys.get_int_max_str_digits(), len(str(10**4299)), len(str(-(10**4299))), len(hex(10**5000)))
for f in (lambda: str(10**4300), lambda: repr(-(10**4300)), lambda: f"{10**4300:d}", lambda: "%d" % 10**4300,
          lambda: int("1" * 4301), lambda: int("1_0" * 2200), lambda: int("1" * 4301, 7)):
    try:
        f()
    except ValueError as e:
        print("ValueError", e)
print(len(str(int("9" * 4300))), int("1" * 5000, 16) % 1000, int("1" * 5000, 2) % 1000, len(f"{10**5000:x}"))
sys.set_int_max_str_digits(640)
print(sys.get_int_max_str_digits(), len(str(10**639)))
try:
    str(10**640)
except ValueError as e:
    print("ValueError", e)
for v in (639, -1):
    try:
        sys.set_int_max_str_digits(v)
    except ValueError as e:
        print("ValueError", e)
sys.set_int_max_str_digits(0)
print(len(str(10**20000)), len(str(int("7" * 20000))))
