# tempfile: names, prefixes and suffixes, mkstemp/mkdtemp permissions, cleanup by the context managers
import tempfile, os, stat

fd, path = tempfile.mkstemp(prefix='pre_', suffix='.dat')
print(os.path.basename(path).startswith('pre_'), path.endswith('.dat'), oct(os.stat(path).st_mode & 0o777))
os.write(fd, b'abc'); os.close(fd); os.remove(path)
d = tempfile.mkdtemp(suffix='_dir')
print(d.endswith('_dir'), os.path.isdir(d), oct(os.stat(d).st_mode & 0o777), os.path.dirname(d) == tempfile.gettempdir())
with tempfile.TemporaryDirectory(dir=d) as inner:
    with open(os.path.join(inner, 'f'), 'w') as f:
        f.write('x')
    print(os.listdir(inner), os.path.dirname(inner) == d)
print(os.path.exists(inner))
with tempfile.NamedTemporaryFile(dir=d, suffix='.bin') as f:
    f.write(b'payload'); f.seek(0)
    print(f.read(), f.name.endswith('.bin'), os.path.exists(f.name))
print(os.path.exists(f.name))
with tempfile.NamedTemporaryFile(dir=d, delete=False) as f:
    kept = f.name
print(os.path.exists(kept)); os.remove(kept)
t = tempfile.TemporaryDirectory(dir=d); name = t.name; t.cleanup(); print(os.path.exists(name))
os.rmdir(d)
print(tempfile.gettempprefix(), len(os.path.basename(tempfile.mktemp())) == 11)
