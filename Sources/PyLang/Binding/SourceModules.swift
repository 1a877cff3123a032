// Parts of the multiprocessing binding written in Python, run into their module when it is first imported: the
// `queue` module's classes, `multiprocessing.connection`'s Listener and Client (sockets, with CPython's wire
// format and authkey challenge), `multiprocessing.sharedctypes`, the logging helpers and
// `shared_memory.ShareableList`. They sit on what the interpreter and the binding already have (socket, struct,
// hashlib, pickle, SharedMemory, logging), follow CPython's `Lib/` files of the same names, and need no Swift of
// their own: Python is the shortest faithful way to say them.
//
// mpsh runs one thread: a blocking get() on an empty `queue.Queue` (or put() on a full one) with no timeout could
// never return (CPython's would wait for another thread for ever), so it raises a RuntimeError that says so.

extension MPBinding {
    /// Runs `source` in `module` (its names join the module's). `file` names it in tracebacks.
    func runSource(_ source: String, in module: PyModule, file: String) throws {
        let prog: CompiledProgram
        do { prog = try interp.compile(source, file: file, module: module) } catch {
            throw err("SyntaxError", "\(error.message) (\(file), line \(error.line))")
        }
        try interp.run(prog, in: module)
    }

    /// A module made of `source` alone, named `name`.
    func sourceModule(_ name: String, _ source: String) throws -> PyModule {
        let m = PyModule(name: name)
        m.set("__name__", .str(name))
        try runSource(source, in: m, file: "<\(name)>")
        return m
    }

    /// Mirrors CPython's `Lib/queue.py`: Queue, LifoQueue, PriorityQueue, SimpleQueue (for one thread).
    static let queueSource = #"""
import collections as _collections
import heapq as _heapq
import time as _time

def _wait(what, timeout):
    if timeout is None:
        raise RuntimeError("%s would block for ever: mpsh runs one thread, so nothing can arrive meanwhile "
                           "(pass block=False or a timeout)" % what)
    _time.sleep(timeout)

class Queue:
    '''Create a queue object with a given maximum size (<= 0: unbounded).'''
    def __init__(self, maxsize=0):
        self.maxsize = maxsize
        self._init(maxsize)
        self.unfinished_tasks = 0

    def task_done(self):
        if self.unfinished_tasks <= 0:
            raise ValueError('task_done() called too many times')
        self.unfinished_tasks -= 1

    def join(self):
        if self.unfinished_tasks:
            _wait("Queue.join() with unfinished tasks", None)

    def qsize(self):
        return self._qsize()

    def empty(self):
        return not self._qsize()

    def full(self):
        return 0 < self.maxsize <= self._qsize()

    def put(self, item, block=True, timeout=None):
        if self.maxsize > 0:
            if not block:
                if self._qsize() >= self.maxsize:
                    raise Full
            elif timeout is not None and timeout < 0:
                raise ValueError("'timeout' must be a non-negative number")
            elif self._qsize() >= self.maxsize:
                _wait("put() on a full queue", timeout)
                raise Full
        self._put(item)
        self.unfinished_tasks += 1

    def get(self, block=True, timeout=None):
        if not block:
            if not self._qsize():
                raise Empty
        elif timeout is not None and timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        elif not self._qsize():
            _wait("get() on an empty queue", timeout)
            raise Empty
        return self._get()

    def put_nowait(self, item):
        return self.put(item, block=False)

    def get_nowait(self):
        return self.get(block=False)

    def _init(self, maxsize):
        self.queue = _collections.deque()

    def _qsize(self):
        return len(self.queue)

    def _put(self, item):
        self.queue.append(item)

    def _get(self):
        return self.queue.popleft()

class PriorityQueue(Queue):
    '''Variant of Queue that retrieves open entries in priority order (lowest first).'''
    def _init(self, maxsize):
        self.queue = []

    def _put(self, item):
        _heapq.heappush(self.queue, item)

    def _get(self):
        return _heapq.heappop(self.queue)

class LifoQueue(Queue):
    '''Variant of Queue that retrieves most recently added entries first.'''
    def _init(self, maxsize):
        self.queue = []

