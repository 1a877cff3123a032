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
// lost with the worker) an error saying so, and the items after it run elsewhere. A task assigned to a worker that
// dies before the task is written is never written to its replacement: it is requeued like an unread one (each
// slot counts its workers' incarnations; see `sendTask`). Nothing is lost and nothing runs twice unless the caller
// asked for retries.
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

import Glibc

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
    let site: PoolSite
    var taskRings: [RingBuffer] { site.taskRings }
    var resultRing: RingBuffer { site.resultRing }
    var progressTable: SharedMemory { site.progressTable }
    var arena: PoolArena? { site.arena }
    /// Chunks smaller than this go through the rings even when their items could use the arena (their arguments
    /// are copied there), except the chunks of a map over a range of Ints, which carry no arguments: through the
    /// arena, even a small one runs the worker's loop specialised for its types rather than the generic decoding
    /// one (map(square) over 10^4: 0.1 ms instead of 0.35-0.5 ms).
    static let arenaThreshold = 16 * 1024
    /// Whether commands may still be sent to the zygote (guarded by `monitor`).
    private var zygoteListening = true
    let writeLocks: [PoolMonitor]
    let deadFlags: [PoolSlotFlag]
    var handler: PoolThread?
    var dispatcher: PoolThread?
    /// Tests only (nil otherwise): called by the thread that picked `slot` for a task, after the pick and before
    /// it takes the slot's write lock, the window in which the slot's worker may die and be replaced. Set before
    /// any work is submitted.
    var beforeTaskWrite: ((PoolEngine, _ slot: Int) -> Void)?
    /// Held while reading and handling the result ring: by the handler thread, or by a caller polling for its
    /// result. Only its mutex is used.
    let readerRole = PoolMonitor()
    /// Callers polling the result ring now (the handler thread parks meanwhile).
    let pollers = Atomic<Int>(0)
    /// Set with a wake-up when the handler thread has something to look at besides the ring (`handOver`).
    let handlerFlag: UnsafeMutablePointer<UInt32> = {
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
    var slots: [Slot]
    private var pending: [PoolChunk] = []
    private var pendingHead = 0
    private var nextSeq: UInt64 = 1
    var handlerFinished = false
    /// The zygote said bye: its workers are gone and it waits for a command.
    var zygoteSaidBye = false
    var ringsClosed = false
    private var dispatcherStop = false
    private var shutDown = false
    var startedWorkers = 0
    /// Callbacks that a polling caller found, for the handler thread to run (in order).
    var deferredNotes: [() -> Void] = []
    var handlerParked = false
    var handlerExited = false

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
        guard cshim_getpid_cached() == creatorPID else {
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
    func pump() {
        while true {
            monitor.lock()
            guard let (slot, incarnation, chunk) = nextAssignment() else {
                monitor.unlock()
                return
            }
            monitor.unlock()
            let message = taskMessage(chunk)
            let small = message.count + chunk.payload.count <= taskRings[slot].maxUnfragmentedLength
            if small {
                switch sendTask(message, to: slot, incarnation, chunk, wait: false) {
                case .written, .superseded: continue
                case .givenBack: break
                }
            } else if giveBack(chunk, slot: slot, incarnation) == .superseded {
                continue
            }
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

    /// What became of a task assigned to a slot.
    enum SendOutcome {
        case written
        /// Not written (the worker died, or the ring was full and the write was not to wait): back at the head of
        /// the queue.
        case givenBack
        /// Not written: the worker picked for it was replaced meanwhile, and its death handler put the task back in
        /// the queue (or ran it elsewhere already). The task is no longer this sender's.
        case superseded
    }

    /// Writes a task to a slot's ring, if the slot still has the worker `incarnation` it was assigned to; on
    /// failure (the worker died, or the ring is full and `wait` is false) puts the task back at the head of the
    /// queue.
    ///
    /// The check matters when the sender is preempted between the pick (under the monitor) and the write lock:
    /// meanwhile the worker may die, its death handler requeue the task (assigned, never written), and a
    /// replacement start and clear the dead flag. Without the check the task went to the replacement as well as
    /// from the queue, and ran twice.
    private func sendTask(_ message: [UInt8], to slot: Int, _ incarnation: UInt64, _ chunk: PoolChunk,
                          wait: Bool) -> SendOutcome {
        let flag = deadFlags[slot]
        let ring = taskRings[slot]
        if let beforeTaskWrite { beforeTaskWrite(self, slot) }
        writeLocks[slot].lock()
        defer { writeLocks[slot].unlock() }
        guard flag.incarnation.load(ordering: .relaxed) == incarnation else { return .superseded }
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
        if written { return .written }
        giveBackLocked(chunk, slot: slot)
        return .givenBack
    }

    /// Puts an assigned, unsent task back at the head of the queue, unless the worker `incarnation` it was
    /// assigned to was replaced meanwhile (its death handler requeued the task: see `sendTask`).
    private func giveBack(_ chunk: PoolChunk, slot: Int, _ incarnation: UInt64) -> SendOutcome {
        writeLocks[slot].lock()
        defer { writeLocks[slot].unlock() }
        guard deadFlags[slot].incarnation.load(ordering: .relaxed) == incarnation else { return .superseded }
        giveBackLocked(chunk, slot: slot)
        return .givenBack
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
        guard cshim_getpid_cached() == creatorPID else { return false }
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

    func sendCommand(_ command: ZygoteCommand, slot: Int = 0) {
        monitor.withLock {
            guard zygoteListening else { return }
            site.tell(command, UInt32(slot))
        }
    }

    // MARK: Delivering (the monitor held)

    func deliver(_ chunk: PoolChunk, outcomes: [PoolOutcome], notes: inout [() -> Void]) {
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

    func failEverything(_ error: any Error, notes: inout [() -> Void]) {
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

    func requeueFront(_ chunk: PoolChunk) {
        if pendingHead > 0 {
            pendingHead -= 1
            pending[pendingHead] = chunk
        } else {
            pending.insert(chunk, at: 0)
        }
    }

    /// A new chunk for items `start..<start + count` of `old`'s job (after its worker died).
    func newChunk(from old: PoolChunk, start: Int, count: Int, retriesLeft: Int) -> PoolChunk? {
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

    /// Picks the next queued piece and an alive worker with room for it (the monitor held): the slot, the
    /// worker's incarnation (for `sendTask` to check), the piece.
    private func nextAssignment() -> (Int, UInt64, PoolChunk)? {
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
            return (slot, deadFlags[slot].incarnation.load(ordering: .relaxed), chunk)
        }
        return nil
    }

    /// The dispatcher thread: sends the tasks that `pump` leaves (long ones, whose write may wait for the worker).
    private func dispatcherLoop() {
        monitor.lock()
        while !dispatcherStop {
            guard let (slot, incarnation, chunk) = nextAssignment() else {
                monitor.waitSide()
                continue
            }
            monitor.unlock()
            _ = sendTask(taskMessage(chunk), to: slot, incarnation, chunk, wait: true)
            monitor.lock()
        }
        monitor.unlock()
    }
}
