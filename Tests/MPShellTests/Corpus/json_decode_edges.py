# json.loads on the edges of CPython's scanner: numbers as its grammar reads them (leading zeros, a bare '.'
# or 'e' are not taken), escapes and surrogate pairs, repeated keys, and every error with its line, column and
# character offset (characters, not bytes, after non-ASCII text).
import json
docs = ['{"a": 1, "b": [1, 2.5, -3e2, true, false, null], "c": "x\\ny\\u00e9\\ud83d\\ude00", "é": "ü"}',
        '[0, -0, 12345678901234567890123, -1.5E+3, 1e5, "", "\\"\\\\\\/\\b\\f\\n\\r\\t"]',
        '  {"k": {"k": {"k": []}}, "k2": {}}  ', 'NaN', '[Infinity, -Infinity]', '"abc"', '"\\u00"',
        '012', '1.', '1e', '-', '[1,]', '{"a" 1}', '{"a": 1,}', '[1 2]', '"abc', '"a\\qb"', '"a\tb"', '', '   ',
        '[1, 2', '{"a":', 'tru', 'nul', '"é\\x"', 'é', '[1]x', '{1: 2}', '-Infinity', '-Inf', '1.5e-3',
        '"ab\\u0041cd"', '[' * 3 + ']' * 3, '{"a": "b", "a": "c"}', '-0.0', '1E400', '"\\uD83D\\uDE00x"',
        '\n\n  [1,\n  2,\n  x]']
for d in docs:
    try:
        print(repr(json.loads(d)))
    except Exception as e:
        print(type(e).__name__, e)
print(json.loads(b'{"b": 1}'))
r = json.loads('[{"name": "a", "v": 1}, {"name": "b", "v": 2}]')
print(r, [list(x) for x in r])
