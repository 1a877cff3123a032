// `multiprocessing.managers`' BaseManager, Server and proxies, and the native SyncManager's states, written in
// Python (see SourceModules.swift for why the binding says some parts in Python): the source run into the module on
// its first use.

extension MPBinding {
    /// Mirrors CPython's `BaseManager`, `Server` and `BaseProxy` (Lib/multiprocessing/managers.py): a real server
    /// process (start()) or this one (get_server().serve_forever()) owns the objects; proxies call their methods
    /// over a Listener/Client connection with the authkey challenge. The server runs on one thread: it waits on
    /// every connection at once (`connection.wait`), and a blocking get()/put() on a shared queue that cannot go on
    /// yet is parked, not waited for, and answered when another call makes it possible (or its timeout passes).
    static let managersSource = #"""
import os as _os
import sys as _sys
import time as _time
from multiprocessing import Process as _Process, Pipe as _Pipe
from multiprocessing.connection import Listener as _Listener, Client as _Client, wait as _wait
from multiprocessing import util as _util

_default_authkey = _os.urandom(32)

class State(object):
    INITIAL = 0
    STARTED = 1
    SHUTDOWN = 2

class RemoteError(Exception):
    def __str__(self):
        return ('\n' + '-' * 75 + '\n' + str(self.args[0]) + '-' * 75)

def _public_methods(obj):
    return [name for name in dir(obj) if name[0] != '_' and callable(getattr(obj, name))]

# what the server answers for these when the object does not expose them (Server.fallback_mapping)
_fallbacks = {
    '__str__': lambda obj: str(obj),
    '__repr__': lambda obj: repr(obj),
    '#GETVALUE': lambda obj: obj,
}

# dict views travel as lists (CPython's managers register that reduction for them)
_view_types = tuple(type(getattr({}, name)()) for name in ('items', 'keys', 'values'))

class Server(object):
    '''The process that owns the shared objects. Mirrors multiprocessing.managers.Server.'''
    def __init__(self, registry, address, authkey, serializer='pickle'):
        if not isinstance(authkey, bytes):
            raise TypeError("Authkey {0!r} is type {1!s}, not bytes".format(authkey, type(authkey)))
        self.registry = registry
        self.authkey = authkey
        self.listener = _Listener(address=address, backlog=16, authkey=authkey)
        self.address = self.listener.address
        self.id_to_obj = {}
        self.id_to_refcount = {}
        self.stop = False
        self.parked = []

    def serve_forever(self):
        conns = []
        sock = self.listener._listener._socket
        try:
            while not self.stop:
                timeout = None
                if self.parked:
                    deadlines = [p[-1] for p in self.parked if p[-1] is not None]
                    timeout = max(0.0, min(deadlines) - _time.monotonic()) if deadlines else None
                for ready in _wait([sock] + conns, timeout):
                    if ready is sock:
                        try:
                            conns.append(self.listener.accept())
                        except Exception:
                            pass   # a peer with the wrong key, or gone: the server serves on
                        continue
                    try:
                        request = ready.recv()
                    except Exception:
                        conns.remove(ready)
                        ready.close()
                        continue
                    self.handle(ready, request)
                    if self.stop:
                        break
                self.retry_parked()
        finally:
            for c in conns:
                c.close()
            self.listener.close()

    def reply(self, conn, kind, value):
        try:
            conn.send((kind, value))
        except Exception as e:
            try:
                conn.send(('#ERROR', RemoteError('the result could not be sent: %r' % (e,))))
            except Exception:
                pass