    def _put(self, item):
        self.queue.append(item)

    def _get(self):
        return self.queue.pop()

class SimpleQueue:
    '''Simple, unbounded FIFO queue.'''
    def __init__(self):
        self._queue = _collections.deque()

    def put(self, item, block=True, timeout=None):
        self._queue.append(item)

    def get(self, block=True, timeout=None):
        if timeout is not None and timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        if not self._queue:
            if block:
                _wait("get() on an empty queue", timeout)
            raise Empty
        return self._queue.popleft()

    def put_nowait(self, item):
        return self.put(item, block=False)

    def get_nowait(self):
        return self.get(False)

    def empty(self):
        return len(self._queue) == 0

    def qsize(self):
        return len(self._queue)

SimpleQueue.__module__ = '_queue'   # CPython's is the C one
"""#

    /// Mirrors CPython's `Lib/multiprocessing/connection.py` for sockets: Listener, Client, the message framing
    /// (a 4-byte big-endian length, -1 then 8 bytes past 2 GiB) and the HMAC challenge (`deliver_challenge`,
    /// `answer_challenge`: HMAC-MD5 of 20 random bytes, as CPython 3.11's, which 3.12+ still accept), done before
    /// anything is unpickled. A Unix socket without an address is made in the process's private directory (0700,
    /// `get_temp_dir()`, removed at the process's end) and is 0600; a Unix socket's file is removed when its
    /// Listener is closed, or at the end of the process that made it (a `util.Finalize`, as CPython's). Each
    /// message's framing, reads, writes and pickling are native (SocketConnectionBinding.swift).
    static let connectionSource = #"""
import os as _os
import pickle as _pickle
import socket as _socket
import hashlib as _hashlib
import tempfile as _tempfile
from multiprocessing.connection import _socket_send_bytes, _socket_send, _socket_recv_bytes, _socket_recv, _socket_poll
from multiprocessing import util as _util

BUFSIZE = 8192
MESSAGE_LENGTH = 20
CHALLENGE = b'#CHALLENGE#'
WELCOME = b'#WELCOME#'
FAILURE = b'#FAILURE#'
default_family = 'AF_UNIX'
families = ['AF_INET', 'AF_UNIX']

def _hmac_md5(key, message):
    if len(key) > 64:
        key = _hashlib.md5(key).digest()
    key = key + bytes(64 - len(key))
    inner = _hashlib.md5(bytes(k ^ 0x36 for k in key) + message).digest()
    return _hashlib.md5(bytes(k ^ 0x5C for k in key) + inner).digest()

def address_type(address):
    if type(address) == tuple:
        return 'AF_INET'
    elif type(address) is str and address.startswith('\\\\'):
        return 'AF_PIPE'
    elif type(address) is str or (isinstance(address, bytes) and address[:1] == b'\0'):
        return 'AF_UNIX'
    elif not address or isinstance(address, (bytes, str)):
        raise ValueError('address type of %r unrecognized' % (address,))
    else:
        raise TypeError('address type of %r unrecognized' % (address,))

def _validate_family(family):
    if family not in families:
        raise ValueError('Family %s is not recognized.' % family)

def arbitrary_address(family):
    if family == 'AF_INET':
        return ('localhost', 0)
    elif family == 'AF_UNIX':
        return _tempfile.mktemp(prefix='listener-', dir=_get_temp_dir())
    else:
        raise ValueError('unrecognized family')

class _SocketConnection:
    '''A connection over a socket: CPython's Connection class on Unix.'''
    def __init__(self, sock, readable=True, writable=True):
        if not readable and not writable:
            raise ValueError("at least one of `readable` and `writable` must be True")
        self._sock = sock
        self._fd = sock.fileno()
        # TCP: receives block in recv(2); a Unix socket's wait in poll(2) (SocketConnectionBinding.swift says why)
        self._block = sock.family != _socket.AF_UNIX
        self._readable = readable
        self._writable = writable

    def _check_closed(self):
        if self._sock is None:
            raise OSError("handle is closed")

