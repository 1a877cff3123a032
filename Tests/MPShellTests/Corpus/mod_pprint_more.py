# pprint: PrettyPrinter options (indent, width, compact, sort_dicts), recursion markers, long strings
import pprint

data = {'zeta': list(range(30)), 'alpha': {'nested': ['x' * 30, 'y' * 30], 'n': 1}, 'mid': ('a', 'b')}
pprint.pprint(data, indent=2, width=60)
pprint.pprint(data, compact=True, width=50, sort_dicts=False)
pp = pprint.PrettyPrinter(depth=1)
pp.pprint(data)
loop = [1, 2]
loop.append(loop)
print(pprint.isrecursive(loop), pprint.isrecursive([1, [2]]), pprint.pformat('word ' * 20, width=30))
