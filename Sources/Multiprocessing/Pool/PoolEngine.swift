// The engine under `Pool` and `ProcessPoolExecutor`.
//
// Processes. Creating the engine forks one *zygote* process while the caller is (we hope) still single-threaded,
// or reuses the one an earlier pool left idle (`PoolSite`); the zygote stays single-threaded for ever and forks
// the workers, at the start and whenever one must be replaced, so a replacement is never forked from the
// multi-threaded parent. The zygote watches its workers' sentinels (pidfds, or pipes where the kernel has none:
// `cshim_fork_watched`), reaps them, and reports each start and each death on the result ring, where the parent's
// handler thread reads them in order with the results.
//
// Channels. Every worker slot has its own task ring; all workers share one result ring. The parent decides which
// worker runs which task, and each worker writes (task seq, item index) into its slot of a small shared table
// before running an item. When a worker dies, everything it sent before dying is already on the result ring
// ahead of the zygote's death record; the parent then drains the slot's task ring (tasks never read: they run
// elsewhere), and the one task still unaccounted for is the one the worker was running: its current item gets an
// error naming the worker, its pid and the signal or exit code, the items before it (run, but their results
// lost with the worker) an error saying so, and the items after it run elsewhere. Nothing is lost and nothing runs
// twice unless the caller asked for retries.
//
// Threads (in the parent, created after the zygote was forked): a handler reading the result ring, and a
// dispatcher writing tasks to idle workers (at most two tasks queued per worker).
//
// Latency. A wake-up from sleep costs tens of microseconds here (every cross-vCPU futex wake is a VM exit), so
// the round trip of one small task sleeps nowhere: the caller writes the task straight into an idle worker's
// ring (`pump`), the worker spins a while on its ring after each task before it sleeps, and a caller waiting
// for a result (`waitDone`) spins a while too, reading and handling the result ring itself when nobody else
// is (the "reader role" serialises that with the handler thread, so messages are still handled one at a time
// and in order). While callers poll, the handler thread parks instead of sleeping on the ring, so the workers'
// results wake nobody; callbacks found by a polling caller are handed to the handler thread, which runs every
// callback, in order, as before. Spins are bounded: an idle pool sleeps.

import CShim
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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

final class PoolSlotFlag: Sendable {
    let dead = Atomic<Bool>(true)
}

final class PoolEngine: @unchecked Sendable {
    let size: Int
    let forkGeneration: Int
    let maxTasksPerChild: Int?
    let retries: Int
    let breakOnWorkerDeath: Bool
    /// Tasks queued per worker at once: 2 hides the hand-off latency behind the previous task; 1 never leaves a
    /// task waiting behind a long one while another worker is idle (the executor's choice).
    let depth: Int
    let monitor = PoolMonitor()
    /// The process that created the pool: its threads and workers exist only there.
    let creatorPID = getpid()

    /// The zygote and the shared memory: made for this pool, or left idle by an earlier one (`PoolSite`).
    private let site: PoolSite
    private var taskRings: [RingBuffer] { site.taskRings }
    private var resultRing: RingBuffer { site.resultRing }
    private var progressTable: SharedMemory { site.progressTable }
    private var arena: PoolArena? { site.arena }
    /// Chunks smaller than this go through the rings even when their items could use the arena (their arguments
    /// are copied there), except the chunks of a map over a range of Ints, which carry no arguments: through the
    /// arena, even a small one runs the worker's loop specialised for its types rather than the generic decoding
    /// one (map(square) over 10^4: 0.1 ms instead of 0.35-0.5 ms).
    static let arenaThreshold = 16 * 1024
    /// Whether commands may still be sent to the zygote (guarded by `monitor`).
    private var zygoteListening = true
    private let writeLocks: [PoolMonitor]
    private let deadFlags: [PoolSlotFlag]
    private var handler: PoolThread?
    private var dispatcher: PoolThread?
    /// Held while reading and handling the result ring: by the handler thread, or by a caller polling for its
    /// result. Only its mutex is used.
    private let readerRole = PoolMonitor()
    /// Callers polling the result ring now (the handler thread parks meanwhile).
    private let pollers = Atomic<Int>(0)
    /// Set with a wake-up when the handler thread has something to look at besides the ring (`handOver`).
    private let handlerFlag: UnsafeMutablePointer<UInt32> = {
        let flag = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
        flag.initialize(to: 0)
        return flag
    }()
    /// How long a caller waiting for a result polls before it sleeps, and a worker waits for its next task
    /// before it sleeps.
    static let pollBudget: Int64 = 100_000
    static let workerSpin: Int64 = 60_000
    /// How long the handler thread parks at a time while callers poll.
    static let parkSlice: Int64 = 200_000

    enum Phase { case running, closed, terminated }

    struct Slot {
        var pid: Int32 = 0
        var name = ""
        var alive = false
        var inflight: [UInt64: PoolChunk] = [:]
        var sent = 0
    }

    // Guarded by `monitor`.
    var phase = Phase.running
    var broken: PoolError?
    private var slots: [Slot]
    private var pending: [PoolChunk] = []
    private var pendingHead = 0
    private var nextSeq: UInt64 = 1
    private var handlerFinished = false
    /// The zygote said bye: its workers are gone and it waits for a command.
    private var zygoteSaidBye = false
    private var ringsClosed = false
    private var dispatcherStop = false
    private var shutDown = false
    private var startedWorkers = 0
    /// Callbacks that a polling caller found, for the handler thread to run (in order).
    private var deferredNotes: [() -> Void] = []
    private var handlerParked = false
    private var handlerExited = false

    init(processes: Int, initializer: (() throws -> Void)?, maxTasksPerChild: Int?, retries: Int,
         breakOnWorkerDeath: Bool, depth: Int = 2) throws(PoolError) {
        guard processes >= 1 else { throw .invalidArgument("Number of processes must be at least 1 (got \(processes))") }
        guard processes <= 512 else { throw .invalidArgument("at most 512 processes per pool (got \(processes))") }
        if let maxTasksPerChild, maxTasksPerChild < 1 {
            throw .invalidArgument("maxTasksPerChild must be a positive integer or nil (got \(maxTasksPerChild))")
        }
        guard retries >= 0 else { throw .invalidArgument("retries must be 0 or more (got \(retries))") }
        size = processes
        self.maxTasksPerChild = maxTasksPerChild
        self.retries = retries
        self.breakOnWorkerDeath = breakOnWorkerDeath
        self.depth = depth
        if initializer == nil, let idle = PoolSite.reuse(size: processes, maxTasksPerChild: maxTasksPerChild) {
            site = idle
        } else {
            site = try PoolSite(size: processes, initializer: initializer, maxTasksPerChild: maxTasksPerChild)
        }
        forkGeneration = site.generation
        // Spinning before sleeping speeds hand-offs only when every process has a CPU of its own; with more
        // processes than CPUs it takes the CPU from the process that would answer.
        let spin: Duration = Process.cpuCount >= processes + 2 ? .microseconds(20) : .zero
        for ring in site.taskRings { ring.setSpin(spin) }
        site.resultRing.setSpin(spin)
        writeLocks = (0..<processes).map { _ in PoolMonitor() }
        deadFlags = (0..<processes).map { _ in PoolSlotFlag() }
        slots = Array(repeating: Slot(), count: processes)
        handler = PoolThread { [self] in handlerLoop() }
        dispatcher = PoolThread { [self] in dispatcherLoop() }
        // Return once every worker has started (or the pool broke), as CPython's Pool() does: the first tasks
        // then spread over all the workers instead of queueing at the first one to start.
        monitor.withLock {
            let deadline = poolDeadline(.seconds(30))
            while startedWorkers < size && broken == nil && !handlerFinished {
                if !monitor.wait(until: deadline) { break }
            }
        }
    }

