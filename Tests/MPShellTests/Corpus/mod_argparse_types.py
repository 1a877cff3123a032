# argparse: custom type functions and ArgumentTypeError, FileType-free path arguments, BooleanOptionalAction, const
import argparse, sys, io

def positive(s):
    v = int(s)
    if v <= 0:
        raise argparse.ArgumentTypeError('%r is not a positive int' % s)
    return v

p = argparse.ArgumentParser(prog='t')
p.add_argument('--workers', type=positive, default=2)
p.add_argument('--color', action=argparse.BooleanOptionalAction, default=True)
p.add_argument('--level', nargs='?', const='info', default='warn')
p.add_argument('--size', type=lambda s: tuple(int(x) for x in s.split('x')))
print(p.parse_args([]), p.parse_args(['--workers', '4', '--no-color', '--level', '--size', '3x4']))
old, sys.stderr = sys.stderr, io.StringIO()
try:
    p.parse_args(['--workers', '-1'])
except SystemExit as e:
    print('exit', e.code, sys.stderr.getvalue().splitlines()[-1])
finally:
    sys.stderr = old
