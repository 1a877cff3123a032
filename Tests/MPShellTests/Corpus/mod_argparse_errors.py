# argparse: CPython's usage and error messages (exit status 2, written to stderr; here caught as SystemExit)
import argparse, sys, io

def attempt(parser, argv):
    old = sys.stderr
    sys.stderr = buf = io.StringIO()
    try:
        parser.parse_args(argv)
        print(argv, 'parsed')
    except SystemExit as e:
        print(argv, 'exit', e.code)
        print(buf.getvalue(), end='')
    finally:
        sys.stderr = old

p = argparse.ArgumentParser(prog='prog')
p.add_argument('count', type=int)
p.add_argument('--mode', choices=['a', 'b'])
p.add_argument('--level', type=int, required=True)
g = p.add_mutually_exclusive_group()
g.add_argument('--on', action='store_true')
g.add_argument('--off', action='store_true')
for argv in [[], ['x', '--level', '1'], ['1'], ['1', '--level'], ['1', '--level', '2', '--mode', 'c'],
             ['1', '--level', '2', '--on', '--off'], ['1', '--level', '2', 'extra'], ['1', '--level', '2', '--bogus'],
             ['1', '--level', '2', '--on']]:
    attempt(p, argv)
r = argparse.ArgumentParser(prog='r')
rg = r.add_mutually_exclusive_group(required=True)
rg.add_argument('--x', action='store_true')
rg.add_argument('--y', action='store_true')
attempt(r, [])
s = argparse.ArgumentParser(prog='s')
s.add_argument('--alpha')
s.add_argument('--alps')
attempt(s, ['--al', '1'])
t = argparse.ArgumentParser(prog='t')
t.add_argument('items', nargs='+')
t.add_argument('--two', nargs=2)
attempt(t, [])
attempt(t, ['a', '--two', 'b'])
