records = [("bob", 25), ("alice", 30), ("carol", 25), ("dave", 30), ("eve", 20)]
print(sorted(records, key=lambda r: r[1]))
print(sorted(records, key=lambda r: r[1], reverse=True))
by_name = sorted(records)
print(sorted(by_name, key=lambda r: -r[1]))
print(sorted([3.5, -1, 2, 0.0, -2.5]), sorted(["b", "a", "C"]), sorted([[2, 1], [1, 2], [1, 1]]))
records.sort(key=lambda r: (r[1], r[0]))
print(records)
print(sorted({"b": 1, "a": 2}), sorted({"b": 1, "a": 2}.items(), key=lambda kv: kv[1]), list(reversed(sorted(range(5)))))