    deinit {
        handlerFlag.deinitialize(count: 1)
        handlerFlag.deallocate()
    }

    // MARK: Submitting

    /// Throws unless work can be submitted now.
    func checkRunning(function: String, generation: Int) throws(PoolError) {
        guard getpid() == creatorPID else {
            throw .invalidArgument("this pool belongs to process \(creatorPID): a forked child cannot use its parent's pool; create one in the child")
        }
        monitor.lock()
        let failure: PoolError? = broken ?? (phase == .running ? nil : .notRunning)
        monitor.unlock()
        if let failure { throw failure }
        guard generation <= forkGeneration else { throw .functionUnknownToWorkers(function) }
    }

    /// Queues items `start..<start + count` of `job` in chunks of `chunksize`, encoding every chunk here first
    /// (an argument that cannot be encoded fails the call, and nothing of it is queued).
    func enqueue(_ job: PoolJob, start: Int, count: Int, chunksize: Int, encoder: @escaping PoolEncoder,
                 layout: PoolRawLayout? = nil) throws(PoolError) {
        var payloads: [(Int, Int, [UInt8], PoolLease?)] = []
        var sentAny = false
        var offset = start
        while offset < start + count {
            let end = min(start + count, offset + max(1, chunksize))
            if let layout, let arena, layout.first != nil || layout.bytes(count: end - offset) >= PoolEngine.arenaThreshold,
               let lease = arena.allocate(layout.bytes(count: end - offset), populate: layout.first == nil) {
                layout.write(offset..<end, lease.pointer)
                // Plain numbers cannot fail to encode: send each chunk as soon as it is written, so that the
                // workers start while the rest is still being written.
                try enqueueLocked(job, payloads: payloads + [(offset, end - offset, [], lease)],
                                  count: payloads.reduce(end - offset) { $0 + $1.1 }, encoder: encoder, layout: layout)
                payloads = []
                sentAny = true
                pump()
                offset = end
                continue
            }
            do {
                payloads.append((offset, end - offset, try encoder(offset..<end), nil))
            } catch {
                throw .unencodableArgument(function: job.function, index: offset + error.index, reason: error.reason)
            }
            offset = end
        }
        if payloads.isEmpty && sentAny { return }
        try enqueueLocked(job, payloads: payloads, count: payloads.reduce(0) { $0 + $1.1 }, encoder: encoder,
                          layout: layout)
        pump()
    }

    private func enqueueLocked(_ job: PoolJob, payloads: [(Int, Int, [UInt8], PoolLease?)], count: Int,
                               encoder: @escaping PoolEncoder, layout: PoolRawLayout?) throws(PoolError) {
        monitor.lock()
        defer { monitor.unlock() }
        if let broken { throw broken }
        // An imap started before close() may go on feeding its input, until the workers are stopped.
        guard phase == .running || (job.submitted > 0 && phase == .closed && !ringsClosed) else { throw .notRunning }
        for (first, items, payload, lease) in payloads {
            pending.append(PoolChunk(seq: nextSeq, job: job, start: first, count: items, payload: payload,
                                     encoder: encoder, retriesLeft: retries, lease: lease, layout: layout))
            nextSeq += 1
        }
        job.submitted += count
        monitor.broadcast()
    }

    /// Sends queued work to workers with room from this thread, as long as each task fits its ring whole (then a
    /// write that does not wait cannot block); anything else is left to the dispatcher thread.
    private func pump() {
        while true {
            monitor.lock()
            guard let (slot, chunk) = nextAssignment() else {
                monitor.unlock()
                return
            }
            monitor.unlock()
            let message = taskMessage(chunk)
            let small = message.count + chunk.payload.count <= taskRings[slot].maxUnfragmentedLength
            if small, sendTask(message, to: slot, chunk, wait: false) { continue }
            if !small { giveBack(chunk, slot: slot) }
            monitor.withLock { monitor.signalSide() }
            return
        }
    }

    /// A task's header; the chunk's payload follows it in the same message (written as a second part).
    private func taskMessage(_ chunk: PoolChunk) -> [UInt8] {
        var message = WireWriter(reserving: 32 + chunk.job.function.utf8.count)
        message.u64(chunk.seq)
        message.string(chunk.job.function)
        message.u32(UInt32(chunk.count))
        if let lease = chunk.lease, let layout = chunk.layout, let first = layout.first {
            message.u8(2)  // a range: the chunk's first argument; results in the arena (offset and stride)
            message.u64(UInt64(bitPattern: Int64(first + chunk.start)))
            message.u64(UInt64(lease.offset + layout.resultOffset(count: chunk.count)))
            message.u64(UInt64(layout.resultStride))
        } else if let lease = chunk.lease, let layout = chunk.layout {
            message.u8(1)  // in the arena: arguments' offset and size, results' offset and stride
            message.u64(UInt64(lease.offset))
            message.u64(UInt64(chunk.count * layout.argumentStride))
            message.u64(UInt64(lease.offset + layout.resultOffset(count: chunk.count)))
            message.u64(UInt64(layout.resultStride))
        } else {
            message.u8(0)  // the payload follows
            message.u32(UInt32(chunk.payload.count))
        }
        return message.bytes
    }

    /// Writes a task to a slot's ring; on failure (the worker died, or the ring is full and `wait` is false)
    /// puts the task back at the head of the queue. Returns whether it was written.
    private func sendTask(_ message: [UInt8], to slot: Int, _ chunk: PoolChunk, wait: Bool) -> Bool {
        let flag = deadFlags[slot]
        let ring = taskRings[slot]
        writeLocks[slot].lock()
        var written = false
        if !flag.dead.load(ordering: .acquiring) {
            written = message.withUnsafeBytes { header -> Bool in
                chunk.payload.withUnsafeBytes { payload -> Bool in
                    do {
                        if wait {
                            try ring.write(parts: [header, payload], checkingEvery: .milliseconds(20)) {
                                !flag.dead.load(ordering: .acquiring)
                            }
                        } else {
                            try ring.write(parts: [header, payload], timeout: .zero)
                        }
                        return true
                    } catch {
                        return false
                    }
                }
            }
        }
        if !written { giveBackLocked(chunk, slot: slot) }
        writeLocks[slot].unlock()
        return written
    }

    private func giveBack(_ chunk: PoolChunk, slot: Int) {
        writeLocks[slot].lock()
        giveBackLocked(chunk, slot: slot)
        writeLocks[slot].unlock()
    }

    /// Puts an assigned but unsent task back at the head of the queue (the slot's write lock held).
    private func giveBackLocked(_ chunk: PoolChunk, slot: Int) {
        monitor.lock()
        if slots[slot].inflight.removeValue(forKey: chunk.seq) != nil {
            slots[slot].sent -= 1
            requeueFront(chunk)
        }
        monitor.unlock()
    }

