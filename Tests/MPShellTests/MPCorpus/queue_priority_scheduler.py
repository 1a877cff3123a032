# queue.PriorityQueue as a scheduler in the parent: jobs leave it most urgent first, in batches mapped by a Pool;
# equal priorities keep their insertion order through a counter, as the queue module's docs suggest.
import itertools
import queue
from multiprocessing import Pool


def run(job):
    priority, _, name = job
    return "%s(p%d)" % (name.upper(), priority)


if __name__ == "__main__":
    pq = queue.PriorityQueue()
    counter = itertools.count()
    for priority, name in [(3, "backup"), (1, "page"), (2, "mail"), (1, "alert"), (5, "report"), (2, "sync")]:
        pq.put((priority, next(counter), name))
    with Pool(2) as pool:
        while not pq.empty():
            batch = [pq.get_nowait() for _ in range(min(2, pq.qsize()))]
            print(pool.map(run, batch))
    print(pq.qsize(), pq.empty())