    def handle(self, conn, request):
        try:
            kind = request[0]
            if kind == 'create':
                typeid, args, kwds = request[1:]
                self.reply(conn, '#RETURN', self.create(typeid, *args, **kwds))
            elif kind == 'call':
                ident, method, args, kwds = request[1:]
                self.call(conn, ident, method, args, kwds, False)
            elif kind == 'incref':
                self.id_to_refcount[request[1]] = self.id_to_refcount.get(request[1], 0) + 1
                self.reply(conn, '#RETURN', None)
            elif kind == 'decref':
                ident = request[1]
                self.id_to_refcount[ident] = self.id_to_refcount.get(ident, 1) - 1
                if self.id_to_refcount[ident] <= 0:
                    self.id_to_refcount.pop(ident, None)
                    self.id_to_obj.pop(ident, None)
                self.reply(conn, '#RETURN', None)
            elif kind == 'number':
                self.reply(conn, '#RETURN', len(self.id_to_obj))
            elif kind == 'dummy':
                self.reply(conn, '#RETURN', None)
            elif kind == 'shutdown':
                self.stop = True
                self.reply(conn, '#RETURN', None)
            else:
                self.reply(conn, '#ERROR', RemoteError('unknown request %r' % (kind,)))
        except Exception as e:
            self.reply(conn, '#ERROR', e)

    def create(self, typeid, *args, **kwds):
        if typeid not in self.registry:
            raise KeyError(typeid)
        callable, exposed, method_to_typeid, proxytype = self.registry[typeid]
        if callable is None:
            raise ValueError('typeid %r has no callable registered in the server' % (typeid,))
        obj = callable(*args, **kwds)
        return self.keep(obj, typeid, exposed)

    def keep(self, obj, typeid, exposed=None):
        if exposed is None:
            exposed = _public_methods(obj)
        ident = '%x' % id(obj)
        self.id_to_obj[ident] = (obj, tuple(exposed), typeid)
        self.id_to_refcount[ident] = self.id_to_refcount.get(ident, 0) + 1
        return (typeid, ident, tuple(exposed))

    def call(self, conn, ident, method, args, kwds, parked):
        try:
            obj, exposed, typeid = self.id_to_obj[ident]
        except KeyError:
            self.reply(conn, '#ERROR', KeyError('no object %r in the manager' % (ident,)))
            return True
        if method not in exposed:
            fallback = _fallbacks.get(method)
            if fallback is None:
                self.reply(conn, '#ERROR', AttributeError('method %r of %r object is not in the list of allowed '
                                                          'methods' % (method, type(obj))))
                return True
            try:
                result = fallback(obj)
            except Exception as e:
                self.reply(conn, '#ERROR', e)
                return True
            self.reply(conn, '#RETURN', result)
            return True
        blocking = method in ('get', 'put') and hasattr(obj, method + '_nowait')
        import queue as _queue
        try:
            if blocking:
                block = kwds.get('block', args[1 if method == 'put' else 0] if len(args) > (1 if method == 'put' else 0) else True)
                timeout = kwds.get('timeout', args[2 if method == 'put' else 1] if len(args) > (2 if method == 'put' else 1) else None)
                if block:
                    try:
                        result = obj.put_nowait(args[0] if args else kwds['item']) if method == 'put' else obj.get_nowait()
                    except (_queue.Empty, _queue.Full):
                        if not parked:
                            deadline = None if timeout is None else _time.monotonic() + max(0.0, timeout)
                            self.parked.append((conn, ident, method, args, kwds, deadline))
                        return False
                else:
                    result = getattr(obj, method)(*args, **kwds)
            else:
                result = getattr(obj, method)(*args, **kwds)
        except Exception as e:
            self.reply(conn, '#ERROR', e)
            return True
        if type(result) in _view_types:
            result = list(result)
        registered = self.registry.get(typeid)
        method_to_typeid = registered[2] if registered else None
        if method_to_typeid and method in method_to_typeid:
            try:
                made = self.create(method_to_typeid[method], result)
            except Exception as e:
                self.reply(conn, '#ERROR', e)
                return True
            self.reply(conn, '#PROXY', made)
        else:
            self.reply(conn, '#RETURN', result)
        return True

