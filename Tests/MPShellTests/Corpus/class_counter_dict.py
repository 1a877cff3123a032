class Inventory:
    def __init__(self):
        self._items = {}
    def add(self, name, qty=1):
        self._items[name] = self._items.get(name, 0) + qty
        return self
    def __getitem__(self, name):
        return self._items.get(name, 0)
    def __setitem__(self, name, v):
        self._items[name] = v
    def __delitem__(self, name):
        del self._items[name]
    def __contains__(self, name):
        return name in self._items
    def __len__(self):
        return len(self._items)
    def __iter__(self):
        return iter(sorted(self._items))
    def __repr__(self):
        return f"Inventory({self._items})"
inv = Inventory().add("apple", 3).add("pear").add("apple")
inv["kiwi"] = 7
print(inv, inv["apple"], inv["none"], "pear" in inv, len(inv), list(inv))
del inv["pear"]
print(inv, [(k, inv[k]) for k in inv])
