// Small pieces the pool engine needs: a mutex with a condition variable, a plain thread, and the byte layout of
// the messages between the pool, its zygote and its workers.

import CShim

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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

/// Builds a message: little-endian integers and length-prefixed byte strings.
package struct WireWriter {
    package var bytes: [UInt8] = []

    package init(reserving count: Int = 64) { bytes.reserveCapacity(count) }

    package mutating func u8(_ value: UInt8) { bytes.append(value) }
    package mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    package mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    package mutating func i32(_ value: Int32) { u32(UInt32(bitPattern: value)) }
    package mutating func blob(_ value: [UInt8]) {
        u32(UInt32(value.count))
        bytes.append(contentsOf: value)
    }
    package mutating func string(_ value: String) { blob(Array(value.utf8)) }
}

/// Reads a message built by `WireWriter`; every read is bounds-checked (nil when the message is too short).
package struct WireReader {
    package let bytes: [UInt8]
    package var offset = 0

    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    private mutating func fixed<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard offset + size <= bytes.count else { return nil }
        var value = T.zero
        withUnsafeMutableBytes(of: &value) { target in
            bytes.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + size]))
            }
        }
        offset += size
        return T(littleEndian: value)
    }

    package mutating func u8() -> UInt8? { fixed(UInt8.self) }
    package mutating func u32() -> UInt32? { fixed(UInt32.self) }
    package mutating func u64() -> UInt64? { fixed(UInt64.self) }
    package mutating func i32() -> Int32? { u32().map { Int32(bitPattern: $0) } }
    package mutating func blob() -> [UInt8]? {
        guard let count = u32().map(Int.init), offset + count <= bytes.count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }
    package mutating func string() -> String? { blob().map { String(decoding: $0, as: UTF8.self) } }
    /// A length-prefixed byte string as a slice of the message (no copy).
    package mutating func blobSlice() -> ArraySlice<UInt8>? {
        guard let count = u32().map(Int.init), offset + count <= bytes.count else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }
}

/// Message kinds on the pool's result ring (workers and zygote to the pool).
enum PoolRecord: UInt8 {
    /// A worker's results for one task: slot, seq, count, then per item a status byte and a blob.
    case results = 1
    /// The zygote started a worker: slot, pid, name.
    case spawned = 2
    /// The zygote reaped a worker: slot, pid, exit code (minus the signal number for a signal).
    case died = 3
    /// The zygote is leaving: every worker has been reaped.
    case bye = 4
    /// A worker's initializer threw: slot, the error's text. The worker then exits.
    case initializerFailed = 5
}

/// Commands from the pool to its zygote, on a socket: one byte and a number (a slot, or a task count).
enum ZygoteCommand: UInt8 {
    case spawn = 1   // start a worker for the slot
    case terminate = 2  // SIGTERM every worker
    case quit = 3  // no more workers: wait for the last ones, say bye and exit
    case release = 4  // no more workers: wait for the last ones, say bye and wait for the next pool's start
    case start = 5  // (idle) start the workers of a new pool; the number is its maximum tasks per child (0: none)
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
