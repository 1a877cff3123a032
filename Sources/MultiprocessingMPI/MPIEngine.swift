// The master's side: a queue of calls, the workers (ranks of a communicator), and one thread that makes every MPI
// call (sends batches to idle workers, receives their answers, completes the jobs). Mirrors
// `mpi4py.futures._core` (`WorkerSet`, `_manager_comm`, `_manager_spawn`).

import CShim
import Multiprocessing

#if canImport(Glibc)
import Glibc
#endif

/// One submit or one map: its units' answers and who waits for them. Guarded by the engine's monitor.
final class MPIJob: @unchecked Sendable {
    let function: String
    /// Per unit (chunk), in order: its answer (segments, see `Wire`) and the worker that sent it.
    var answers: [(segments: [UInt8], worker: String)?] = []
    /// Per unit, the index of its first item.
    var starts: [Int] = []
    var remaining = 0
    var cancelled = false
    /// Some unit of it went to a worker (it can no longer be cancelled).
    var dispatched = false
    var callbacks: [() -> Void] = []

    init(function: String) { self.function = function }

    var isDone: Bool { remaining == 0 || cancelled }
}

/// A chunk of a job's items, encoded together (`BatchCodec`): the unit of dispatch.
struct MPIUnit {
    let id: UInt64
    let job: MPIJob
    let index: Int
    let count: Int
    let payload: [UInt8]
}

/// Where the workers are and what to do with them at the end.
enum MPIWorkerSet {
    /// Ranks of an intracommunicator (mpirun -n N; MPICommExecutor). Stop them at shut-down or not.
    case ranks(Communicator, [Int], stopAtEnd: Bool)
    /// Processes this master spawned: the intercommunicator, stopped and disconnected at shut-down.
    case spawned(Communicator, Int)
}

final class MPIEngine: @unchecked Sendable {
    let monitor = PoolMonitor()
    private let comm: Communicator
    private let workers: [Int]
    private let workerSet: MPIWorkerSet
    private let releaseWorld: Bool

    // Guarded by `monitor`.
    private var queue: [MPIUnit] = []
    private var queueHead = 0
    private var idle: [Int] = []
    private var inflight: [Int: [MPIUnit]] = [:]
    private var unitsInFlight = 0
    private var readyCount = 0
    /// Each worker's host (MPI's processor name), from its ready message, for error messages.
    private var hosts: [Int: String] = [:]
    private var nextUnit: UInt64 = 1
    private(set) var closed = false
    private var broken: String?
    private var finished = false
    private var threadDone = false

    private var thread: PoolThread?

    var size: Int { workers.count }

    init(workerSet: MPIWorkerSet, initializer: (name: String, argument: [UInt8])?, releaseWorld: Bool) {
        self.workerSet = workerSet
        self.releaseWorld = releaseWorld
        switch workerSet {
        case let .ranks(comm, ranks, _):
            self.comm = comm
            self.workers = ranks
        case let .spawned(comm, count):
            self.comm = comm
            self.workers = Array(0..<count)
        }
        var setUp = WireWriter()
        setUp.u8(Wire.setUp)
        setUp.string(initializer?.name ?? "")
        setUp.blob(initializer?.argument ?? [])
        let message = setUp.bytes
        thread = PoolThread { [self] in run(setUp: message) }
    }

    /// Throws if no more work is accepted.
    func checkRunning() throws(PoolError) {
        monitor.lock()
        defer { monitor.unlock() }
        if let broken { throw .initializerFailed(broken) }
        if closed { throw .notRunning }
    }

    /// Queues a job's units: per chunk its first item's index, its item count and its encoded items.
    func enqueue(_ job: MPIJob, units: [(start: Int, count: Int, payload: [UInt8])]) throws(PoolError) {
        do {
            monitor.lock()
            defer { monitor.unlock() }
            if let broken { throw .initializerFailed(broken) }
            if closed { throw .notRunning }
            job.answers = Array(repeating: nil, count: units.count)
            job.starts = units.map(\.start)
            job.remaining = units.count
            for (index, unit) in units.enumerated() {
                queue.append(MPIUnit(id: nextUnit, job: job, index: index, count: unit.count, payload: unit.payload))
                nextUnit += 1
            }
            monitor.signalSide()
        }
        if units.isEmpty { finishEmpty(job) }
    }

    /// Waits until `job` is done or the deadline (CLOCK_MONOTONIC ns) passed; whether it is done.
    func waitDone(_ job: MPIJob, deadline: Int64?) -> Bool {
        monitor.withLock {
            while !job.isDone {
                if !monitor.wait(until: deadline) { return job.isDone }
            }
            return true
        }
    }