    def retry_parked(self):
        progress = True
        while progress and self.parked:
            progress = False
            for p in list(self.parked):
                conn, ident, method, args, kwds, deadline = p
                if self.call(conn, ident, method, args, kwds, True):
                    self.parked.remove(p)
                    progress = True
                elif deadline is not None and _time.monotonic() >= deadline:
                    import queue as _queue
                    self.parked.remove(p)
                    self.reply(conn, '#ERROR', _queue.Empty() if method == 'get' else _queue.Full())

def _dispatch(conn, request):
    conn.send(request)
    kind, result = conn.recv()
    if kind == '#RETURN':
        return result
    raise result

class BaseProxy(object):
    '''A proxy for an object in a manager's server. Mirrors multiprocessing.managers.BaseProxy.'''
    def __init__(self, token, serializer, manager=None, authkey=None, exposed=None, incref=True,
                 manager_owned=False):
        self._token = token
        self._authkey = authkey
        self._exposed_ = exposed
        # the manager's class (its registry names the proxy types of method_to_typeid results); the proxy holds
        # nothing that cannot travel to another process
        self._manager_class = type(manager) if manager is not None else None

    def _connect(self):
        # one connection per server and process, shared by the proxies (calls are one at a time: one thread)
        key = (self._token.address, _os.getpid())
        conn = _connections.get(key)
        if conn is None or conn.closed:
            conn = _connections[key] = _Client(self._token.address, authkey=self._authkey)
        return conn

    def _callmethod(self, methodname, args=(), kwds={}):
        conn = self._connect()
        conn.send(('call', self._token.id, methodname, tuple(args), dict(kwds)))
        kind, result = conn.recv()
        if kind == '#RETURN':
            return result
        elif kind == '#PROXY':
            typeid, ident, exposed = result
            token = Token(typeid, self._token.address, ident)
            registry = self._manager_class._registry if self._manager_class is not None else {}
            proxytype = registry.get(typeid, (None, None, None, None))[3] or _auto_proxy_type(typeid)
            made = proxytype(token, 'pickle', authkey=self._authkey, exposed=exposed)
            made._manager_class = self._manager_class
            return made
        raise result

    def _getvalue(self):
        return self._callmethod('#GETVALUE')

    def __getattr__(self, name):
        exposed = self.__dict__.get('_exposed_')
        if name.startswith('_') or exposed is None or name not in exposed:
            raise AttributeError("%r object has no attribute %r" % (type(self).__name__, name))
        def method(*args, **kwds):
            return self._callmethod(name, args, kwds)
        return method

    def __repr__(self):
        return '<%s object, typeid %r at %#x>' % (type(self).__name__, self._token.typeid, id(self))

    def __str__(self):
        try:
            return self._callmethod('__repr__')
        except Exception:
            return repr(self)[:-1] + "; '__str__()' failed>"

_connections = {}

class AutoProxy(BaseProxy):
    # the proxy of a typeid registered without a proxytype: a subclass of this one per typeid (_auto_proxy_type),
    # which gets a method for each one its objects expose, as CPython's (MakeProxyType); where the class has not
    # got one yet (a proxy sent to a process forked before), BaseProxy.__getattr__ makes the call
    def __init__(self, token, serializer, manager=None, authkey=None, exposed=None, incref=True,
                 manager_owned=False):
        BaseProxy.__init__(self, token, serializer, manager, authkey, exposed, incref, manager_owned)
        cls = type(self)
        if cls is not AutoProxy:
            for name in exposed or ():
                if name not in cls.__dict__:
                    setattr(cls, name, _proxy_method(name))