    /// Declares the job's item count (all items were submitted). If it is already done, its completion
    /// callbacks go to the handler thread, which runs every callback (as CPython's result handler does).
    func finishSubmitting(_ job: PoolJob) {
        monitor.lock()
        job.total = job.submitted
        var callbacks: [() -> Void] = []
        if job.isDone { callbacks = job.onDone; job.onDone = [] }
        let notes = job.wakers
        job.wakers = []
        monitor.broadcast()
        monitor.unlock()
        if !callbacks.isEmpty { handOver(callbacks) }
        for note in notes { note() }
    }

    /// Removes the job's queued pieces if none was sent yet. Returns whether it was cancelled.
    func cancel(_ job: PoolJob) -> Bool {
        monitor.lock()
        guard !job.dispatched, !job.isDone, !job.cancelled else {
            let cancelled = job.cancelled
            monitor.unlock()
            return cancelled
        }
        job.cancelled = true
        let notes = cancelQueued(matching: { $0.job === job })
        monitor.unlock()
        for note in notes { note() }
        return true
    }

    /// Marks an imap's job abandoned: results still coming are dropped, queued pieces are not run.
    func abandon(_ job: PoolJob) {
        monitor.withLock {
            job.abandoned = true
            job.fragments = [:]
            monitor.broadcast()
        }
    }

    /// Waits until the job is done; false on timeout. Polls the result ring for a short while first (see
    /// "Latency" at the top).
    func waitDone(_ job: PoolJob, deadline: Int64?) -> Bool {
        if pollResults(until: { job.isDone }, deadline: deadline) { return true }
        return monitor.withLock {
            while !job.isDone { if !monitor.wait(until: deadline) { return job.isDone } }
            return true
        }
    }

    /// Waits until the job has finished pieces past the first `known` of its `finishedOrder`, or it is done;
    /// returns those pieces (start and outcomes) and whether it is done, or nil if `deadline` passed first.
    func waitForPieces(_ job: PoolJob, after known: Int,
                       deadline: Int64?) -> (pieces: [(start: Int, outcomes: [PoolOutcome])], done: Bool)? {
        monitor.withLock {
            let waiting = { (job.finishedOrder?.count ?? 0) <= known && !job.isDone }
            while waiting() {
                if !monitor.wait(until: deadline) && waiting() { return nil }
            }
            let order = job.finishedOrder ?? []
            let pieces = order.count > known ? order[known...].map { ($0, job.fragments[$0] ?? []) } : []
            return (pieces, job.isDone)
        }
    }

    /// Spins until `ready` (evaluated with the monitor held) is true, at most `pollBudget` (and `deadline`),
    /// reading and handling the result ring whenever it has something and no other thread holds the reader
    /// role. Returns whether `ready` became true.
    func pollResults(until ready: () -> Bool, deadline: Int64?) -> Bool {
        if monitor.withLock(ready) { return true }
        guard getpid() == creatorPID else { return false }
        var end = cshim_now_ns() + PoolEngine.pollBudget
        if let deadline, deadline < end { end = deadline }
        pollers.add(1, ordering: .sequentiallyConsistent)
        var done = false
        var turn = 0
        while true {
            if cshim_ring_readable(resultRing.ring) != 0 && readerRole.tryLock() {
                var notes: [() -> Void] = []
                let finished = drainResults(&notes)
                readerRole.unlock()
                if !notes.isEmpty || finished { handOver(notes) }
                if monitor.withLock(ready) { done = true; break }
            }
            turn += 1
            if turn & 31 == 0 {
                if monitor.withLock(ready) { done = true; break }
                if cshim_now_ns() >= end { break }
                // The worker may be queued on this CPU (more runnable threads than CPUs): let it run.
                sched_yield()
            }
            cshim_ring_pause()
        }
        let last = pollers.subtract(1, ordering: .sequentiallyConsistent).newValue == 0
        if last && !done {
            // The handler thread parks while callers poll; when the last one gives up, the handler must take
            // over at once rather than at the end of its park. A caller that got what it waited for usually
            // polls again soon (a loop of apply, an imap): the handler then stays parked, and takes over at the
            // end of its park slice at the latest.
            monitor.withLock { if handlerParked { monitor.signalPark() } }
        }
        return done
    }

    /// Gives callbacks found by a polling caller to the handler thread, and wakes it; runs them here if the
    /// handler thread has already ended (the pool was shut down meanwhile).
    private func handOver(_ notes: [() -> Void]) {
        let handed = monitor.withLock { () -> Bool in
            guard !handlerExited else { return false }
            deferredNotes.append(contentsOf: notes)
            monitor.signalPark()
            return true
        }
        guard handed else {
            for note in notes { note() }
            return
        }
        cshim_ring_notify_readers(resultRing.ring, handlerFlag)
    }

    /// The pids of the live workers, by slot.
    var workerPIDs: [Int32] { monitor.withLock { slots.filter(\.alive).map(\.pid) } }

    /// How many items are queued or running.
    var outstandingChunks: Int {
        monitor.withLock { pending.count - pendingHead + slots.reduce(0) { $0 + $1.inflight.count } }
    }

    // MARK: Ending

    func close() {
        monitor.withLock {
            if phase == .running { phase = .closed }
            monitor.broadcast()
        }
    }

    /// Waits for every task to finish, then stops the workers, the zygote and the threads.
    func join(timeout: Duration? = nil) throws(PoolError) {
        let deadline = poolDeadline(timeout)
        monitor.lock()
        guard phase != .running else {
            monitor.unlock()
            throw .invalidArgument("join() needs close() or terminate() first (CPython: 'Pool is still running')")
        }
        var ready = true
        while !(pending.count == pendingHead && slots.allSatisfy(\.inflight.isEmpty)) && !handlerFinished {
            if !monitor.wait(until: deadline) { ready = false; break }
        }
        monitor.unlock()
        guard ready else { throw .timedOut }
        shutdownProcesses()
    }

    /// Fails every unfinished task with `.terminated`, stops the workers (SIGTERM) and waits for them.
    func terminate() {
        monitor.lock()
        if phase != .terminated {
            phase = .terminated
        }
        ringsClosed = true
        var notes: [() -> Void] = []
        failEverything(PoolError.terminated, notes: &notes)
        monitor.broadcast()
        monitor.unlock()
        for note in notes { note() }
        sendCommand(.terminate)
        shutdownProcesses()
    }

    var isShutDown: Bool { monitor.withLock { shutDown } }

    /// Stops the workers and the threads. A pool that was closed and drained (no termination, nothing broken)
    /// asks its workers to leave with an empty task each and leaves its zygote idle for the next pool
    /// (`PoolSite`); otherwise the task rings are closed and the zygote leaves too.
    private func shutdownProcesses() {
        let (first, keep) = monitor.withLock { () -> (Bool, Bool) in
            defer { shutDown = true }
            ringsClosed = true
            return (!shutDown, phase == .closed && broken == nil && !handlerFinished && site.reusable)
        }
        guard first else { return }
        var release = keep
        if keep {
            // The rings are empty now (everything was run): an empty task each cannot wait for room.
            for ring in taskRings where (try? ring.write([], timeout: .zero)) == nil { release = false }
        }
        if !release { for ring in taskRings { ring.closeWriting() } }
        sendCommand(release ? .release : .quit)
        monitor.withLock { zygoteListening = false }
        monitor.withLock {
            dispatcherStop = true
            monitor.signalSide()
        }
        handler?.join()
        dispatcher?.join()
        if release && monitor.withLock({ zygoteSaidBye }) {
            site.keepIdle()
        } else {
            site.end()
        }
    }

