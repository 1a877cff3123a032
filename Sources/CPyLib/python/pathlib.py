"""Object-oriented paths, as CPython's pathlib for POSIX: PurePath/PurePosixPath (the pure operations) and
Path/PosixPath (those that touch the file system). Paths keep their parts normalised as CPython does ('a//b/./c'
is 'a/b/c'; '..' is kept)."""

import os
import os.path
import fnmatch
import re

__all__ = ["PurePath", "PurePosixPath", "PureWindowsPath", "Path", "PosixPath", "WindowsPath"]


def _parse(args):
    parts = []
    root = ''
    for a in args:
        if isinstance(a, PurePath):
            a = str(a)
        elif not isinstance(a, str):
            a = os.fspath(a)
            if not isinstance(a, str):
                raise TypeError("argument should be a str or an os.PathLike object where __fspath__ returns a str, not %r"
                                % type(a).__name__)
        if a.startswith('/'):
            root = '//' if a.startswith('//') and not a.startswith('///') else '/'
            parts = []
        for p in a.split('/'):
            if p and p != '.':
                parts.append(p)
    return root, parts


class PurePath:
    """A path without file-system access."""

    def __init__(self, *args):
        self._root, self._parts = _parse(args)
        self._str = None

    @classmethod
    def _from(cls, root, parts):
        p = object.__new__(cls)
        p._root = root
        p._parts = parts
        p._str = None
        return p

    def __str__(self):
        if self._str is None:
            s = self._root + '/'.join(self._parts)
            self._str = s or '.'
        return self._str

    def __fspath__(self):
        return str(self)

    def as_posix(self):
        return str(self)

    def __bytes__(self):
        return str(self).encode()

    def __repr__(self):
        return "{}({!r})".format(type(self).__name__, str(self))

    def as_uri(self):
        if not self.is_absolute():
            raise ValueError("relative path can't be expressed as a file URI")
        return 'file://' + str(self)

    def __hash__(self):
        return hash(str(self))

    def _key(self, other):
        if not isinstance(other, PurePath):
            return None
        return (self._root, self._parts), (other._root, other._parts)

    def __eq__(self, other):
        k = self._key(other)
        if k is None:
            return NotImplemented
        return k[0] == k[1]

    def __ne__(self, other):
        k = self._key(other)
        if k is None:
            return NotImplemented
        return k[0] != k[1]

    def __lt__(self, other):
        if not isinstance(other, PurePath):
            return NotImplemented
        return str(self) < str(other)

    def __le__(self, other):
        if not isinstance(other, PurePath):
            return NotImplemented
        return str(self) <= str(other)

    def __gt__(self, other):
        if not isinstance(other, PurePath):
            return NotImplemented
        return str(self) > str(other)

    def __ge__(self, other):
        if not isinstance(other, PurePath):
            return NotImplemented
        return str(self) >= str(other)

    def __truediv__(self, key):
        try:
            return type(self)(self, key)
        except TypeError:
            return NotImplemented

    def __rtruediv__(self, key):
        try:
            return type(self)(key, self)
        except TypeError:
            return NotImplemented

    def joinpath(self, *args):
        return type(self)(self, *args)

    @property
    def drive(self):
        return ''

    @property
    def root(self):
        return self._root

    @property
    def anchor(self):
        return self._root

    @property
    def parts(self):
        if self._root:
            return tuple([self._root] + self._parts)
        return tuple(self._parts)

    @property
    def name(self):
        return self._parts[-1] if self._parts else ''

    @property
    def suffix(self):
        name = self.name
        i = name.rfind('.')
        if 0 < i < len(name) - 1:
            return name[i:]
        return ''

    @property
    def suffixes(self):
        name = self.name
        if name.endswith('.'):
            return []
        name = name.lstrip('.')
        return ['.' + s for s in name.split('.')[1:]]

    @property
    def stem(self):
        name = self.name
        i = name.rfind('.')
        if 0 < i < len(name) - 1:
            return name[:i]
        return name

    @property
    def parent(self):
        if not self._parts:
            return self
        return self._from(self._root, self._parts[:-1])

    @property
    def parents(self):
        out = []
        p = self
        while p._parts:
            p = p.parent
            out.append(p)
        return tuple(out)

    def is_absolute(self):
        return bool(self._root)

    def is_reserved(self):
        return False

    def with_name(self, name):
        if not self.name:
            raise ValueError("%r has an empty name" % (self,))
        if not name or '/' in name or name == '.':
            raise ValueError("Invalid name %r" % (name,))
        return self._from(self._root, self._parts[:-1] + [name])

    def with_stem(self, stem):
        return self.with_name(stem + self.suffix)

    def with_suffix(self, suffix):
        if '/' in suffix or (suffix and not suffix.startswith('.')) or suffix == '.':
            raise ValueError("Invalid suffix %r" % (suffix,))
        name = self.name
        if not name:
            raise ValueError("%r has an empty name" % (self,))
        old = self.suffix
        name = (name[:-len(old)] if old else name) + suffix
        return self._from(self._root, self._parts[:-1] + [name])

    def relative_to(self, *other):
        o = type(self)(*other)
        n = len(o._parts)
        if o._root != self._root or self._parts[:n] != o._parts:
            raise ValueError("{!r} is not in the subpath of {!r} OR one path is relative and the other is absolute."
                             .format(str(self), str(o)))
        return self._from('', self._parts[n:])

    def is_relative_to(self, *other):
        try:
            self.relative_to(*other)
            return True
        except ValueError:
            return False

    def match(self, pattern):
        pat = type(self)(pattern)
        if not pat._parts:
            raise ValueError("empty pattern")
        if pat._root:
            if pat._root != self._root or len(pat._parts) != len(self._parts):
                return False
        elif len(pat._parts) > len(self._parts):
            return False
        for part, p in zip(reversed(self._parts), reversed(pat._parts)):
            if not fnmatch.fnmatchcase(part, p):
                return False
        return True


