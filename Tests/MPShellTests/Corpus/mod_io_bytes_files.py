# io.BytesIO and binary files together: the same reads from memory and from disk give the same bytes
import io, os, tempfile

payload = bytes(range(256)) * 4 + b'\nlast line\n'
path = os.path.join(tempfile.gettempdir(), 'mpsh-io-%d.bin' % os.getpid())
with open(path, 'wb') as f:
    f.write(payload)
mem = io.BytesIO(payload)
with open(path, 'rb') as disk:
    for n in (10, 300, 1, 0, 5000):
        a, b = mem.read(n), disk.read(n)
        print(n, len(a), a == b)
    mem.seek(0); disk.seek(0)
    print(mem.readline() == disk.readline(), mem.tell() == disk.tell())
    mem.seek(-10, 2); disk.seek(-10, 2)
    print(mem.read(), disk.read())
os.remove(path)
print(os.path.exists(path))
