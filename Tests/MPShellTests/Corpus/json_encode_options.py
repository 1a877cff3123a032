# json.dumps with every option CPython's encoder takes: ensure_ascii (what each mode escapes, 0x7f included),
# indent as an int (negative: newlines only), a str or True, separators with and without an indent, sort_keys,
# non-str keys, default=, and the errors; an indent of -1 used to stop mpsh with a Swift fatal error.
import json
vals = [None, True, 1, -5, 2**70, 1.5, float('nan'), float('inf'), -float('inf'), 1e22, 0.1, "a\"b\\c\n\r\t\b\f\x01\x1f\x7f",
        "é ü 😀 中", [], {}, [1, [2, [3, {}]]], {"b": 1, "a": [1, 2], 3: "x", 2.5: None, True: 1, None: 2},
        (1, 2), {"k": (1, {"z": []})}]
for v in vals:
    print(json.dumps(v))
    print(json.dumps(v, ensure_ascii=False))
    print(json.dumps(v, indent=2))
    print(json.dumps(v, indent=0, separators=(', ', ': ')))
    print(json.dumps(v, indent="\t", sort_keys=False))
    print(json.dumps(v, separators=(',', ':')))
    print(json.dumps(v, indent=-1))
print(json.dumps({"b": 1, "a": 2, "é": 3, "Z": 4}, sort_keys=True))
print(json.dumps([{"x": 1}], indent=True))
class P: pass
try: json.dumps([P()])
except TypeError as e: print(e)
print(json.dumps([P()], default=lambda o: "P!"))
try: json.dumps({(1, 2): 3})
except TypeError as e: print(e)
print(json.dumps("x" * 40 + "é" * 3 + "y"))