class PurePosixPath(PurePath):
    pass


class PureWindowsPath(PurePath):
    pass


class Path(PurePath):
    """A path with file-system operations."""

    @classmethod
    def cwd(cls):
        return cls(os.getcwd())

    @classmethod
    def home(cls):
        return cls(os.path.expanduser('~'))

    def absolute(self):
        if self._root:
            return self
        return type(self)(os.getcwd(), self)

    def resolve(self, strict=False):
        if strict:
            os.stat(str(self))
        return type(self)(os.path.realpath(str(self)))

    def expanduser(self):
        return type(self)(os.path.expanduser(str(self)))

    def stat(self, *, follow_symlinks=True):
        return os.stat(str(self)) if follow_symlinks else os.lstat(str(self))

    def lstat(self):
        return os.lstat(str(self))

    def exists(self):
        return os.path.exists(str(self))

    def is_file(self):
        return os.path.isfile(str(self))

    def is_dir(self):
        return os.path.isdir(str(self))

    def is_symlink(self):
        return os.path.islink(str(self))

    def samefile(self, other):
        return os.path.samefile(str(self), str(other))

    def iterdir(self):
        for name in os.listdir(str(self)):
            yield self._from(self._root, self._parts + [name])

    def _walk_glob(self, parts):
        if not parts:
            yield self
            return
        head, rest = parts[0], parts[1:]
        if head == '**':
            for d in self._all_dirs():
                yield from d._walk_glob(rest)
            return
        if not any(c in head for c in '*?['):
            child = self._from(self._root, self._parts + [head])
            if rest:
                if child.is_dir():
                    yield from child._walk_glob(rest)
            elif child.exists() or os.path.lexists(str(child)):
                yield child
            return
        try:
            names = os.listdir(str(self))
        except OSError:
            return
        pat = re.compile(fnmatch.translate(head))
        for name in names:
            if name.startswith('.') and not head.startswith('.'):
                continue
            if pat.match(name):
                child = self._from(self._root, self._parts + [name])
                if rest:
                    if child.is_dir():
                        yield from child._walk_glob(rest)
                else:
                    yield child

    def _all_dirs(self):
        yield self
        try:
            names = os.listdir(str(self))
        except OSError:
            return
        for name in names:
            child = self._from(self._root, self._parts + [name])
            if child.is_dir() and not child.is_symlink():
                yield from child._all_dirs()

    def glob(self, pattern):
        if not pattern:
            raise ValueError("Unacceptable pattern: {!r}".format(pattern))
        if pattern.startswith('/'):
            raise NotImplementedError("Non-relative patterns are unsupported")
        parts = [p for p in pattern.split('/') if p and p != '.']
        return self._walk_glob(parts)

    def rglob(self, pattern):
        return self.glob('**/' + pattern)

    def mkdir(self, mode=0o777, parents=False, exist_ok=False):
        try:
            os.mkdir(str(self), mode)
        except FileNotFoundError:
            if not parents or self.parent == self:
                raise
            self.parent.mkdir(parents=True, exist_ok=True)
            self.mkdir(mode, parents=False, exist_ok=exist_ok)
        except OSError:
            if not exist_ok or not self.is_dir():
                raise

    def rmdir(self):
        os.rmdir(str(self))

    def unlink(self, missing_ok=False):
        try:
            os.unlink(str(self))
        except FileNotFoundError:
            if not missing_ok:
                raise

    def rename(self, target):
        os.rename(str(self), str(target))
        return type(self)(target)

    def replace(self, target):
        os.replace(str(self), str(target))
        return type(self)(target)

    def touch(self, mode=0o666, exist_ok=True):
        if self.exists():
            if not exist_ok:
                raise FileExistsError(17, 'File exists')
            os.utime(str(self))
            return
        fd = os.open(str(self), os.O_CREAT | os.O_WRONLY | (0 if exist_ok else os.O_EXCL), mode)
        os.close(fd)

    def chmod(self, mode):
        os.chmod(str(self), mode)

    def symlink_to(self, target, target_is_directory=False):
        os.symlink(str(target), str(self))

    def readlink(self):
        return type(self)(os.readlink(str(self)))

    def open(self, mode='r', buffering=-1, encoding=None, errors=None, newline=None):
        return open(str(self), mode)

    def read_text(self, encoding=None, errors=None):
        with open(str(self), 'r') as f:
            return f.read()

    def read_bytes(self):
        with open(str(self), 'rb') as f:
            return f.read()

    def write_text(self, data, encoding=None, errors=None, newline=None):
        if not isinstance(data, str):
            raise TypeError('data must be str, not %s' % data.__class__.__name__)
        with open(str(self), 'w') as f:
            return f.write(data)

    def write_bytes(self, data):
        data = bytes(data)
        with open(str(self), 'wb') as f:
            return f.write(data)


class PosixPath(Path, PurePosixPath):
    pass


class WindowsPath(Path, PureWindowsPath):
    def __init__(self, *args):
        raise NotImplementedError("cannot instantiate 'WindowsPath' on your system")


def _posix_new(cls, *args):
    return object.__new__(PosixPath if cls is Path else cls)


Path.__new__ = _posix_new
PurePath.__new__ = lambda cls, *args: object.__new__(PurePosixPath if cls is PurePath else cls)
