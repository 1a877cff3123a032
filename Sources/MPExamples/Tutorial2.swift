import ArgumentParser
import Multiprocessing

// 001 "Tutorial 2 — Python Multiprocessing" (adapted from PyMOTW-3).

/// "The Process class": `info(title)` in the main process and in a child.
struct Tutorial2ProcessInfo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tutorial2-process-info",
                                                    abstract: "info('main line'), then f('hello') in a child.")

    static func info(_ title: String) {
        print(title)
        print("module name:", "__main__")  // Python's `__name__`: the module run as the program
        print("parent process:", osGetppid())
        print("process id:", osGetpid())
    }

    static func f(_ name: String) {
        info("function f")
        print("hello", name)
    }

    func run() throws {
        Self.info("main line")
        let p = Process { Self.f("hello") }
        try p.start()
        try p.join()
    }
}

/// "Spawning multiple processes": ten workers, each given its number.
struct Tutorial2SpawnWorkers: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tutorial2-spawn-workers",
                                                    abstract: "Ten workers, started then joined.")

    func run() throws {
        var jobs: [Process] = []
        for i in 0..<10 {
            let p = Process { print("Worker:", i) }
            jobs.append(p)
            try p.start()
        }
        for j in jobs { try j.join() }
    }
}

/// "Determining the Current Process": two named processes and one with the default name (`Process-3`: the
/// counter counts named processes too).
struct Tutorial2Naming: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tutorial2-naming",
                                                    abstract: "current_process().name in named and unnamed workers.")

    static func worker() {
        let name = Process.current.name
        print(name, "Starting")
        sleep(seconds: 2)
        print(name, "Exiting")
    }

    static func myService() -> Int {
        let name = Process.current.name
        print(name, "Starting")
        sleep(seconds: 3)
        print(name, "Exiting")
        return 2
    }

    func run() throws {
        let service = Process(name: "my_service") { _ = Self.myService() }
        let worker1 = Process(name: "worker 1") { Self.worker() }
        let worker2 = Process { Self.worker() }  // default name

        try worker1.start()
        try worker2.start()
        try service.start()

        try worker1.join()
        try worker2.join()
        try service.join()
    }
}

/// "Terminating Processes": the process's repr and is_alive() before, during, after terminate() and after join().
struct Tutorial2Terminate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tutorial2-terminate",
                                                    abstract: "terminate() a slow worker, then join it.")

    static func slowWorker() {
        print("Starting worker")
        sleep(seconds: 0.1)
        print("Finished worker")
    }

    func run() throws {
        let p = Process { Self.slowWorker() }
        print("BEFORE:", p, py(p.isAlive))

        try p.start()
        print("DURING:", p, py(p.isAlive))

        try p.terminate()
        print("TERMINATED:", p, py(p.isAlive))

        try p.join()
        print("JOINED:", p, py(p.isAlive))
    }
}

/// "Synchronization between processes": ten children print through one Lock, acquired and released in a
/// try/finally; nobody joins them (the creator joins them at exit).
struct Tutorial2Lock: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tutorial2-lock",
                                                    abstract: "Ten children print holding a Lock.")

    static func f(_ l: Lock, _ i: Int) throws {
        try l.acquire()
        defer { try? l.release() }  // finally: l.release()
        print("hello world", i)
    }

    func run() throws {
        let lock = try Lock()
        for num in 0..<10 {
            try Process { try Self.f(lock, num) }.start()
        }
    }
}

/// "Queues": a child puts `[42, None, 'hello']`; the parent joins it, then gets the list.
struct Tutorial2Queue: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tutorial2-queue",
                                                    abstract: "A list through a Queue, got after join().")

    func run() throws {
        let q = try Queue<PyValue>()
        let p = Process { try q.put(.list([.int(42), .none, .str("hello")])) }
        try p.start()
        try p.join()  // join on Process p
        print(try q.get())
    }
}

/// The JoinableQueue cell: 100 subscribers go through the queue to a publisher that calls `taskDone()` for each
/// one it served; the parent's `join()` returns when all are done.
struct Tutorial2JoinableQueue: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tutorial2-joinable-queue",
                                                    abstract: "A publisher marks 100 subscribers done.")

    static let nSubscribers = 100

    struct Subscriber: Codable {
        func send(_ message: String) -> Int {
            sleep(seconds: 0.01)  // time it takes for the subscriber to get the message
            return 0
        }
    }

    static func publisher(_ q: JoinableQueue<Subscriber>, _ message: String) throws {
        var subscribers: [Subscriber] = []
        for _ in 0..<nSubscribers { subscribers.append(try q.get()) }

        for sub in subscribers {
            if sub.send(message) != 0 {
                // do something
            } else {
                try q.taskDone()
            }
        }
    }

    func run() throws {
        let message = "Hello world!"  // some message to send to all subscribers
        let subscribers = (0..<Self.nSubscribers).map { _ in Subscriber() }  // list of subscribers

        let q = try JoinableQueue<Subscriber>()
        print("Begin broadcasting message")
        for sub in subscribers { try q.put(sub) }

        let p = Process { try Self.publisher(q, message) }
        try p.start()

        q.join()  // join on JoinableQueue q
        print("All subscribers received the message")
    }
}

