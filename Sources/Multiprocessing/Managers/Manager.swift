import CShim

import Glibc

/// Shared objects — dictionaries, lists, namespaces, queues, locks, events — that every process forked after
/// they were made can use.
///
/// ```swift
/// try Manager.withManager { manager in
///     let counts: SharedDictionary<String, Int> = try manager.dict()
///     let lock = try manager.lock()
///     let workers = (0..<4).map { _ in Process {
///         for _ in 0..<100 { try lock.withLock { try counts.setValue(counts.get("n", default: 0) + 1, forKey: "n") } }
///     } }
///     for w in workers { try w.start() }
///     for w in workers { try w.join() }
///     print(try counts.value(forKey: "n"))       // 400
/// }
/// ```
///
/// **How it works, and how it differs from CPython.** CPython's manager is a server process: every proxy
/// operation is a pickle, a socket round trip and an unpickle (about 100 µs a dictionary write). Ours has no
/// server: the objects live in one shared-memory arena (a memfd mapped by the manager and inherited by forked
/// children) under one robust process-shared mutex, and an operation is an encode, a lock, a copy and an unlock
/// (well under a microsecond for small values). A process killed while it holds the mutex (SIGKILL, a crash)
/// does not wedge the others: the next one takes the lock over, and because every change is built aside and
/// published with one store, the structures are consistent (the killed operation happened entirely or not at
/// all). See `CShim/include/cshim_shmheap.h`.
///
/// - **Capacity.** The arena is reserved at creation (`capacity`, 1 GiB by default) and costs memory only for
///   pages actually written; freed entries are reused. When it is full, an operation throws
///   `ManagerError.full` (naming the capacity) and changes nothing: create the manager with a larger one.
/// - **Sharing.** Objects are shared with processes forked after the manager was created (the arena mapping is
///   inherited), like every shared object of this library; they are not sent through queues or pipes.
/// - **Lifetime.** An object lives as long as its manager (CPython frees one when its last proxy goes); clear
///   it to give its memory back. `shutdown()` ends them all and returns the memory to the system at once.
/// - **Copies.** Values are stored encoded: reading one gives a copy, and changing the copy writes nothing
///   back, exactly CPython's rule for values inside a managed dict or list.
/// - **Process names.** Creating a manager uses up one process number, as CPython's manager process does, so
///   the processes created afterwards get CPython's names (`Process-2` for the first).
/// - `queue()`, `lock()`, `event()` and the other synchronisation objects are the library's own process-shared
///   objects (no proxies needed).
///
/// Mirrors `multiprocessing.Manager()` (a started `SyncManager`).
public final class Manager: @unchecked Sendable {
    /// The default arena reservation: 1 GiB of address space, paid for in memory only as it is used.
    public static let defaultCapacity = 1 << 30

    let heap: SharedHeap
    private let creatorPID: pid_t

    /// Starts a manager whose objects may hold up to `capacity` bytes (rounded up to whole pages; from 64 KiB
    /// to 16 TiB of address space). Mirrors `multiprocessing.Manager()`.
    public init(capacity: Int = Manager.defaultCapacity) throws(ManagerError) {
        guard capacity >= 65536 && capacity <= 1 << 44 else { throw .invalidCapacity(capacity) }
        let page = max(4096, Int(sysconf(Int32(_SC_PAGESIZE))))
        heap = try SharedHeap(reserve: (capacity + page - 1) / page * page)
        creatorPID = getpid()
        // CPython's manager is a process (SyncManager-N) and takes a process number: so that the processes
        // created afterwards have CPython's names (Process-2 after a manager, not Process-1), ours takes one too.
        _ = ProcessTable.shared.newChildIdentity()
    }

    /// Runs `body` with a new manager and shuts it down afterwards, however `body` ends.
    /// Mirrors `with multiprocessing.Manager() as manager:`.
    public static func withManager<Result>(capacity: Int = Manager.defaultCapacity,
                                           _ body: (Manager) throws -> Result) throws -> Result {
        let manager = try Manager(capacity: capacity)
        defer { manager.shutdown() }
        return try body(manager)
    }

    /// Ends every object of this manager, in every process: their operations throw `ManagerError.shutDown`
    /// from now on, and the arena's memory goes back to the system. Idempotent. As in CPython, only the process
    /// that created the manager shuts it down; elsewhere (a forked child holding a copy) this does nothing.
    /// Mirrors `Manager.shutdown()`.
    public func shutdown() {
        guard getpid() == creatorPID else { return }
        _ = cshim_shmheap_shutdown(heap.heap)
    }

    /// Whether the manager was shut down.
    public var isShutDown: Bool { heap.isShutDown }

    /// The arena's size in bytes (the most its objects can hold, block overheads included).
    public var capacity: Int { heap.reserve }

