import CShim

import Glibc

/// A counting semaphore shared between processes: `acquire` takes a unit (waiting while there is none),
/// `release` gives one back. Any process may release (a semaphore has no owner).
///
/// An atomic counter in shared memory and a futex: no system call unless someone has to sleep, and a timed
/// `acquire` returns at its deadline. A process that dies after acquiring does not give its unit back (as in
/// CPython).
///
/// Glibc's overlay also declares a `Semaphore`: a file that imports Glibc or Foundation spells this one
/// `Multiprocessing.Semaphore`.
///
/// Mirrors `multiprocessing.Semaphore`.
public class Semaphore: @unchecked Sendable {
    let memory: SharedMemory
    let semaphore: OpaquePointer

    /// The largest value a semaphore may reach (CPython's `SEM_VALUE_MAX` on Linux).
    public static let maximumValue = Int(CSHIM_SEM_VALUE_MAX)
    public static var size: Int { cshim_sem_size() }
    public static var alignment: Int { cshim_sem_align() }

    /// A semaphore with `value` units, in an anonymous shared page of its own. Mirrors `Semaphore(value=1)`.
    public convenience init(value: Int = 1) throws(SystemError) {
        try self.init(value: value, placedIn: SharedMemory(anonymousSize: 4096, debugName: "mpsh-semaphore"),
                      offset: 0, initialize: true)
    }

    /// A semaphore at `offset` in `memory`; `initialize: true` formats it with `value`, once, before anyone uses it.
    public convenience init(value: Int, placedIn memory: SharedMemory, offset: Int, initialize: Bool) throws(SystemError) {
        try self.init(value: value, bound: Semaphore.maximumValue, placedIn: memory, offset: offset, initialize: initialize)
    }

    init(value: Int, bound: Int, placedIn memory: SharedMemory, offset: Int, initialize: Bool) throws(SystemError) {
        guard value >= 0 && value <= bound else {
            throw SystemError(operation: "Semaphore(value: \(value))", errno: EINVAL,
                              hint: "a semaphore's initial value must be between 0 and \(bound)")
        }
        let pointer = place(in: memory, offset: offset, size: Semaphore.size, alignment: Semaphore.alignment, "Semaphore")
        if initialize {
            let code = cshim_sem_init_at(pointer, UInt32(value), UInt32(bound))
            if code != 0 { throw SystemError(operation: "Semaphore(value: \(value))", errno: code) }
        }
        self.memory = memory
        self.semaphore = OpaquePointer(pointer)
    }

    /// Takes a unit. With `block` waits at most `timeout` (`nil`: for ever); without, only tries. Returns
    /// whether a unit was taken. Mirrors `Semaphore.acquire(block=True, timeout=None)`.
    /// Rebuilds a semaphore sent to a child started by forkserver or spawn (see Reduction.swift).
    public required init(from decoder: Decoder) throws {
        let handle = try SemaphoreHandle(from: decoder)
        memory = handle.memory
        semaphore = OpaquePointer(place(in: handle.memory, offset: handle.offset, size: Semaphore.size,
                                        alignment: Semaphore.alignment, "Semaphore"))
    }

    @discardableResult
    public func acquire(block: Bool = true, timeout: Duration? = nil) -> Bool {
        cshim_sem_acquire(semaphore, acquireTimeout(block: block, timeout: timeout)) == 0
    }

    /// Tries once. Mirrors `Semaphore.acquire(False)`.
    public func tryAcquire() -> Bool { cshim_sem_acquire(semaphore, 0) == 0 }

    /// Gives a unit back, waking a waiter. Throws `.releasedTooManyTimes` above the bound (a
    /// `BoundedSemaphore`'s initial value, or `maximumValue`). Mirrors `Semaphore.release()`.
    public func release() throws(SynchronizeError) {
        if cshim_sem_release(semaphore) != 0 { throw .releasedTooManyTimes }
    }

    /// Runs `body` holding a unit, and gives it back however `body` ends. Mirrors `with semaphore:`.
    public func withAcquired<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        acquire()
        defer { try? release() }
        return try body()
    }

    /// The current number of units (a snapshot). Mirrors `Semaphore.get_value()`.
    public var value: Int { Int(cshim_sem_value(semaphore)) }
}

/// A semaphore that may never be released above its initial value: an extra `release` throws
/// `SynchronizeError.releasedTooManyTimes` and leaves the value unchanged.
///
/// Mirrors `multiprocessing.BoundedSemaphore`.
public final class BoundedSemaphore: Semaphore, @unchecked Sendable {
    /// The initial value, which is also the bound.
    public let bound: Int

    /// A bounded semaphore with `value` units, in an anonymous shared page of its own.
    /// Mirrors `BoundedSemaphore(value=1)`.
    public convenience init(value: Int = 1) throws(SystemError) {
        try self.init(value: value, placedIn: SharedMemory(anonymousSize: 4096, debugName: "mpsh-semaphore"),
                      offset: 0, initialize: true)
    }

    /// A bounded semaphore at `offset` in `memory`; `initialize: true` formats it, once.
    public init(value: Int, placedIn memory: SharedMemory, offset: Int, initialize: Bool) throws(SystemError) {
        bound = value
        try super.init(value: value, bound: value, placedIn: memory, offset: offset, initialize: initialize)
    }

    /// Rebuilds a bounded semaphore sent to a child started by forkserver or spawn (see Reduction.swift).
    public required init(from decoder: Decoder) throws {
        guard let bound = try SemaphoreBound(from: decoder).bound else {
            throw ShareError.badHandle("a Semaphore was received as a BoundedSemaphore")
        }
        self.bound = bound
        try super.init(from: decoder)
    }
}

extension Semaphore: CustomStringConvertible {
    /// Like CPython's `<Semaphore(value=1)>` / `<BoundedSemaphore(value=1, maxvalue=1)>`.
    public var description: String {
        if let bounded = self as? BoundedSemaphore { return "<BoundedSemaphore(value=\(value), maxvalue=\(bounded.bound))>" }
        return "<Semaphore(value=\(value))>"
    }
}
