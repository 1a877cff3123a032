import CShim

import Glibc

/// A recursive lock shared between processes: its owner (one thread of one process) may acquire it again, and
/// must release it as many times. It survives the death of its owner: the next acquirer gets it with a fresh
/// count and `lastAcquisitionRecoveredFromDeadOwner` set.
///
/// Only the owner may release it (`SynchronizeError.notOwner` otherwise), as in CPython. The owner is a thread
/// identified by the kernel: a forked child does not inherit ownership of a lock its parent holds.
///
/// Mirrors `multiprocessing.RLock`.
public final class RLock: ProcessLock, @unchecked Sendable {
    let word: LockWord
    var lock: OpaquePointer { word.pointer }

    public static var size: Int { LockWord.size }
    public static var alignment: Int { LockWord.alignment }

    /// A recursive lock in an anonymous shared page of its own, shared with children forked afterwards.
    public init() throws(SystemError) { word = try LockWord(kind: "RLock") }

    /// A recursive lock at `offset` in `memory`; `initialize: true` formats it, once, before anyone uses it.
    public init(placedIn memory: SharedMemory, offset: Int, initialize: Bool) throws(SystemError) {
        word = try LockWord(placedIn: memory, offset: offset, initialize: initialize, kind: "RLock")
    }

    /// Acquires the lock, or increments the count when the caller owns it already. With `block` waits at most
    /// `timeout` (`nil`: for ever); without, only tries. Returns whether it was acquired.
    ///
    /// Mirrors `multiprocessing.RLock.acquire(block=True, timeout=None)`.
    @discardableResult
    public func acquire(block: Bool = true, timeout: Duration? = nil) throws(SynchronizeError) -> Bool {
        try acquireOutcome(cshim_rlock_acquire(lock, acquireTimeout(block: block, timeout: timeout)), "RLock.acquire")
    }

    /// Tries once, without waiting. Mirrors `RLock.acquire(False)`.
    public func tryAcquire() throws(SynchronizeError) -> Bool {
        try acquireOutcome(cshim_rlock_acquire(lock, 0), "RLock.acquire")
    }

    /// Decrements the count, releasing the lock at zero. Throws `.notOwner` unless the caller owns it.
    /// Mirrors `RLock.release()`.
    public func release() throws(SynchronizeError) {
        let code = cshim_rlock_release(lock)
        if code == EPERM { throw .notOwner }
        if code != 0 { throw .system(SystemError(operation: "RLock.release", errno: code)) }
    }


    /// Whether the calling thread owns the lock.
    public var isHeldByCaller: Bool { word.isHeldByCaller }

    /// How many times the caller holds it (0 when it does not own it). CPython shows it in the lock's repr.
    public var recursionCount: Int { Int(cshim_rlock_count(lock)) }

    /// True when the caller's current holding began by recovering the lock from an owner that died.
    public var lastAcquisitionRecoveredFromDeadOwner: Bool { word.recoveredFromDeadOwner }

    /// Releases however deep the caller holds it and returns that depth (for `Condition.wait`).
    func releaseAll() throws(SynchronizeError) -> UInt32 {
        var depth: UInt32 = 0
        let code = cshim_rlock_release_all(lock, &depth)
        if code == EPERM { throw .notAcquired }
        if code != 0 { throw .system(SystemError(operation: "RLock.release", errno: code)) }
        return depth
    }

    /// Re-acquires (for ever) at a depth saved by `releaseAll`.
    func restore(depth: UInt32) throws(SynchronizeError) {
        let code = cshim_rlock_restore(lock, depth)
        if code != 0 && code != EOWNERDEAD { throw .system(SystemError(operation: "RLock.acquire", errno: code)) }
    }
}

extension RLock: CustomStringConvertible {
    /// CPython's repr: `<RLock(MainProcess, 2)>` (the holder's name and depth) when the caller holds it,
    /// `<RLock(None, 0)>` when free, `<RLock(SomeOtherProcess, nonzero)>` when another process does.
    public var description: String {
        if isHeldByCaller { return "<RLock(\(Process.current.name), \(recursionCount))>" }
        return cshim_lock_is_held(lock) != 0 ? "<RLock(SomeOtherProcess, nonzero)>" : "<RLock(None, 0)>"
    }
}
