# str ordering is code point order: not UTF-16 order (U+FF5E sorts before U+1F600), not locale order.
words = ["z", "Z", "a", "é", "e", "\uff5e", "\U0001f600", "\ue000", "\u00ff", "\u0100", "", "a\x00", "ab", "aa",
         "\U00010000", "\ud7ff", "日本", "日", "\u0301", "e\u0301"]
print(sorted(words))
print(sorted(words, reverse=True) == sorted(words)[::-1])
print("\uff5e" < "\U0001f600", "\ue000" < "\U00010000", "\U0010ffff" > "\uffff", "a" < "a\x00", "" < "\x00")
print(max(words), min(words[:-1]), sorted("héllo wörld"), "b" > "a" > "")
pairs = [("é", 1), ("e", 2), ("\U0001f600", 3), ("\uff5e", 4)]
print(sorted(pairs), sorted(pairs, key=lambda p: p[0][::-1]))
print(["abc" < "abd", "abc" <= "abc", "abc" >= "abd", "Ab" < "ab", "a✓" < "a😀", "😀" > "✓"])
