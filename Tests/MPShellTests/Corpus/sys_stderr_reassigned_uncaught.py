# an object the program puts in sys.stderr receives what CPython writes there: print(file=sys.stderr), the
# traceback of an uncaught exception (this one passes every piece on to the real stdout, so the two interpreters'
# outputs can be compared; the real stderr stays empty)
import sys

PATH = __file__


class Keeper:
    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s)
        sys.__stdout__.write(s.replace(PATH, 'PROG'))
        return len(s)

    def flush(self):
        pass


keeper = Keeper()
sys.stderr = keeper
print('one', 2, [3], sep=' | ', end=' <\n', file=sys.stderr)
print(file=sys.stderr)
sys.stderr.write('written directly\n')
print('kept so far:', repr(''.join(keeper.parts)))


class ConfigError(Exception):
    pass


def parse(text, out):
    if not text.isdigit():
        raise ConfigError('not a number: %r' % text)
    out.append(int(text))


def load(items):
    out = []
    for x in items:
        parse(x, out)
    return out


print(load(['1', '2']))
load(['1', 'two'])