    private func sendCommand(_ command: ZygoteCommand, slot: Int = 0) {
        monitor.withLock {
            guard zygoteListening else { return }
            site.tell(command, UInt32(slot))
        }
    }

    // MARK: Delivering (the monitor held)

    private func deliver(_ chunk: PoolChunk, outcomes: [PoolOutcome], notes: inout [() -> Void]) {
        let job = chunk.job
        chunk.lease = nil  // the results that point into it keep it
        job.completed += outcomes.reduce(0) { $0 + $1.count }
        if !job.abandoned {
            job.fragments[chunk.start] = outcomes
            job.finishedOrder?.append(chunk.start)
            if let hook = job.onFragment {
                let start = chunk.start
                notes.append { hook(start, outcomes) }
            }
            if let progress = job.progress {
                let done = job.completed, total = job.total ?? job.submitted
                notes.append { progress(done, total) }
            }
        }
        if job.isDone {
            notes.append(contentsOf: job.onDone)
            job.onDone = []
        }
        notes.append(contentsOf: job.wakers)
        job.wakers = []
        monitor.broadcast()
    }

    /// Suspends until the job is done (the async form of `waitDone`).
    func done(_ job: PoolJob) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            whenDone(job) { continuation.resume() }
        }
    }

    /// Runs `body` once the job is done (at once, here, if it is already).
    func whenDone(_ job: PoolJob, _ body: @escaping () -> Void) {
        monitor.lock()
        if job.isDone {
            monitor.unlock()
            body()
        } else {
            job.onDone.append(body)
            monitor.unlock()
        }
    }

    /// Cancels every queued piece whose job was not sent to a worker yet (`shutdown(cancelFutures: true)`).
    func cancelPending() {
        monitor.lock()
        let notes = cancelQueued(matching: { chunk in
            if chunk.job.dispatched { return false }
            chunk.job.cancelled = true
            return true
        })
        monitor.unlock()
        for note in notes { note() }
    }

    /// Takes the queued pieces `matching` selects out of the queue and completes them as cancelled; returns the
    /// notifications to run once the monitor is released. Called with the monitor held.
    private func cancelQueued(matching: (PoolChunk) -> Bool) -> [() -> Void] {
        var notes: [() -> Void] = []
        var kept: [PoolChunk] = []
        for chunk in pending[pendingHead...] {
            if matching(chunk) {
                deliver(chunk, outcomes: [.failure(PoolError.cancelled, count: chunk.count)], notes: &notes)
            } else {
                kept.append(chunk)
            }
        }
        pending = kept
        pendingHead = 0
        return notes
    }

    private func failEverything(_ error: any Error, notes: inout [() -> Void]) {
        for chunk in pending[pendingHead...] {
            deliver(chunk, outcomes: [.failure(error, count: chunk.count)], notes: &notes)
        }
        pending = []
        pendingHead = 0
        for index in slots.indices {
            for chunk in slots[index].inflight.values {
                deliver(chunk, outcomes: [.failure(error, count: chunk.count)], notes: &notes)
            }
            slots[index].inflight = [:]
        }
    }

    private func requeueFront(_ chunk: PoolChunk) {
        if pendingHead > 0 {
            pendingHead -= 1
            pending[pendingHead] = chunk
        } else {
            pending.insert(chunk, at: 0)
        }
    }

    /// A new chunk for items `start..<start + count` of `old`'s job (after its worker died).
    private func newChunk(from old: PoolChunk, start: Int, count: Int, retriesLeft: Int) -> PoolChunk? {
        let payload: [UInt8]
        var lease: PoolLease?
        if start == old.start && count == old.count {
            payload = old.payload
            lease = old.lease
            // Results written over the arguments (PoolRawLayout.inPlace): write the arguments again.
            if let lease, let layout = old.layout, layout.inPlace { layout.write(start..<start + count, lease.pointer) }
        } else {
            do { payload = try old.encoder(start..<start + count) } catch { return nil }
        }
        defer { nextSeq += 1 }
        return PoolChunk(seq: nextSeq, job: old.job, start: start, count: count, payload: payload, encoder: old.encoder,
                         retriesLeft: retriesLeft, lease: lease, layout: old.layout)
    }

    // MARK: The dispatcher thread

    /// Picks the next queued piece and an alive worker with room for it (the monitor held).
    private func nextAssignment() -> (Int, PoolChunk)? {
        while pendingHead < pending.count {
            let chunk = pending[pendingHead]
            if chunk.job.abandoned || chunk.job.cancelled {
                chunk.lease = nil
                pendingHead += 1
                chunk.job.completed += chunk.count
                monitor.broadcast()
                continue
            }
            // With a long queue every worker stays busy to the end anyway: queue deeper, so that a worker finds
            // its next task without waiting for the parent's answer.
            let limit = pending.count - pendingHead >= 4 * size ? Swift.max(depth, 4) : depth
            var best: Int?
            for index in slots.indices where slots[index].alive && slots[index].inflight.count < limit {
                if let maxTasksPerChild, slots[index].sent >= maxTasksPerChild { continue }
                if best == nil || slots[index].inflight.count < slots[best!].inflight.count { best = index }
            }
            guard let slot = best else { return nil }
            pendingHead += 1
            if pendingHead == pending.count {
                // Drained: drop the sent chunks now. Each holds its job, whose results may hold arena space, which
                // the next map should reuse (its pages are warm) rather than fault in fresh ones.
                pending.removeAll(keepingCapacity: true)
                pendingHead = 0
            } else if pendingHead > 4096 && pendingHead * 2 > pending.count {
                pending.removeFirst(pendingHead)
                pendingHead = 0
            }
            slots[slot].inflight[chunk.seq] = chunk
            slots[slot].sent += 1
            chunk.job.dispatched = true
            return (slot, chunk)
        }
        return nil
    }

    /// The dispatcher thread: sends the tasks that `pump` leaves (long ones, whose write may wait for the worker).
    private func dispatcherLoop() {
        monitor.lock()
        while !dispatcherStop {
            guard let (slot, chunk) = nextAssignment() else {
                monitor.waitSide()
                continue
            }
            monitor.unlock()
            _ = sendTask(taskMessage(chunk), to: slot, chunk, wait: true)
            monitor.lock()
        }
        monitor.unlock()
    }

    // MARK: The handler thread

    private func handlerLoop() {
        while true {
            // While callers poll, they handle what arrives: stay off the ring's wake-ups meanwhile.
            monitor.lock()
            while pollers.load(ordering: .sequentiallyConsistent) > 0 && deferredNotes.isEmpty && !handlerFinished {
                handlerParked = true
                monitor.waitPark(until: cshim_now_ns() + PoolEngine.parkSlice)
                handlerParked = false
            }
            let handed = deferredNotes
            deferredNotes = []
            monitor.unlock()
            _ = cshim_ring_take_flag(handlerFlag)
            for note in handed { note() }

            readerRole.lock()
            var notes: [() -> Void] = []
            let finished = drainResults(&notes)
            readerRole.unlock()
            for note in notes { note() }
            if finished || monitor.withLock({ handlerFinished }) {
                runDeferredAndExit()
                return
            }
            if pollers.load(ordering: .sequentiallyConsistent) > 0 { continue }
            if cshim_ring_wait_input(resultRing.ring, handlerFlag, 200_000_000) == 0, !site.zygoteAlive,
               cshim_ring_readable(resultRing.ring) == 0 {
                monitor.lock()
                handlerFinished = true
                var notes: [() -> Void] = []
                broken = broken ?? .brokenPool("the pool's zygote process died")
                failEverything(broken!, notes: &notes)
                for index in slots.indices { slots[index].alive = false }
                monitor.broadcast()
                monitor.unlock()
                for note in notes { note() }
                runDeferredAndExit()
                return
            }
        }
    }

    /// The handler thread's last act: runs the callbacks handed over so far; once none are left, says it has
    /// ended (under the monitor), so that later ones run where they are found.
    private func runDeferredAndExit() {
        while true {
            let rest = monitor.withLock { () -> [() -> Void] in
                if deferredNotes.isEmpty { handlerExited = true }
                defer { deferredNotes = [] }
                return deferredNotes
            }
            if rest.isEmpty { return }
            for note in rest { note() }
        }
    }

    /// Reads and handles every message on the result ring now (the reader role held); returns true once the
    /// zygote said goodbye (or the ring ended). The notifications to run are appended to `notes`.
    private func drainResults(_ notes: inout [() -> Void]) -> Bool {
        while true {
            let message: [UInt8]
            do {
                message = try resultRing.read(timeout: .zero)
            } catch .timedOut {
                return false
            } catch {
                monitor.withLock {
                    handlerFinished = true
                    monitor.broadcast()
                }
                return true
            }
            var reader = WireReader(message)
            switch reader.u8().flatMap(PoolRecord.init(rawValue:)) {
            case .results?: handleResults(&reader, notes: &notes)
            case .spawned?: handleSpawned(&reader)
            case .died?: handleDeath(&reader, notes: &notes)
            case .initializerFailed?: handleInitializerFailure(&reader, notes: &notes)
            case .bye?:
                monitor.withLock {
                    handlerFinished = true
                    zygoteSaidBye = true
                    monitor.broadcast()
                }
                return true
            case nil: continue
            }
        }
    }

    private func handleResults(_ reader: inout WireReader, notes: inout [() -> Void]) {
        guard let slot = reader.u32().map(Int.init), slot < size, let seq = reader.u64(),
              let segments = reader.u32(), let worker = reader.string() else { return }
        var outcomes: [PoolOutcome] = []
        outcomes.reserveCapacity(Int(segments))
        var inPlace: [(index: Int, count: Int)] = []  // runs of results written in the arena, by outcome index
        for _ in 0..<segments {
            guard let kind = reader.u8() else { break }
            if kind == 0 {
                guard let count = reader.u32(), let bytes = reader.blobSlice() else { break }
                outcomes.append(.values(bytes, count: Int(count)))
            } else if kind == 2 {
                guard let count = reader.u32() else { break }
                inPlace.append((outcomes.count, Int(count)))
                outcomes.append(.values([], count: Int(count)))  // replaced below, once the chunk is known
            } else {
                let typeName = reader.string() ?? "Error", text = reader.string() ?? ""
                outcomes.append(.failure(RemoteError(typeName: typeName, message: text, worker: worker), count: 1))
            }
        }
        monitor.lock()
        if let chunk = slots[slot].inflight.removeValue(forKey: seq) {
            if !inPlace.isEmpty {
                if let lease = chunk.lease, let layout = chunk.layout {
                    var item = 0, next = 0
                    for index in outcomes.indices {
                        if next < inPlace.count && inPlace[next].index == index {
                            let count = inPlace[next].count
                            outcomes[index] = .shared(lease, offset: layout.resultOffset(count: chunk.count) + item * layout.resultStride,
                                                      byteCount: count * layout.resultStride, count: count)
                            next += 1
                        }
                        item += outcomes[index].count
                    }
                } else {
                    outcomes = [.failure(PoolError.system("results in the arena for a task that has no arena space"),
                                         count: chunk.count)]
                }
            }
            let delivered = outcomes.reduce(0) { $0 + $1.count }
            if delivered != chunk.count {
                outcomes = [.failure(PoolError.system("a result message for \(chunk.count) items held \(delivered)"),
                                     count: chunk.count)]
            }
            deliver(chunk, outcomes: outcomes, notes: &notes)
        }
        monitor.unlock()
        pump()
    }

    private func handleSpawned(_ reader: inout WireReader) {
        guard let slot = reader.u32().map(Int.init), slot < size, let pid = reader.i32(), let name = reader.string() else {
            return
        }
        monitor.withLock {
            slots[slot].pid = pid
            slots[slot].name = name
            slots[slot].alive = true
            slots[slot].sent = 0
            deadFlags[slot].dead.store(false, ordering: .releasing)
            startedWorkers += 1
            monitor.broadcast()
        }
        pump()
    }

    private func handleInitializerFailure(_ reader: inout WireReader, notes: inout [() -> Void]) {
        guard reader.u32() != nil else { return }
        let text = reader.string() ?? "?"
        monitor.lock()
        if broken == nil { broken = .initializerFailed(text) }
        failEverything(broken!, notes: &notes)
        monitor.broadcast()
        monitor.unlock()
    }

    private func handleDeath(_ reader: inout WireReader, notes: inout [() -> Void]) {
        guard let slot = reader.u32().map(Int.init), slot < size, let pid = reader.i32(), let code = reader.i32() else {
            return
        }
        let known = monitor.withLock { () -> Bool in
            guard slots[slot].pid == pid else { return false }
            slots[slot].alive = false
            deadFlags[slot].dead.store(true, ordering: .releasing)
            return true
        }
        guard known else { return }
        // The dispatcher gives up a write to this slot within its check interval; then its ring holds exactly the
        // tasks the worker never read.
        writeLocks[slot].lock()
        var unread = Set<UInt64>()
        while let message = try? taskRings[slot].read(timeout: .zero) {
            var task = WireReader(message)
            if let seq = task.u64() { unread.insert(seq) }
        }
        let table = progressTable.buffer.baseAddress! + slot * PoolSite.progressStride
        let runningSeq = table.loadUnaligned(as: UInt64.self)
        let runningItem = Int(table.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        table.storeBytes(of: 0 as UInt64, as: UInt64.self)

        monitor.lock()
        let worker = slots[slot].name
        let status = exitStatusText(code)
        var crashed = false
        var stopWorkers = false
        for chunk in slots[slot].inflight.values.sorted(by: { $0.seq > $1.seq }) {
            if unread.contains(chunk.seq) || runningSeq != chunk.seq || runningItem >= chunk.count {
                requeueFront(chunk)  // never started: it runs elsewhere
                continue
            }
            crashed = true
            if breakOnWorkerDeath {
                requeueFront(chunk)  // failed below with everything else, as CPython's BrokenProcessPool
                continue
            }
            if chunk.retriesLeft > 0, let again = newChunk(from: chunk, start: chunk.start, count: chunk.count,
                                                             retriesLeft: chunk.retriesLeft - 1) {
                requeueFront(again)
                continue
            }
            var outcomes: [PoolOutcome] = []
            for item in 0..<runningItem {
                outcomes.append(.failure(PoolError.resultLost(worker: worker, pid: pid, status: status,
                                                              item: chunk.start + item), count: 1))
            }
            outcomes.append(.failure(PoolError.workerDied(worker: worker, pid: pid, status: status,
                                                          item: chunk.start + runningItem), count: 1))
            let restCount = chunk.count - runningItem - 1
            var rest: PoolChunk?
            if restCount > 0 {
                rest = newChunk(from: chunk, start: chunk.start + runningItem + 1, count: restCount,
                                retriesLeft: chunk.retriesLeft)
                if rest == nil {
                    outcomes.append(.failure(PoolError.workerDied(worker: worker, pid: pid, status: status,
                                                                  item: chunk.start + runningItem), count: restCount))
                }
            }
            deliver(chunk, outcomes: outcomes, notes: &notes)
            if let rest { requeueFront(rest) }
        }
        slots[slot].inflight = [:]
        if breakOnWorkerDeath && (crashed || code != 0) && broken == nil && phase != .terminated {
            broken = .brokenPool("worker \(worker) (pid \(pid)) \(status)")
            failEverything(broken!, notes: &notes)
            stopWorkers = true
        }
        let respawn = phase != .terminated && !ringsClosed && broken == nil
        monitor.broadcast()
        monitor.unlock()
        writeLocks[slot].unlock()
        if respawn { sendCommand(.spawn, slot: slot) }
        if stopWorkers { sendCommand(.terminate) }
        pump()
    }
}

