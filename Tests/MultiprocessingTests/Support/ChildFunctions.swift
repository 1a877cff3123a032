import CShim
import Multiprocessing

#if canImport(Glibc)
import Glibc
#endif

// The child side of the tests that run under every start method. A forkserver or spawn child can only run a
// registered function, so every child body is a RemoteFunction here, registered by `registerAll()` before the
// fork server starts and again in a spawned test executable (SpawnEntryTests).

struct ExitArgument: Codable { let code: Int32 }
struct Report: Codable { let results: Queue<String> }
struct WaitArgument: Codable { let started: Event; let release: Event }
struct QueueRange: Codable { let queue: Queue<Int>; let count: Int }
struct QueueEcho: Codable { let input: Queue<String>; let output: Queue<String> }
struct JoinableWork: Codable { let tasks: JoinableQueue<Int>; let done: SharedValue<Int> }
struct SimpleEcho: Codable { let input: SimpleQueue<Int>; let output: SimpleQueue<Int> }
struct PipeEcho: Codable { let end: Connection; let count: Int }
struct LockHolder: Codable { let lock: Lock; let held: Event; let release: Event?; let releaseBeforeExit: Bool }
struct RLockProbe: Codable { let lock: RLock; let results: Queue<Int> }
struct SemaphoreWork: Codable { let semaphore: Multiprocessing.Semaphore; let releases: Int }
struct BoundedWork: Codable { let semaphore: BoundedSemaphore; let results: Queue<String> }
struct ConditionWork: Codable { let condition: Condition; let value: SharedValue<Int> }
struct EventWork: Codable { let event: Event; let seen: Event }
struct BarrierWork: Codable { let barrier: Barrier; let results: Queue<Int> }
struct CounterWork: Codable { let counter: SharedValue<Int>; let times: Int }
struct ArrayWork: Codable { let array: SharedArray<Int> }
struct MemoryWork: Codable { let anonymous: SharedMemory; let named: SharedMemory }
struct RingWork: Codable { let ring: RingBuffer; let count: Int }

enum ChildFunctions {
    static func registerAll() {
        _ = [exit.name, identity.name, throwing.name, waitForRelease.name, queuePutRange.name, queueEcho.name,
             joinableConsume.name, simpleEcho.name, pipeEcho.name, holdLock.name, rlockProbe.name,
             semaphoreRelease.name, boundedOverRelease.name, conditionNotify.name, eventSetAndWait.name,
             barrierWait.name, increment.name, squares.name, memoryWrite.name, ringWrite.name, spawnsChild.name,
             startsGrandchildAndDies.name]
        registerMore()
    }

    /// Ends with the given exit code. (CPython: `sys.exit(code)` in the target.)
    static let exit = try! RemoteFunction("test.exit") { (argument: ExitArgument) -> Int in
        throw ProcessExit(argument.code)
    }

    /// Reports who it is: name, parent pid, parent name, daemon flag, and whether its pid is its own.
    static let identity = try! RemoteFunction("test.identity") { (report: Report) -> Bool in
        let current = Process.current
        try report.results.put(current.name)
        try report.results.put(String(Process.parent?.pid ?? -1))
        try report.results.put(Process.parent?.name ?? "none")
        try report.results.put(String(current.daemon))
        try report.results.put(String(current.pid == getpid() && getppid() == Process.parent?.pid))
        return true
    }

    /// Throws: the child's exit code is 1.
    static let throwing = try! RemoteFunction("test.throwing") { (_: Int) -> Int in
        throw RemoteFunctionError.badArgument(function: "test.throwing", reason: "thrown on purpose")
    }

    /// Says it started, then waits for `release` (for terminate and kill tests).
    static let waitForRelease = try! RemoteFunction("test.waitForRelease") { (argument: WaitArgument) -> Bool in
        argument.started.set()
        _ = argument.release.wait(timeout: .seconds(60))
        return true
    }

    static let queuePutRange = try! RemoteFunction("test.queue.putRange") { (argument: QueueRange) -> Bool in
        for i in 0..<argument.count { try argument.queue.put(i) }
        return true
    }

