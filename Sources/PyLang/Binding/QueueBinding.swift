// multiprocessing.Queue, JoinableQueue, SimpleQueue, Pipe/Connection and connection.wait.
// Items are encoded with the interpreter's value codec and travel as bytes through the library.
// Mirrors CPython's `Lib/multiprocessing/queues.py` and `connection.py`.
import Multiprocessing
#if canImport(Glibc)
import Glibc
#endif

/// A Queue, JoinableQueue or SimpleQueue of encoded values.
///
/// Known limit: CPython's `put` on an unbounded queue never blocks (a feeder thread holds what the pipe cannot
/// take). The library's queue has no feeder thread: items live in a shared ring, and `put` waits while the ring is
/// full — with the default 1 MiB ring, after about 43,000 small items that nobody reads, and that wait is not
/// interruptible. A larger ring is no cure: its pages are populated at creation (a 32 MiB ring costs 32 MiB and
/// ~90 ms per queue). The library's `Queue.put` needs to honour its timeout while waiting for ring space.
final class QueueBox {
    static let ringCapacity = 1 << 20

    let queue: Multiprocessing.Queue<[UInt8]>
    let joinable: JoinableQueue<[UInt8]>?
    var closed = false
    /// The encoding of the item being put: one buffer, reused, so a put allocates nothing of its own. Unchecked:
    /// only `put` touches it, and a dynamic exclusivity check per message costs a thread-local look-up.
    @exclusivity(unchecked) var scratch: [UInt8] = []
    init(maxsize: Int, joinable: Bool) throws {
        if joinable {
            let j = try JoinableQueue<[UInt8]>(maxsize: maxsize, capacity: QueueBox.ringCapacity)
            self.joinable = j
            queue = j
        } else {
            queue = try Multiprocessing.Queue<[UInt8]>(maxsize: maxsize, capacity: QueueBox.ringCapacity)
            self.joinable = nil
        }
    }
    /// A queue received by a spawned child.
    init(queue: Multiprocessing.Queue<[UInt8]>) {
        self.queue = queue
        joinable = queue as? JoinableQueue<[UInt8]>
    }
}

final class ConnectionBox {
    let conn: Connection
    /// The encoding of the value being sent (reused, and unchecked, as `QueueBox.scratch`).
    @exclusivity(unchecked) var scratch: [UInt8] = []
    init(_ c: Connection) { conn = c }
}

extension MPBinding {
    func queueBox(_ v: Value) throws -> QueueBox { try payload(v, QueueBox.self, "Queue") }

    func checkOpen(_ v: Value, _ q: QueueBox) throws {
        if q.closed { throw err("ValueError", "Queue \(try interp.repr(v)) is closed") }
    }

    /// `a` is the method call's arguments, the queue first.
    func put(_ a: [Value], _ kw: [(String, Value)], nowait: Bool) throws -> Value {
        let v = a[0]
        let q = try queueBox(v)
        var item: Value?, blockArg: Value?, timeoutArg: Value?
        if kw.isEmpty && a.count == 2 {
            item = a[1]   // put(obj): the usual call, without binding a signature (or copying the arguments)
        } else {
            let b = try bind(Array(a.dropFirst()), kw, nowait ? ["obj"] : ["obj", "block", "timeout"], nowait ? "put_nowait" : "put")
            item = b[0]
            if !nowait { blockArg = b[1]; timeoutArg = b[2] }
        }
        guard let item else { throw interp.typeError("put() missing required argument 'obj'") }
        try checkOpen(v, q)
        try encode(item, into: &q.scratch)
        let block = nowait ? false : try truthy(blockArg, default: true)
        if !block { try lib { try q.queue.put(q.scratch, block: false) }; return .none }
        let t = try timeout(timeoutArg)
        // Room now (always, for an unbounded queue): put without the sliced wait and its clock arithmetic.
        do throws(QueueError) { try q.queue.put(q.scratch, block: false); return .none } catch .full {} catch { throw pyError(error) }
        let done = try waitSliced(t) { slice in
            do throws(QueueError) { try q.queue.put(q.scratch, block: true, timeout: slice); return true } catch .full { return false } catch { throw pyError(error) }
        }
        if !done { throw raise(fullClass) }
        return .none
    }

    /// `a` is the method call's arguments, the queue first.
    func get(_ a: [Value], _ kw: [(String, Value)], nowait: Bool) throws -> Value {
        let q = try queueBox(a[0])
        var blockArg: Value?, timeoutArg: Value?
        if !nowait && !(a.count == 1 && kw.isEmpty) {
            let b = try bind(Array(a.dropFirst()), kw, ["block", "timeout"], "get")
            blockArg = b[0]; timeoutArg = b[1]
        }
        try checkOpen(a[0], q)
        let block = nowait ? false : try truthy(blockArg, default: true)
        if !block { return try decode(try lib { try q.queue.get(block: false) }) }
        let t = try timeout(timeoutArg)
        // An item already there: take it without the sliced wait and its clock arithmetic.
        var ready: [UInt8]?
        do throws(QueueError) { ready = try q.queue.get(block: false) } catch .empty {} catch { throw pyError(error) }
        if let ready { return try decode(ready) }
        var got: [UInt8]?
        _ = try waitSliced(t) { slice in
            do throws(QueueError) { got = try q.queue.get(block: true, timeout: slice); return true } catch .empty { return false } catch { throw pyError(error) }
        }
        guard let got else { throw raise(emptyClass) }
        return try decode(got)
    }

