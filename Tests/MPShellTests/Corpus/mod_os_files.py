# os: directories, stat, rename, descriptors, binary files; errors name the path
import os, os.path

base = os.path.join(os.getcwd(), '_mod_os_files_tmp')
if os.path.isdir(base):
    for n in os.listdir(base):
        os.remove(os.path.join(base, n))
    os.rmdir(base)
os.mkdir(base)
p = os.path.join(base, 'data.bin')
with open(p, 'wb') as f:
    print(f.write(b'line one\nline two\n'), f.writable(), f.closed)
print(f.closed)
st = os.stat(p)
print(st.st_size, st[6], os.path.getsize(p), os.path.isfile(p), os.path.isdir(base), os.path.exists(p + 'x'))
with open(p, 'rb') as f:
    print(f.readline(), f.read(4), f.tell(), f.read())
    f.seek(0)
    print([line for line in f])
with open(p, 'ab') as f:
    f.write(bytearray(b'three\n'))
print(open(p, 'rb').read().count(b'\n'))
with open(p, 'r+b') as f:
    f.seek(5); f.write(b'ONE'); f.seek(0); print(f.read(12))
os.rename(p, os.path.join(base, 'moved.bin'))
print(sorted(os.listdir(base)))
fd = os.open(os.path.join(base, 'fd.txt'), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
print(os.write(fd, b'via fd'), os.close(fd))
fd = os.open(os.path.join(base, 'fd.txt'), os.O_RDONLY)
print(os.read(fd, 3), os.read(fd, 100), os.read(fd, 100)); os.close(fd)
r, w = os.pipe(); os.write(w, b'piped'); os.close(w); print(os.read(r, 10)); os.close(r)
os.makedirs(os.path.join(base, 'a', 'b'), exist_ok=True)
os.makedirs(os.path.join(base, 'a', 'b'), exist_ok=True)
for bad in [lambda: os.mkdir(base), lambda: os.remove(os.path.join(base, 'nope')), lambda: os.rmdir(os.path.join(base, 'a')),
            lambda: os.stat(os.path.join(base, 'nope')), lambda: open(os.path.join(base, 'nope'), 'rb'),
            lambda: os.listdir(os.path.join(base, 'nope')), lambda: os.makedirs(os.path.join(base, 'a'))]:
    try:
        bad()
    except OSError as e:
        print(type(e).__name__, e.errno, str(e).replace(base, 'BASE'))
os.rmdir(os.path.join(base, 'a', 'b')); os.rmdir(os.path.join(base, 'a'))
for n in os.listdir(base):
    os.remove(os.path.join(base, n))
os.rmdir(base)
print(os.path.exists(base))