    def _check_readable(self):
        if not self._readable:
            raise OSError("connection is write-only")

    def _check_writable(self):
        if not self._writable:
            raise OSError("connection is read-only")

    @property
    def closed(self):
        return self._sock is None

    @property
    def readable(self):
        return self._readable

    @property
    def writable(self):
        return self._writable

    def fileno(self):
        self._check_closed()
        return self._sock.fileno()

    def close(self):
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        self.close()

    def __repr__(self):
        return '<Connection fd=%s>' % (self._sock.fileno() if self._sock is not None else None,)

    def send_bytes(self, buf, offset=0, size=None):
        if self._sock is None:
            raise OSError("handle is closed")
        if not self._writable:
            raise OSError("connection is read-only")
        _socket_send_bytes(self._fd, buf, offset, size)

    def send(self, obj):
        if self._sock is None:
            raise OSError("handle is closed")
        if not self._writable:
            raise OSError("connection is read-only")
        _socket_send(self._fd, obj, _pickle.dumps)

    def _recv_bytes(self, maxsize=None):
        return _socket_recv_bytes(self._fd, maxsize, self._block)

    def recv_bytes(self, maxlength=None):
        if self._sock is None:
            raise OSError("handle is closed")
        if not self._readable:
            raise OSError("connection is write-only")
        if maxlength is not None and maxlength < 0:
            raise ValueError("negative maxlength")
        buf = _socket_recv_bytes(self._fd, maxlength, self._block)
        if buf is None:
            if self._writable:
                self._readable = False
            else:
                self.close()
            raise OSError("bad message length")
        return buf

    def recv_bytes_into(self, buf, offset=0):
        self._check_closed()
        self._check_readable()
        data = self._recv_bytes()
        if offset < 0 or offset > len(buf):
            raise ValueError("offset out of bounds")
        if len(data) + offset > len(buf):
            raise BufferTooShort(bytes(buf[:offset]) + data)
        for k, byte in enumerate(data):   # (bytearray slice assignment is not in the language yet)
            buf[offset + k] = byte
        return len(data)

    def recv(self):
        if self._sock is None:
            raise OSError("handle is closed")
        if not self._readable:
            raise OSError("connection is write-only")
        return _socket_recv(self._fd, _pickle.loads, self._block)

    def poll(self, timeout=0.0):
        self._check_closed()
        self._check_readable()
        return _socket_poll(self._fd, timeout)

_SocketConnection.__name__ = 'Connection'
_SocketConnection.__qualname__ = 'Connection'

def deliver_challenge(connection, authkey):
    if not isinstance(authkey, bytes):
        raise ValueError("Authkey must be bytes, not {0!s}".format(type(authkey)))
    message = _os.urandom(MESSAGE_LENGTH)
    connection.send_bytes(CHALLENGE + message)
    digest = _hmac_md5(authkey, message)
    response = connection.recv_bytes(256)        # reject large message
    if response == digest:
        connection.send_bytes(WELCOME)
    else:
        connection.send_bytes(FAILURE)
        raise AuthenticationError('digest received was wrong')

def answer_challenge(connection, authkey):
    if not isinstance(authkey, bytes):
        raise ValueError("Authkey must be bytes, not {0!s}".format(type(authkey)))
    message = connection.recv_bytes(256)         # reject large message
    assert message[:len(CHALLENGE)] == CHALLENGE, 'message = %r' % message
    message = message[len(CHALLENGE):]
    connection.send_bytes(_hmac_md5(authkey, message))
    response = connection.recv_bytes(256)        # reject large message
    if response != WELCOME:
        raise AuthenticationError('digest sent was rejected')

class _SocketListener:
    def __init__(self, address, family, backlog=1):
        self._socket = _socket.socket(getattr(_socket, family))
        try:
            self._socket.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)
            self._socket.bind(address)
            if family == 'AF_UNIX':
                _os.chmod(address, 0o600)
            self._socket.listen(backlog)
            self._address = self._socket.getsockname()
        except OSError:
            self._socket.close()
            raise
        self._family = family
        self._last_accepted = None
        if family == 'AF_UNIX' and not _util.is_abstract_socket_namespace(address):
            # the socket file is removed at close(), or at the end of this process at the latest
            self._unlink = _util.Finalize(self, _os.unlink, args=(address,), exitpriority=0)
        else:
            self._unlink = None

    def accept(self):
        s, self._last_accepted = self._socket.accept()
        return _SocketConnection(s)

    def close(self):
        try:
            self._socket.close()
        finally:
            unlink = self._unlink
            if unlink is not None:
                self._unlink = None
                unlink()