    func makeQueueClasses() {
        let newQueue: (Bool) -> NativeFn = { joinable in
            { [unowned self] i, a, kw in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                let b = try self.bind(Array(a.dropFirst()), kw, ["maxsize", "ctx"], joinable ? "JoinableQueue" : "Queue")
                let maxsize = try b[0].map { try i.intArg($0) } ?? 0
                inst.payload = try self.lib { try QueueBox(maxsize: maxsize, joinable: joinable) }
                return .none
            }
        }
        var common: [(String, Value)] = [
            method("put") { [unowned self] _, a, kw in try self.put(a, kw, nowait: false) },
            method("put_nowait") { [unowned self] _, a, kw in try self.put(a, kw, nowait: true) },
            method("get") { [unowned self] _, a, kw in try self.get(a, kw, nowait: false) },
            method("get_nowait") { [unowned self] _, a, kw in try self.get(a, kw, nowait: true) },
            method("qsize") { [unowned self] _, a, _ in .int(try self.queueBox(a[0]).queue.qsize) },
            method("empty") { [unowned self] _, a, _ in .bool(try self.queueBox(a[0]).queue.isEmpty) },
            method("full") { [unowned self] _, a, _ in .bool(try self.queueBox(a[0]).queue.isFull) },
            method("close") { [unowned self] _, a, _ in try self.queueBox(a[0]).closed = true; return .none },
            method("join_thread") { [unowned self] _, a, _ in
                let q = try self.queueBox(a[0])
                if !q.closed { throw self.err("AssertionError", "Queue \(try self.interp.repr(a[0])) not closed") }
                return .none
            },
            method("cancel_join_thread") { _, _, _ in .none },
        ]
        common.append(method("__init__", newQueue(false)))
        queueClass = makeClass("Queue", module: "multiprocessing.queues", common)
        joinableQueueClass = makeClass("JoinableQueue", module: "multiprocessing.queues", base: queueClass, [
            method("__init__", newQueue(true)),
            method("task_done") { [unowned self] _, a, _ in
                let q = try self.queueBox(a[0])
                guard let j = q.joinable else { return .none }
                try self.lib { try j.taskDone() }
                return .none
            },
            method("join") { [unowned self] _, a, _ in
                let q = try self.queueBox(a[0])
                guard let j = q.joinable else { return .none }
                _ = try self.waitSliced(nil) { slice in j.join(timeout: slice) }
                return .none
            },
        ])
        simpleQueueClass = makeClass("SimpleQueue", module: "multiprocessing.queues", [
            method("__init__") { [unowned self] _, a, kw in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                _ = try self.bind(Array(a.dropFirst()), kw, ["ctx"], "SimpleQueue")
                inst.payload = try self.lib { try QueueBox(maxsize: 0, joinable: false) }
                return .none
            },
            method("put") { [unowned self] _, a, kw in try self.put(a, kw, nowait: false) },
            method("get") { [unowned self] _, a, _ in try self.get(a.count == 1 ? a : [a[0]], [], nowait: false) },
            method("empty") { [unowned self] _, a, _ in .bool(try self.queueBox(a[0]).queue.isEmpty) },
            method("close") { [unowned self] _, a, _ in try self.queueBox(a[0]).closed = true; return .none },
        ])
    }

    // MARK: Pipe and Connection

    func connBox(_ v: Value) throws -> ConnectionBox { try payload(v, ConnectionBox.self, "Connection") }

    func pipe(_ a: [Value], _ kw: [(String, Value)]) throws -> Value {
        let b = try bind(a, kw, ["duplex"], "Pipe")
        let duplex = try truthy(b[0], default: true)
        let (x, y) = try lib { try Multiprocessing.Pipe(duplex: duplex) }
        return .tuple(PyTuple([instance(connectionClass, ConnectionBox(x)), instance(connectionClass, ConnectionBox(y))]))
    }

    /// Waits (in slices, for Ctrl-C) until a message or end-of-file can be read; false on timeout.
    func pollConnection(_ c: Connection, _ t: Duration?) throws -> Bool {
        try waitSliced(t) { slice in try self.lib { try c.poll(timeout: slice) } }
    }

    func recvBytes(_ c: Connection) throws -> [UInt8] {
        _ = try pollConnection(c, nil)
        return try lib { try c.recvBytes() }
    }

    func bytesLike(_ v: Value) throws -> [UInt8] {
        switch v {
        case .obj(let b as PyBytes): return b.b
        case .obj(let b as PyByteArray): return b.b
        case .obj(let i as PyInstance) where i.payload is MemoryViewBox: return (i.payload as! MemoryViewBox).bytes()
        default: throw interp.typeError("a bytes-like object is required, not '\(interp.typeName(v))'")
        }
    }

