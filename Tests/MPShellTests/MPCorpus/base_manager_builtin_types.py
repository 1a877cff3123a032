# BaseManager.register with builtin types (dict, list): the proxy exposes the object's public methods (those dir()
# lists), str() and repr() of the object come back through the proxy's str(), dict views come back as lists, and
# the proxy's type is CPython's AutoProxy[typeid].
from multiprocessing import Process
from multiprocessing.managers import BaseManager


class Shelf(BaseManager):
    pass


Shelf.register("box", dict)
Shelf.register("seq", list)


def fill(box, seq):
    box.update(child=True)
    seq.extend([7, 8])


if __name__ == "__main__":
    with Shelf() as m:
        box = m.box(a=1)
        box.update(b=2)
        print(box.get("a"), box.get("z", 0), box.setdefault("c", 3), box.pop("a"))
        print(box.keys(), box.values(), sorted(box.items()))
        print(str(box))
        print(repr(box))
        print(type(box).__name__, box._exposed_)
        print(sorted(n for n in dir(box) if not n.startswith("_")))
        seq = m.seq([3, 1])
        seq.append(2)
        seq.sort()
        seq.insert(0, 9)
        seq.reverse()
        print(seq.index(2), seq.count(3), seq.pop(), str(seq), seq.copy())
        print(repr(seq))
        print(type(seq).__name__, seq._exposed_)
        p = Process(target=fill, args=(box, seq))
        p.start()
        p.join()
        print(sorted(box.items()), str(seq), box._getvalue() == {"b": 2, "c": 3, "child": True})
        try:
            len(box)
        except TypeError as e:
            print("TypeError:", e)
        try:
            box.__contains__("b")
        except AttributeError:
            print("AttributeError: no __contains__ on the proxy")
        box.clear()
        print(str(box), box.copy())
