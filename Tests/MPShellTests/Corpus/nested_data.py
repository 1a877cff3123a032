data = {
    "users": [
        {"name": "ann", "tags": ["a", "b"], "meta": {"age": 30}},
        {"name": "ben", "tags": [], "meta": {"age": 25}},
    ],
    "count": 2,
}
print(data["users"][0]["meta"]["age"], [u["name"] for u in data["users"] if u["tags"]], data)
data["users"][1]["tags"].append("new")
print(sum(u["meta"]["age"] for u in data["users"]), data["users"][1])
grid = [[0] * 3 for _ in range(3)]
grid[1][1] = 5
print(grid, [[0] * 2] * 2)