class Listener(object):
    '''A bound socket listening for connections. Mirrors multiprocessing.connection.Listener.'''
    def __init__(self, address=None, family=None, backlog=1, authkey=None):
        family = family or (address and address_type(address)) or default_family
        address = address or arbitrary_address(family)
        _validate_family(family)
        self._listener = _SocketListener(address, family, backlog)
        if authkey is not None and not isinstance(authkey, bytes):
            raise TypeError('authkey should be a byte string')
        self._authkey = authkey

    def accept(self):
        if self._listener is None:
            raise OSError('listener is closed')
        c = self._listener.accept()
        if self._authkey:
            try:
                deliver_challenge(c, self._authkey)
                answer_challenge(c, self._authkey)
            except BaseException:
                c.close()
                raise
        return c

    def close(self):
        listener = self._listener
        if listener is not None:
            self._listener = None
            listener.close()

    @property
    def address(self):
        return self._listener._address

    @property
    def last_accepted(self):
        return self._listener._last_accepted

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        self.close()

def Client(address, family=None, authkey=None):
    '''A connection to the address of a Listener. Mirrors multiprocessing.connection.Client.'''
    family = family or address_type(address)
    _validate_family(family)
    s = _socket.socket(getattr(_socket, family))
    try:
        s.connect(address)
    except BaseException:
        s.close()
        raise
    c = _SocketConnection(s)
    if authkey is not None and not isinstance(authkey, bytes):
        raise TypeError('authkey should be a byte string')
    if authkey is not None:
        try:
            answer_challenge(c, authkey)
            deliver_challenge(c, authkey)
        except BaseException:
            c.close()
            raise
    return c
"""#
    /// Mirrors `multiprocessing.util`: the logging helpers (`get_logger`, `log_to_stderr`: the 'multiprocessing'
    /// logger, not propagating, with CPython's "[%(levelname)s/%(processName)s] %(message)s" on stderr; `logging` is
    /// imported when first needed) and `Finalize`, the finalizers a process runs at its end: those with an exit
    /// priority of 0 or more before its children are joined (a started manager's shutdown, a Listener's socket
    /// file), the others after (`_run_finalizers`, called by the binding's end of a process: `runExitFinalizers`).
    /// `get_temp_dir` is native (MPBinding.tempDirectory). mpsh has no weak references: a Finalize holds no
    /// reference to its object and runs when called or at the process's end, not when the object is collected.
    static let utilSource = #"""
import os as _os
import itertools as _itertools

SUBDEBUG = 5
SUBWARNING = 25
LOGGER_NAME = 'multiprocessing'
DEFAULT_LOGGING_FORMAT = '[%(levelname)s/%(processName)s] %(message)s'
_logger = None

def get_logger():
    """Returns the logger used by multiprocessing."""
    global _logger
    import logging as _logging
    if not _logger:
        _logger = _logging.getLogger(LOGGER_NAME)
        _logger.propagate = 0
    return _logger

def log_to_stderr(level=None):
    """Turn on logging and add a handler which prints to stderr."""
    import logging as _logging
    logger = get_logger()
    formatter = _logging.Formatter(DEFAULT_LOGGING_FORMAT)
    handler = _logging.StreamHandler()
    handler.setFormatter(formatter)
    logger.addHandler(handler)
    if level:
        logger.setLevel(level)
    return _logger

def is_abstract_socket_namespace(address):
    if not address:
        return False
    if isinstance(address, bytes):
        return address[0] == 0
    elif isinstance(address, str):
        return address[0] == "\0"
    raise TypeError(f'address type of {address!r} unrecognized')

