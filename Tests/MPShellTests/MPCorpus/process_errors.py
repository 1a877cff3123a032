import multiprocessing as mp

if __name__ == '__main__':
    p = mp.Process(target=len, args=((),))
    try:
        p.join()
    except AssertionError as e:
        print("AssertionError", e)
    p.start()
    try:
        p.start()
    except AssertionError as e:
        print("AssertionError", e)
    p.join()
    try:
        p.daemon = True
    except AssertionError as e:
        print("AssertionError", e)
