# Unpacking into plain locals (stored straight into the frame's slots) keeps Python's semantics.

def swap(a, b):
    a, b = b, a
    return a, b


def rebind_source():
    # the unpacked list is the old value of a target: it must survive the store into that target
    a = [[1, 2], 'x']
    a, b = a
    return a, b


def self_reference():
    t = (3, 4)
    t, u = t
    return t, u


def from_list_and_tuple():
    out = []
    for seq in ([1, 2, 3], (4, 5, 6), [object, None, 'z']):
        x, y, z = seq
        out.append((x, y, z))
    return out


def wrong_lengths():
    msgs = []
    for seq in ((1, 2), (1, 2, 3, 4), [1], 'ab', range(3)):
        try:
            p, q, r = seq
            msgs.append(('ok', p, q, r))
        except ValueError as e:
            msgs.append(str(e))
    return msgs


def objects_released():
    class Tracked:
        count = 0

        def __init__(self):
            Tracked.count += 1
            self.payload = list(range(3))

    a = b = None
    for _ in range(1000):
        a, b = Tracked(), Tracked()
    return Tracked.count, len(a.payload) + len(b.payload)


def mixed_targets():
    d = {}
    obj = type('O', (), {})()
    a, d['k'], obj.attr = 1, 2, 3
    return a, d, obj.attr


def nested():
    (a, b), c = (1, 2), 3
    [d, [e, f]] = [4, [5, 6]]
    return a, b, c, d, e, f


def starred_still_works():
    first, *rest = [1, 2, 3, 4]
    *init, last = (1, 2, 3)
    return first, rest, init, last


print(swap(1, 2))
print(rebind_source())
print(self_reference())
print(from_list_and_tuple())
print(wrong_lengths())
print(objects_released())
print(mixed_targets())
print(nested())
print(starred_still_works())
