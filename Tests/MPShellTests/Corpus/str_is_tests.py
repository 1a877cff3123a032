# str.isidentifier/isalnum/isalpha/isdigit/isdecimal/isnumeric: ASCII strs by their bytes, the rest by Unicode's
# properties, code point by code point as CPython's
cases = ['', 'a', '_', '1', 'a1', '1a', 'a_b', 'a-b', 'A.Z', 'abc ', 'é', 'aé', 'x²', '²', '٣', 'ab\n', 'Zz9_', '_9',
         'a' * 50, 'Ⅻ', '½', '〇', 'ǅ', 'ʰ', '中文', 'e\u0301', '\u0301', 'ℕ', '₂', '𝟘', 'ﬁ']
for s in cases:
    print(repr(s), s.isidentifier(), s.isalnum(), s.isalpha(), s.isdigit(), s.isdecimal(), s.isnumeric())