    /// Echoes strings upper-cased until "STOP".
    static let queueEcho = try! RemoteFunction("test.queue.echo") { (argument: QueueEcho) -> Bool in
        while true {
            let item = try argument.input.get(timeout: .seconds(60))
            if item == "STOP" { return true }
            try argument.output.put(item.uppercased())
        }
    }

    /// Takes tasks until -1, adding each to `done` and marking it done.
    static let joinableConsume = try! RemoteFunction("test.joinable.consume") { (argument: JoinableWork) -> Bool in
        while true {
            let n = try argument.tasks.get(timeout: .seconds(60))
            if n >= 0 { argument.done.withLock { $0 += n } }
            try argument.tasks.taskDone()
            if n < 0 { return true }
        }
    }

    static let simpleEcho = try! RemoteFunction("test.simple.echo") { (argument: SimpleEcho) -> Bool in
        while true {
            let n = try argument.input.get()
            if n < 0 { return true }
            try argument.output.put(n * 10)
        }
        return true
    }

    /// Receives `count` integers and sends each doubled, then a 1 MiB message.
    static let pipeEcho = try! RemoteFunction("test.pipe.echo") { (argument: PipeEcho) -> Bool in
        for _ in 0..<argument.count {
            let n = try argument.end.recv(as: Int.self)
            try argument.end.send(value: n * 2)
        }
        try argument.end.sendBytes([UInt8](repeating: 7, count: 1 << 20))
        return true
    }

    /// Takes the lock, says so, waits for `release` if given, and releases it or exits holding it.
    static let holdLock = try! RemoteFunction("test.lock.hold") { (argument: LockHolder) -> Bool in
        try argument.lock.acquire(block: true, timeout: nil)
        argument.held.set()
        if let release = argument.release { _ = release.wait(timeout: .seconds(60)) }
        if argument.releaseBeforeExit { try argument.lock.release() } else { throw ProcessExit(3) }
        return true
    }

    /// Acquires twice and reports the recursion count and ownership, then releases both.
    static let rlockProbe = try! RemoteFunction("test.rlock.probe") { (argument: RLockProbe) -> Bool in
        try argument.lock.acquire(block: true, timeout: nil)
        try argument.lock.acquire(block: true, timeout: nil)
        try argument.results.put(argument.lock.recursionCount)
        try argument.results.put(argument.lock.isHeldByCaller ? 1 : 0)
        try argument.lock.release()
        try argument.lock.release()
        try argument.results.put(argument.lock.recursionCount)
        return true
    }

    static let semaphoreRelease = try! RemoteFunction("test.semaphore.release") { (argument: SemaphoreWork) -> Bool in
        for _ in 0..<argument.releases { try argument.semaphore.release() }
        return true
    }

    /// Acquires and releases once (fine), then releases again: CPython's ValueError, here an error reported.
    static let boundedOverRelease = try! RemoteFunction("test.bounded.overRelease") { (argument: BoundedWork) -> Bool in
        argument.semaphore.acquire()
        try argument.semaphore.release()
        do {
            try argument.semaphore.release()
            try argument.results.put("released above the bound")
        } catch {
            try argument.results.put("\(error)")
        }
        return true
    }

    /// Sets the value to 42 under the condition's lock and notifies.
    static let conditionNotify = try! RemoteFunction("test.condition.notify") { (argument: ConditionWork) -> Bool in
        try argument.condition.acquire()
        argument.value.value = 42
        try argument.condition.notifyAll()
        try argument.condition.release()
        return true
    }

    /// Sets `event` and waits for `seen`.
    static let eventSetAndWait = try! RemoteFunction("test.event.set") { (argument: EventWork) -> Bool in
        argument.event.set()
        guard argument.seen.wait(timeout: .seconds(60)) else { throw ProcessExit(2) }
        return true
    }

    static let barrierWait = try! RemoteFunction("test.barrier.wait") { (argument: BarrierWork) -> Bool in
        try argument.results.put(try argument.barrier.wait(timeout: .seconds(60)))
        return true
    }

    static let increment = try! RemoteFunction("test.value.increment") { (argument: CounterWork) -> Bool in
        for _ in 0..<argument.times { argument.counter.withLock { $0 += 1 } }
        return true
    }

