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
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_cond_init(side, &attributes)
        pthread_cond_init(park, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_cond_destroy(side)
        pthread_cond_destroy(park)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        side.deallocate()
        park.deallocate()
        mutex.deallocate()
    }

    package func lock() { pthread_mutex_lock(mutex) }
    package func unlock() { pthread_mutex_unlock(mutex) }
    /// Takes the lock if it is free; false if another thread holds it.
    func tryLock() -> Bool { pthread_mutex_trylock(mutex) == 0 }
    package func broadcast() { pthread_cond_broadcast(condition) }
    /// Wakes the side waiter (the lock held or not).
    package func signalSide() { pthread_cond_signal(side) }
    /// Waits on the side condition (the lock held).
    package func waitSide() { pthread_cond_wait(side, mutex) }
    /// Wakes the parked waiter (the lock held or not).
    func signalPark() { pthread_cond_signal(park) }
    /// Parks on the third condition (the lock held) until signalled or until `deadline` (CLOCK_MONOTONIC ns).
    func waitPark(until deadline: Int64) {
        var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        _ = pthread_cond_timedwait(park, mutex, &time)
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
            pthread_cond_wait(condition, mutex)
            return true
        }
        if cshim_now_ns() >= deadline { return false }
        var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        return pthread_cond_timedwait(condition, mutex, &time) != ETIMEDOUT || cshim_now_ns() < deadline
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
        let code = pthread_create(&thread, nil, { argument in
            Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
            return nil
        }, box)
        precondition(code == 0, "pthread_create failed (\(code)): the pool cannot run without its handler threads")
        self.thread = thread
    }

    package func join() { pthread_join(thread, nil) }
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
