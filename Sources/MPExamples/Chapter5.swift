import ArgumentParser
import Multiprocessing

// 002 "Using Multiprocessing and ProcessPoolExecutor" (Korean notes).

/// "1. Using multiprocessing.Pipe": a producer sends a random number, a consumer receives it; each prints its pid.
struct Chapter5Pipe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "chapter5-pipe",
                                                    abstract: "A random value from a producer to a consumer over a Pipe.")

    static func producerTask(_ conn: Connection) throws {
        let value = Int.random(in: 1...10)
        try conn.send(value: value)
        print("Value [\(value)] sent by PID [\(osGetpid())]")
        conn.close()
    }

    static func consumerTask(_ conn: Connection) throws {
        print("Value [\(try conn.recv(as: Int.self))] received by PID [\(osGetpid())]")
    }

    func run() throws {
        let (producerConn, consumerConn) = try Pipe()
        let consumer = Process { try Self.consumerTask(consumerConn) }
        let producer = Process { try Self.producerTask(producerConn) }

        try consumer.start()
        try producer.start()

        try consumer.join()
        try producer.join()
    }
}
