# subprocess: CPython's exceptions: CalledProcessError (check), TimeoutExpired, FileNotFoundError, bad arguments
import subprocess

try:
    subprocess.run(['sh', '-c', 'echo partial; exit 7'], check=True, capture_output=True)
except subprocess.CalledProcessError as e:
    print('CalledProcessError:', e, e.returncode, e.output, e.stdout, e.stderr, e.cmd)
try:
    subprocess.check_output(['false'])
except subprocess.CalledProcessError as e:
    print(e, isinstance(e, subprocess.SubprocessError))
try:
    subprocess.run(['sleep', '10'], timeout=0.2)
except subprocess.TimeoutExpired as e:
    print('TimeoutExpired:', str(e).split(' after')[0], e.timeout <= 0.2)
try:
    subprocess.run(['no-such-program-xyz'])
except FileNotFoundError as e:
    print('FileNotFoundError:', e.errno, e)
try:
    subprocess.run(['pwd'], cwd='/no/such/dir')
except FileNotFoundError as e:
    print('FileNotFoundError:', e)
for bad in [lambda: subprocess.run(['true'], input='x', stdin=subprocess.PIPE),
            lambda: subprocess.run(['true'], capture_output=True, stdout=subprocess.PIPE),
            lambda: subprocess.check_output(['true'], stdout=None)]:
    try:
        bad()
    except ValueError as e:
        print('ValueError:', e)
r = subprocess.run(['sh', '-c', 'kill -9 $$'])
print(r.returncode)
try:
    r.check_returncode()
except subprocess.CalledProcessError as e:
    print(e)
