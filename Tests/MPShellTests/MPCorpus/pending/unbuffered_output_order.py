# Needs: mpsh to honour -u and PYTHONUNBUFFERED (Sources/mpsh and the binding's stdout); run with PYTHONUNBUFFERED=1.
# With output unbuffered, the parent's and the child's lines come out in the order they were written, as CPython's.
import multiprocessing as mp, os, sys

def child():
    print('child line')

if __name__ == '__main__':
    print('parent before', bool(os.environ.get('PYTHONUNBUFFERED')))
    p = mp.Process(target=child)
    p.start()
    p.join()
    print('parent after')
