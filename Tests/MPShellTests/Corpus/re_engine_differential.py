# Differential test of the regular-expression engine: random patterns from a grammar of Python's syntax (literals,
# sets, categories, anchors, groups of every kind, backreferences, lookaround, atomic groups, greedy, lazy and
# possessive repeats, alternation, inline and compile flags) against random subjects (ASCII and not, str and
# bytes); every result of search, match, fullmatch, findall, finditer, sub, subn and split is printed, errors too.
# The corpus compares the output with CPython's. Usage: re_engine_differential.py [seed [cases]] (a larger sweep
# is the same program with other seeds and counts).
import re
import sys

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 1234
CASES = int(sys.argv[2]) if len(sys.argv) > 2 else 400


class Rand:
    """A small LCG, so that the cases do not depend on the random module."""

    def __init__(self, seed):
        self.x = seed * 2654435761 % (1 << 32) or 1

    def below(self, n):
        self.x = (self.x * 1103515245 + 12345) % (1 << 31)
        return (self.x >> 8) % n

    def pick(self, xs):
        return xs[self.below(len(xs))]


LIT = ['a', 'b', 'c', 'a', 'b', 'A', 'B', '1', '_', ' ', '-', '\\.', '\\*', '\\(', '\\n', 'é', 'É', 'ß', 'k', 's', 'i']
SETS = ['[abc]', '[^ab]', '[a-c]', '[A-Z]', '[a-zA-Z0-9_]', '[^a-z]', '[\\d]', '[\\w-]', '[\\s]', '[^\\W\\d]',
        '[]a]', '[a-]', '[.*]', '[éÉ]', '[\\x41-\\x43]', '[^\\n]', '[K]', '[k]', '[ſ]', '[i-k]']
CATS = ['\\d', '\\w', '\\s', '\\D', '\\W', '\\S']
ANCHORS = ['^', '$', '\\A', '\\Z', '\\b', '\\B']
SUBJ = 'aabbcAB1_ -\n.*'
UNI = 'éÉßſKkİı١'


class Gen:
    def __init__(self, r):
        self.r = r
        self.groups = 0
        self.closed = []
        self.names = 0

    def atom(self, depth, inlook=False):
        r = self.r
        k = r.below(24 if depth < 3 else 12)
        if k < 6:
            return r.pick(LIT), True
        if k < 8:
            return r.pick(SETS), True
        if k < 9:
            return r.pick(CATS), True
        if k < 10:
            return '.', True
        if k < 12:
            return (r.pick(ANCHORS), False) if not inlook else (r.pick(LIT), True)
        if inlook:
            return r.pick(LIT), True
        if k < 15:
            self.groups += 1
            g = self.groups
            body = self.alt(depth + 1)
            self.closed.append(g)
            return '(' + body + ')', True
        if k < 17:
            return '(?:' + self.alt(depth + 1) + ')', True
        if k < 18:
            self.groups += 1
            g = self.groups
            self.names += 1
            name = 'n%d' % self.names
            body = self.alt(depth + 1)
            self.closed.append(g)
            return '(?P<%s>%s)' % (name, body), True
        if k < 19 and self.closed:
            g = r.pick(self.closed)
            return ('\\%d' % g) if r.below(3) else '(?:\\%d)' % g, True
        if k < 20:
            return r.pick(['(?=', '(?!']) + self.alt(depth + 1) + ')', True
        if k < 21:
            w = ''.join(self.atom(9, True)[0] for _ in range(1 + r.below(2)))
            return r.pick(['(?<=', '(?<!']) + w + ')', True
        if k < 22:
            return '(?>' + self.alt(depth + 1) + ')', True
        if k < 23 and self.closed:
            g = r.pick(self.closed)
            return '(?(%d)%s|%s)' % (g, self.seq(depth + 1), self.seq(depth + 1)), True
        return r.pick(LIT), True

    def quant(self, a):
        r = self.r
        k = r.below(12)
        if k < 6:
            return a
        q = r.pick(['*', '+', '?', '{2}', '{1,3}', '{0,2}', '{2,}', '{,2}'])
        m = r.below(6)
        if m == 0:
            q += '?'
        elif m == 1:
            q += '+'
        return a + q

    def seq(self, depth):
        out = ''
        for _ in range(1 + self.r.below(4)):
            a, rep = self.atom(depth)
            out += self.quant(a) if rep else a
        return out

    def alt(self, depth):
        n = 1 + (self.r.below(3) if self.r.below(3) == 0 else 0)
        return '|'.join(self.seq(depth) for _ in range(n))


FLAGS = [0, 0, 0, re.I, re.M, re.S, re.I | re.M, re.A, re.I | re.A, re.X, re.M | re.S]
INLINE = ['', '', '', '', '(?i)', '(?m)', '(?s)', '(?a)', '(?x)']


def subject(r, uni):
    n = r.below(10)
    chars = SUBJ + (UNI if uni else '')
    return ''.join(r.pick(chars) for _ in range(n))


def show(m):
    if m is None:
        return 'None'
    return '%r %r %r %r' % (m.span(), m.groups(), m.lastindex, m.lastgroup)


def run(case):
    r = Rand(SEED * 100003 + case)
    g = Gen(r)
    pat = r.pick(INLINE) + g.alt(0)
    if r.below(8) == 0:
        pat = pat + r.pick(['*', ')', '{', '(', '[', '\\', '+?+'])
    flags = r.pick(FLAGS)
    uni = r.below(3) == 0
    subjects = [subject(r, uni) for _ in range(3)]
    as_bytes = r.below(6) == 0
    if as_bytes:
        try:
            pat = pat.encode('latin-1')
            subjects = [s.encode('latin-1') for s in subjects]
        except UnicodeEncodeError:
            as_bytes = False
            pat = pat.decode('latin-1') if isinstance(pat, bytes) else pat
            subjects = [s.decode('latin-1') if isinstance(s, bytes) else s for s in subjects]
    out = ['%d %r %d' % (case, pat, flags)]
    try:
        p = re.compile(pat, flags)
    except re.error as e:
        out.append('error: %s' % e)
        return out
    except (ValueError, OverflowError) as e:
        out.append('%s' % type(e).__name__)
        return out
    repl = b'<\\g<0>>' if as_bytes else '<\\g<0>>'
    if p.groups:
        repl += b'[\\1]' if as_bytes else '[\\1]'
    for s in subjects:
        out.append('  %r' % (s,))
        try:
            p.search(s)
        except SystemError:
            # a CPython bug ("The span of capturing group is wrong"): no reference to compare with
            out.append('   SystemError')
            continue
        out.append('   search %s' % show(p.search(s)))
        out.append('   match %s' % show(p.match(s)))
        out.append('   full %s' % show(p.fullmatch(s)))
        out.append('   pos %s' % show(p.search(s, 2)))
        out.append('   findall %r' % (p.findall(s),))
        out.append('   iter %r' % ([(m.span(), m.lastindex) for m in p.finditer(s)],))
        out.append('   sub %r' % (p.subn(repl, s),))
        out.append('   sub1 %r' % (p.sub(repl, s, count=1),))
        out.append('   split %r' % (p.split(s),))
    return out


count = 0
for case in range(CASES):
    lines = run(case)
    count += 1
    print('\n'.join(lines))
print('cases', count)