// MARK: - The zygote and the workers

/// What the zygote process does. Built in the parent, run in the zygote (and, through `runWorker`, in each worker).
final class PoolZygote {
    let size: Int
    let taskRings: [RingBuffer]
    let resultRing: RingBuffer
    let progress: SharedMemory
    let arena: PoolArena?
    let requestFD: Int32
    let parentEndFD: Int32
    let initializer: (() throws -> Void)?
    /// The current pool's (a reused zygote serves several pools).
    var maxTasksPerChild: Int?
    let poolPID: pid_t

    private var workers: [(slot: Int, pid: pid_t, sentinel: Int32)] = []
    private var counter = 0
    /// The process backing the arena's first pages (`startWarmer`), until reaped.
    private var warmer: (pid: pid_t, sentinel: Int32)?
    private var warmerStarted = false
    /// Readable once the zygote has been sent SIGTERM (`cshim_term_notice_install`); -1 if it could not be set up.
    private var terminationNotice: Int32 = -1
    /// The arena bytes the warmer backs: the results of a map of 10^6 plain 8-byte values (within the warm
    /// pages an idle site keeps, `PoolSite.idleArenaBytes`).
    static let warmArenaBytes = 8 << 20
    /// How long terminate() lets workers end on SIGTERM before it sends SIGKILL.
    static let terminationGrace: Duration = .seconds(1)
    /// The zygote's scheduler time slice (the shortest the kernel grants).
    static let slice: Int64 = 100_000

