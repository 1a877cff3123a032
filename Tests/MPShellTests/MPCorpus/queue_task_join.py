# queue.Queue's task accounting: unfinished_tasks counts puts not yet marked done, join() returns once every task
# is done, task_done() past zero is a ValueError; a worker pool processes what the queue hands out.
import queue
from multiprocessing import Pool


def handle(job):
    return job[::-1]


if __name__ == "__main__":
    q = queue.Queue()
    for job in ["abc", "hello", "xyz", "mpsh"]:
        q.put(job)
    print("unfinished:", q.unfinished_tasks)
    with Pool(2) as p:
        while not q.empty():
            job = q.get()
            print(job, "->", p.apply(handle, (job,)))
            q.task_done()
    q.join()
    print("unfinished:", q.unfinished_tasks, "empty:", q.empty())
    try:
        q.task_done()
    except ValueError as e:
        print("ValueError:", e)
