import concurrent.futures as cf

seen = []

def triple(x):
    return 3 * x

def note(fut):
    seen.append(fut.result())

if __name__ == '__main__':
    with cf.ProcessPoolExecutor(2) as ex:
        for i in range(4):
            ex.submit(triple, i).add_done_callback(note)
    print(sorted(seen))
    with cf.ProcessPoolExecutor(1) as ex:
        f = ex.submit(triple, 5)
        f.result()
        f.add_done_callback(lambda fu: print('called at once', fu.result()))