    init(size: Int, taskRings: [RingBuffer], resultRing: RingBuffer, progress: SharedMemory, arena: PoolArena?,
         requestFD: Int32, parentEndFD: Int32, initializer: (() throws -> Void)?, maxTasksPerChild: Int?, poolPID: pid_t) {
        self.size = size
        self.taskRings = taskRings
        self.resultRing = resultRing
        self.progress = progress
        self.arena = arena
        self.requestFD = requestFD
        self.parentEndFD = parentEndFD
        self.initializer = initializer
        self.maxTasksPerChild = maxTasksPerChild
        self.poolPID = poolPID
    }

    /// Takes, once per process and in this process, the library and runtime paths that the zygote and its
    /// workers take first (lazy symbol binding, type metadata), so that they are resolved once here rather than
    /// in every zygote and worker, where each costs copy-on-write page faults (a few µs each on this VM).
    static let warmedUp: Bool = {
        var workers: [(slot: Int, pid: pid_t, sentinel: Int32)] = [(0, getpid(), -1)]
        var fds = workers.map { pollfd(fd: $0.sentinel, events: Int16(POLLIN), revents: 0) }
        fds.append(pollfd(fd: -1, events: Int16(POLLIN), revents: 0))
        _ = poll(&fds, nfds_t(fds.count), 0)
        var survivors: [(slot: Int, pid: pid_t, sentinel: Int32)] = []
        for (worker, entry) in zip(workers, fds) where entry.revents == 0 { survivors.append(worker) }
        workers = survivors
        let pidfd = cshim_pidfd_open(getpid())
        if pidfd >= 0 { closeDescriptor(pidfd) }
        var reader = WireReader([ZygoteCommand.quit.rawValue, 0, 0, 0, 0])
        let op = reader.u8().flatMap(ZygoteCommand.init(rawValue:))
        let name = "ForkPoolWorker-\(workers.count + Int(reader.u32() ?? 0))"
        let me = "\(name) (pid \(getpid()))"
        var out = WireWriter(reserving: 64)
        out.u8(PoolRecord.spawned.rawValue)
        out.string(me)
        var parts: [[UInt8]] = [out.bytes]
        parts.append(out.bytes)
        _ = PoolBatchRegistry.runner(me)
        sched_yield()
        // The runtime's large-temporary-allocation check and deallocation, which a worker's first task reaches
        // (each a lazy binding: some twenty page faults of symbol look-ups in the child).
        let scratch = withUnsafeTemporaryAllocation(byteCount: 4096 + Int(cshim_now_ns() & 1), alignment: 16) { buffer in
            buffer.storeBytes(of: UInt8(truncatingIfNeeded: cshim_now_ns()), as: UInt8.self)
            return buffer.load(as: UInt8.self)
        }
        let cell = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        cell.initialize(to: scratch)
        cell.deallocate()
        return op != nil && getppid() != 0 && !parts.isEmpty
    }()

    private func report(_ build: (inout WireWriter) -> Void) {
        var message = WireWriter()
        build(&message)
        try? resultRing.write(message.bytes)
    }

    /// The zygote's loop: start the workers, serve spawn requests and report deaths until told to quit or to
    /// release the workers; once they are gone, say bye, and after a release wait for the next pool's start
    /// (`PoolSite`).
    func run() throws {
        closeDescriptor(parentEndFD)
        signal(SIGINT, SIG_IGN)
        // SIGTERM (`Process.terminate`, and the exit of the pool's process, which terminates daemonic children as
        // CPython's does) ends the workers first, as CPython's `Pool.terminate` does, rather than leaving them to
        // die orphaned by their death signal a moment after the pool's process has gone.
        terminationNotice = cshim_term_notice_install()
        // Short time slices: the zygote only ever runs briefly (a fork, a report, a reap), and with a short slice
        // it and each worker it forks (which inherits the slice until it starts) take a busy CPU at once instead of
        // waiting for the running task's slice to end: on a machine busy with other work, a fork's child otherwise
        // waited about 3 ms to run, and a start + close + join pays that twice. Ignored by kernels before 6.12.
        _ = cshim_sched_set_slice(PoolZygote.slice)
        while true {
            for slot in 0..<size { spawn(slot) }
            if !warmerStarted { startWarmer() }
            let ending = serve()
            report { $0.u8(PoolRecord.bye.rawValue) }
            guard ending == .release, let next = nextStart() else { break }
            maxTasksPerChild = next > 0 ? next : nil
        }
        reapWarmer(killing: true)
        closeDescriptor(requestFD)
    }

