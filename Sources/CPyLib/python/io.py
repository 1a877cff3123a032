"""In-memory text and binary streams: StringIO and BytesIO (the file objects of open() are mpsh's own)."""

__all__ = ["StringIO", "BytesIO", "IOBase", "TextIOBase", "BufferedIOBase", "RawIOBase",
           "UnsupportedOperation", "SEEK_SET", "SEEK_CUR", "SEEK_END", "DEFAULT_BUFFER_SIZE"]

SEEK_SET = 0
SEEK_CUR = 1
SEEK_END = 2
DEFAULT_BUFFER_SIZE = 8192


class UnsupportedOperation(OSError, ValueError):
    pass


class IOBase:
    pass


class RawIOBase(IOBase):
    pass


class BufferedIOBase(IOBase):
    pass


class TextIOBase(IOBase):
    pass


class _Memory:
    # the buffer is self._buf plus the chunks written at its end since (joined when anything else is needed)
    _empty = ""
    _kind = "string"

    def __init__(self, initial):
        self._buf = initial
        self._parts = []
        self._len = len(initial)
        self._pos = 0
        self.closed = False

    def _check(self, what):
        if not isinstance(what, type(self._empty)):
            raise TypeError(self._type_error(what))

    def _flat(self):
        if self._parts:
            self._buf = self._buf + self._empty.join(self._parts)
            self._parts = []
        return self._buf

    def _open(self):
        if self.closed:
            raise ValueError(self._closed_message)

    def _find_newline(self, buf, start):
        return buf.find(self._newline, start)

    def write(self, s):
        self._open()
        self._check(s)
        n = len(s)
        if n == 0:
            return 0
        if self._pos == self._len:
            self._parts.append(s)
            self._len += n
            self._pos += n
            return n
        buf = self._flat()
        if self._pos > self._len:
            buf = buf + self._pad(self._pos - self._len)
        self._buf = buf[:self._pos] + s + buf[self._pos + n:]
        self._pos += n
        self._len = len(self._buf)
        return n

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def getvalue(self):
        self._open()
        return self._flat()

    def read(self, size=-1):
        self._open()
        buf = self._flat()
        if size is None or size < 0:
            end = self._len
        else:
            end = min(self._len, self._pos + size)
        if self._pos >= end:
            return self._empty
        r = buf[self._pos:end]
        self._pos = end
        return r

    def readline(self, size=-1):
        self._open()
        buf = self._flat()
        if self._pos >= self._len:
            return self._empty
        i = self._find_newline(buf, self._pos)
        end = self._len if i < 0 else i + 1
        if size is not None and size >= 0:
            end = min(end, self._pos + size)
        r = buf[self._pos:end]
        self._pos = end
        return r

    def readlines(self, hint=-1):
        lines = []
        total = 0
        while True:
            line = self.readline()
            if not line:
                break
            lines.append(line)
            total += len(line)
            if hint is not None and 0 < hint <= total:
                break
        return lines

    def __iter__(self):
        self._open()
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def tell(self):
        self._open()
        return self._pos

    def seek(self, pos, whence=0):
        self._open()
        if not isinstance(pos, int):
            raise TypeError("'%s' object cannot be interpreted as an integer" % type(pos).__name__)
        if whence == 0:
            if pos < 0:
                raise ValueError("Negative seek position %d" % pos)
            self._pos = pos
        elif whence == 1:
            if pos != 0 and self._kind == "string":
                raise OSError("Can't do nonzero cur-relative seeks")
            self._pos = max(0, self._pos + pos)
        elif whence == 2:
            if pos != 0 and self._kind == "string":
                raise OSError("Can't do nonzero end-relative seeks")
            self._pos = max(0, self._len + pos)
        else:
            raise ValueError("Invalid whence (%d, should be 0, 1 or 2)" % whence)
        return self._pos

    def truncate(self, size=None):
        self._open()
        if size is None:
            size = self._pos
        if size < 0:
            raise ValueError("Negative size value %d" % size)
        if size < self._len:
            self._buf = self._flat()[:size]
            self._len = size
        return size

    def close(self):
        self.closed = True
        self._buf = self._empty
        self._parts = []

    def flush(self):
        self._open()

    def isatty(self):
        self._open()
        return False

    def readable(self):
        self._open()
        return True

    def writable(self):
        self._open()
        return True

    def seekable(self):
        self._open()
        return True

    def fileno(self):
        raise UnsupportedOperation("fileno")

    def __enter__(self):
        self._open()
        return self

    def __exit__(self, *exc):
        self.close()
        return None


class StringIO(_Memory, TextIOBase):
    _empty = ""
    _newline = "\n"
    _kind = "string"
    _closed_message = "I/O operation on closed file"

    def __init__(self, initial_value="", newline="\n"):
        if initial_value is None:
            initial_value = ""
        if not isinstance(initial_value, str):
            raise TypeError("initial_value must be str or None, not %s" % type(initial_value).__name__)
        if newline not in (None, "", "\n", "\r", "\r\n"):
            raise ValueError("illegal newline value: %r" % (newline,))
        self.newline = newline
        if newline is None:
            initial_value = initial_value.replace("\r\n", "\n").replace("\r", "\n")
        elif newline in ("\r", "\r\n"):
            initial_value = initial_value.replace("\n", newline)
        _Memory.__init__(self, initial_value)

    def _type_error(self, what):
        return "string argument expected, got '%s'" % type(what).__name__

    def _pad(self, n):
        return "\0" * n

    def write(self, s):
        self._open()
        self._check(s)
        if self.newline is None:
            s = s.replace("\r\n", "\n").replace("\r", "\n")
        elif self.newline in ("\r", "\r\n"):
            s = s.replace("\n", self.newline)
        return _Memory.write(self, s)

    @property
    def line_buffering(self):
        return False

    @property
    def encoding(self):
        return None

    @property
    def errors(self):
        return None


class BytesIO(_Memory, BufferedIOBase):
    _empty = b""
    _newline = b"\n"
    _kind = "bytes"
    _closed_message = "I/O operation on closed file."

    def __init__(self, initial_bytes=b""):
        if initial_bytes is None:
            initial_bytes = b""
        if isinstance(initial_bytes, bytearray):
            initial_bytes = bytes(initial_bytes)
        if not isinstance(initial_bytes, bytes):
            raise TypeError("a bytes-like object is required, not '%s'" % type(initial_bytes).__name__)
        _Memory.__init__(self, initial_bytes)

    def _check(self, what):
        if not isinstance(what, (bytes, bytearray)):
            raise TypeError(self._type_error(what))

    def _type_error(self, what):
        return "a bytes-like object is required, not '%s'" % type(what).__name__

    def _pad(self, n):
        return bytes(n)

    def _find_newline(self, buf, start):
        # mpsh's bytes.find takes no start
        i = buf[start:].find(self._newline)
        return i if i < 0 else i + start

    def write(self, b):
        if isinstance(b, bytearray):
            b = bytes(b)
        return _Memory.write(self, b)

    def getbuffer(self):
        return bytearray(self.getvalue())

    def read1(self, size=-1):
        return self.read(size)