    /// Runs `body` when the job is done (at once if it is).
    func whenDone(_ job: MPIJob, _ body: @escaping () -> Void) {
        let now: Bool = monitor.withLock {
            if job.isDone { return true }
            job.callbacks.append(body)
            return false
        }
        if now { body() }
    }

    /// Cancels the job if none of it was sent to a worker.
    func cancel(_ job: MPIJob) -> Bool {
        let (cancelled, callbacks): (Bool, [() -> Void]) = monitor.withLock {
            if job.cancelled { return (true, []) }
            if job.dispatched || job.remaining == 0 { return (false, []) }
            return (true, cancelLocked(job))
        }
        callbacks.forEach { $0() }
        return cancelled
    }

    /// Cancels what of the job is still queued (after a map's timeout).
    func abandon(_ job: MPIJob) {
        let callbacks: [() -> Void] = monitor.withLock { job.isDone ? [] : cancelLocked(job) }
        callbacks.forEach { $0() }
    }

    private func cancelLocked(_ job: MPIJob) -> [() -> Void] {
        // Only the units not yet sent (from queueHead on): the ones before it are in flight or answered.
        let waiting = queue[queueHead...].filter { $0.job !== job }
        queue.removeSubrange(queueHead...)
        queue.append(contentsOf: waiting)
        job.cancelled = true
        monitor.broadcast()
        let callbacks = job.callbacks
        job.callbacks = []
        return callbacks
    }

    /// Cancels every queued job (shutdown's `cancelFutures`).
    func cancelPending() {
        var callbacks: [() -> Void] = []
        monitor.withLock {
            var seen = Set<ObjectIdentifier>()
            for unit in queue[queueHead...] where seen.insert(ObjectIdentifier(unit.job)).inserted && !unit.job.dispatched {
                unit.job.cancelled = true
                callbacks += unit.job.callbacks
                unit.job.callbacks = []
            }
            queue.removeSubrange(queueHead...)
            monitor.broadcast()
        }
        callbacks.forEach { $0() }
    }

    /// Stops accepting work.
    func close() {
        monitor.withLock {
            closed = true
            monitor.signalSide()
        }
    }

    /// Waits for the queued and running work, then ends the thread and lets the workers go.
    func join() {
        close()
        let thread: PoolThread? = monitor.withLock {
            defer { self.thread = nil }
            return self.thread
        }
        thread?.join()
        monitor.withLock {
            guard !finished else { return }
            finished = true
        }
    }

    /// Waits until every worker has answered its set-up (or the executor broke). Mirrors mpi4py's
    /// `bootup(wait=True)`.
    func waitReady() {
        monitor.withLock {
            while readyCount < workers.count && broken == nil && !threadDone { monitor.wait(until: nil) }
        }
    }

    var isShutDown: Bool { monitor.withLock { closed && threadDone } }

    // MARK: - The thread: every MPI call of the master

    private func run(setUp: [UInt8]) {
        for worker in workers {
            do { try comm.send(setUp, to: worker, tag: Wire.toWorker) } catch { fail(everything: "\(error)") }
        }
        var backoff = Backoff(maxSleepNanoseconds: 200_000)
        var outstandingSetUps = workers.count
        while true {
            var sends: [(worker: Int, message: [UInt8])] = []
            monitor.lock()
            while queueHead < queue.count, let worker = idle.popLast() {
                // Several units at once to a worker when the queue is long (the per-message cost is the
                // master's bottleneck at chunksize 1); each stays its own unit for results and crashes.
                let waiting = queue.count - queueHead
                let take = max(1, min(64, waiting / max(1, workers.count)))
                var units: [MPIUnit] = []
                var writer = WireWriter()
                writer.u8(Wire.batch)
                writer.u32(UInt32(take))
                for unit in queue[queueHead..<queueHead + take] {
                    unit.job.dispatched = true
                    units.append(unit)
                    writer.u64(unit.id)
                    writer.string(unit.job.function)
                    writer.u32(UInt32(unit.count))
                    writer.blob(unit.payload)
                }
                queueHead += take
                if queueHead > 4096 && queueHead * 2 > queue.count {
                    queue.removeSubrange(0..<queueHead)
                    queueHead = 0
                }
                inflight[worker] = units
                unitsInFlight += units.count
                sends.append((worker, writer.bytes))
            }
            if queueHead == queue.count && unitsInFlight == 0 && outstandingSetUps == 0 {
                if closed {
                    threadDone = true
                    monitor.broadcast()
                    monitor.unlock()
                    break
                }
                monitor.waitSide()  // nothing to do until a submit or the shut-down
                monitor.unlock()
                continue
            }
            monitor.unlock()
            for send in sends {
                do { try comm.send(send.message, to: send.worker, tag: Wire.toWorker) } catch {
                    fail(worker: send.worker, "\(error)")
                }
            }
            let message: MPIMessage?
            do { message = try comm.receiveIfAny(tag: Wire.toMaster) } catch {
                fail(everything: "\(error)")
                break
            }
            guard let message else {
                if sends.isEmpty { backoff.pause() }
                continue
            }
            backoff.reset()
            WireReader.reading(message.bytes) { reader in
                switch reader.u8() {
                case Wire.ready?:
                    outstandingSetUps -= 1
                    if reader.u8() == 0 {
                        let host = reader.string() ?? "?"
                        monitor.withLock {
                            hosts[Int(message.source)] = host
                            idle.append(Int(message.source))
                            readyCount += 1
                            monitor.broadcast()
                        }
                    } else {
                        fail(everything: reader.string() ?? "the initializer failed")
                    }
                case Wire.answers?:
                    complete(from: Int(message.source), &reader)
                default:
                    break
                }
            }
        }
        stopWorkers()
    }

