x = 5
del x
try:
    print(x)
except NameError as e:
    print("NameError:", e)
lst = [0, 1, 2, 3, 4, 5]
del lst[0]
del lst[-1]
del lst[::2]
print(lst)
d = {"a": 1, "b": 2}
del d["a"]
print(d)
class O:
    pass
o = O()
o.attr = 1
del o.attr
print(hasattr(o, "attr"))
