import multiprocessing as mp

if __name__ == '__main__':
    a, b = mp.Pipe()
    b.close()
    try:
        a.recv()
    except EOFError as e:
        print("EOFError", repr(e))
    a.close()
    try:
        a.send(1)
    except OSError as e:
        print("OSError", e)