    /// Bytes of the arena handed out so far (freed blocks are reused, not subtracted).
    public var bytesInUse: Int { cshim_shmheap_used(heap.heap) }

    /// How many times a process found the previous lock holder dead and took over.
    public var recoveries: Int { Int(cshim_shmheap_recoveries(heap.heap)) }

    /// Checks every invariant of every object in the arena, under the lock (offsets, hashes, counts): true when
    /// all hold. A diagnostic, for tests and for the curious after a worker was killed; O(size of the arena).
    public func verifyConsistency() throws(ManagerError) -> Bool {
        try heap.locked { h throws(ManagerError) in cshim_shmheap_check(h) == 0 }
    }

    // MARK: Shared containers

    /// A new empty shared dictionary. Mirrors `manager.dict()`.
    public func dict<Key: Codable & Hashable, Value: Codable>(
        _ keyType: Key.Type = Key.self, _ valueType: Value.Type = Value.self
    ) throws(ManagerError) -> SharedDictionary<Key, Value> {
        SharedDictionary(heap: heap, object: try heap.newObject(kind: Int32(CSHIM_SHMHEAP_DICT)))
    }

    /// A new shared dictionary holding `initial`'s entries. Mirrors `manager.dict(initial)`.
    public func dict<Key: Codable & Hashable, Value: Codable>(_ initial: [Key: Value]) throws(ManagerError) -> SharedDictionary<Key, Value> {
        let d: SharedDictionary<Key, Value> = try dict()
        try d.update(initial)
        return d
    }

    /// A new empty shared list. Mirrors `manager.list()`.
    public func list<Element: Codable>(_ elementType: Element.Type = Element.self) throws(ManagerError) -> SharedList<Element> {
        SharedList(heap: heap, object: try heap.newObject(kind: Int32(CSHIM_SHMHEAP_LIST)))
    }

    /// A new shared list holding `initial`'s elements. Mirrors `manager.list(initial)`.
    public func list<Element: Codable>(_ initial: [Element]) throws(ManagerError) -> SharedList<Element> {
        let l: SharedList<Element> = try list()
        try l.extend(initial)
        return l
    }

    /// A new empty namespace. Mirrors `manager.Namespace()`.
    public func namespace() throws(ManagerError) -> SharedNamespace {
        SharedNamespace(heap: heap, object: try heap.newObject(kind: Int32(CSHIM_SHMHEAP_DICT)))
    }

    // MARK: Queues and synchronisation (the library's own process-shared objects)

    /// Mirrors `manager.Queue(maxsize)`.
    public func queue<Element: Codable>(_ elementType: Element.Type = Element.self, maxsize: Int = 0) throws(QueueError) -> Queue<Element> {
        try Queue(maxsize: maxsize)
    }

    /// Mirrors `manager.JoinableQueue(maxsize)`.
    public func joinableQueue<Element: Codable>(_ elementType: Element.Type = Element.self, maxsize: Int = 0) throws(QueueError) -> JoinableQueue<Element> {
        try JoinableQueue(maxsize: maxsize)
    }

    /// Mirrors `manager.Lock()`.
    public func lock() throws(SystemError) -> Lock { try Lock() }
    /// Mirrors `manager.RLock()`.
    public func rlock() throws(SystemError) -> RLock { try RLock() }
    /// Mirrors `manager.Semaphore(value)`.
    public func semaphore(_ value: Int = 1) throws(SystemError) -> Semaphore { try Semaphore(value: value) }
    /// Mirrors `manager.BoundedSemaphore(value)`.
    public func boundedSemaphore(_ value: Int = 1) throws(SystemError) -> BoundedSemaphore { try BoundedSemaphore(value: value) }
    /// Mirrors `manager.Condition()`.
    public func condition() throws(SystemError) -> Condition { try Condition() }
    /// Mirrors `manager.Event()`.
    public func event() throws(SystemError) -> Event { try Event() }
    /// Mirrors `manager.Barrier(parties, action, timeout)`.
    public func barrier(parties: Int, action: (() throws -> Void)? = nil, timeout: Duration? = nil) throws(SystemError) -> Barrier {
        try Barrier(parties: parties, action: action, timeout: timeout)
    }
    /// Mirrors `manager.Value(typecode, value)`.
    public func value<T: BitwiseCopyable>(_ initial: T) throws(SystemError) -> SharedValue<T> { try SharedValue(initial) }
    /// Mirrors `manager.Array(typecode, sequence)`.
    public func array<Element: BitwiseCopyable>(_ initial: [Element]) throws(SystemError) -> SharedArray<Element> {
        try SharedArray(initial)
    }
}

extension Manager: CustomStringConvertible {
    /// Like CPython's `<SyncManager ... state=started>`.
    public var description: String {
        "<Manager capacity=\(capacity) inUse=\(bytesInUse) state=\(isShutDown ? "shutdown" : "started")>"
    }
}
