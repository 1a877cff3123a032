import ArgumentParser
import Multiprocessing

#if canImport(Glibc)
import Glibc
#endif

// The seed tutorials' examples that use a Manager without a Pool.

/// 002 "Using Multiprocessing and ProcessPoolExecutor", `multiprocessing_fibonacci.py`: a producer puts 15
/// random numbers on a queue and marks each in a `Manager().dict()`; one consumer per CPU takes numbers off the
/// queue and stores each one's Fibonacci number in the shared dict; the main process logs the dict.
struct Chapter5Fibonacci: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chapter5-fibonacci",
        abstract: "Fibonacci numbers of random inputs, computed by consumers into a Manager dict.")

    static func producerTask(_ q: Queue<Int>, _ fiboDict: SharedDictionary<Int, Int?>) throws {
        for _ in 0..<15 {
            let value = Int.random(in: 1...20)
            fiboDict[value] = .some(nil)  // fibo_dict[value] = None
            logInfo("Producer [\(Process.current.name)] putting value [\(value)] into queue.. ")
            try q.put(value)
        }
    }

    static func consumerTask(_ q: Queue<Int>, _ fiboDict: SharedDictionary<Int, Int?>) throws {
        while !q.isEmpty {
            let value = try q.get(block: true, timeout: .milliseconds(50))
            var (a, b) = (0, 1)
            for _ in 0..<value {
                (a, b) = (b, a + b)
                fiboDict[value] = a
            }
            logInfo("consumer [\(Process.current.name)] getting value [\(value)] from queue...")
        }
    }

    func run() throws {
        let dataQueue = try Queue<Int>()
        let numberOfCPUs = Process.cpuCount
        let manager = try Manager()
        let fiboDict: SharedDictionary<Int, Int?> = try manager.dict()

        let producer = Process { try Self.producerTask(dataQueue, fiboDict) }
        try producer.start()
        try producer.join()

        var consumerList: [Process] = []
        for _ in 0..<numberOfCPUs {
            let consumer = Process { try Self.consumerTask(dataQueue, fiboDict) }
            try consumer.start()
            consumerList.append(consumer)
        }
        for consumer in consumerList { try consumer.join() }

        // logger.info(fibo_dict): the proxy's str is the dict's repr, in insertion order.
        let entries = try fiboDict.items().map { "\($0.key): \($0.value.map(String.init) ?? "None")" }
        logInfo("{" + entries.joined(separator: ", ") + "}")
        manager.shutdown()
    }
}

/// The tutorial's logger: the root logger with one StreamHandler on standard error, formatted
/// `'%(asctime)s - %(message)s'` (asctime: local time, `2015-04-02 16:31:55,635`). Each record is one write to
/// standard error, whole, as logging's handler writes it.
func logInfo(_ message: String) {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    var seconds = now.tv_sec
    var parts = tm()
    localtime_r(&seconds, &parts)
    var buffer = [CChar](repeating: 0, count: 32)
    let n = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
    let stamp = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let millis = now.tv_nsec / 1_000_000
    let line = stamp + "," + (millis < 10 ? "00" : millis < 100 ? "0" : "") + "\(millis) - " + message + "\n"
    var bytes = Array(line.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }  // one write: a whole record
}
