# PYTHONUNBUFFERED as CPython: the program runs itself with stdout a pipe, once block-buffered and once with
# PYTHONUNBUFFERED=1; the parent's and the child's lines come out in another order in the two runs.
import multiprocessing as mp
import os, subprocess, sys

def child(ready):
    ready.wait(10)
    print('B child')

def scenario():
    mp.set_start_method('fork')
    ready = mp.Event()
    p = mp.Process(target=child, args=(ready,))
    p.start()
    print('A parent after start')
    ready.set()
    p.join()
    print('C parent after join')

if __name__ == '__main__':
    if os.environ.get('UNBUFFERED_SCENARIO'):
        scenario()
    else:
        env = {k: v for k, v in os.environ.items() if k != 'PYTHONUNBUFFERED'}
        env['UNBUFFERED_SCENARIO'] = '1'
        buffered = subprocess.run([sys.executable, sys.argv[0]], env=env, capture_output=True, text=True)
        env['PYTHONUNBUFFERED'] = '1'
        unbuffered = subprocess.run([sys.executable, sys.argv[0]], env=env, capture_output=True, text=True)
        print('buffered:', buffered.stdout.splitlines(), buffered.returncode)
        print('unbuffered:', unbuffered.stdout.splitlines(), unbuffered.returncode)
