# Workers return frozen, ordered dataclasses; the parent sorts them, hashes them into a set and refuses changes.
import multiprocessing as mp
from dataclasses import dataclass, field, FrozenInstanceError, asdict

@dataclass(frozen=True, order=True)
class Result:
    score: int
    name: str
    notes: list = field(default_factory=list, compare=False, hash=False)

def evaluate(name):
    return Result(sum(ord(c) for c in name) % 17, name, [len(name)])

if __name__ == '__main__':
    with mp.Pool(2) as pool:
        results = pool.map(evaluate, ['ann', 'bob', 'cy', 'dee', 'ann'])
    for r in sorted(results):
        print(r)
    print(len(set(Result(r.score, r.name) for r in results)), max(results).name, asdict(results[0]))
    try:
        results[0].score = 99
    except FrozenInstanceError as e:
        print('FrozenInstanceError:', e)
