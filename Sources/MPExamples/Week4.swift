import ArgumentParser
import Multiprocessing

// 000 "Week 4: Multiprocessing in Python": spawning workers, waiting for them, the core investigation.

/// `worker(msg)`: prints the current process and the message.
private func worker(_ message: String) {
    print(Process.current, " says ", message)
}

/// The cells `spawnWorkers(4,"Hello World")`: children that nobody joins (at exit, the creator joins them, as
/// CPython does).
struct Week4SpawnWorkers: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "week4-spawn-workers",
                                                    abstract: "spawnWorkers(4, \"Hello World\"): start, never join.")

    func spawnWorkers(_ count: Int, _ message: String) throws {
        for _ in 0..<count {
            let p = Process { worker(message) }
            try p.start()
        }
    }

    func run() throws {
        try spawnWorkers(4, "Hello World")
    }
}

/// The cells `waitForWorkers(4,"hello world")`: start, then join every child.
struct Week4WaitForWorkers: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "week4-wait-for-workers",
                                                    abstract: "waitForWorkers(4, \"hello world\"): start, then join.")

    func waitForWorkers(_ count: Int, _ message: String) throws {
        var processes: [Process] = []
        for _ in 0..<count {
            let p = Process { worker(message) }
            processes.append(p)
            try p.start()
        }
        for p in processes { try p.join() }
    }

    func run() throws {
        try waitForWorkers(4, "hello world")
    }
}

/// The cells `coreInvestigation(1,100000000)`: CPU-bound children (the notebook leaves the timing code to the
/// reader, so they print nothing).
struct Week4CoreInvestigation: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "week4-core-investigation",
                                                    abstract: "coreInvestigation(1, 100000000): CPU-bound workers.")

    @Option(help: "The number of processes.") var cores = 1
    @Option(help: "The number of random numbers each process draws.") var loops = 100_000_000

    /// `random.random()` stands for any cheap CPU-bound step; this is xorshift64*, as cheap as Python's is for
    /// Python (the system generator would make a system call per number).
    static func workThatCPU(_ numLoops: Int) {
        _ = Process.current
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(UInt32(bitPattern: osGetpid()))
        var sum = 0.0
        for _ in 0..<numLoops {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            sum += Double((state &* 0x2545_F491_4F6C_DD1D) >> 11) * 0x1.0p-53
        }
        // Keeps the loop from being optimised away.
        if sum < 0 { print(sum) }
    }

    func coreInvestigation(_ numCores: Int, _ numLoops: Int) throws {
        var processes: [Process] = []
        for _ in 0..<numCores {
            let p = Process { Self.workThatCPU(numLoops) }
            processes.append(p)
            try p.start()
        }
        for p in processes { try p.join() }
    }

    func run() throws {
        try coreInvestigation(cores, loops)
    }
}
