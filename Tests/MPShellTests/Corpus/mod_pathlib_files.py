# pathlib: touching, statting, renaming and globbing real files under a temporary directory
import tempfile
from pathlib import Path

with tempfile.TemporaryDirectory() as d:
    root = Path(d)
    (root / 'logs').mkdir()
    for n in range(3):
        (root / 'logs' / ('day%d.log' % n)).write_text('entries %d\n' % n * (n + 1))
    (root / 'logs' / 'notes.txt').touch()
    print(sorted(p.name for p in (root / 'logs').glob('*.log')), (root / 'logs' / 'notes.txt').stat().st_size)
    sizes = {p.name: p.stat().st_size for p in sorted((root / 'logs').iterdir())}
    print(sizes)
    target = (root / 'logs' / 'day0.log').rename(root / 'archived.log')
    print(target.name, target.exists(), (root / 'logs' / 'day0.log').exists(), target.read_text())
    (root / 'a' / 'b').mkdir(parents=True)
    try:
        (root / 'a').mkdir()
    except FileExistsError as e:
        print('FileExistsError', e.errno)
    (root / 'a').mkdir(exist_ok=True)
    print(sorted(str(p.relative_to(root)) for p in root.rglob('*')))
    print(target.resolve() == target.resolve().absolute(), target.with_suffix('.bak').suffix, target.samefile(str(target)))
