# Attribute reads and writes on a local (`self.x`, `p.y`) are looked up where the frame keeps the local; the
# semantics stay Python's: unbound locals, rebinding, properties, slots added later, other objects.

class P:
    def __init__(self, x):
        self.x = x

    def bump(self):
        self.x = self.x + 1
        self.y = self.x * 2          # a new attribute: the layout changes
        return self.x, self.y


def unbound():
    try:
        print(q.x)
    except UnboundLocalError as e:
        print('UnboundLocalError:', e)
    q = P(1)
    del q
    try:
        q.x = 5
    except UnboundLocalError as e:
        print('UnboundLocalError:', e)


def rebinding():
    p = P(1)
    out = []
    for i in range(3):
        out.append(p.x)
        p = P(p.x + 10)         # the local now holds another instance
        p.x = p.x + 1
    return out, p.x


def mixed_receivers():
    vals = [P(1), 'text', 3, [1, 2], P(2)]
    out = []
    for v in vals:
        try:
            out.append(v.x)
        except AttributeError as e:
            out.append(str(e))
    return out


class WithProperty:
    def __init__(self):
        self._v = 1

    @property
    def v(self):
        return self._v * 10

    @v.setter
    def v(self, value):
        self._v = value


def properties():
    w = WithProperty()
    a = w.v
    w.v = 7
    return a, w.v, w._v


def self_replaced_in_value():
    p = P(1)
    p.x = (p := P(100)).x + 1    # the walrus rebinds p before the store: the store goes to the new object
    return p.x


def many_layouts():
    objs = []
    for i in range(6):
        o = P(i)
        if i % 2:
            o.extra = i
        objs.append(o)
    total = 0
    for o in objs:
        total += o.x
        o.x = -o.x
    return total, [o.x for o in objs]


unbound()
print(rebinding())
print(mixed_receivers())
print(properties())
print(self_replaced_in_value())
print(many_layouts())
p = P(5)
print(p.bump(), p.bump())