    def __len__(self):
        if '__len__' not in (self._exposed_ or ()):
            raise TypeError("object of type '%s' has no len()" % (type(self).__name__,))
        return self._callmethod('__len__')

def _proxy_method(name):
    def method(self, *args, **kwds):
        return self._callmethod(name, args, kwds)
    method.__name__ = name
    return method

def _auto_proxy_type(typeid):
    # CPython's auto proxy types are named AutoProxy[typeid]. mpsh makes one when the typeid is registered (every
    # process that uses it registers it: forked children inherit the class, spawned ones run the registration
    # again) and keeps it in this module under that name, where a proxy sent to another process finds its class.
    name = 'AutoProxy[%s]' % (typeid,)
    module = _sys.modules[__name__]
    cls = getattr(module, name, None)
    if cls is None:
        cls = type(name, (AutoProxy,), {'__module__': __name__})
        setattr(module, name, cls)
    return cls

class Token(object):
    def __init__(self, typeid, address, id):
        (self.typeid, self.address, self.id) = (typeid, address, id)

    def __repr__(self):
        return '%s(typeid=%r, address=%r, id=%r)' % (type(self).__name__, self.typeid, self.address, self.id)

class BaseManager(object):
    '''Base class for managers. Mirrors multiprocessing.managers.BaseManager.'''
    _registry = {}

    def __init__(self, address=None, authkey=None, serializer='pickle', ctx=None, *, shutdown_timeout=1.0):
        if authkey is None:
            authkey = _default_authkey
        self._address = address
        self._authkey = bytes(authkey)
        self._state = State()
        self._state.value = State.INITIAL
        self._serializer = serializer
        self._process = None
        self._shutdown_timeout = shutdown_timeout

    def _check_state_initial(self):
        # get_server() and start() need a manager not yet started
        if self._state.value != State.INITIAL:
            if self._state.value == State.STARTED:
                raise ProcessError("Already started server")
            elif self._state.value == State.SHUTDOWN:
                raise ProcessError("Manager has shut down")
            else:
                raise ProcessError("Unknown state {!r}".format(self._state.value))

    def get_server(self):
        self._check_state_initial()
        return Server(self._registry, self._address, self._authkey, self._serializer)

    def connect(self):
        conn = _Client(self._address, authkey=self._authkey)
        try:
            _dispatch(conn, ('dummy',))
        finally:
            conn.close()
        self._state.value = State.STARTED

    def start(self, initializer=None, initargs=()):
        self._check_state_initial()
        if initializer is not None and not callable(initializer):
            raise TypeError('initializer must be a callable')
        reader, writer = _Pipe(duplex=False)
        self._process = _Process(target=type(self)._run_server,
                                 args=(self._registry, self._address, self._authkey, self._serializer, writer,
                                       initializer, initargs))
        ident = ':'.join(str(i) for i in self._process._identity)
        self._process.name = type(self).__name__ + '-' + ident
        self._process.start()
        writer.close()
        self._address = reader.recv()
        reader.close()
        self._state.value = State.STARTED
        # shut down at the latest when this process ends, before its children are joined (the server is one)
        self.shutdown = _util.Finalize(self, type(self)._finalize_manager,
                                       args=(self._process, self._address, self._authkey, self._state, _Client,
                                             self._shutdown_timeout),
                                       exitpriority=0)

    @classmethod
    def _run_server(cls, registry, address, authkey, serializer, writer, initializer=None, initargs=()):
        if initializer is not None:
            initializer(*initargs)
        server = Server(registry, address, authkey, serializer)
        writer.send(server.address)
        writer.close()
        server.serve_forever()

    def _create(self, typeid, *args, **kwds):
        conn = _Client(self._address, authkey=self._authkey)
        try:
            typeid, ident, exposed = _dispatch(conn, ('create', typeid, args, kwds))
        finally:
            conn.close()
        return Token(typeid, self._address, ident), exposed

    def join(self, timeout=None):
        if self._process is not None:
            self._process.join(timeout)
            if not self._process.is_alive():
                self._process = None

    def _number_of_objects(self):
        conn = _Client(self._address, authkey=self._authkey)
        try:
            return _dispatch(conn, ('number',))
        finally:
            conn.close()

