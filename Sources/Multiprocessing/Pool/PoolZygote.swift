// The zygote: the single-threaded process a pool forks first (see PoolEngine.swift's header), which forks the
// workers, watches their sentinels and reports starts and deaths on the result ring; and the workers' loop.

import CShim
import Synchronization

import Glibc

/// What a pool's or an executor's worker runs as it leaves of itself (the pool closing, `maxTasksPerChild` reached,
/// its initializer failed), just before it exits: the end of a process that an embedding interpreter makes there
/// (CPython's workers run `util._exit_function` as they return from their loop: their finalizers, their socket
/// directory removed). Not run by a worker ended by a signal (terminate(), its zygote's death).
public enum PoolWorkerExit {
    private static let hook = Mutex<(@Sendable () -> Void)?>(nil)

    /// Sets what every worker forked from now on runs as it leaves. Pass a function that captures nothing: set
    /// once, before any pool exists, it is the workers' copy that runs.
    public static func set(_ body: @escaping @Sendable () -> Void) { hook.withLock { $0 = body } }

    /// In a worker, as it leaves: runs the hook, if one is set.
    static func run() {
        if let body = hook.withLock({ $0 }) { body() }
    }
}

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
        _ = try? syscall("poll") { Glibc.poll(&fds, nfds_t(fds.count), 0) }
        var survivors: [(slot: Int, pid: pid_t, sentinel: Int32)] = []
        for (worker, entry) in zip(workers, fds) where entry.revents == 0 { survivors.append(worker) }
        workers = survivors
        let pidfd = cshim_pidfd_open(getpid())
        if pidfd >= 0 { closeDescriptor(pidfd) }
        let (op, name) = WireReader.reading([ZygoteCommand.quit.rawValue, 0, 0, 0, 0]) { reader in
            (reader.u8().flatMap(ZygoteCommand.init(rawValue:)), "ForkPoolWorker-\(workers.count + Int(reader.u32() ?? 0))")
        }
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
            advise(arena.base, Swift.min(PoolZygote.warmArenaBytes, arena.size), 23 /* MADV_POPULATE_WRITE */)
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

    /// Sends `signal` to a child of the zygote; one that has already ended (ESRCH) needs nothing more.
    private func signalChild(_ pid: pid_t, _ signal: Int32) {
        _ = try? syscall("kill(\(pid), \(signal))") { Glibc.kill(pid, signal) }
    }

    /// Waits for the warmer to end (after a SIGKILL if `killing`: the zygote is leaving) and reaps it.
    private func reapWarmer(killing: Bool) {
        guard let warmer else { return }
        if killing { signalChild(warmer.pid, SIGKILL) }
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
                    for worker in workers { signalChild(worker.pid, SIGKILL) }
                    killAt = nil
                } else {
                    let ms = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
                    wait = Int32(clamping: ms + 1)
                }
            }
            let ready: Int32
            do {
                // an interrupted wait goes round again, with the time left to the SIGKILL deadline
                ready = try syscall("poll(the zygote's workers)", retryOnInterrupt: false) {
                    Glibc.poll(&fds, nfds_t(fds.count), wait)
                }
            } catch where error.errno == EINTR { continue } catch { return .quit }
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
                    for worker in workers { signalChild(worker.pid, SIGTERM); signalChild(worker.pid, SIGCONT) }
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
            guard (try? syscall("poll(the zygote's socket)") { Glibc.poll(&fds, 3, -1) }) != nil else { return nil }
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
        for worker in workers { signalChild(worker.pid, SIGKILL) }
        for worker in workers { _ = reap(worker.pid, worker.sentinel) }
        reapWarmer(killing: true)
        cshim_term_notice_end()
    }

    /// The next command and its number; nil at the end of the socket (or for a command this zygote does not know).
    private func readCommand() -> (ZygoteCommand, Int)? {
        var command = [UInt8](repeating: 0, count: 5)
        let n = command.withUnsafeMutableBytes { readFully(requestFD, $0) }
        guard n == 5 else { return nil }
        return WireReader.reading(command) { reader in
            guard let op = reader.u8().flatMap(ZygoteCommand.init(rawValue:)), let argument = reader.u32() else { return nil }
            return (op, Int(argument))
        }
    }

    /// Writes a result message made of `parts`: a small one joined into one buffer first (one allocation and a copy
    /// of a few bytes instead of an array of buffer pointers per part, a tenth of a small task's round trip in
    /// the worker), a large one by reference, part by part.
    private func writeResults(_ parts: [[UInt8]]) -> Bool {
        let total = parts.reduce(0) { $0 + $1.count }
        guard total <= 4096 else { return writeParts(parts[...], [], to: resultRing) }
        var joined: [UInt8] = []
        joined.reserveCapacity(total)
        for part in parts { joined.append(contentsOf: part) }
        do { try resultRing.write(joined) } catch { return false }
        return true
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
            guard let n = try? syscall("read(the zygote's socket)", { Glibc.read(fd, buffer.baseAddress! + done, buffer.count - done) }),
                  n > 0 else { break }
            done += n
        }
        return done
    }

    private func spawn(_ slot: Int) {
        counter += 1
        let name = "ForkPoolWorker-\(counter)"
        let zygotePID = getpid()
        var sentinel: Int32 = -1
        let pid: pid_t
        do {
            pid = try syscall("fork(pool worker)", retryOnInterrupt: false,
                              hint: { _ in "too many processes, or out of memory" }) { cshim_fork_watched(&sentinel) }
        } catch {
            report {
                $0.u8(PoolRecord.initializerFailed.rawValue)
                $0.u32(UInt32(slot))
                $0.string(error.description)
            }
            return
        }
        if pid == 0 { runWorker(slot: slot, name: name, zygotePID: zygotePID) }
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
                PoolWorkerExit.run()
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
            var seq: UInt64 = 0, function = "", count = 0
            var payload: ArraySlice<UInt8> = []
            var shared: (arguments: UnsafeRawBufferPointer, results: UnsafeMutableRawPointer, stride: Int)?
            var ranged: (first: Int, results: UnsafeMutableRawPointer, stride: Int)?
            let understood = WireReader.reading(message) { reader -> Bool in
                guard let taskSeq = reader.u64(), let name = reader.string(), let items = reader.u32().map(Int.init),
                      let mode = reader.u8() else { return false }
                (seq, function, count) = (taskSeq, name, items)
                if mode == 2 {
                    guard let arena, let first = reader.u64().map({ Int(Int64(bitPattern: $0)) }),
                          let resultOffset = reader.u64().map(Int.init), let stride = reader.u64().map(Int.init),
                          resultOffset + count * stride <= arena.size else { return false }
                    ranged = (first, arena.base + resultOffset, stride)
                    // Map the result area's pages in one call rather than one fault per page. A read populate maps
                    // the pages already in the arena (an earlier map's, warm) 16 to a fault (the kernel's
                    // fault-around), writable, since the arena is shared memory; a write populate takes a fault per page.
                    let from = (resultOffset + 4095) & ~4095, to = (resultOffset + count * stride) & ~4095
                    if to > from { advise(arena.base + from, to - from, 22 /* MADV_POPULATE_READ */) }
                } else if mode == 1 {
                    guard let arena, let argumentOffset = reader.u64().map(Int.init), let argumentBytes = reader.u64().map(Int.init),
                          let resultOffset = reader.u64().map(Int.init), let stride = reader.u64().map(Int.init),
                          argumentOffset + argumentBytes <= arena.size, resultOffset + count * stride <= arena.size else { return false }
                    shared = (UnsafeRawBufferPointer(start: arena.base + argumentOffset, count: argumentBytes),
                              arena.base + resultOffset, stride)
                } else {
                    guard let range = reader.blobRange() else { return false }
                    payload = message[range]
                }
                return true
            }
            guard understood else { break }
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
            guard writeResults(parts) else { break }
            table.storeBytes(of: 0 as UInt64, as: UInt64.self)
            done += 1
            if let maxTasksPerChild, done >= maxTasksPerChild { break }
        }
        PoolWorkerExit.run()
        // Flushes and exits by a direct system call: libc's _exit would be bound lazily in every worker.
        cshim_child_exit(0)
    }
}
