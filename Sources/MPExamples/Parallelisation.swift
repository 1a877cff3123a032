import ArgumentParser
import Multiprocessing

// 004 "Parallelisation in Python": Process, names, Queue, Lock.

/// "Basics": `f('bob')` in a child.
struct ParallelisationHello: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parallelisation-hello",
                                                    abstract: "Hello bob, from a child.")

    func run() throws {
        let p = Process { print("Hello", "bob") }
        try p.start()
        try p.join()
    }
}

/// "We can pass in variable arguments…": five workers, never joined (the creator joins them at exit).
struct ParallelisationWorkers: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parallelisation-workers",
                                                    abstract: "Five workers, each given its number.")

    /// thread worker function
    static func worker(_ num: Int) {
        print("Worker:", num)
    }

    func run() throws {
        var jobs: [Process] = []
        for i in 0..<5 {
            let p = Process { Self.worker(i) }
            jobs.append(p)
            try p.start()
        }
    }
}

/// "It isn't neccessary to pass identifying data…": named processes, never joined.
struct ParallelisationNaming: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parallelisation-naming",
                                                    abstract: "current_process().name, children not joined.")

    static func worker() {
        let name = Process.current.name
        print(name, "Starting")
        sleep(seconds: 2)
        print(name, "Exiting")
    }

    static func myService() {
        let name = Process.current.name
        print(name, "Starting")
        sleep(seconds: 3)
        print(name, "Exiting")
    }

    func run() throws {
        let service = Process(name: "my_service") { Self.myService() }
        let worker1 = Process(name: "worker 1") { Self.worker() }
        let worker2 = Process { Self.worker() }  // use default name

        try worker1.start()
        try worker2.start()
        try service.start()
    }
}

/// "Communicating results": the parent gets `[42, None, 'hello']` from the Queue before joining the child.
struct ParallelisationQueue: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parallelisation-queue",
                                                    abstract: "A list through a Queue, got before join().")

    func run() throws {
        let q = try Queue<PyValue>()
        let p = Process { try q.put(.list([.int(42), .none, .str("hello")])) }
        try p.start()
        print(try q.get())  // prints "[42, None, 'hello']"
        try p.join()
    }
}

/// "Another method is to use a `Lock`…": ten children print holding one Lock; nobody joins them (the creator
/// joins them at exit).
struct ParallelisationLock: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parallelisation-lock",
                                                    abstract: "Ten children print holding a Lock.")

    static func f(_ l: Lock, _ i: Int) throws {
        try l.acquire()
        print("hello world", i)
        try l.release()
    }

    func run() throws {
        let lock = try Lock()

        for num in 0..<10 {
            try Process { try Self.f(lock, num) }.start()
        }
    }
}
