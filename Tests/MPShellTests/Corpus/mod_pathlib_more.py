# pathlib: pure-path algebra without touching the disk
from pathlib import PurePath, PurePosixPath, Path

p = PurePosixPath('/srv/app/static/css/site.min.css')
print(p.name, p.stem, p.suffix, p.suffixes, p.parent.name, [str(x) for x in p.parents][:3], p.parts[:3])
print(p.relative_to('/srv/app'), p.is_relative_to('/srv'), p.is_relative_to('/etc'), p.with_suffix('').with_suffix('.gz'))
print(PurePath('a/b') / 'c' / '..' / 'd', PurePath('/a') / 'b', PurePath('a', 'b/c', 'd'), PurePath('a') / '/abs')
print(PurePosixPath('dir/').name, PurePosixPath('.').name, PurePosixPath('archive.tar.gz').stem, PurePosixPath('.bashrc').suffix)
print(PurePath('x/y.py').match('*.py'), PurePath('/x/y.py').match('x/*.py'), PurePath('x/y.py').match('/*.py'))
print(sorted({PurePath('b'), PurePath('a'), PurePath('a/')}), PurePath('a') == PurePosixPath('a'), PurePath('/a').anchor, PurePath('a').root == '')
print(Path('/tmp').is_absolute(), Path('rel').absolute().is_absolute(), str(Path('~').expanduser()) != '~', PurePath('a/b').as_posix())
for bad in [lambda: PurePath('a').with_suffix('txt'), lambda: PurePath('/').with_name('x'), lambda: PurePath('/a').relative_to('/b')]:
    try:
        bad()
    except ValueError as e:
        print('ValueError:', e)
