// What the pool engine (PoolEngine.swift) tracks: a submission's results (`PoolJob`), the pieces it sends to
// workers (`PoolChunk`), and their outcomes (`PoolOutcome`).

import Synchronization

/// The outcome of consecutive items: their encoded results (`BatchCodec`), or the error to throw for each.
enum PoolOutcome: @unchecked Sendable {
    case values(ArraySlice<UInt8>, count: Int)
    /// Results in the pool's arena (plain numeric types): `byteCount` bytes at the lease's offset + `offset`.
    case shared(PoolLease, offset: Int, byteCount: Int, count: Int)
    case failure(any Error, count: Int)

    var count: Int {
        switch self {
        case .values(_, let count), .failure(_, let count), .shared(_, _, _, let count): return count
        }
    }

    /// The bytes of a run of results (nil for a failure), valid while the outcome lives.
    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T? {
        switch self {
        case .values(let bytes, _): return try bytes.withUnsafeBytes(body)
        case let .shared(lease, offset, byteCount, _):
            return try body(UnsafeRawBufferPointer(start: lease.pointer + offset, count: byteCount))
        case .failure: return nil
        }
    }
}

/// The results of one submission (a map, an apply, one future). Guarded by the engine's monitor.
final class PoolJob: @unchecked Sendable {
    let function: String
    /// Outcomes by the index of the first item of each finished piece.
    var fragments: [Int: [PoolOutcome]] = [:]
    /// The starts of the finished pieces in the order they finished, when a caller copies them as they come
    /// (`collectWhileWaiting`; nil otherwise: an imap's would grow without bound).
    var finishedOrder: [Int]?
    /// The number of items, once all were submitted (an imap learns it at the end of its input).
    var total: Int?
    var submitted = 0
    var completed = 0
    /// Nobody will read the results (an imap dropped before its end): they are discarded.
    var abandoned = false
    /// Some of it went to a worker.
    var dispatched = false
    var cancelled = false
    /// Called on the handler thread for each finished piece, outside the lock.
    var onFragment: ((Int, [PoolOutcome]) -> Void)?
    /// Called once, when every item finished, outside the lock.
    var onDone: [() -> Void] = []
    /// Items done and total, after each finished piece, outside the lock.
    var progress: ((Int, Int) -> Void)?
    /// One-shot wake-ups for async waiters, run after each finished piece.
    var wakers: [() -> Void] = []

    init(function: String) { self.function = function }

    var isDone: Bool { total.map { completed >= $0 } ?? false }
}

/// Encodes the arguments of a range of a job's items (absolute indices) as one chunk payload.
typealias PoolEncoder = (Range<Int>) throws(BatchCodec.ItemError) -> [UInt8]

/// A piece of a job sent to one worker as one message.
final class PoolChunk {
    let seq: UInt64
    let job: PoolJob
    let start: Int
    let count: Int
    let payload: [UInt8]
    /// Encodes a sub-range again (the part of a chunk left when its worker died).
    let encoder: PoolEncoder
    let retriesLeft: Int
    /// Set when the arguments are in the arena instead of `payload` (dropped once the chunk is delivered).
    var lease: PoolLease?
    let layout: PoolRawLayout?

    init(seq: UInt64, job: PoolJob, start: Int, count: Int, payload: [UInt8], encoder: @escaping PoolEncoder,
         retriesLeft: Int, lease: PoolLease? = nil, layout: PoolRawLayout? = nil) {
        self.seq = seq
        self.job = job
        self.start = start
        self.count = count
        self.payload = payload
        self.encoder = encoder
        self.retriesLeft = retriesLeft
        self.lease = lease
        self.layout = lease == nil ? nil : layout
    }
}

/// A worker slot's state that a sender reads under the slot's write lock, without the engine's monitor.
final class PoolSlotFlag: Sendable {
    /// Whether the slot's worker has died (set by the death handler, cleared when the replacement starts).
    let dead = Atomic<Bool>(true)
    /// Which of the slot's workers this is: bumped by the death handler with both the slot's write lock and the
    /// monitor held, so it is read under either without further ordering (relaxed). A sender picks a slot under
    /// the monitor and writes under the write lock; if the number changed in between, the worker it picked is
    /// gone and the death handler has already put its task back in the queue.
    let incarnation = Atomic<UInt64>(0)
}
