# After a process started by get_context('spawn'), CPython's default context is fixed (the child's preparation data
# read it): set_start_method without force raises, and get_start_method() is the platform default.
import multiprocessing as mp

def nothing():
    pass

if __name__ == '__main__':
    p = mp.get_context('spawn').Process(target=nothing)
    p.start()
    p.join()
    print(p.exitcode, mp.get_start_method())
    try:
        mp.set_start_method('spawn')
    except RuntimeError as e:
        print("RuntimeError:", e)
