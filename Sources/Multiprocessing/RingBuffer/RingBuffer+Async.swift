import CShim

// Swift concurrency. A task must not block the cooperative pool's threads, so these calls never sleep in the
// kernel: they try without waiting and, while the ring is empty (or full), suspend with Task.sleep, the pause
// doubling from 20 µs to at most 1 ms. That bounds the added latency to about 1 ms and costs an idle reader
// about a thousand wake-ups a second at worst. They do not wait on `readinessDescriptor`: waiting on a descriptor
// without blocking a cooperative thread takes an event loop (the caller's SwiftNIO loop, or Dispatch's threads),
// which this library does not start — its fork path must stay single-threaded. Event-loop users register the
// descriptor with their loop instead.

extension RingBuffer {
    /// The async form of `read(timeout:)`: suspends instead of blocking a thread. Throws `RingBuffer.Error`, or
    /// `CancellationError` when the task is cancelled while it waits.
    public func read(timeout: Duration? = nil) async throws -> [UInt8] {
        try await retrying(timeout: timeout, readable: true) { () throws(Error) in try read(timeout: .zero) }
    }

    /// The async form of `read(as:timeout:)`.
    public func read<Value: BitwiseCopyable>(as type: Value.Type, timeout: Duration? = nil) async throws -> Value {
        try await retrying(timeout: timeout, readable: true) { () throws(Error) in try read(as: type, timeout: .zero) }
    }

    /// The async form of `write(_:timeout:)` for messages up to `maxUnfragmentedLength` bytes; a longer one is
    /// streamed in fragments while the reader takes them, and that blocks the calling thread meanwhile.
    public func write(_ bytes: [UInt8], timeout: Duration? = nil) async throws {
        if bytes.count > maxUnfragmentedLength {  // the synchronous write (a closure is not async)
            return try { () throws(Error) in try write(bytes, timeout: timeout) }()
        }
        try await retrying(timeout: timeout, readable: false) { () throws(Error) in try write(bytes, timeout: .zero) }
    }

    /// The async form of `write(value:timeout:)`.
    public func write<Value: BitwiseCopyable>(value: Value, timeout: Duration? = nil) async throws {
        try await retrying(timeout: timeout, readable: false) { () throws(Error) in try write(value: value, timeout: .zero) }
    }

    private func retrying<T>(timeout: Duration?, readable: Bool, _ attempt: () throws(Error) -> T) async throws -> T {
        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now + $0 }
        var pause = Duration.microseconds(20)
        while true {
            do { return try attempt() } catch {
                if error != .timedOut { throw error }
            }
            try Task.checkCancellation()
            if let deadline, clock.now >= deadline { throw Error.timedOut }
            // Readers: look again at once if something arrived meanwhile (a few loads, no syscall).
            if readable && cshim_ring_readable(ring) != 0 { continue }
            var nap = pause
            if let deadline { nap = min(nap, deadline - clock.now) }
            try await Task.sleep(for: max(nap, .zero))
            pause = min(pause * 2, .milliseconds(1))
        }
    }
}

/// Threads may share an `.multiProducerMultiConsumer` handle: each side is serialised by its lock, and the
/// handle's own fields are written only under them. A `.singleProducerSingleConsumer` handle keeps private
/// positions: use each of its sides from one thread at a time (handing it to another task is fine).
extension RingBuffer: @unchecked Sendable {}