    /// Records a worker's answers and makes it idle; runs the callbacks of the jobs that finished.
    private func complete(from worker: Int, _ reader: inout WireReader) {
        // (the worker's rank in the communicator: its world rank under mpirun, its rank among the spawned
        // workers otherwise, as mpirun's own messages number them)
        let rank = worker
        var finishedJobs: [MPIJob] = []
        monitor.lock()
        let units = inflight.removeValue(forKey: worker) ?? []
        unitsInFlight -= units.count
        let byID = Dictionary(units.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let sender = "MPI rank \(rank) on host \(hosts[rank] ?? "?")"
        let count = Int(reader.u32() ?? 0)
        for _ in 0..<count {
            guard let id = reader.u64(), let segments = reader.blob(), let unit = byID[id] else { break }
            guard unit.index < unit.job.answers.count, unit.job.answers[unit.index] == nil else { continue }
            unit.job.answers[unit.index] = (segments, sender)
            unit.job.remaining -= 1
            if unit.job.remaining == 0 && !unit.job.cancelled { finishedJobs.append(unit.job) }
        }
        if broken == nil { idle.append(worker) }
        let callbacks = finishedJobs.flatMap { job -> [() -> Void] in
            defer { job.callbacks = [] }
            return job.callbacks
        }
        monitor.broadcast()
        monitor.unlock()
        callbacks.forEach { $0() }
    }

    /// A job without items is done at once: wake its waiters, run its callbacks.
    private func finishEmpty(_ job: MPIJob) {
        let callbacks: [() -> Void] = monitor.withLock {
            monitor.broadcast()
            defer { job.callbacks = [] }
            return job.callbacks
        }
        callbacks.forEach { $0() }
    }

    /// The executor is broken (an initializer failed, MPI failed): every waiting job fails, no more work.
    private func fail(everything text: String) {
        var callbacks: [() -> Void] = []
        monitor.withLock {
            if broken == nil { broken = text }
            closed = true
            var failed: [MPIJob] = queue[queueHead...].map(\.job)
            queue.removeSubrange(queueHead...)
            failed += inflight.values.flatMap { $0.map(\.job) }
            for job in failed where !job.isDone {
                var segment = WireWriter()
                segment.u32(1)
                segment.u8(Wire.initializerFailed)
                segment.string(text)
                for index in job.answers.indices where job.answers[index] == nil {
                    job.answers[index] = (segment.bytes, "the master")
                    job.remaining -= 1
                }
                callbacks += job.callbacks
                job.callbacks = []
            }
            inflight = [:]
            unitsInFlight = 0
            monitor.broadcast()
        }
        callbacks.forEach { $0() }
    }

    private func fail(worker: Int, _ text: String) { fail(everything: "worker rank \(worker): \(text)") }

    /// Lets the workers go: stop them (spawned ones, and the ranks of an MPICommExecutor) or leave them serving
    /// for the next executor (mpirun -n N under `MPIFutures.run`).
    private func stopWorkers() {
        var stop = WireWriter()
        stop.u8(Wire.stop)
        switch workerSet {
        case let .ranks(comm, ranks, stopAtEnd):
            if stopAtEnd { for rank in ranks { try? comm.send(stop.bytes, to: rank, tag: Wire.toWorker) } }
        case let .spawned(comm, count):
            for rank in 0..<count { try? comm.send(stop.bytes, to: rank, tag: Wire.toWorker) }
            comm.disconnect()
        }
        if releaseWorld { MPIFutures.releaseWorld() }
    }
}
