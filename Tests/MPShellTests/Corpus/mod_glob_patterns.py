# glob/fnmatch patterns: character classes, negation, escaping of special characters, sorted listings
import fnmatch, glob, os, tempfile, shutil

names = ['data1.csv', 'data2.csv', 'data10.csv', 'notes.txt', 'Readme.MD', '[x].txt', 'a?b.txt']
print(fnmatch.filter(names, 'data?.csv'), fnmatch.filter(names, 'data[0-9]*.csv'), fnmatch.filter(names, '[!d]*'))
print(fnmatch.filter(names, '*.[tT][xX][tT]'), fnmatch.filter(names, '[[]x].txt'), fnmatch.filter(names, 'a[?]b.txt'))
root = tempfile.mkdtemp()
try:
    for n in names:
        open(os.path.join(root, n), 'w').close()
    print(sorted(glob.glob('*.csv', root_dir=root)), sorted(glob.glob(glob.escape('[x]') + '.txt', root_dir=root)))
    print(sorted(os.path.basename(p) for p in glob.iglob(os.path.join(root, 'data*'))))
finally:
    shutil.rmtree(root)
