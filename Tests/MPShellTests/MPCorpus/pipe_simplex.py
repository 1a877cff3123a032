import multiprocessing as mp

def writer(w):
    for i in range(3):
        w.send(i)
    w.close()

if __name__ == '__main__':
    r, w = mp.Pipe(duplex=False)
    p = mp.Process(target=writer, args=(w,))
    p.start()
    w.close()
    out = []
    try:
        while True:
            out.append(r.recv())
    except EOFError:
        print("EOFError after", out)
    p.join()
