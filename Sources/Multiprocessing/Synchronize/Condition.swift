import CShim

import Glibc

/// A condition variable shared between processes: holders of its lock wait until another process notifies.
///
/// CPython's rules: the caller must hold the lock to `wait`, `notify` or `notifyAll` (else
/// `SynchronizeError.notAcquired`); `wait` releases the lock however deeply an `RLock` is held, sleeps, and
/// re-acquires it at the same depth before returning. The wait queue lives in shared memory and is FIFO:
/// `notify(n)` wakes the `n` oldest waiters, and a waiter that arrives after a notify cannot steal it. A waiter
/// that times out leaves the queue, so a later notify is not wasted on it.
///
/// A process killed while waiting is skipped: `notify` goes to a live waiter, and the dead one's place is
/// reclaimed (by pid; a recycled pid could make one notify go to nobody). At most `maximumWaiters` waiters at once.
///
/// Mirrors `multiprocessing.Condition(lock=None)` (default lock: an `RLock`).
public final class Condition: @unchecked Sendable {
    enum Guard {
        case lock(Lock)
        case rlock(RLock)
    }

    let memory: SharedMemory
    let condition: OpaquePointer
    let guardLock: Guard

    /// The most waiters one condition holds at once.
    public static let maximumWaiters = Int(CSHIM_COND_SLOTS)
    public static var size: Int { cshim_cond_size() }
    public static var alignment: Int { cshim_cond_align() }

    /// A condition over a new `RLock`, as CPython's `Condition()`.
    public convenience init() throws(SystemError) {
        try self.init(lockKind: .rlock(RLock()))
    }

    /// A condition over `lock`. Mirrors `Condition(lock)`.
    public convenience init(lock: Lock) throws(SystemError) { try self.init(lockKind: .lock(lock)) }

    /// A condition over `lock`. Mirrors `Condition(lock)`.
    public convenience init(lock: RLock) throws(SystemError) { try self.init(lockKind: .rlock(lock)) }

    convenience init(lockKind: Guard) throws(SystemError) {
        try self.init(lockKind: lockKind, placedIn: SharedMemory(anonymousSize: 4096, debugName: "mpsh-condition"),
                      offset: 0, initialize: true)
    }

    /// A condition over `lock` whose wait queue is at `offset` in `memory`; `initialize: true` formats it once.
    public convenience init(lock: Lock, placedIn memory: SharedMemory, offset: Int, initialize: Bool) {
        self.init(lockKind: .lock(lock), placedIn: memory, offset: offset, initialize: initialize)
    }

    init(lockKind: Guard, placedIn memory: SharedMemory, offset: Int, initialize: Bool) {
        let pointer = place(in: memory, offset: offset, size: Condition.size, alignment: Condition.alignment, "Condition")
        if initialize { cshim_cond_init_at(pointer) }
        self.memory = memory
        self.condition = OpaquePointer(pointer)
        self.guardLock = lockKind
    }

    // MARK: The lock

    /// Acquires the underlying lock. Mirrors `Condition.acquire`.
    @discardableResult
    public func acquire(block: Bool = true, timeout: Duration? = nil) throws(SynchronizeError) -> Bool {
        switch guardLock {
        case .lock(let lock): return try lock.acquire(block: block, timeout: timeout)
        case .rlock(let lock): return try lock.acquire(block: block, timeout: timeout)
        }
    }

    /// Releases the underlying lock. Mirrors `Condition.release`.
    public func release() throws(SynchronizeError) {
        switch guardLock {
        case .lock(let lock): try lock.release()
        case .rlock(let lock): try lock.release()
        }
    }

    /// Runs `body` holding the lock. Mirrors `with condition:`.
    public func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws -> Result {
        try acquire()
        defer { try? release() }
        return try body()
    }

    var isOwned: Bool {
        switch guardLock {
        case .lock(let lock): return lock.isHeldByCaller
        case .rlock(let lock): return lock.isHeldByCaller
        }
    }

    // MARK: Waiting and notifying

    /// Releases the lock, sleeps until notified or until `timeout` (`nil`: for ever) passes, re-acquires the
    /// lock, and returns false when it timed out. Throws `.notAcquired` when the caller does not hold the lock.
    ///
    /// Mirrors `Condition.wait(timeout=None)`.
    @discardableResult
    public func wait(timeout: Duration? = nil) throws(SynchronizeError) -> Bool {
        guard isOwned else { throw .notAcquired }
        var slot: UInt32 = 0
        if cshim_cond_enqueue(condition, &slot) != 0 { throw .tooManyWaiters }
        let depth: UInt32
        switch guardLock {
        case .lock(let lock): try lock.release(); depth = 1
        case .rlock(let lock): depth = try lock.releaseAll()
        }
        let deadline = timeout.map { cshim_deadline_after($0.cshimNanoseconds) } ?? -1
        _ = cshim_cond_wait(condition, slot, deadline)
        switch guardLock {
        case .lock(let lock):
            // Re-acquire for ever, as CPython does; a Lock cannot be held by us here, so EDEADLK cannot happen.
            let code = cshim_lock_acquire(lock.lock, -1)
            if code != 0 && code != EOWNERDEAD { throw .system(SystemError(operation: "Condition.wait", errno: code)) }
        case .rlock(let lock):
            try lock.restore(depth: depth)
        }
        // Notified or not is decided under the lock: a notify that raced with our timeout still counts.
        return cshim_cond_dequeue(condition, slot) != 0
    }

    /// Waits until `predicate` holds, or `timeout` passes; returns the predicate's last answer. The predicate
    /// is evaluated with the lock held. Mirrors `Condition.wait_for(predicate, timeout=None)`.
    @discardableResult
    public func wait(for predicate: () throws -> Bool, timeout: Duration? = nil) throws -> Bool {
        var result = try predicate()
        let deadline = timeout.map { cshim_now_ns() + $0.cshimNanoseconds }
        while !result {
            var remaining: Duration? = nil
            if let deadline {
                let left = deadline - cshim_now_ns()
                if left <= 0 { break }
                remaining = .nanoseconds(left)
            }
            try wait(timeout: remaining)
            result = try predicate()
        }
        return result
    }

    /// Wakes at most `n` waiters (the oldest first). Throws `.notAcquired` unless the caller holds the lock.
    /// Mirrors `Condition.notify(n=1)`.
    public func notify(_ n: Int = 1) throws(SynchronizeError) {
        guard isOwned else { throw .notAcquired }
        guard n > 0 else { return }
        _ = cshim_cond_notify(condition, UInt32(clamping: min(n, Int(UInt32.max))))
    }

    /// Wakes every waiter. Mirrors `Condition.notify_all()`.
    public func notifyAll() throws(SynchronizeError) {
        guard isOwned else { throw .notAcquired }
        _ = cshim_cond_notify(condition, UInt32.max)
    }

    /// How many waiters are queued and not yet notified (a snapshot).
    public var waitingCount: Int { Int(cshim_cond_waiting(condition)) }
}
