import CShim

/// A mutual-exclusion lock that lives in shared memory and survives the death of its holder.
///
/// When a process dies holding it (SIGKILL, a crash, `_exit`), the next locker acquires it at once and is told
/// `.previousOwnerDied`, so it can repair what the lock protects; the lock is never left held by a dead process
/// and never hangs. Process-shared, error-checking: relocking from the same thread and unlocking from another
/// process are errors, not undefined behaviour.
///
/// The building block for `Lock`, `RLock`, `Condition` and the ring buffer's multi-producer mode.
/// The corresponding C functions are `cshim_mutex_*` (a robust, process-shared `pthread_mutex_t`).
public final class RobustMutex: @unchecked Sendable {
    /// How a lock was acquired.
    public enum Acquisition: Sendable, Equatable {
        /// The ordinary case.
        case acquired
        /// The previous holder died holding the lock (EOWNERDEAD). The lock is consistent again and held by the
        /// caller; the data it protects may be half-updated.
        case previousOwnerDied
    }

    private let memory: SharedMemory
    private let mutex: OpaquePointer

    /// Bytes and alignment a mutex needs inside a caller's shared memory.
    public static var size: Int { cshim_mutex_size() }
    public static var alignment: Int { cshim_mutex_align() }

    /// A mutex in an anonymous shared page of its own: shared with children forked afterwards.
    public convenience init() throws(SystemError) {
        try self.init(placedIn: SharedMemory(anonymousSize: 4096, debugName: "mpsh-mutex"), offset: 0, initialize: true)
    }

    /// A mutex at `offset` in `memory` (kept alive by this object). `initialize: true` formats it — once, by
    /// one process, before anyone else uses it; `false` uses one formatted already.
    public init(placedIn memory: SharedMemory, offset: Int, initialize: Bool) throws(SystemError) {
        precondition(offset >= 0 && offset + RobustMutex.size <= memory.size, "RobustMutex outside its shared memory")
        precondition(offset % RobustMutex.alignment == 0, "RobustMutex offset must be aligned to \(RobustMutex.alignment)")
        self.memory = memory
        let place = memory.buffer.baseAddress! + offset
        if initialize {
            let code = cshim_mutex_init_at(place)
            if code != 0 { throw SystemError(operation: "pthread_mutex_init(robust, process-shared)", errno: code) }
        }
        self.mutex = OpaquePointer(place)
    }

    /// Locks, waiting at most `timeout` (`nil`: forever; `.zero`: only try). Returns how the lock was
    /// acquired, or `nil` when it was not acquired in time.
    public func lock(timeout: Duration? = nil) throws(SystemError) -> Acquisition? {
        switch try pthreadCall("pthread_mutex_lock", { cshim_mutex_lock(mutex, cshimTimeout(timeout)) }) {
        case .success: return .acquired
        case .ownerDied: return .previousOwnerDied
        case .notAcquired: return nil
        }
    }

    /// Tries once; `nil` when another process holds the lock.
    public func tryLock() throws(SystemError) -> Acquisition? { try lock(timeout: .zero) }

    /// Unlocks. Throws when the caller does not hold the lock.
    public func unlock() throws(SystemError) {
        _ = try pthreadCall("pthread_mutex_unlock", { cshim_mutex_unlock(mutex) })
    }

    /// Runs `body` with the lock held, and releases it however `body` ends.
    public func withLock<Result, Failure: Error>(
        _ body: (Acquisition) throws(Failure) -> Result
    ) throws -> Result {
        let how = try lock()!
        defer { try? unlock() }
        return try body(how)
    }
}

extension RobustMutex: Codable {
    /// Encodes the mutex for a child's argument (only valid there; see Reduction.swift).
    public func encode(to encoder: Encoder) throws {
        try PlacedHandle(memory: memory, offset: memory.offset(of: UnsafeRawPointer(mutex))).encode(to: encoder)
    }

    /// The same mutex, in the child that received it.
    public convenience init(from decoder: Decoder) throws {
        let handle = try PlacedHandle(from: decoder)
        try self.init(placedIn: handle.memory, offset: handle.offset, initialize: false)
    }
}
