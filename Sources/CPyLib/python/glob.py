"""Filename globbing, as CPython's glob: `*`, `?` and `[...]` per path component, `**` with recursive=True,
hidden names only when the pattern starts with a dot, results in the directory's order."""

import os
import os.path
import re
import fnmatch

__all__ = ["glob", "iglob", "escape", "has_magic"]

_magic = re.compile('([*?[])')


def has_magic(s):
    return _magic.search(s) is not None


def escape(pathname):
    drive, path = '', pathname
    return drive + _magic.sub(r'[\1]', path)


def glob(pathname, *, root_dir=None, recursive=False, include_hidden=False):
    return list(iglob(pathname, root_dir=root_dir, recursive=recursive, include_hidden=include_hidden))


def iglob(pathname, *, root_dir=None, recursive=False, include_hidden=False):
    pathname = os.fspath(pathname)
    return iter(_glob(pathname, root_dir, recursive, include_hidden))


def _listdir(dirname, root_dir):
    path = dirname if dirname else os.curdir
    if root_dir is not None and not os.path.isabs(path):
        path = os.path.join(root_dir, path)
    try:
        return os.listdir(path)
    except OSError:
        return []


def _isdir(p, root_dir):
    if root_dir is not None and not os.path.isabs(p):
        p = os.path.join(root_dir, p)
    return os.path.isdir(p)


def _lexists(p, root_dir):
    if root_dir is not None and not os.path.isabs(p):
        p = os.path.join(root_dir, p)
    return os.path.lexists(p)


def _glob(pathname, root_dir, recursive, hidden):
    dirname, basename = os.path.split(pathname)
    if not has_magic(pathname):
        if basename:
            if _lexists(pathname, root_dir):
                return [pathname]
        elif _isdir(dirname, root_dir):
            return [pathname]
        return []
    if not dirname:
        if recursive and basename == '**':
            return _rlistdir('', root_dir, hidden, True)
        return _glob1('', basename, root_dir, hidden)
    if dirname != pathname and has_magic(dirname):
        dirs = _glob(dirname, root_dir, recursive, hidden)
    else:
        dirs = [dirname]
    out = []
    for d in dirs:
        if recursive and basename == '**':
            for name in _rlistdir(d, root_dir, hidden, True):
                out.append(os.path.join(d, name))
        elif has_magic(basename):
            for name in _glob1(d, basename, root_dir, hidden):
                out.append(os.path.join(d, name))
        else:
            if basename:
                if _lexists(os.path.join(d, basename), root_dir):
                    out.append(os.path.join(d, basename))
            elif _isdir(d, root_dir):
                out.append(os.path.join(d, basename))
    return out


def _glob1(dirname, pattern, root_dir, hidden):
    names = _listdir(dirname, root_dir)
    if not (hidden or pattern.startswith('.')):
        names = [n for n in names if not n.startswith('.')]
    return fnmatch.filter(names, pattern)


def _rlistdir(dirname, root_dir, hidden, top):
    out = [''] if top else []
    for name in _listdir(dirname, root_dir):
        if not hidden and name.startswith('.'):
            continue
        out.append(name)
        path = os.path.join(dirname, name) if dirname else name
        if _isdir(path, root_dir) and not os.path.islink(path):
            for sub in _rlistdir(path, root_dir, hidden, False):
                out.append(os.path.join(name, sub))
    return out
