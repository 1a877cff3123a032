// A worker rank: receives batches of calls from the master, runs them in its task runner (see TaskSupervisor),
// and sends back the answers. Mirrors `mpi4py.futures._core` (`server_main_comm`, `_worker`).

import Multiprocessing

#if canImport(Glibc)
import Glibc
#endif

/// The messages between the master and its workers (MPI tags and the first byte of each message).
enum Wire {
    /// Master to worker.
    static let toWorker: Int = 7101
    /// Worker to master.
    static let toMaster: Int = 7102

    // Kinds, master to worker.
    /// Calls: u32 units; per unit u64 id, string function, u32 item count, blob the items (`BatchCodec`).
    static let batch: UInt8 = 1
    /// A new executor: string initializer ("" for none), blob its argument. The worker starts a fresh runner.
    static let setUp: UInt8 = 2
    /// No more work: the worker leaves its loop.
    static let stop: UInt8 = 3

    // Kinds, worker to master.
    /// Answers: u32 units; per unit u64 id, blob its segments.
    static let answers: UInt8 = 1
    /// The set-up is done: u8 0 (ready) then string the host, or u8 1 then string the initializer's error.
    static let ready: UInt8 = 2

    // A unit's answer: u32 segments, each a kind byte and its fields.
    /// u32 count, blob the results (`BatchCodec`).
    static let values: UInt8 = 0
    /// string the error's type name, string its description (one item).
    static let error: UInt8 = 1
    /// i32 pid, i32 exit code (minus the signal), string host: the runner died running this unit.
    static let crashed: UInt8 = 2
    /// string the initializer's error (a replacement runner's initializer failed, or the executor broke).
    static let initializerFailed: UInt8 = 3
}

/// Polls for a message with a backoff: spins briefly (a reply usually follows within microseconds), then yields
/// the CPU, then sleeps in growing steps up to `maxSleep` so that an idle rank does not burn a core (MPI's own
/// blocking receive spins; on an oversubscribed machine that would starve the task runners).
struct Backoff {
    private var idle = 0
    let maxSleepNanoseconds: Int

    init(maxSleepNanoseconds: Int) { self.maxSleepNanoseconds = maxSleepNanoseconds }

    mutating func reset() { idle = 0 }

    mutating func pause() {
        idle += 1
        if idle < 64 { return }
        if idle < 512 {
            sched_yield()
            return
        }
        let step = min(maxSleepNanoseconds, 1_000 << min(20, (idle - 512) / 16))
        var time = timespec(tv_sec: 0, tv_nsec: step)
        nanosleep(&time, nil)
    }
}

/// The worker side of the executor, on one rank.
final class WorkerLoop {
    private let comm: Communicator
    private let master: Int
    /// Nil: tasks run in this process (`MPIFutures.initialize(taskProcesses: false)`).
    private let supervisor: TaskSupervisor?
    private let rank: Int
    private let host: String
    private var runner: (pid: pid_t, socket: Int32)?
    private var initializer: (name: String, argument: [UInt8])?
    /// In-process serving: whether the initializer ran.
    private var initialized = false

    init(comm: Communicator, master: Int, supervisor: TaskSupervisor?) {
        self.comm = comm
        self.master = master
        self.supervisor = supervisor
        self.rank = MPI.world.rank
        self.host = MPI.processorName
    }

    /// Serves until the master says stop (or MPI fails: then the error is printed and the loop ends).
    func serve() {
        var backoff = Backoff(maxSleepNanoseconds: 1_000_000)
        defer { closeRunner() }
        do {
            while true {
                guard let message = try comm.receiveIfAny(from: master, tag: Wire.toWorker) else {
                    backoff.pause()
                    continue
                }
                backoff.reset()
                let stop = try WireReader.reading(message.bytes) { reader -> Bool in
                    switch reader.u8() {
                    case Wire.batch?: try comm.send(runBatch(&reader), to: master, tag: Wire.toMaster)
                    case Wire.setUp?: try comm.send(setUp(&reader), to: master, tag: Wire.toMaster)
                    case Wire.stop?: return true
                    default: break
                    }
                    return false
                }
                if stop { return }
            }
        } catch {
            writeError("mpsh MPI worker rank \(rank) on \(host): \(error); leaving\n")
        }
    }

    private func writeError(_ text: String) {
        _ = text.withCString { write(2, $0, strlen($0)) }
    }

    private func closeRunner() {
        guard let runner else { return }
        closeDescriptor(runner.socket)  // the runner reads end of file and exits
        _ = try? supervisor?.reap(runner.pid)
        self.runner = nil
    }

