import ArgumentParser
import Multiprocessing

// 003 "Multiprocessing": Process basics with pids and is_alive, the four essentials (Process, Queue, Pipe,
// Lock), a simulated scraper, and a Queue without and with a Lock.

/// "Example 01": a square and a cube computed in two processes that sleep 15 s and 10 s.
struct EssentialsCubeSquare: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "essentials-cube-square",
                                                    abstract: "print_square(10) and print_cube(13) in two processes.")

    /// Prints the cube of `num`.
    static func printCube(_ num: Int) {
        print("Simulate some work for cube")
        sleep(seconds: 10)
        print("Cube: \(num * num * num)")
    }

    /// Prints the square of `num`.
    static func printSquare(_ num: Int) {
        print("Simulate some work for square")
        sleep(seconds: 15)
        print("Square: \(num * num)")
    }

    func run() throws {
        // creating processes
        let p1 = Process { Self.printSquare(10) }
        let p2 = Process { Self.printCube(13) }

        // starting process 1
        try p1.start()

        // starting process 2
        try p2.start()

        // wait until process 1 is finished
        try p1.join()

        // wait until process 2 is finished
        try p2.join()

        // both processes finished
        print("Done")
    }
}

/// "Example 02": the pids of the main process and of two workers, and is_alive() before and after join().
struct EssentialsPids: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "essentials-pids",
                                                    abstract: "os.getpid(), Process.pid and is_alive().")

    static func worker01() {
        print("Simulate some work for worker01. \(osGetpid())")
        sleep(seconds: 10)
        print("Done worker01")
    }

    static func worker02() {
        print("Simulate some work for worker02. \(osGetpid())")
        sleep(seconds: 10)
        print("Done worker02")
    }

    func run() throws {
        print("ID of main process: \(osGetpid())")

        // creating processes
        let p1 = Process { Self.worker01() }
        let p2 = Process { Self.worker02() }

        // starting process 1
        try p1.start()

        // starting process 2
        try p2.start()

        print("ID of process p1: \(p1.pid!)")
        print("ID of process p2: \(p2.pid!)")

        print("Process p1 alive: \(py(p1.isAlive))")
        print("Process p2 alive: \(py(p2.isAlive))")

        // wait until process 1 is finished
        try p1.join()

        // wait until process 2 is finished
        try p2.join()

        // both processes finished
        print("Done")

        // check processes are alive
        print("Process p1 alive: \(py(p1.isAlive))")
        print("Process p2 alive: \(py(p2.isAlive))")
    }
}

/// "Example 03": the four essentials. A worker prints and puts on a Queue holding the Lock, another sends on a
/// Pipe; once both are joined a consumer, holding the Lock, gets from both.
struct EssentialsKeyComponents: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "essentials-key-components",
                                                    abstract: "Process, Queue, Pipe and Lock together.")

    static func queueWorker(_ queue: Queue<String>, _ lock: Lock) throws {
        try lock.withLock {
            print("Task executed")
            try queue.put("Done")
        }
    }

    static func pipeWorker(_ conn: Connection) throws {
        try conn.send("Data from pipe worker")
        conn.close()
    }

    static func consumer(_ queue: Queue<String>, _ parentConn: Connection, _ lock: Lock) throws {
        try lock.withLock {
            print("Consumer received from queue: \(try queue.get())")
            print("Consumer received from pipe: \(try parentConn.recv(as: String.self))")
        }
    }

    func run() throws {
        // Example that emphasize 4 essential key components of multiprocessing: Process, Queue, Pipe, Lock

        // for exchange data between processes safely (CPython's `Queue[Any]`: only strings go through it)
        let queue = try Queue<String>()

        // For synchronization (ensures only one process can access at a time)
        let lock = try Lock()

        // Pipe for two-way communications between processes
        let (parentConn, childConn) = try Pipe()

        // create separate processes

        // queue base process
        let queueProcess = Process { try Self.queueWorker(queue, lock) }
        // pipe base process
        let pipeProcess = Process { try Self.pipeWorker(childConn) }
        // consumer that receive data
        let consumerProcess = Process { try Self.consumer(queue, parentConn, lock) }

        // start processes
        try queueProcess.start()
        try pipeProcess.start()

        // wait for both processes to finish
        try queueProcess.join()
        try pipeProcess.join()

        // start the consumer process after data is available
        try consumerProcess.start()
        try consumerProcess.join()

        print("Done")
    }
}