    /// Forks, once per zygote, a process that backs the arena's first `warmArenaBytes`, then exits: a shared page
    /// is then made in the background, once, rather than by the worker whose results first land there when a
    /// large map is waiting for them. A fault that makes a page costs about 2.5 µs on this VM, 3 ms a worker for
    /// the first map of 10^6 Ints, while a worker maps pages that exist 16 to a fault (see `runWorker`). It costs
    /// about 5 ms of CPU at normal priority, once per zygote: at idle priority (SCHED_IDLE) it would get next to no
    /// CPU while other processes keep every CPU busy, and the first large map would find the pages unmade.
    private func startWarmer() {
        warmerStarted = true
        guard let arena else { return }
        let zygotePID = getpid()
        var sentinel: Int32 = -1
        let pid = cshim_fork_watched(&sentinel)
        if pid == 0 {
            _ = cshim_set_parent_death_signal(SIGKILL, zygotePID)
            // Back to the default slice (see `run`): one long system call.
            _ = cshim_sched_set_slice(0)
            cshim_term_notice_drop()
            closeDescriptor(requestFD)
            for worker in workers { closeDescriptor(worker.sentinel) }
            _ = madvise(arena.base, Swift.min(PoolZygote.warmArenaBytes, arena.size), 23 /* MADV_POPULATE_WRITE */)
            cshim_child_exit(0)
        }
        if pid > 0 { warmer = (pid, sentinel) }
    }

    /// Waits for a child of the zygote to end, reaps it and closes its sentinel; returns its exit code.
    private func reap(_ pid: pid_t, _ sentinel: Int32) -> Int32 {
        var code: Int32 = 0
        _ = cshim_wait_child(pid, sentinel, CSHIM_FOREVER, &code)
        closeDescriptor(sentinel)
        return code
    }

    /// Waits for the warmer to end (after a SIGKILL if `killing`: the zygote is leaving) and reaps it.
    private func reapWarmer(killing: Bool) {
        guard let warmer else { return }
        if killing { _ = kill(warmer.pid, SIGKILL) }
        _ = reap(warmer.pid, warmer.sentinel)
        self.warmer = nil
    }

    /// Serves one pool until its workers are gone after a quit or a release (the one returned; the pool's process
    /// closing its end, or dying, counts as a quit).
    private func serve() -> ZygoteCommand {
        var ending: ZygoteCommand?
        // After `terminate`: when the workers that SIGTERM has not ended by then get SIGKILL (a stopped worker, one
        // that handles SIGTERM): terminate() must not hang on them (CPython's does).
        var killAt: ContinuousClock.Instant?
        while !(ending != nil && workers.isEmpty) {
            var fds = workers.map { pollfd(fd: $0.sentinel, events: Int16(POLLIN), revents: 0) }
            let warmerIndex = fds.count
            if let warmer { fds.append(pollfd(fd: warmer.sentinel, events: Int16(POLLIN), revents: 0)) }
            let requestIndex = fds.count
            if ending == nil { fds.append(pollfd(fd: requestFD, events: Int16(POLLIN), revents: 0)) }
            fds.append(pollfd(fd: terminationNotice, events: Int16(POLLIN), revents: 0))
            var wait: Int32 = -1
            if let deadline = killAt {
                let left = deadline - ContinuousClock.now
                if left <= .zero {
                    for worker in workers { _ = kill(worker.pid, SIGKILL) }
                    killAt = nil
                } else {
                    let ms = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
                    wait = Int32(clamping: ms + 1)
                }
            }
            let ready = poll(&fds, nfds_t(fds.count), wait)
            if ready < 0 { if errno == EINTR { continue }; return .quit }
            if ready == 0 { continue }  // the grace ran out: the next round sends SIGKILL
            if fds[fds.count - 1].revents != 0 { endByTermination() }
            // Deaths first, against the list the poll set was built from; then requests (which may add workers).
            let watched = workers
            var survivors: [(slot: Int, pid: pid_t, sentinel: Int32)] = []
            for (worker, entry) in zip(watched, fds) {
                guard entry.revents != 0 else {
                    survivors.append(worker)
                    continue
                }
                let code = reap(worker.pid, worker.sentinel)
                report {
                    $0.u8(PoolRecord.died.rawValue)
                    $0.u32(UInt32(worker.slot))
                    $0.i32(worker.pid)
                    $0.i32(code)
                }
            }
            workers = survivors
            if requestIndex > warmerIndex, fds[warmerIndex].revents != 0 { reapWarmer(killing: false) }
            if ending == nil, fds.count > requestIndex, fds[requestIndex].revents != 0 {
                guard let (op, slot) = readCommand() else {
                    ending = .quit
                    continue
                }
                switch op {
                case .spawn: if slot < size { spawn(slot) }
                case .terminate:
                    // SIGCONT too: a stopped worker would keep SIGTERM pending for ever
                    for worker in workers { _ = kill(worker.pid, SIGTERM); _ = kill(worker.pid, SIGCONT) }
                    killAt = ContinuousClock.now + PoolZygote.terminationGrace
                case .release: ending = .release
                case .quit, .start: ending = .quit
                }
            }
        }
        return ending ?? .quit
    }