    func makeConnectionClass() {
        connectionClass = makeClass("Connection", module: "multiprocessing.connection", [
            method("send") { [unowned self] i, a, _ in
                try i.need(a, 2, "send")
                let box = try self.connBox(a[0])
                try self.encode(a[1], into: &box.scratch)
                try self.lib { try box.conn.sendBytes(box.scratch) }
                return .none
            },
            method("recv") { [unowned self] _, a, _ in
                let c = try self.connBox(a[0]).conn
                return try self.decode(try self.recvBytes(c))
            },
            method("send_bytes") { [unowned self] i, a, kw in
                let c = try self.connBox(a[0]).conn
                let b = try self.bind(Array(a.dropFirst()), kw, ["buf", "offset", "size"], "send_bytes")
                guard let buf = b[0] else { throw i.typeError("send_bytes() missing required argument 'buf'") }
                let bytes = try self.bytesLike(buf)
                let offset = try b[1].map { try i.intArg($0) } ?? 0
                if offset < 0 { throw self.err("ValueError", "offset is negative") }
                if offset > bytes.count { throw self.err("ValueError", "buffer length < offset") }
                var size = bytes.count - offset
                if let s = b[2], !s.isNone {
                    size = try i.intArg(s)
                    if size < 0 { throw self.err("ValueError", "size is negative") }
                    if offset + size > bytes.count { throw self.err("ValueError", "buffer length < offset + size") }
                }
                try self.lib { try c.sendBytes(bytes, offset: offset, size: size) }
                return .none
            },
            method("recv_bytes") { [unowned self] i, a, kw in
                let c = try self.connBox(a[0]).conn
                let b = try self.bind(Array(a.dropFirst()), kw, ["maxlength"], "recv_bytes")
                var maxlength: Int?
                if let m = b[0], !m.isNone {
                    maxlength = try i.intArg(m)
                    if maxlength! < 0 { throw self.err("ValueError", "negative maxlength") }
                }
                _ = try self.pollConnection(c, nil)
                return .obj(PyBytes(try self.lib { try c.recvBytes(maxLength: maxlength) }))
            },
            method("poll") { [unowned self] _, a, kw in
                let c = try self.connBox(a[0]).conn
                let b = try self.bind(Array(a.dropFirst()), kw, ["timeout"], "poll")
                let t: Duration? = b[0] == nil ? .zero : try self.timeout(b[0])
                return .bool(try self.pollConnection(c, t))
            },
            method("close") { [unowned self] _, a, _ in try self.connBox(a[0]).conn.close(); return .none },
            method("fileno") { [unowned self] _, a, _ in
                let c = try self.connBox(a[0]).conn
                return .int(Int(try self.lib { try c.fileno() }))
            },
            property("closed", get: { [unowned self] _, a, _ in .bool(try self.connBox(a[0]).conn.closed) }),
            property("readable", get: { [unowned self] _, a, _ in .bool(try self.connBox(a[0]).conn.readable) }),
            property("writable", get: { [unowned self] _, a, _ in .bool(try self.connBox(a[0]).conn.writable) }),
            method("__enter__") { _, a, _ in a[0] },
            method("__exit__") { [unowned self] _, a, _ in try self.connBox(a[0]).conn.close(); return .bool(false) },
        ])
    }

    /// `multiprocessing.connection.wait(object_list, timeout=None)`: Connections, Process sentinels (ints) or
    /// objects with a `fileno()`; returns the ready ones, in the order given.
    func connectionWait(_ a: [Value], _ kw: [(String, Value)]) throws -> Value {
        let b = try bind(a, kw, ["object_list", "timeout"], "wait")
        guard let list = b[0] else { throw interp.typeError("wait() missing required argument 'object_list'") }
        let objects = try interp.toArray(list)
        var conns: [Connection] = [], connIndex: [Int] = []
        var fds: [Int32] = [], fdIndex: [Int] = []
        for (k, o) in objects.enumerated() {
            if case .obj(let i as PyInstance) = o, let c = i.payload as? ConnectionBox {
                conns.append(c.conn); connIndex.append(k)
            } else if case .int(let fd) = o {
                fds.append(Int32(truncatingIfNeeded: fd)); fdIndex.append(k)
            } else {
                let fd = try interp.intArg(try interp.callMethod(o, "fileno", [], []))
                fds.append(Int32(truncatingIfNeeded: fd)); fdIndex.append(k)
            }
        }
        let t = try timeout(b[1])
        var ready = Set<Int>()
        _ = try waitSliced(t) { slice in
            let r = try self.lib { try Connection.wait(conns, sentinels: fds, timeout: slice) }
            for c in r.connections { if let k = conns.firstIndex(where: { $0 === c }) { ready.insert(connIndex[k]) } }
            for fd in r.sentinels { if let k = fds.firstIndex(of: fd) { ready.insert(fdIndex[k]) } }
            return !ready.isEmpty
        }
        return .list(PyList(ready.sorted().map { objects[$0] }))
    }
}
