import json
data = {"name": "Ada", "age": 36, "langs": ["en", "fr"], "ok": True, "none": None, "pi": 3.14159, "nested": {"a": [1, 2, {"b": []}]}, "uni": "héllo ✓"}
s = json.dumps(data)
print(s)
print(json.dumps(data, indent=2, sort_keys=True))
print(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
back = json.loads(s)
print(back == data, back["nested"]["a"][2], type(back["age"]).__name__, back["uni"])
print(json.loads('[1, 2.5, -3e2, "x\\u00e9\\n", true, false, null, {"k": {}}]'))
print(json.dumps([1, (2, 3)]), json.dumps("q\"uote"), json.dumps({1: "int key", 2.5: "f"}), json.dumps([]), json.dumps({}))
for bad in ['{"a": 1,}', '[1, 2', 'nope', '{"a" 1}', '"unterminated']:
    try:
        json.loads(bad)
    except json.JSONDecodeError as e:
        print("JSONDecodeError:", e)
try:
    json.dumps({"s": {1, 2}})
except TypeError as e:
    print("TypeError:", e)
print(json.dumps({"s": {1, 2}}, default=sorted))
json.loads("[1, 2")
