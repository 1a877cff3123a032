# argparse: positionals, options of every action, nargs, types, choices, defaults, Namespace, abbreviations
import argparse

p = argparse.ArgumentParser(prog='tool', description='Process some integers.')
p.add_argument('integers', metavar='N', type=int, nargs='+', help='an integer for the accumulator')
p.add_argument('--sum', dest='accumulate', action='store_const', const=sum, default=max, help='sum the integers')
p.add_argument('-v', '--verbose', action='count', default=0)
p.add_argument('--name', default='anon', choices=['anon', 'ann', 'bob'])
p.add_argument('--tag', action='append')
p.add_argument('--flag', action='store_true')
p.add_argument('--no-cache', action='store_false', dest='cache')
p.add_argument('--ratio', type=float, default=0.5)
p.add_argument('--pair', nargs=2, type=int)
p.add_argument('--maybe', nargs='?', const='C', default='D')
p.add_argument('--many', nargs='*', default=[])
p.add_argument('--ext', action='extend', nargs='+', type=str)
for argv in [['1', '2', '3'], ['1', '2', '--sum', '-vv'], ['--name', 'bob', '7', '--tag', 'a', '--tag=b'],
             ['5', '--flag', '--no-cache', '--ratio', '2.5', '--pair', '3', '4'], ['--maybe', '9'], ['9', '--maybe'],
             ['--many', 'x', 'y', '--', '8'], ['--verb', '4', '-v'], ['--ext', 'a', 'b', '--ext', 'c', '1'], ['-vvv', '2']]:
    ns = p.parse_args(argv)
    print(argv, '->', ns.integers if hasattr(ns, 'integers') else None, ns.accumulate(ns.integers) if ns.integers else None)
    print('   ', {k: v for k, v in sorted(vars(ns).items()) if k != 'accumulate'})
ns, rest = p.parse_known_args(['1', '--unknown', 'x'])
print(ns.integers, rest)
print(argparse.Namespace(b=2, a=1), argparse.Namespace(a=1) == argparse.Namespace(a=1), 'a' in argparse.Namespace(a=1))
q = argparse.ArgumentParser(prog='q')
q.add_argument('src')
q.add_argument('dst', nargs='?', default='out')
q.add_argument('rest', nargs=argparse.REMAINDER)
print(q.parse_args(['a']), q.parse_args(['a', 'b', 'c', '--x']))
q.set_defaults(mode='fast')
print(q.parse_args(['z']).mode, q.get_default('mode'))