    static let squares = try! RemoteFunction("test.array.squares") { (argument: ArrayWork) -> Bool in
        argument.array.withLock { elements in for i in elements.indices { elements[i] = i * i } }
        return true
    }

    /// Writes "child" at the start of both blocks.
    static let memoryWrite = try! RemoteFunction("test.memory.write") { (argument: MemoryWork) -> Bool in
        for block in [argument.anonymous, argument.named] { block.buffer.copyBytes(from: Array("child".utf8)) }
        return true
    }

    static let ringWrite = try! RemoteFunction("test.ring.write") { (argument: RingWork) -> Bool in
        for i in 0..<argument.count { try argument.ring.write(value: i) }
        argument.ring.closeWriting()
        return true
    }

    /// Starts a grandchild with the same start method as itself and reports its exit code.
    static let spawnsChild = try! RemoteFunction("test.process.spawnsChild") { (argument: GrandchildWork) -> Bool in
        let child = Process(startMethod: StartMethod(rawValue: argument.method)!, function: ChildFunctions.exit,
                            argument: ExitArgument(code: 7))
        try child.start()
        try child.join()
        try argument.results.put(String(child.exitCode ?? -999) + " " + child.name)
        return true
    }
}

struct GrandchildWork: Codable { let results: Queue<String>; let method: String }

struct OrphanWork: Codable { let pids: Queue<Int32>; let method: String; let started: Event; let release: Event }

extension ChildFunctions {
    /// Starts a waiting grandchild with `method`, reports its pid, then dies by SIGKILL (no clean-up runs).
    static let startsGrandchildAndDies = try! RemoteFunction("test.process.startsGrandchildAndDies") { (argument: OrphanWork) -> Bool in
        let child = Process(startMethod: StartMethod(rawValue: argument.method)!, function: ChildFunctions.waitForRelease,
                            argument: WaitArgument(started: argument.started, release: argument.release))
        try child.start()
        _ = argument.started.wait(timeout: .seconds(60))
        try argument.pids.put(child.pid ?? -1)
        kill(getpid(), SIGKILL)
        return true
    }
}

struct MutexWork: Codable { let mutex: RobustMutex; let held: Event }
struct SignalWork: Codable { let events: EventCount }
struct TwoPipes: Codable { let first: Connection; let second: Connection; let release: Event }
struct FullQueueWork: Codable { let queue: Queue<Int>; let results: Queue<String> }

extension ChildFunctions {
    static func registerMore() {
        _ = [holdMutexAndDie.name, signalEvents.name, writeSecondPipe.name, putIntoFullQueue.name, cachedPid.name]
    }

    /// Exits 0 if the library's cached pid is this process's own (the parent's was cached before the start),
    /// 3 if it is still the parent's.
    static let cachedPid = try! RemoteFunction("test.process.cachedPid") { (_: Int) -> Int in
        throw ProcessExit(cshim_getpid_cached() == getpid() ? 0 : 3)
    }

    /// Locks the mutex, says so, and dies holding it.
    static let holdMutexAndDie = try! RemoteFunction("test.mutex.holdAndDie") { (argument: MutexWork) -> Bool in
        _ = try argument.mutex.lock()
        argument.held.set()
        throw ProcessExit(9)
    }

    static let signalEvents = try! RemoteFunction("test.eventcount.signal") { (argument: SignalWork) -> Bool in
        argument.events.signal()
        return true
    }

    /// Sends on the second pipe only, then waits to be released.
    static let writeSecondPipe = try! RemoteFunction("test.wait.second") { (argument: TwoPipes) -> Bool in
        try argument.second.send("second")
        _ = argument.release.wait(timeout: .seconds(60))
        return true
    }

    /// Fills the one-item queue, then tries a non-blocking put (Full) and a blocking one that the parent frees.
    static let putIntoFullQueue = try! RemoteFunction("test.queue.full") { (argument: FullQueueWork) -> Bool in
        try argument.queue.put(1)
        do { try argument.queue.putNowait(2) } catch { try argument.results.put("\(error)") }
        try argument.queue.put(3, timeout: .seconds(60))
        try argument.results.put("put 3")
        return true
    }
}
