# glob, fnmatch and shutil over a scratch directory: patterns, recursion, copies, moves, removal
import glob, fnmatch, shutil, os, tempfile

root = tempfile.mkdtemp(prefix='mpsh-glob-')
try:
    for rel in ['a.txt', 'b.txt', 'c.py', '.hidden.txt', 'sub/d.txt', 'sub/deeper/e.txt', 'sub/f.py']:
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(rel)
    rel = lambda paths: sorted(os.path.relpath(p, root) for p in paths)
    print(rel(glob.glob(os.path.join(root, '*.txt'))), rel(glob.glob(os.path.join(root, '?.py'))))
    print(rel(glob.glob(os.path.join(root, '**', '*.txt'), recursive=True)), rel(glob.glob(os.path.join(root, '*', '*.py'))))
    print(rel(glob.glob(os.path.join(root, '[ab].txt'))), rel(glob.glob(os.path.join(root, '.*'))), glob.has_magic('a*'), glob.escape('a[b]*'))
    print(sorted(glob.glob('*.txt', root_dir=root)), fnmatch.fnmatch('file.PY', '*.py'), fnmatch.filter(['x.c', 'y.h', 'z.c'], '*.c'))
    print(fnmatch.translate('*.[ch]'), fnmatch.fnmatchcase('a1', 'a[!0-9]'), fnmatch.fnmatchcase('ab', 'a[!0-9]'))
    shutil.copytree(os.path.join(root, 'sub'), os.path.join(root, 'copy'), ignore=shutil.ignore_patterns('*.py'))
    print(rel(glob.glob(os.path.join(root, 'copy', '**'), recursive=True)))
    print(os.path.basename(shutil.copy(os.path.join(root, 'a.txt'), os.path.join(root, 'copy'))))
    moved = shutil.move(os.path.join(root, 'b.txt'), os.path.join(root, 'copy', 'b2.txt'))
    print(os.path.relpath(moved, root), os.path.exists(os.path.join(root, 'b.txt')))
    shutil.rmtree(os.path.join(root, 'copy'))
    print(os.path.exists(os.path.join(root, 'copy')), shutil.which('sh') is not None, shutil.which('no-such-cmd-xyz'))
    try:
        shutil.copyfile(os.path.join(root, 'a.txt'), os.path.join(root, 'a.txt'))
    except shutil.SameFileError as e:
        print('SameFileError', isinstance(e, OSError))
finally:
    shutil.rmtree(root)
print(os.path.exists(root))
