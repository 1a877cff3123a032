import CShim

/// What `Lock` and `RLock` share: a robust, process-shared lock word placed in shared memory, and the questions
/// about its holder. (The two differ only in how they acquire and release it.)
@usableFromInline
struct LockWord {
    /// Keeps the mapping alive as long as the lock.
    let memory: SharedMemory
    @usableFromInline let pointer: OpaquePointer

    static var size: Int { cshim_lock_size() }
    static var alignment: Int { cshim_lock_align() }

    /// The word at `offset` in `memory`; `initialize: true` formats it, once, before anyone uses it.
    init(placedIn memory: SharedMemory, offset: Int, initialize: Bool, kind: String) throws(SystemError) {
        let place = Multiprocessing.place(in: memory, offset: offset, size: LockWord.size, alignment: LockWord.alignment, kind)
        if initialize {
            let code = cshim_lock_init_at(place)
            if code != 0 { throw SystemError(operation: "pthread_mutex_init(robust, process-shared)", errno: code) }
        }
        self.memory = memory
        self.pointer = OpaquePointer(place)
    }

    /// A word in an anonymous shared page of its own, shared with children forked afterwards.
    init(kind: String) throws(SystemError) {
        try self.init(placedIn: SharedMemory(anonymousSize: 4096, debugName: "mpsh-" + kind.lowercased()), offset: 0,
                      initialize: true, kind: kind)
    }

    /// Whether the calling thread holds it.
    var isHeldByCaller: Bool { cshim_lock_is_mine(pointer) != 0 }
    /// Whether the caller's current holding began by recovering it from a holder that died.
    var recoveredFromDeadOwner: Bool { cshim_lock_recovered(pointer) != 0 }
}

/// A lock shared between processes that the holder acquires and releases: `Lock` and `RLock`. Gives both the
/// scoped form.
public protocol ProcessLock: AnyObject {
    @discardableResult
    func acquire(block: Bool, timeout: Duration?) throws(SynchronizeError) -> Bool
    func release() throws(SynchronizeError)
}

extension ProcessLock {
    /// Runs `body` holding the lock, and releases it however `body` ends. Mirrors `with lock:`.
    ///
    /// A failed release is thrown, as CPython raises from leaving `with lock:` (unless `body` threw first: its
    /// error wins).
    public func withLock<Result>(_ body: () throws -> Result) throws -> Result {
        try acquire(block: true, timeout: nil)
        let result: Result
        do { result = try body() } catch {
            try? release()
            throw error
        }
        try release()
        return result
    }
}