    /// A new executor: a fresh runner (none of the last executor's state), with its initializer run.
    private func setUp(_ reader: inout WireReader) -> [UInt8] {
        let name = reader.string() ?? "", argument = reader.blob() ?? []
        initializer = name.isEmpty ? nil : (name, argument)
        initialized = false
        closeRunner()
        var writer = WireWriter()
        writer.u8(Wire.ready)
        if let failure = ensureRunner() {
            writer.u8(1)
            writer.string(failure)
        } else {
            writer.u8(0)
            writer.string(host)
        }
        return writer.bytes
    }

    /// Starts a runner if there is none and runs the initializer in it; the initializer's error text, or nil.
    private func ensureRunner() -> String? {
        if runner != nil { return nil }
        guard let supervisor else {
            guard let initializer, !initialized else { return nil }
            initialized = true
            return initializerFailure(TaskRunner.run(initializer.name, initializer.argument))
        }
        do {
            let started = try supervisor.spawnRunner()
            runner = started
            guard let initializer else { return nil }
            var writer = WireWriter()
            writer.u8(TaskRunner.initialize)
            writer.string(initializer.name)
            writer.blob(initializer.argument)
            try Frame.write(started.socket, writer.bytes)
            guard let answer = try Frame.read(started.socket) else {
                let code = try endRunner()
                return "the initializer's process \(exitStatusText(code)) (rank \(rank) on \(host))"
            }
            return initializerFailure(answer)
        } catch {
            return "cannot start a task process on rank \(rank) on \(host): \(error)"
        }
    }

    /// The text of the initializer's error in a runner's answer, or nil when it succeeded.
    private func initializerFailure(_ answer: [UInt8]) -> String? {
        WireReader.reading(answer) { reader -> String? in
            if reader.u8() == TaskRunner.ok { return nil }
            let type = reader.string() ?? "Error", text = reader.string() ?? ""
            return "\(type): \(text) (rank \(rank) on \(host))"
        }
    }

    /// Closes the runner whose socket ended and returns how it ended.
    private func endRunner() throws(SystemError) -> Int32 {
        guard let ended = runner, let supervisor else { return 0 }
        runner = nil
        closeDescriptor(ended.socket)
        return try supervisor.reap(ended.pid)
    }

    /// Runs a batch: every unit in order in the runner, which answers unit by unit; the unit of a runner that
    /// died is answered `crashed` (a crash loses that chunk's results, as the local pool's does; chunksize 1
    /// isolates every call) and the rest go to a new runner.
    private func runBatch(_ reader: inout WireReader) throws -> [UInt8] {
        var units: [(id: UInt64, name: String, count: Int, payload: [UInt8])] = []
        let unitCount = Int(reader.u32() ?? 0)
        for _ in 0..<unitCount {
            guard let id = reader.u64(), let name = reader.string(), let count = reader.u32().map(Int.init),
                  let payload = reader.blob() else { break }
            units.append((id, name, count, payload))
        }
        var answers: [[UInt8]] = []
        answers.reserveCapacity(units.count)
        while answers.count < units.count {
            if let failure = ensureRunner() {
                var segment = WireWriter()
                segment.u32(1)
                segment.u8(Wire.initializerFailed)
                segment.string(failure)
                answers.append(segment.bytes)
                continue
            }
            guard let current = runner else {
                // no task processes: every unit in this rank
                for unit in units[answers.count...] {
                    answers.append(TaskRunner.runUnit(unit.name, count: unit.count, payload: unit.payload[...]))
                }
                break
            }
            var request = WireWriter()
            request.u8(TaskRunner.items)
            request.u32(UInt32(units.count - answers.count))
            for unit in units[answers.count...] {
                request.string(unit.name)
                request.u32(UInt32(unit.count))
                request.blob(unit.payload)
            }
            // A runner that died before reading fails the write (EPIPE) or the read (end of file): either way the
            // next unanswered unit is the one it died on... unless it died idle, between batches: then no unit
            // was running, and the batch goes to a new runner untouched.
            var sent = true
            do { try Frame.write(current.socket, request.bytes) } catch { sent = false }
            var answeredHere = 0
            var frames = FrameReader(current.socket)
            while answers.count < units.count {
                guard sent, let answer = try frames.next() else {
                    let code = try endRunner()
                    if !sent || answeredHere == 0 && code == 0 { break }  // died idle (or refused the request)
                    var segment = WireWriter()
                    segment.u32(1)
                    segment.u8(Wire.crashed)
                    segment.i32(current.pid)
                    segment.i32(code)
                    segment.string(host)
                    answers.append(segment.bytes)
                    break
                }
                answeredHere += 1
                answers.append(answer)
            }
        }
        var writer = WireWriter(reserving: 64 + answers.reduce(0) { $0 + $1.count + 12 })
        writer.u8(Wire.answers)
        writer.u32(UInt32(units.count))
        for (unit, answer) in zip(units, answers) {
            writer.u64(unit.id)
            writer.blob(answer)
        }
        return writer.bytes
    }
}