_finalizer_registry = {}
_finalizer_counter = _itertools.count()

class Finalize(object):
    """Class which supports object finalization using weakrefs (in mpsh: at the end of the process that made it)"""
    def __init__(self, obj, callback, args=(), kwargs=None, exitpriority=None):
        if (exitpriority is not None) and not isinstance(exitpriority, int):
            raise TypeError("Exitpriority ({0!r}) must be None or int, not {1!s}".format(
                exitpriority, type(exitpriority)))
        if obj is None and exitpriority is None:
            raise ValueError("Without object, exitpriority cannot be None")
        self._has_object = obj is not None
        self._callback = callback
        self._args = args
        self._kwargs = kwargs or {}
        self._key = (exitpriority, next(_finalizer_counter))
        self._pid = _os.getpid()
        if exitpriority is not None:
            # one without an exit priority runs only when called: the registry holds those the process's end runs
            _finalizer_registry[self._key] = self
            _note_finalizer()

    def _unregister(self):
        # whether this finalizer was still to run (it is not any more)
        if self._key is None:
            return False
        if self._key[0] is None:
            return True
        return _finalizer_registry.pop(self._key, None) is not None

    def __call__(self, wr=None):
        """Run the callback unless it has already been called or cancelled"""
        if not self._unregister():
            return None
        if self._pid != _os.getpid():
            res = None   # made by the process this one was forked from: not this process's to run
        else:
            res = self._callback(*self._args, **self._kwargs)
        self._callback = self._args = self._kwargs = self._key = None
        return res

    def cancel(self):
        """Cancel finalization of the object"""
        if self._unregister():
            self._callback = self._args = self._kwargs = self._key = None

    def still_active(self):
        """Return whether this finalizer is still waiting to invoke callback"""
        return self._key is not None and (self._key[0] is None or self._key in _finalizer_registry)

    def __repr__(self):
        if not self._has_object or self._key is None:
            return '<%s object, dead>' % self.__class__.__name__
        x = '<%s object, callback=%s' % (self.__class__.__name__,
                                         getattr(self._callback, '__name__', self._callback))
        if self._args:
            x += ', args=' + str(self._args)
        if self._kwargs:
            x += ', kwargs=' + str(self._kwargs)
        if self._key[0] is not None:
            x += ', exitpriority=' + str(self._key[0])
        return x + '>'

def _run_finalizers(minpriority=None):
    """Run all finalizers whose exit priority is not None and at least minpriority, highest priority first (the
    last made first among equals); without minpriority, all of them, and the registry is emptied"""
    if minpriority is None:
        f = lambda p: p[0] is not None
    else:
        f = lambda p: p[0] is not None and p[0] >= minpriority
    keys = [key for key in list(_finalizer_registry) if f(key)]
    keys.sort(reverse=True)
    for key in keys:
        finalizer = _finalizer_registry.get(key)
        if finalizer is not None:
            try:
                finalizer()
            except Exception:
                import traceback
                traceback.print_exc()
    if minpriority is None:
        _finalizer_registry.clear()
"""#

    /// Mirrors `multiprocessing.sharedctypes`: RawValue, RawArray, Value and Array (the binding's, with `lock`),
    /// `synchronized` (a wrapper that takes the given lock, or a new RLock, around every access) and `copy`.
    static let sharedctypesSource = #"""
import multiprocessing as _mp

RawValue = _mp.RawValue
RawArray = _mp.RawArray
Value = _mp.Value
Array = _mp.Array

class SynchronizedBase(object):
    def __init__(self, obj, lock=None, ctx=None):
        self._obj = obj
        if lock:
            self._lock = lock
        else:
            self._lock = _mp.RLock()
        self.acquire = self._lock.acquire
        self.release = self._lock.release

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

    def get_obj(self):
        return self._obj

    def get_lock(self):
        return self._lock

    def __repr__(self):
        return '<%s wrapper for %s>' % (type(self).__name__, self._obj)

