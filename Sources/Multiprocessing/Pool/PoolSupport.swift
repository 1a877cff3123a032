// The pool's threads and their names for exits: a mutex with a condition variable, a plain thread, and the
// texts of signals and exit statuses. (The messages between its processes are in PoolWire.swift.)

import CShim

import Glibc

/// A mutex and a condition variable (CLOCK_MONOTONIC), for the pool's state. In-process only.
package final class PoolMonitor: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// A second condition for one dedicated waiter (the pool's dispatcher), so that the many wake-ups meant for
    /// result waiters do not wake it too.
    private let side = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// A third condition, where the pool's handler thread parks while callers poll the result ring themselves.
    private let park = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    package init() {
        monitorCall("pthread_mutex_init") { pthread_mutex_init(mutex, nil) }
        var attributes = pthread_condattr_t()
        monitorCall("pthread_condattr_init") { pthread_condattr_init(&attributes) }
        monitorCall("pthread_condattr_setclock") { pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC) }
        for cond in [condition, side, park] { monitorCall("pthread_cond_init") { pthread_cond_init(cond, &attributes) } }
        monitorCall("pthread_condattr_destroy") { pthread_condattr_destroy(&attributes) }
    }

    deinit {
        for cond in [condition, side, park] { monitorCall("pthread_cond_destroy") { pthread_cond_destroy(cond) } }
        monitorCall("pthread_mutex_destroy") { pthread_mutex_destroy(mutex) }
        condition.deallocate()
        side.deallocate()
        park.deallocate()
        mutex.deallocate()
    }

    package func lock() { monitorCall("pthread_mutex_lock") { pthread_mutex_lock(mutex) } }
    package func unlock() { monitorCall("pthread_mutex_unlock") { pthread_mutex_unlock(mutex) } }
    /// Takes the lock if it is free; false if another thread holds it.
    func tryLock() -> Bool { monitorCall("pthread_mutex_trylock") { pthread_mutex_trylock(mutex) } == .success }
    package func broadcast() { monitorCall("pthread_cond_broadcast") { pthread_cond_broadcast(condition) } }
    /// Wakes the side waiter (the lock held or not).
    package func signalSide() { monitorCall("pthread_cond_signal") { pthread_cond_signal(side) } }
    /// Waits on the side condition (the lock held).
    package func waitSide() { monitorCall("pthread_cond_wait") { pthread_cond_wait(side, mutex) } }
    /// Wakes the parked waiter (the lock held or not).
    func signalPark() { monitorCall("pthread_cond_signal") { pthread_cond_signal(park) } }
    /// Parks on the third condition (the lock held) until signalled or until `deadline` (CLOCK_MONOTONIC ns).
    func waitPark(until deadline: Int64) {
        var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        monitorCall("pthread_cond_timedwait") { pthread_cond_timedwait(park, mutex, &time) }
    }

    package func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits (the lock held) until woken or until `deadline` (CLOCK_MONOTONIC ns; nil: no deadline). Returns false
    /// once the deadline has passed.
    @discardableResult
    package func wait(until deadline: Int64?) -> Bool {
        guard let deadline else {
            monitorCall("pthread_cond_wait") { pthread_cond_wait(condition, mutex) }
            return true
        }
        if cshim_now_ns() >= deadline { return false }
        var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        return monitorCall("pthread_cond_timedwait") { pthread_cond_timedwait(condition, mutex, &time) } != .notAcquired
            || cshim_now_ns() < deadline
    }
}

/// A pthread call on the monitor's own mutex and conditions, through the pthread funnel. They are private to this
/// process and used only as the monitor uses them, so any error is a bug here, not something a caller can handle.
/// `ETIMEDOUT` (a timed wait's end) and `EBUSY` (a trylock's) come back as `.notAcquired`.
@inline(__always)
@discardableResult
private func monitorCall(_ operation: @autoclosure () -> String, _ body: () -> Int32) -> PthreadOutcome {
    do { return try pthreadCall("PoolMonitor: \(operation())", body) } catch {
        preconditionFailure("\(error): a bug in the pool's monitor")
    }
}

/// The absolute CLOCK_MONOTONIC deadline for a timeout (nil: none).
package func poolDeadline(_ timeout: Duration?) -> Int64? {
    timeout.map { cshim_now_ns() + max(0, $0.cshimNanoseconds) }
}

/// A joinable OS thread running a closure. The pool's threads are created only after its zygote was forked.
package struct PoolThread: @unchecked Sendable {
    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    private let thread: pthread_t

    package init(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        do {
            _ = try pthreadCall("pthread_create(pool thread)") {
                pthread_create(&thread, nil, { argument in
                    Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
                    return nil
                }, box)
            }
        } catch {
            preconditionFailure("\(error): the pool cannot run without its handler threads")
        }
        self.thread = thread
    }

    package func join() { _ = try? pthreadCall("pthread_join(pool thread)") { pthread_join(thread, nil) } }
}

/// The text of a signal number ("SIGKILL"), for error messages.
package func signalName(_ number: Int32) -> String {
    let names: [Int32: String] = [SIGTERM: "SIGTERM", SIGKILL: "SIGKILL", SIGINT: "SIGINT", SIGSEGV: "SIGSEGV",
                                  SIGABRT: "SIGABRT", SIGHUP: "SIGHUP", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE",
                                  SIGPIPE: "SIGPIPE", SIGUSR1: "SIGUSR1", SIGUSR2: "SIGUSR2", SIGQUIT: "SIGQUIT",
                                  SIGILL: "SIGILL", SIGTRAP: "SIGTRAP"]
    return names[number] ?? "signal \(number)"
}

/// "was killed by SIGKILL" or "exited with code 3".
package func exitStatusText(_ code: Int32) -> String {
    code < 0 ? "was killed by \(signalName(-code))" : "exited with code \(code)"
}
