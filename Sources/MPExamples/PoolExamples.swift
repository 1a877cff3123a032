import ArgumentParser
import Multiprocessing

#if canImport(Glibc)
import Glibc
#endif

// The seed tutorials' Pool examples: 001 "Process Pools" and 004 "Using a pool of workers".
//
// A Python function given to a pool travels by its name; ours are `RemoteFunction`s, created before the pool
// (its workers are forked knowing them).

/// 001 "Process Pools": `Pool(processes=cpu_count() * 2, initializer=start_process)`, two maps, close, join.
struct Tutorial2Pool: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tutorial2-pool",
                                                    abstract: "Pool.map with an initializer that names each worker.")

    func run() throws {
        let doCalculation = try RemoteFunction("do_calculation") { (data: Int) in data * 2 }
        let doSquare = try RemoteFunction("do_square") { (data: Int) in data * data }
        let startProcess = { print("Starting", Process.current.name) }

        let inputs = Array(0..<10)
        print("Input   :", inputs)
        print("cpu_count:", Process.cpuCount)
        let poolSize = Process.cpuCount * 2
        let pool = try Pool(processes: poolSize, initializer: startProcess)
        let poolOutputs1 = try pool.map(doCalculation, inputs)
        let poolOutputs2 = try pool.map(doSquare, inputs)
        pool.close()  // no more tasks
        try pool.join()  // wrap up current tasks
        print("Pool do_calculation:", poolOutputs1)
        print("Pool do_square:", poolOutputs2)
    }
}

/// 004 "Using a pool of workers": map, imap_unordered, apply_async (a value, a pid, four pids, a timeout).
struct ParallelisationPool: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parallelisation-pool",
                                                    abstract: "Pool.map, imapUnordered, applyAsync and a get timeout.")

    func run() throws {
        let f = try RemoteFunction("f") { (x: Int) in x * x }
        let getpid = try RemoteFunction("os.getpid") { (_: Int) in Glibc.getpid() }
        let timeSleep = try RemoteFunction("time.sleep") { (seconds: Double) -> Int in
            sleep(seconds: seconds)
            return 0
        }

        // start 4 worker processes. CPython's `with Pool()` terminates the pool at the end of the block (ours,
        // `Pool.with`, would wait for the sleeping task): this program terminates it, as the Python does.
        let pool = try Pool(processes: 4)

        // print "[0, 1, 4,..., 81]"
        print("Using .map")
        print(try pool.map(f, 0..<10))

        // print same numbers in arbitrary order
        print("Using .imap_unordered")
        let unordered = try pool.imapUnordered(f, 0..<10)
        while let i = try unordered.next() { print(i) }

        // evaluate "f(20)" asynchronously
        print("Using .apply_async")
        var res = try pool.applyAsync(f, 20)  // runs in *only* one process
        print(try res.get(timeout: .seconds(1)))  // prints "400"

        print("Using .apply_async")
        // evaluate "os.getpid()" asynchronously
        let pidResult = try pool.applyAsync(getpid, 0)  // runs in *only* one process
        print(try pidResult.get(timeout: .seconds(1)))  // prints the PID of that process

        print("Using .apply_async in a list")
        // launching multiple evaluations asynchronously *may* use more processes
        let multipleResults = try (0..<4).map { _ in try pool.applyAsync(getpid, 0) }
        print(try multipleResults.map { try $0.get(timeout: .seconds(1)) })

        print("Using .apply_async knowing it will timeout")
        // make a single worker sleep for 10 secs
        res = try pool.applyAsync(timeSleep, 10)
        do {
            print(try res.get(timeout: .seconds(1)))
        } catch PoolError.timedOut {
            print("We lacked patience and got a multiprocessing.TimeoutError")
        }

        print("For the moment, the pool remains available for more work")
        pool.terminate()

        // exiting the 'with'-block has stopped the pool
        print("Now the pool is closed and no longer available")
    }
}