def _locked_property(name):
    """The wrapped object's attribute `name`, read and written holding the lock (CPython's make_property)."""
    def get(self):
        with self._lock:
            return getattr(self._obj, name)
    def set(self, v):
        with self._lock:
            setattr(self._obj, name, v)
    return property(get, set)

class Synchronized(SynchronizedBase):
    value = _locked_property('value')

class SynchronizedArray(SynchronizedBase):
    def __len__(self):
        return len(self._obj)

    def __getitem__(self, i):
        with self._lock:
            return self._obj[i]

    def __setitem__(self, i, value):
        with self._lock:
            self._obj[i] = value

class SynchronizedString(SynchronizedArray):
    value = _locked_property('value')
    raw = _locked_property('raw')

def synchronized(obj, lock=None, ctx=None):
    """obj wrapped so that every access holds lock (a new RLock if None)."""
    assert not isinstance(obj, SynchronizedBase), 'object already synchronized'
    if hasattr(obj, 'raw'):
        return SynchronizedString(obj, lock, ctx)
    try:
        len(obj)
    except TypeError:
        return Synchronized(obj, lock, ctx)
    return SynchronizedArray(obj, lock, ctx)
"""#
    /// Mirrors CPython's `shared_memory.ShareableList` with its layout in the block (so either interpreter can
    /// attach to the other's list by name): the item count, the items' end offsets, the items (8 bytes for int,
    /// float, bool and None; str and bytes in a multiple of 8 bytes), each item's struct format (8 bytes) and how
    /// to rebuild it (one byte).
    static let shareableListSource = #"""
import struct as _struct

_encoding = "utf8"

