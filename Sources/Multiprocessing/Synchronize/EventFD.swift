import CShim

import Glibc

/// A kernel event counter (eventfd): a descriptor that `poll`/`epoll` can watch beside sockets and pipes, and
/// that forked children inherit. Owns its descriptor and closes it when it goes away.
///
/// The corresponding C function is `eventfd(2)` (close-on-exec, non-blocking).
public struct EventFD: ~Copyable {
    /// The descriptor, for `poll`. Owned by this value.
    public let descriptor: Int32

    /// - Parameter semaphore: each wait takes one unit (EFD_SEMAPHORE) rather than the whole count.
    public init(initialValue: UInt32 = 0, semaphore: Bool = false) throws(SystemError) {
        descriptor = try syscall("eventfd") { cshim_eventfd_create(initialValue, semaphore ? 1 : 0) }
    }

    /// Adds `count` to the counter, waking waiters.
    public func signal(_ count: UInt64 = 1) throws(SystemError) {
        _ = try syscall("write(eventfd)") { cshim_eventfd_signal(descriptor, count) }
    }

    /// Waits at most `timeout` (`nil`: forever) for a non-zero counter and takes it (one unit in semaphore
    /// mode). Returns the value taken, or nil on timeout.
    public func wait(timeout: Duration? = nil) throws(SystemError) -> UInt64? {
        var value: UInt64 = 0
        let code = cshim_eventfd_wait(descriptor, cshimTimeout(timeout), &value)
        if code == ETIMEDOUT { return nil }
        if code != 0 { throw SystemError(operation: "read(eventfd)", errno: code) }
        return value
    }

    deinit { closeDescriptor(descriptor) }
}
