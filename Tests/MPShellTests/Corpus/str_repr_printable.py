# repr escapes what CPython's Py_UNICODE_ISPRINTABLE calls unprintable (categories C* and Z* but the space);
# str.isprintable uses the same rule.
for s in ['\u3000', '\xa0', '\u200b', '\ue000', '\U000e0001', '\u0378', 'é\u0301', '\u2028', '中', '\U0001F600', '\x7f', '\x85', '\xad', 'a b', '\t\n', '\u00e9', '\u0600', '\ufeff', '\U0010ffff', '\u1680']:
    print(repr(s), s.isprintable(), ascii(s))
print(repr(''.join(chr(c) for c in range(0x80, 0x180))))