    def __enter__(self):
        if self._state.value == State.INITIAL:
            self.start()
        if self._state.value != State.STARTED:
            if self._state.value == State.INITIAL:
                raise ProcessError("Unable to start server")
            self._check_state_initial()   # neither initial nor started: raises CPython's error for the state
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.shutdown()

    @staticmethod
    def _finalize_manager(process, address, authkey, state, _Client, shutdown_timeout):
        # the manager's shutdown(), which start() makes: asks the server to end, and ends it if it does not
        if process.is_alive():
            try:
                conn = _Client(address, authkey=authkey)
                try:
                    _dispatch(conn, ('shutdown',))
                finally:
                    conn.close()
            except Exception:
                pass
            process.join(timeout=shutdown_timeout)
            if process.is_alive():
                process.terminate()
                process.join(timeout=shutdown_timeout)
                if process.is_alive():
                    process.kill()
                    process.join()
        state.value = State.SHUTDOWN

    @property
    def address(self):
        return self._address

    @classmethod
    def register(cls, typeid, callable=None, proxytype=None, exposed=None, method_to_typeid=None,
                 create_method=True):
        if '_registry' not in cls.__dict__:
            cls._registry = cls._registry.copy()
        if proxytype is None or proxytype is AutoProxy:
            proxytype = _auto_proxy_type(typeid)
        exposed = exposed or getattr(proxytype, '_exposed_', None)
        method_to_typeid = method_to_typeid or getattr(proxytype, '_method_to_typeid_', None)
        if method_to_typeid:
            for key, value in list(method_to_typeid.items()):
                assert type(key) is str, '%r is not a string' % key
                assert type(value) is str, '%r is not a string' % value
        cls._registry[typeid] = (callable, exposed, method_to_typeid, proxytype)
        if create_method:
            def temp(self, *args, **kwds):
                token, exp = self._create(typeid, *args, **kwds)
                return proxytype(token, self._serializer, manager=self, authkey=self._authkey, exposed=exp)
            temp.__name__ = typeid
            setattr(cls, typeid, temp)

# SyncManager is native (ManagerBinding.swift: its objects live in shared memory, no server process); its states
# are BaseManager's: start() makes the objects' arena (once), shutdown() ends it, and start(), get_server() and
# `with` raise CPython's errors for a manager already started or shut down.
def _sync_init(self, address=None, authkey=None, serializer='pickle', ctx=None, *, shutdown_timeout=1.0):
    self._state = State()
    self._state.value = State.INITIAL

def _sync_start(self, initializer=None, initargs=()):
    self._check_state_initial()
    if initializer is not None and not callable(initializer):
        raise TypeError('initializer must be a callable')
    self._mpsh_open()
    self._state.value = State.STARTED

def _sync_connect(self):
    # no server to connect to: the objects are this process's (and its forked children's), as after start()
    self._mpsh_open()
    self._state.value = State.STARTED

def _sync_get_server(self):
    self._check_state_initial()
    raise NotImplementedError("mpsh's SyncManager has no server: its objects live in shared memory "
                              "(use start(), or a BaseManager subclass for a server)")

def _sync_shutdown(self):
    if not self._mpsh_close():
        # never started: CPython's shutdown is the finalizer start() sets
        raise AttributeError("'%s' object has no attribute 'shutdown'" % type(self).__name__)
    self._state.value = State.SHUTDOWN

SyncManager.__init__ = _sync_init
SyncManager.start = _sync_start
SyncManager.connect = _sync_connect
SyncManager.get_server = _sync_get_server
SyncManager.shutdown = _sync_shutdown
SyncManager._check_state_initial = BaseManager._check_state_initial
SyncManager.__enter__ = BaseManager.__enter__
SyncManager.__exit__ = BaseManager.__exit__
del _sync_init, _sync_start, _sync_connect, _sync_get_server, _sync_shutdown
"""#
}
