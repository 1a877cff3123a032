import multiprocessing as mp

if __name__ == '__main__':
    ps = [mp.Process(target=len, args=((),)) for _ in range(3)]
    print([p.name for p in ps])
    ps[1].name = "renamed"
    print(ps[1].name)
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print([p.exitcode for p in ps])
