# BaseManager.register with exposed= and a BaseProxy subclass whose methods call _callmethod; the manager's
# objects are shared with a pool of workers through the proxy.
from multiprocessing import Pool
from multiprocessing.managers import BaseManager, BaseProxy


class Tally:
    def __init__(self):
        self.counts = {}

    def add(self, word):
        self.counts[word] = self.counts.get(word, 0) + 1
        return self.counts[word]

    def top(self):
        return sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def reset(self):
        self.counts.clear()


class TallyProxy(BaseProxy):
    _exposed_ = ("add", "top")

    def add(self, word):
        return self._callmethod("add", (word,))

    def top(self):
        return self._callmethod("top")


class TallyManager(BaseManager):
    pass


TallyManager.register("Tally", Tally, proxytype=TallyProxy)


def count(args):
    tally, words = args
    for w in words:
        tally.add(w)
    return len(words)


if __name__ == "__main__":
    with TallyManager() as m:
        t = m.Tally()
        print(type(t).__name__, t.add("x"))
        with Pool(2) as p:
            print(sum(p.map(count, [(t, ["a", "b", "a"]), (t, ["b", "a", "c"]), (t, ["x"])])))
        print(t.top())
