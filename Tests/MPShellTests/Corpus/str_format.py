print("{} {} {}".format(1, "two", 3.0))
print("{0} {1} {0}".format("a", "b"), "{name} is {age}".format(name="Al", age=3))
print("{:>10}|{:<10}|{:^10}|".format("r", "l", "c"), "{:*^11}".format("mid"))
print("{:.3f} {:8.2f} {:+.1f} {:,} {:_}".format(3.14159, 2.5, 1.25, 1234567, 1234567))
print("{0[0]} {0[1]} {1[k]}".format([5, 6], {"k": "v"}), "{!r}".format("q"), "{{literal}}".format())
class P:
    x = 3
print("{0.x}".format(P()), "{:05.1f}".format(3.14159), "{:e}".format(1234.5), "{:%}".format(0.125))
print(format(255, "x"), format(3.5, ".2f"), format("s", ">3"), format(1234567, ","), format(0.1, ".20f"))
