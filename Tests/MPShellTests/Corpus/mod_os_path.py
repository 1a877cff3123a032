# os.path's pure functions, as posixpath
import os.path as P

for p in ['/a/b/c.txt', 'a/b/', 'c', '/', '//x', '', 'a/./b/../c', '/../x', '../a/..', 'a//b', '.hidden', 'x.tar.gz', 'a/.b.c']:
    print(repr(p), P.split(p), P.normpath(p), P.splitext(p), P.basename(p), P.dirname(p), P.isabs(p))
print(P.join('a', 'b', '/c', 'd'), P.join('a/', 'b'), P.relpath('/a/b/c', '/a/x'), P.relpath('/a', '/a'))
print(P.commonprefix(['/usr/lib', '/usr/local', '/usr/l']), P.commonpath(['/usr/lib', '/usr/local']))
print(P.expanduser('~x'), P.sep, P.curdir, P.pardir)
try:
    P.commonpath(['/a', 'b'])
except ValueError as e:
    print(e)