/// "Pipes": a child sends `[42, None, 'hello']` and closes its end; the parent receives, then joins.
struct Tutorial2Pipe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tutorial2-pipe",
                                                    abstract: "A list through a Pipe.")

    func run() throws {
        let (parentConn, childConn) = try Pipe()
        let p = Process {
            try childConn.send(PyValue.list([.int(42), .none, .str("hello")]))
            childConn.close()
        }
        try p.start()
        print(try parentConn.recv(as: PyValue.self))
        try p.join()
    }
}

/// The message of the pipes-vs-queues exercise: a number, or the end (CPython's `'DONE'` string). A plain enum
/// is `BitwiseCopyable`, so it takes the Connection's raw fast path.
enum BenchMessage: Codable, BitwiseCopyable, Equatable {
    case number(Int)
    case done
}

/// "Performance Benchmarking Pipes vs Queues — Pipes": 10^4, 10^5, 10^6 numbers then 'DONE' through a Pipe.
struct Tutorial2BenchPipe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tutorial2-bench-pipe",
                                                    abstract: "Pipes vs queues: the Pipe half.")

    static func readerPipe(_ conn: Connection) throws {
        while true {
            let msg = try conn.recv(as: BenchMessage.self)  // Read from the output pipe and do nothing
            if msg == .done { break }
        }
        conn.close()
    }

    static func writerPipe(_ count: Int, _ conn: Connection) throws {
        for i in 0..<count {
            try conn.send(value: BenchMessage.number(i))  // Write 'count' numbers into the input pipe
        }
        try conn.send(value: BenchMessage.done)
        conn.close()
    }

    func run() throws {
        for count in [10_000, 100_000, 1_000_000] {
            // Pipes are unidirectional with two endpoints:  p_input ------> p_output
            let (pW, pR) = try Pipe()  // writer() writes to p_input from _this_ process
            let readerP = Process { try Self.readerPipe(pR) }
            try readerP.start()  // Launch the reader process

            let s = time()
            try Self.writerPipe(count, pW)  // Send a lot of stuff to reader_proc()
            try readerP.join()
            let e = time()
            print("Sending \(count) numbers to Pipe() took \(e - s) seconds")
        }
    }
}

/// "Performance Benchmarking Pipes vs Queues — Queues": the same numbers through a Queue.
struct Tutorial2BenchQueue: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tutorial2-bench-queue",
                                                    abstract: "Pipes vs queues: the Queue half.")

    static func readerQueue(_ q: Queue<BenchMessage>) throws {
        while true {
            let msg = try q.get()  // Read from the output pipe and do nothing
            if msg == .done { break }
        }
    }

    static func writerQuque(_ count: Int, _ q: Queue<BenchMessage>) throws {
        for i in 0..<count { try q.put(.number(i)) }
        try q.put(.done)
    }

    func run() throws {
        for count in [10_000, 100_000, 1_000_000] {
            let q = try Queue<BenchMessage>()
            let readerP = Process { try Self.readerQueue(q) }
            try readerP.start()  // Launch the reader process

            let s = time()
            try Self.writerQuque(count, q)  // Send a lot of stuff to reader_proc()
            try readerP.join()
            let e = time()
            print("Sending \(count) numbers to Queue() took \(e - s) seconds")
        }
    }
}

/// "Consumers-Producer Example": `cpu_count() * 2` consumers take tasks from a JoinableQueue until a poison pill
/// (`None`), and put the answers on a Queue.
struct Tutorial2ProducerConsumer: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tutorial2-producer-consumer",
                                                    abstract: "Consumers, tasks and poison pills.")

    /// CPython's `Task`: a picklable callable; here a Codable value with `callAsFunction`.
    struct Task: Codable, CustomStringConvertible {
        var a: Int
        var b: Int

        func callAsFunction() -> String {
            sleep(seconds: 0.1)  // pretend to take time to do the work
            return "\(a) * \(b) = \(a * b)"
        }

        var description: String { "\(a) * \(b)" }
    }

    /// CPython's `class Consumer(multiprocessing.Process)` with a `run()` method. A Swift `Process` takes its
    /// `run` as a closure; the instance is named as CPython names a subclass's instances: `Consumer-N`.
    static func consumer(_ taskQueue: JoinableQueue<Task?>, _ resultQueue: Queue<String>) -> Process {
        let process = Process {
            let procName = Process.current.name
            while true {
                guard let nextTask = try taskQueue.get() else {
                    // Poison pill means shutdown
                    print("\(procName): Exiting")
                    try taskQueue.taskDone()
                    break
                }
                print("\(procName): \(nextTask)")
                let answer = nextTask()
                try taskQueue.taskDone()
                try resultQueue.put(answer)
            }
        }
        process.name = "Consumer-" + process.name.dropFirst("Process-".count)
        return process
    }

    func run() throws {
        // Establish communication queues
        let tasks = try JoinableQueue<Task?>()
        let results = try Queue<String>()

        // Start consumers
        let numConsumers = Process.cpuCount * 2
        print("Creating \(numConsumers) consumers")
        let consumers = (0..<numConsumers).map { _ in Self.consumer(tasks, results) }
        for w in consumers { try w.start() }

        // Enqueue jobs
        var numJobs = 10
        for i in 0..<numJobs { try tasks.put(Task(a: i, b: i)) }

        // Add a poison pill for each consumer
        for _ in 0..<numConsumers { try tasks.put(nil) }

        // Wait for all of the tasks to finish
        tasks.join()

        // Start printing results
        while numJobs > 0 {
            let result = try results.get()
            print("Result:", result)
            numJobs -= 1
        }
    }
}
