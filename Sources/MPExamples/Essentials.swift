import ArgumentParser
import Multiprocessing

// 003 "Multiprocessing": Process basics with pids and is_alive, and a Queue without a Lock.

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
