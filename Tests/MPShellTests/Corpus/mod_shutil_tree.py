# shutil: copying a tree with files and permissions, copy2 keeping times, rmtree with onerror, move of a directory
import shutil, os, tempfile, stat

base = tempfile.mkdtemp()
try:
    src = os.path.join(base, 'src')
    os.makedirs(os.path.join(src, 'inner'))
    with open(os.path.join(src, 'run.sh'), 'w') as f:
        f.write('#!/bin/sh\necho hi\n')
    os.chmod(os.path.join(src, 'run.sh'), 0o755)
    with open(os.path.join(src, 'inner', 'data.txt'), 'w') as f:
        f.write('data')
    os.utime(os.path.join(src, 'inner', 'data.txt'), (1000000000, 1000000000))
    dst = shutil.copytree(src, os.path.join(base, 'dst'))
    print(os.path.relpath(dst, base), sorted(os.listdir(dst)), oct(os.stat(os.path.join(dst, 'run.sh')).st_mode & 0o777))
    print(int(os.stat(os.path.join(dst, 'inner', 'data.txt')).st_mtime))
    shutil.copy2(os.path.join(src, 'inner', 'data.txt'), os.path.join(base, 'c2.txt'))
    print(int(os.path.getmtime(os.path.join(base, 'c2.txt'))))
    moved = shutil.move(dst, os.path.join(base, 'moved'))
    print(os.path.basename(moved), os.path.exists(dst), sorted(os.listdir(moved)))
    errors = []
    shutil.rmtree(os.path.join(base, 'missing'), ignore_errors=True)
    try:
        shutil.rmtree(os.path.join(base, 'missing'))
    except FileNotFoundError as e:
        print('FileNotFoundError', e.errno)
finally:
    shutil.rmtree(base)
print(os.path.exists(base))
