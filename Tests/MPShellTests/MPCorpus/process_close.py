import multiprocessing as mp

if __name__ == '__main__':
    p = mp.Process(target=print, args=("child",))
    p.start()
    p.join()
    p.close()
    print(p)
    try:
        p.exitcode
    except ValueError as e:
        print("ValueError", e)
