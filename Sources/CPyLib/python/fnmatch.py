"""Shell-style wildcard matching (`*`, `?`, `[seq]`, `[!seq]`), as CPython's fnmatch: patterns translate to
regular expressions, cached by pattern."""

import re
import os.path

__all__ = ["filter", "fnmatch", "fnmatchcase", "translate"]

_cache = {}


def _compile(pat):
    r = _cache.get(pat)
    if r is None:
        r = re.compile(translate(pat))
        _cache[pat] = r
    return r


def fnmatch(name, pat):
    return fnmatchcase(name, pat)


def fnmatchcase(name, pat):
    return _compile(pat).match(name) is not None


def filter(names, pat):
    m = _compile(pat)
    return [n for n in names if m.match(n)]


def translate(pat):
    i, n = 0, len(pat)
    res = []
    while i < n:
        c = pat[i]
        i += 1
        if c == '*':
            if not res or res[-1] != '.*':
                res.append('.*')
        elif c == '?':
            res.append('.')
        elif c == '[':
            j = i
            if j < n and pat[j] == '!':
                j += 1
            if j < n and pat[j] == ']':
                j += 1
            while j < n and pat[j] != ']':
                j += 1
            if j >= n:
                res.append('\\[')
            else:
                stuff = pat[i:j]
                i = j + 1
                if not stuff:
                    res.append('(?!)')
                elif stuff == '!':
                    res.append('.')
                else:
                    stuff = stuff.replace('\\', '\\\\')
                    if stuff[0] == '!':
                        stuff = '^' + stuff[1:]
                    elif stuff[0] in ('^', '['):
                        stuff = '\\' + stuff
                    res.append('[' + stuff.replace('[', '\\[') + ']')
        else:
            res.append(re.escape(c))
    return '(?s:' + ''.join(res) + ')\\Z'
