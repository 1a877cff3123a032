# pathlib, tempfile, shutil and glob over a temporary directory
from pathlib import Path, PurePath, PurePosixPath
p = Path('/usr/lib/x.tar.gz')
print(p, repr(p), p.name, p.stem, p.suffix, p.suffixes, p.parent, list(p.parents), p.parts, p.anchor)
print(Path('a') / 'b' / 'c', 'x' / Path('y'), Path('a//b/./c'), Path(), Path('/a') / '/b', PurePath('a/b'), type(PurePath('a')).__name__)
print(p.with_suffix('.bz2'), p.with_name('y.txt'), p.with_stem('z'), p.relative_to('/usr'), p.is_absolute(), Path('a').is_absolute())
print(Path('a/b.py').match('*.py'), Path('/a/b.py').match('/*.py'), Path('a') == Path('a/'), Path('a') < Path('b'), hash(Path('a')) == hash(Path('a')))
print(sorted([Path('b'), Path('a')]), str(Path('.')), Path('a').joinpath('b', 'c'))
try: Path('/a').relative_to('/b')
except ValueError as e: print(e)
import tempfile, os, shutil, glob
with tempfile.TemporaryDirectory() as d:
    base = Path(d)
    (base / 'sub' / 'deep').mkdir(parents=True)
    (base / 'a.txt').write_text('hello')
    (base / 'b.bin').write_bytes(b'\x00\x01')
    (base / 'sub' / 'c.txt').write_text('c')
    print((base / 'a.txt').read_text(), (base / 'b.bin').read_bytes(), (base / 'a.txt').exists(), (base / 'sub').is_dir())
    print(sorted(x.name for x in base.iterdir()), sorted(str(x.relative_to(base)) for x in base.glob('*.txt')))
    print(sorted(str(x.relative_to(base)) for x in base.rglob('*.txt')), sorted(os.path.relpath(x, d) for x in glob.glob(d + '/**/*.txt', recursive=True)))
    shutil.copytree(d + '/sub', d + '/copy')
    print(sorted(os.listdir(d + '/copy')), os.path.exists(d + '/copy/c.txt'))
    shutil.copy(d + '/a.txt', d + '/a2.txt'); print(open(d + '/a2.txt').read())
    shutil.move(d + '/a2.txt', d + '/sub'); print(sorted(os.listdir(d + '/sub')))
    shutil.rmtree(d + '/copy'); print(os.path.exists(d + '/copy'))
    fd, name = tempfile.mkstemp(suffix='.x', dir=d); os.write(fd, b'abc'); os.close(fd); print(name.endswith('.x'), os.path.getsize(name))
    with tempfile.NamedTemporaryFile(dir=d) as f:
        f.write(b'temp data'); f.seek(0); print(f.read(), os.path.exists(f.name)); n = f.name
    print(os.path.exists(n))
    (base / 'a.txt').unlink(); print((base / 'a.txt').exists())
    (base / 'a.txt').unlink(missing_ok=True)
print(os.path.exists(d), tempfile.gettempdir())
