values = [0, 1, -1, 0.0, 0.5, "", "a", [], [0], (), (0,), {}, {0: 0}, set(), None, True, False, range(0), range(1)]
print([bool(v) for v in values])
print([v for v in values if v] == [1, -1, 0.5, "a", [0], (0,), {0: 0}, True, range(1)])
class Z:
    def __len__(self):
        return 0
class NZ:
    def __bool__(self):
        return True
print(bool(Z()), bool(NZ()), not Z(), "yes" if Z() else "no")
