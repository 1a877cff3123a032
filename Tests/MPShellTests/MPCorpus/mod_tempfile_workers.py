# Workers write their results to files in a TemporaryDirectory; the parent reads them back with pathlib.
import multiprocessing as mp
import tempfile
from pathlib import Path

def work(args):
    folder, n = args
    path = Path(folder) / ('part%d.txt' % n)
    path.write_text('\n'.join(str(n * k) for k in range(3)))
    return path.name

if __name__ == '__main__':
    with tempfile.TemporaryDirectory() as d:
        with mp.Pool(2) as pool:
            names = pool.map(work, [(d, n) for n in range(4)])
        print(names, sorted(p.name for p in Path(d).glob('*.txt')))
        print([Path(d, n).read_text().split() for n in names])
    print(Path(d).exists())
