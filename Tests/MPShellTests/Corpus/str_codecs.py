# bytes.decode and str.encode with utf-8, latin-1 and ascii, and errors='strict'|'replace'|'ignore'
print(b'caf\xe9'.decode('latin-1'), 'café'.encode('latin-1'), b'abc'.decode('ascii'), 'x\xe9'.encode('ascii', 'replace'))
print(b'\xff\xfeab'.decode('utf-8', 'replace'), b'\xffab'.decode('utf-8', errors='ignore'), 'ab\u20ac'.encode('ascii', 'ignore'))
print('é€'.encode(), 'é'.encode('UTF8'), b'\xc3\xa9'.decode('utf_8'))
for s, enc in [('é', 'ascii'), ('€', 'latin-1'), ('a\U0001f600', 'ascii')]:
    try:
        s.encode(enc)
    except UnicodeEncodeError as e:
        print(e)
try:
    b'\xe9'.decode('ascii')
except UnicodeDecodeError as e:
    print(e)
try:
    b'x'.decode('koi9')
except LookupError as e:
    print(e)
