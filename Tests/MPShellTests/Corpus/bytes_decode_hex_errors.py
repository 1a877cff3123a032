# bytes.decode's UnicodeDecodeError messages name the byte, its position and the reason, as CPython's; str(bytes,
# encoding, errors) decodes; bytes.hex takes a separator; fromhex and float.hex/fromhex as CPython's.
for b in [b'\xff', b'ab\x80', b'\xc3', b'a\xe2\x82', b'\xe9abc', b'\xed\xa0\x80', b'\xf0\x28\x8c\xbc', b'\xf4\x90\x80\x80', b'\xc0\xaf', b'ok\xc3\xa9\xf0\x9f\x98']:
    try:
        print(b.decode())
    except UnicodeDecodeError as e:
        print(type(e).__name__, e)
    print(repr(str(b, 'utf-8', 'replace')), repr(str(b, encoding='latin-1')), repr(str(bytearray(b), 'utf-8', 'ignore')))
for args in [(b'abc', 'ascii'), ('abc', 'utf-8'), (5, 'utf-8'), (b'\xe9', 'latin-1'), (b'x', 'nope'), (b'\xff', 'ascii')]:
    try:
        print(repr(str(*args)))
    except (TypeError, LookupError, UnicodeDecodeError) as e:
        print(type(e).__name__, e)
for b, a in [(b'abcdef', (':',)), (b'abcdef', ('-', 2)), (b'abcdef', ('-', -2)), (b'abcde', (' ', 2)), (b'', (':',)), (b'\x01\x02', (b'|',))]:
    print(b.hex(*a))
for bad in [('::',), (5,), ('é',)]:
    try:
        b'ab'.hex(*bad)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
for h in ['de ad be ef', '', '  0a  ', 'abc', 'zz', '0g', 'a b', 'AbCd']:
    try:
        print(bytes.fromhex(h), bytearray.fromhex(h))
    except ValueError as e:
        print(type(e).__name__, e)
for x in [1.0, 0.1, -2.5, 0.0, -0.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, float('inf'), float('-inf'), float('nan'), 3.0, 1e-5]:
    h = x.hex()
    print(h, float.fromhex(h) == x or x != x)
for s in ['0x1.999999999999ap-4', '0x1p-1074', 'inf', '-Infinity', 'nan', '  0x10  ', '1.8p1', '-0x.8', '0X1P+3', 'zz', '0x', '0x1p', '0x1.2.3', '0x1p99999', '0x1p-99999']:
    try:
        print(s, float.fromhex(s))
    except (ValueError, OverflowError) as e:
        print(s, type(e).__name__, e)