    /// Waits, with no workers, for the next pool's start; returns its maximum tasks per child (0: none), or nil
    /// when told to quit (or when the pool's process closed its end). A command the last pool sent after its
    /// release (a `terminate()` racing its `join()`) has nothing left to act on and is skipped.
    private func nextStart() -> Int? {
        while true {
            // The warmer, still backing the arena, is reaped when it ends, while the zygote waits.
            var fds = [pollfd(fd: requestFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: terminationNotice, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: warmer?.sentinel ?? -1, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 3, -1) < 0 && errno != EINTR { return nil }
            if fds[1].revents != 0 { endByTermination() }
            if fds[2].revents != 0 { reapWarmer(killing: false) }
            if fds[0].revents == 0 { continue }
            guard let (op, argument) = readCommand() else { return nil }
            switch op {
            case .start: return argument
            case .quit: return nil
            case .spawn, .terminate, .release: continue
            }
        }
    }

    /// After a SIGTERM: ends the workers and the warmer (SIGKILL, the signal their zygote's death would have sent
    /// them), reaps them, and ends by SIGTERM.
    private func endByTermination() -> Never {
        for worker in workers { _ = kill(worker.pid, SIGKILL) }
        for worker in workers { _ = reap(worker.pid, worker.sentinel) }
        reapWarmer(killing: true)
        cshim_term_notice_end()
    }

    /// The next command and its number; nil at the end of the socket (or for a command this zygote does not know).
    private func readCommand() -> (ZygoteCommand, Int)? {
        var command = [UInt8](repeating: 0, count: 5)
        let n = command.withUnsafeMutableBytes { readFully(requestFD, $0) }
        guard n == 5 else { return nil }
        var reader = WireReader(command)
        guard let op = reader.u8().flatMap(ZygoteCommand.init(rawValue:)), let argument = reader.u32() else { return nil }
        return (op, Int(argument))
    }

    /// Writes `arrays` as one message (a few parts: the recursion is as deep as there are parts).
    private func writeParts(_ arrays: ArraySlice<[UInt8]>, _ gathered: [UnsafeRawBufferPointer],
                            to ring: RingBuffer) -> Bool {
        guard let first = arrays.first else {
            do { try ring.write(parts: gathered) } catch { return false }
            return true
        }
        return first.withUnsafeBytes { writeParts(arrays.dropFirst(), gathered + [$0], to: ring) }
    }

    private func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
        var done = 0
        while done < buffer.count {
            let n = read(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            done += n
        }
        return done
    }

    private func spawn(_ slot: Int) {
        counter += 1
        let name = "ForkPoolWorker-\(counter)"
        let zygotePID = getpid()
        var sentinel: Int32 = -1
        let pid = cshim_fork_watched(&sentinel)
        if pid == 0 { runWorker(slot: slot, name: name, zygotePID: zygotePID) }
        if pid < 0 {
            report {
                $0.u8(PoolRecord.initializerFailed.rawValue)
                $0.u32(UInt32(slot))
                $0.string("fork() failed (errno \(errno)): too many processes, or out of memory")
            }
            return
        }
        workers.append((slot, pid, sentinel))
        report {
            $0.u8(PoolRecord.spawned.rawValue)
            $0.u32(UInt32(slot))
            $0.i32(pid)
            $0.string(name)
        }
    }

    /// A worker: runs the tasks of its slot's ring until the ring ends, an empty task tells it to leave (the pool
    /// is releasing its zygote), or it has run `maxTasksPerChild` tasks.
    private func runWorker(slot: Int, name: String, zygotePID: pid_t) -> Never {
        signal(SIGINT, SIG_IGN)
        // Back to the default slice: a worker runs the tasks, long ones too (see `run`).
        _ = cshim_sched_set_slice(0)
        _ = cshim_set_parent_death_signal(SIGKILL, zygotePID)
        cshim_term_notice_drop()
        closeDescriptor(requestFD)
        for worker in workers { closeDescriptor(worker.sentinel) }
        if let warmer { closeDescriptor(warmer.sentinel) }
        ProcessTable.shared.becomeChild(identity: [counter], name: name, daemon: true,
                                        parent: ParentProcess(name: "MainProcess", pid: poolPID))
        // Made when first needed (a result, an error): a worker that is released before its first task never
        // runs the string code, whose pages it would fault in.
        lazy var me = "\(name) (pid \(getpid()))"
        if let initializer {
            do {
                try initializer()
            } catch {
                report {
                    $0.u8(PoolRecord.initializerFailed.rawValue)
                    $0.u32(UInt32(slot))
                    $0.string("\(type(of: error)): \(error) (in \(me))")
                }
                cshim_child_exit(1)
            }
        }
        let ring = taskRings[slot]
        // After each task, wait a little for the next before sleeping (see "Latency" at the top).
        cshim_ring_set_spin_yielding(ring.ring, PoolEngine.workerSpin)
        let table = progress.buffer.baseAddress! + slot * PoolSite.progressStride
        var done = 0
        while true {
            guard let message = try? ring.read() else { break }
            var reader = WireReader(message)
            guard let seq = reader.u64(), let function = reader.string(), let count = reader.u32().map(Int.init),
                  let mode = reader.u8() else { break }
            var payload: ArraySlice<UInt8> = []
            var shared: (arguments: UnsafeRawBufferPointer, results: UnsafeMutableRawPointer, stride: Int)?
            var ranged: (first: Int, results: UnsafeMutableRawPointer, stride: Int)?
            if mode == 2 {
                guard let arena, let first = reader.u64().map({ Int(Int64(bitPattern: $0)) }),
                      let resultOffset = reader.u64().map(Int.init), let stride = reader.u64().map(Int.init),
                      resultOffset + count * stride <= arena.size else { break }
                ranged = (first, arena.base + resultOffset, stride)
                // Map the result area's pages in one call rather than one fault per page. A read populate maps the
                // pages already in the arena (an earlier map's, warm) 16 to a fault (the kernel's fault-around),
                // writable, since the arena is shared memory; a write populate takes a fault per page.
                let from = (resultOffset + 4095) & ~4095, to = (resultOffset + count * stride) & ~4095
                if to > from { _ = madvise(arena.base + from, to - from, 22 /* MADV_POPULATE_READ */) }
            } else if mode == 1 {
                guard let arena, let argumentOffset = reader.u64().map(Int.init), let argumentBytes = reader.u64().map(Int.init),
                      let resultOffset = reader.u64().map(Int.init), let stride = reader.u64().map(Int.init),
                      argumentOffset + argumentBytes <= arena.size, resultOffset + count * stride <= arena.size else { break }
                shared = (UnsafeRawBufferPointer(start: arena.base + argumentOffset, count: argumentBytes),
                          arena.base + resultOffset, stride)
            } else {
                guard let bytes = reader.blobSlice() else { break }
                payload = bytes
            }
            table.storeBytes(of: seq, as: UInt64.self)
            table.storeBytes(of: 0 as UInt64, toByteOffset: 8, as: UInt64.self)
            let segments: [PoolSegment]
            if let runner = PoolBatchRegistry.runner(function) {
                let beforeItem = { (item: Int) in table.storeBytes(of: UInt64(item), toByteOffset: 8, as: UInt64.self) }
                if let ranged {
                    segments = runner.runRange(first: ranged.first, count: count, results: ranged.results,
                                               stride: ranged.stride, progress: table + 8)
                } else if let shared {
                    segments = runner.runShared(shared.arguments, count: count, results: shared.results,
                                                stride: shared.stride, progress: table + 8)
                } else {
                    segments = runner.run(payload, count: count, beforeItem: beforeItem)
                }
            } else {
                segments = Array(repeating: .failure(typeName: "RemoteFunctionError",
                                                     message: RemoteFunctionError.unknownFunction(function).description),
                                 count: count)
            }
            // The message is written in parts: small headers, and each run of results by reference (no copy).
            var parts: [[UInt8]] = []
            var out = WireWriter(reserving: 64)
            out.u8(PoolRecord.results.rawValue)
            out.u32(UInt32(slot))
            out.u64(seq)
            out.u32(UInt32(segments.count))
            out.string(me)
            let gather = segments.count <= 16
            for segment in segments {
                switch segment {
                case let .values(bytes, items):
                    out.u8(0)
                    out.u32(UInt32(items))
                    if gather {
                        out.u32(UInt32(bytes.count))
                        parts.append(out.bytes)
                        parts.append(bytes)
                        out = WireWriter(reserving: 64)
                    } else {
                        out.blob(bytes)
                    }
                case let .inPlace(items):
                    out.u8(2)
                    out.u32(UInt32(items))
                case let .failure(typeName, message):
                    out.u8(1)
                    out.string(typeName)
                    out.string(message)
                }
            }
            parts.append(out.bytes)
            guard writeParts(parts[...], [], to: resultRing) else { break }
            table.storeBytes(of: 0 as UInt64, as: UInt64.self)
            done += 1
            if let maxTasksPerChild, done >= maxTasksPerChild { break }
        }
        // Flushes and exits by a direct system call: libc's _exit would be bound lazily in every worker.
        cshim_child_exit(0)
    }
}