class ShareableList:
    """A list of int, float, bool, str (UTF-8), bytes and None in a SharedMemory block, of fixed length; str and
    bytes items keep the room they were made with."""
    _types_mapping = {
        int: "q",
        float: "d",
        bool: "xxxxxxx?",
        str: "%ds",
        bytes: "%ds",
        type(None): "xxxxxx?x",
    }
    _alignment = 8
    _back_transforms_mapping = {
        0: lambda value: value,
        1: lambda value: value.rstrip(b'\x00').decode(_encoding),
        2: lambda value: value.rstrip(b'\x00'),
        3: lambda _value: None,
    }

    @staticmethod
    def _extract_recreation_code(value):
        if not isinstance(value, (str, bytes, type(None))):
            return 0
        elif isinstance(value, str):
            return 1
        elif isinstance(value, bytes):
            return 2
        else:
            return 3

    def _pack(self, fmt, offset, *values):
        data = _struct.pack(fmt, *values)
        self.shm.buf[offset:offset + len(data)] = data

    def _unpack(self, fmt, offset):
        return _struct.unpack(fmt, bytes(self.shm.buf[offset:offset + _struct.calcsize(fmt)]))

    def __init__(self, sequence=None, *, name=None):
        if name is None or sequence is not None:
            sequence = sequence or ()
            formats = []
            for item in sequence:
                if type(item) not in self._types_mapping:
                    raise TypeError("ShareableList items must be int, float, bool, str, bytes or None, not %s"
                                    % type(item).__name__)
                if isinstance(item, (str, bytes)):
                    size = len(item.encode(_encoding)) if isinstance(item, str) else len(item)
                    formats.append(self._types_mapping[type(item)] % (self._alignment * (size // self._alignment + 1),))
                else:
                    formats.append(self._types_mapping[type(item)])
            self._list_len = len(formats)
            offset = 0
            self._allocated_offsets = [0]
            for fmt in formats:
                offset += self._alignment if fmt[-1] != "s" else int(fmt[:-1])
                self._allocated_offsets.append(offset)
            codes = [self._extract_recreation_code(item) for item in sequence]
            size = _struct.calcsize("q" + self._format_size_metainfo + "".join(formats) +
                                    self._format_packing_metainfo + self._format_back_transform_codes)
            self.shm = SharedMemory(name, create=True, size=size)
            self._pack("q" + self._format_size_metainfo, 0, self._list_len, *self._allocated_offsets)
            self._pack("".join(formats), self._offset_data_start,
                       *(v.encode(_encoding) if isinstance(v, str) else v for v in sequence))
            self._pack(self._format_packing_metainfo, self._offset_packing_formats,
                       *(v.encode(_encoding) for v in formats))
            self._pack(self._format_back_transform_codes, self._offset_back_transform_codes, *codes)
        else:
            self.shm = SharedMemory(name)
            self._list_len = len(self)
            self._allocated_offsets = list(self._unpack(self._format_size_metainfo, 8))

    def _get_packing_format(self, position):
        position = position if position >= 0 else position + self._list_len
        if position >= self._list_len or self._list_len < 0:
            raise IndexError("Requested position out of range.")
        v = self._unpack("8s", self._offset_packing_formats + position * 8)[0]
        return v.rstrip(b'\x00').decode(_encoding)

    def _get_back_transform(self, position):
        if position >= self._list_len or self._list_len < 0:
            raise IndexError("Requested position out of range.")
        code = self._unpack("b", self._offset_back_transform_codes + position)[0]
        return self._back_transforms_mapping[code]

    def _set_packing_format_and_transform(self, position, fmt_as_str, value):
        if position >= self._list_len or self._list_len < 0:
            raise IndexError("Requested position out of range.")
        self._pack("8s", self._offset_packing_formats + position * 8, fmt_as_str.encode(_encoding))
        self._pack("b", self._offset_back_transform_codes + position, self._extract_recreation_code(value))

    def __getitem__(self, position):
        position = position if position >= 0 else position + self._list_len
        try:
            offset = self._offset_data_start + self._allocated_offsets[position]
            (v,) = self._unpack(self._get_packing_format(position), offset)
        except IndexError:
            raise IndexError("index out of range")
        return self._get_back_transform(position)(v)

    def __setitem__(self, position, value):
        position = position if position >= 0 else position + self._list_len
        try:
            item_offset = self._allocated_offsets[position]
            offset = self._offset_data_start + item_offset
            current_format = self._get_packing_format(position)
        except IndexError:
            raise IndexError("assignment index out of range")
        if type(value) not in self._types_mapping:
            raise TypeError("ShareableList items must be int, float, bool, str, bytes or None, not %s"
                            % type(value).__name__)
        if not isinstance(value, (str, bytes)):
            new_format = self._types_mapping[type(value)]
            encoded_value = value
        else:
            allocated_length = self._allocated_offsets[position + 1] - item_offset
            encoded_value = value.encode(_encoding) if isinstance(value, str) else value
            if len(encoded_value) > allocated_length:
                raise ValueError("bytes/str item exceeds available storage")
            if current_format[-1] == "s":
                new_format = current_format
            else:
                new_format = self._types_mapping[str] % (allocated_length,)
        self._set_packing_format_and_transform(position, new_format, value)
        self._pack(new_format, offset, encoded_value)

    def __reduce__(self):
        return partial(self.__class__, name=self.shm.name), ()

    def __len__(self):
        return self._unpack("q", 0)[0]

    def __repr__(self):
        return f'{self.__class__.__name__}({list(self)}, name={self.shm.name!r})'

    def __iter__(self):
        for i in range(self._list_len):
            yield self[i]

    @property
    def format(self):
        return "".join(self._get_packing_format(i) for i in range(self._list_len))

    @property
    def _format_size_metainfo(self):
        return "q" * (self._list_len + 1)

    @property
    def _format_packing_metainfo(self):
        return "8s" * self._list_len

    @property
    def _format_back_transform_codes(self):
        return "b" * self._list_len

    @property
    def _offset_data_start(self):
        return (self._list_len + 2) * 8

    @property
    def _offset_packing_formats(self):
        return self._offset_data_start + self._allocated_offsets[-1]

    @property
    def _offset_back_transform_codes(self):
        return self._offset_packing_formats + self._list_len * 8

    def count(self, value):
        return sum(value == entry for entry in self)

    def index(self, value):
        for position, entry in enumerate(self):
            if value == entry:
                return position
        else:
            raise ValueError(f"{value!r} not in this container")
"""#
}
