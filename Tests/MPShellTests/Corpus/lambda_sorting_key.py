people = [{"name": "Zed", "age": 30}, {"name": "amy", "age": 25}, {"name": "Bob", "age": 30}]
print([p["name"] for p in sorted(people, key=lambda p: p["name"].lower())])
print([p["name"] for p in sorted(people, key=lambda p: (-p["age"], p["name"]))])
print(max(people, key=lambda p: p["age"])["name"], min(people, key=lambda p: len(p["name"]))["name"])
compose = lambda f, g: lambda x: f(g(x))
inc = lambda x: x + 1
dbl = lambda x: x * 2
print(compose(inc, dbl)(5), compose(dbl, inc)(5), (lambda *a, **k: (a, k))(1, x=2))
