import multiprocessing as mp

def late(ev):
    ev.wait()
    print("child finished", flush=True)

if __name__ == '__main__':
    ev = mp.Event()
    p = mp.Process(target=late, args=(ev,))
    p.start()
    print("main done", flush=True)
    ev.set()
