import multiprocessing as mp

if __name__ == '__main__':
    q = mp.JoinableQueue()
    q.put(1)
    q.get()
    q.task_done()
    try:
        q.task_done()
    except ValueError as e:
        print("ValueError", e)
