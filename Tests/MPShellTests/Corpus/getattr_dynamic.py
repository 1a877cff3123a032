class Calc:
    def add(self, a, b):
        return a + b
    def mul(self, a, b):
        return a * b
c = Calc()
for op in ["add", "mul"]:
    print(op, getattr(c, op)(3, 4))
print(hasattr(c, "div"), getattr(c, "div", None))
setattr(c, "name", "calc")
print(c.name, sorted(k for k in vars(c)))
class Dyn:
    def __getattr__(self, name):
        return f"dynamic:{name}"
print(Dyn().anything, Dyn().other)