/// "Example 04": four simulated scrapers sleep a random 1–10 s, print holding the Lock, and send their result
/// both on a Queue and on a Pipe they share; once all are joined an aggregator gets them all and prints them
/// holding the Lock.
struct EssentialsScraper: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "essentials-scraper",
                                                    abstract: "A simulated scraper over a Queue, a Pipe and a Lock.")

    /// CPython's `(url, data)` tuple.
    struct Scraped: Codable {
        var url: String
        var data: String
    }

    static func scrapeWebsite(_ url: String, _ queue: Queue<Scraped>, _ childConn: Connection, _ lock: Lock) throws {
        print("Scraping \(url)")
        let scrapeTime = Int.random(in: 1...10)
        sleep(seconds: Double(scrapeTime))
        let data = "Scraped data in \(scrapeTime) seconds"
        // Using lock to ensure only one process write data to share resource
        try lock.withLock {
            print("Scraped \(url)")
        }

        // send data to the main process
        try queue.put(Scraped(url: url, data: data))

        // send metadata via Pipe
        try childConn.send(Scraped(url: url, data: data))
        childConn.close()
    }

    static func aggregateData(_ queue: Queue<Scraped>, _ parentConn: Connection, _ lock: Lock,
                              _ websites: [String]) throws {
        var results: [(String, String)] = []
        var times: [(String, String)] = []

        for _ in websites {
            let fromQueue = try queue.get()
            results.append((fromQueue.url, fromQueue.data))

            let fromPipe = try parentConn.recv(as: Scraped.self)
            times.append((fromPipe.url, fromPipe.data))
        }

        // safely print the aggregate data using Lock
        try lock.withLock {
            print("---Aggregated result---")
            for (url, data) in results {
                print("\(url): \(data)")
            }

            for (url, scrapeTime) in times {
                print("\(url): \(scrapeTime) seconds")
            }
        }
    }

    func run() throws {
        let websites = ["google.com", "facebook.com", "x.com", "github.com"]

        let queue = try Queue<Scraped>()
        let (parentConn, childConn) = try Pipe()
        let lock = try Lock()

        var processes: [Process] = []

        for url in websites {
            let p = Process { try Self.scrapeWebsite(url, queue, childConn, lock) }
            processes.append(p)
            try p.start()
        }

        // wait for all processes to finish
        for p in processes {
            try p.join()
        }

        let aggregateProcess = Process { try Self.aggregateData(queue, parentConn, lock, websites) }
        try aggregateProcess.start()
        try aggregateProcess.join()
        print("Done")
    }
}

/// "Queue — Example 01: without Lock": one process squares a list into a Queue, then another empties it.
struct EssentialsQueueWithoutLock: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "essentials-queue-without-lock",
                                                    abstract: "square_list, then print_queue, over a Queue.")

    static func squareList(_ mylist: [Int], _ queue: Queue<Int>) throws {
        for item in mylist {
            // put data type int to queue
            try queue.put(item * item)
        }
    }

    static func printQueue(_ queue: Queue<Int>) throws {
        while !queue.isEmpty { print(try queue.get()) }
        print("Queue is now empty")
    }

    func run() throws {
        let queue = try Queue<Int>()
        let myList = [1, 4, 5, 6, 7, 4]
        let p1 = Process { try Self.squareList(myList, queue) }
        let p2 = Process { try Self.printQueue(queue) }

        // running process p1 to square the list
        try p1.start()
        try p1.join()

        // running process p2 to get queue elements to print
        try p2.start()
        try p2.join()

        print("All Done")
    }
}

/// "Queue — Example 02: with Lock": three workers each put a random number on a Queue after a random 1–3 s and
/// print holding the Lock; an aggregator gets the three, printing each holding the Lock.
struct EssentialsQueueWithLock: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "essentials-queue-with-lock",
                                                    abstract: "Workers and an aggregator over a Queue, printing under a Lock.")

    /// Worker function that sends data to the Queue
    static func workerWithQueue(_ queue: Queue<Int>, _ lock: Lock) throws {
        let result = Int.random(in: 1...100)  // Simulate some work by generating a random number
        sleep(seconds: Double(Int.random(in: 1...3)))  // Simulate task duration
        try queue.put(result)  // Send the result to the shared Queue

        // Protect console output with Lock
        try lock.withLock {
            print("Worker \(result) sent data to the queue.")
        }
    }

    /// Aggregator function that collects results from the Queue
    static func aggregatorWithQueue(_ queue: Queue<Int>, _ lock: Lock, _ numWorkers: Int) throws {
        var results: [Int] = []
        for _ in 0..<numWorkers {
            let result = try queue.get()  // Collect results from the Queue
            results.append(result)

            // Protect console output with Lock
            try lock.withLock {
                print("Aggregator received \(result) from the queue.")
            }
        }
        print("Final aggregated results from Queue:", results)
    }

    func run() throws {
        let queue = try Queue<Int>()  // Queue is process-safe, no Lock needed
        let lock = try Lock()  // Lock for protecting console output
        let numWorkers = 3
        let processes = (0..<numWorkers).map { _ in
            Process { try Self.workerWithQueue(queue, lock) }
        }

        // Start all worker processes
        for p in processes {
            try p.start()
        }

        // Start the aggregator to collect results
        let aggregator = Process { try Self.aggregatorWithQueue(queue, lock, numWorkers) }
        try aggregator.start()

        // Wait for all processes to finish
        for p in processes {
            try p.join()
        }
        try aggregator.join()
    }
}
