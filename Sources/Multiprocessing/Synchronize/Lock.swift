import CShim

import Glibc

/// A misuse of a synchronisation primitive, or a failure beneath one. Each case names the CPython exception it
/// stands for, and its description says what happened and what to do.
public enum SynchronizeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Released, waited on or notified without being held by the caller.
    /// CPython: `ValueError: semlock is not acquired`, `RuntimeError: cannot wait on un-acquired lock`.
    case notAcquired
    /// An `RLock` released by a thread or process that does not own it.
    /// CPython: `AssertionError: attempt to release recursive lock not owned by thread`.
    case notOwner
    /// A blocking `acquire` of a `Lock` by its holder, which would wait for ever (CPython deadlocks).
    case alreadyHeld
    /// A `BoundedSemaphore` released above its initial value (or any semaphore above `Semaphore.maximumValue`).
    /// CPython: `ValueError: semaphore or lock released too many times`.
    case releasedTooManyTimes
    /// More than `Condition.maximumWaiters` waiters at once on one condition.
    case tooManyWaiters
    /// The system refused (e.g. no memory for the shared page).
    case system(SystemError)

    public var description: String {
        switch self {
        case .notAcquired:
            return "the lock is not held by the caller: acquire it before releasing it, waiting on it or notifying"
        case .notOwner:
            return "attempt to release a recursive lock not owned by this thread: only its owner may release it"
        case .alreadyHeld:
            return "this thread already holds the lock, and a Lock is not recursive: acquiring it again would wait for ever (use RLock to nest)"
        case .releasedTooManyTimes:
            return "semaphore or lock released too many times: every release must match an earlier acquire"
        case .tooManyWaiters:
            return "more than \(Condition.maximumWaiters) waiters on one Condition at once: use fewer waiters or more conditions"
        case .system(let error):
            return error.description
        }
    }
}

/// Checks and computes where a primitive lives inside a shared memory block.
@usableFromInline
func place(in memory: SharedMemory, offset: Int, size: Int, alignment: Int, _ what: String) -> UnsafeMutableRawPointer {
    precondition(offset >= 0 && offset + size <= memory.size, "\(what) outside its shared memory")
    precondition(offset % alignment == 0, "\(what) offset must be aligned to \(alignment)")
    return memory.buffer.baseAddress! + offset
}

/// Turns a CShim acquire answer into acquired (true) / not acquired (false), recording death recovery.
@inline(__always)
func acquireOutcome(_ code: Int32, _ operation: @autoclosure () -> String) throws(SynchronizeError) -> Bool {
    switch code {
    case 0, EOWNERDEAD: return true
    case ETIMEDOUT, EBUSY: return false
    case EDEADLK: throw .alreadyHeld
    default: throw .system(SystemError(operation: operation(), errno: code))
    }
}

/// CPython's `acquire(block, timeout)` in CShim's timeout convention: a non-blocking call only tries.
@inline(__always)
func acquireTimeout(block: Bool, timeout: Duration?) -> Int64 {
    block ? cshimTimeout(timeout) : 0
}

/// A non-recursive lock shared between processes, that survives the death of its holder.
///
/// It lives in shared memory (a page of its own, or a place in the caller's `SharedMemory`), so children forked
/// after it is created share it. When a process dies holding it (SIGKILL, a crash, `_exit`), the next acquirer
/// gets it at once and `lastAcquisitionRecoveredFromDeadOwner` tells it so: the data the lock protects may be
/// half-updated and should be repaired.
///
/// Who may release: only the holder (the thread that acquired it). CPython lets any process release a `Lock`;
/// we trade that for death recovery, which needs an owner the kernel knows. Releasing a lock one does not hold
/// throws `SynchronizeError.notAcquired`. A blocking `acquire` by the holder throws `.alreadyHeld` instead of
/// deadlocking as CPython does; `tryAcquire` by the holder returns false, as CPython's `acquire(False)` does.
/// The holder is a thread, as the kernel sees it: release on the thread that acquired (do not hold a `Lock`
/// across an `await`), and a forked child never holds its parent's lock.
///
/// Cost: an uncontended acquire + release is one compare-and-swap pair on the robust futex word, about 25 ns
/// (CPython's `multiprocessing.Lock.acquire()` + `release()` from Python: about 86-140 ns on this machine).
///
/// Mirrors `multiprocessing.Lock`.
public final class Lock: ProcessLock, @unchecked Sendable {
    @usableFromInline let word: LockWord
    @usableFromInline var lock: OpaquePointer { word.pointer }

    /// Bytes and alignment a lock needs inside a caller's shared memory.
    public static var size: Int { LockWord.size }
    public static var alignment: Int { LockWord.alignment }

    /// A lock in an anonymous shared page of its own, shared with children forked afterwards.
    public init() throws(SystemError) { word = try LockWord(kind: "Lock") }

    /// A lock at `offset` in `memory` (kept alive by this object). `initialize: true` formats it, once, before
    /// anyone uses it; `false` uses one formatted already (as a `Lock` or an `RLock`, never both at once).
    public init(placedIn memory: SharedMemory, offset: Int, initialize: Bool) throws(SystemError) {
        word = try LockWord(placedIn: memory, offset: offset, initialize: initialize, kind: "Lock")
    }

    /// Acquires the lock. With `block` (the default) waits at most `timeout` (`nil`: for ever); without, only
    /// tries. Returns whether it was acquired.
    ///
    /// Mirrors `multiprocessing.Lock.acquire(block=True, timeout=None)`.
    @discardableResult
    public func acquire(block: Bool = true, timeout: Duration? = nil) throws(SynchronizeError) -> Bool {
        try acquireOutcome(cshim_lock_acquire(lock, acquireTimeout(block: block, timeout: timeout)), "Lock.acquire")
    }

    /// Tries once, without waiting. Mirrors `Lock.acquire(False)`.
    public func tryAcquire() throws(SynchronizeError) -> Bool {
        try acquireOutcome(cshim_lock_acquire(lock, 0), "Lock.acquire")
    }

    /// Releases the lock. Throws `.notAcquired` unless the caller holds it. Mirrors `Lock.release()`.
    public func release() throws(SynchronizeError) {
        let code = cshim_lock_release(lock)
        if code == EPERM { throw .notAcquired }
        if code != 0 { throw .system(SystemError(operation: "Lock.release", errno: code)) }
    }


    /// Whether the calling thread holds the lock.
    public var isHeldByCaller: Bool { word.isHeldByCaller }

    /// True when the caller's current holding began by recovering the lock from a holder that died: repair
    /// what the lock protects. Meaningful to the holder only.
    public var lastAcquisitionRecoveredFromDeadOwner: Bool { word.recoveredFromDeadOwner }
}

extension Lock: CustomStringConvertible {
    /// CPython's repr: `<Lock(owner=None)>` when free, `<Lock(owner=MainProcess)>` (this process's name) when
    /// the caller holds it, `<Lock(owner=SomeOtherProcess)>` when another does.
    public var description: String {
        if isHeldByCaller { return "<Lock(owner=\(Process.current.name))>" }
        return cshim_lock_is_held(lock) != 0 ? "<Lock(owner=SomeOtherProcess)>" : "<Lock(owner=None)>"
    }
}
