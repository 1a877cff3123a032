import CShim
import Multiprocessing
import Synchronization
import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

private typealias Process = Multiprocessing.Process

/// Queue, JoinableQueue and SimpleQueue with real processes, mirroring CPython's `_TestQueue`.
final class QueueTests: ProcessTestCase {
    /// _TestQueue.test_put: a bounded queue refuses a put when full (Full), at once or after the timeout.
    func testPutOnAFullQueue() throws {
        let q = try Queue<Int>(maxsize: 6)
        XCTAssertTrue(q.isEmpty)
        XCTAssertFalse(q.isFull)
        for i in 0..<6 { try q.put(i) }
        XCTAssertTrue(q.isFull)
        XCTAssertEqual(q.qsize, 6)
        XCTAssertThrowsError(try q.put(7, block: false)) { XCTAssertEqual($0 as? QueueError, .full) }
        XCTAssertThrowsError(try q.putNowait(7)) { XCTAssertEqual($0 as? QueueError, .full) }
        let start = nowNanoseconds()
        XCTAssertThrowsError(try q.put(7, timeout: .milliseconds(150))) { XCTAssertEqual($0 as? QueueError, .full) }
        let waited = nowNanoseconds() - start
        XCTAssertTrue(waited >= 150_000_000 && waited < 200_000_000, "\(Double(waited) / 1e6) ms")
        XCTAssertEqual(try q.get(), 0)
        try q.put(7, block: false)  // a place freed up
        XCTAssertEqual((0..<6).map { _ in try? q.get() }, [1, 2, 3, 4, 5, 7])
    }

    /// _TestQueue.test_get: Empty at once or after the timeout; items arrive in order.
    func testGetOnAnEmptyQueue() throws {
        let q = try Queue<String>()
        XCTAssertThrowsError(try q.get(block: false)) { XCTAssertEqual($0 as? QueueError, .empty) }
        XCTAssertThrowsError(try q.getNowait()) { XCTAssertEqual($0 as? QueueError, .empty) }
        let start = nowNanoseconds()
        XCTAssertThrowsError(try q.get(timeout: .milliseconds(150))) { XCTAssertEqual($0 as? QueueError, .empty) }
        let waited = nowNanoseconds() - start
        XCTAssertTrue(waited >= 150_000_000 && waited < 200_000_000, "\(Double(waited) / 1e6) ms")
        try q.put("a")
        try q.put("b")
        XCTAssertEqual(try q.get(), "a")
        XCTAssertEqual(try q.get(), "b")
    }

    /// Better than CPython: an item is in the queue the moment put returns (no feeder thread), so empty() and
    /// qsize are right at once.
    func testAnItemIsVisibleTheMomentPutReturns() throws {
        let q = try Queue<Int>()
        try q.put(1)
        XCTAssertFalse(q.isEmpty)
        XCTAssertEqual(q.qsize, 1)
        XCTAssertEqual(try q.get(block: false), 1, "no waiting needed")
    }

    /// _TestQueue.test_fork: items put by a child arrive in order in the parent, and a child blocked on a
    /// full queue proceeds when the parent takes items.
    func testProducerChildWithABoundedQueue() throws {
        let q = try Queue<Int>(maxsize: 10)
        let child = Process { for i in 0..<1000 { try q.put(i, timeout: .seconds(10)) } }
        try child.start()
        for i in 0..<1000 { XCTAssertEqual(try q.get(timeout: .seconds(10)), i) }
        try child.join()
        XCTAssertEqual(child.exitCode, 0)
        XCTAssertTrue(q.isEmpty)
    }

    /// Better than CPython: a process that put items nobody read exits at once (CPython's feeder thread
    /// makes it wait to flush them into the pipe, or deadlock with a full pipe).
    func testPutterExitsWithoutWaitingForReaders() throws {
        let q = try Queue<[UInt8]>(capacity: 16 << 20)
        let child = Process { for _ in 0..<1000 { try q.put([UInt8](repeating: 7, count: 1000)) } }
        try child.start()
        XCTAssertTrue(try child.join(timeout: .seconds(10)), "exited without anybody reading")
        XCTAssertEqual(child.exitCode, 0)
        XCTAssertEqual(q.qsize, 1000)
        XCTAssertEqual(try q.get(), [UInt8](repeating: 7, count: 1000))
    }

    /// Several producers and consumers: every item exactly once, and each producer's items in order per consumer.
    func testManyProducersAndConsumers() throws {
        struct Item: Codable { var producer: Int; var seq: Int; var text: String }
        let items = try Queue<Item>(maxsize: 64)
        let results = try Queue<[Int]>()  // per consumer: counts per producer, then an order flag
        let producers = (0..<3).map { p in Process { for s in 0..<2000 { try items.put(Item(producer: p, seq: s, text: "\(p):\(s)")) } } }
        let consumers = (0..<2).map { _ in
            Process {
                var counts = [0, 0, 0], last = [-1, -1, -1], inOrder = 1
                while true {
                    let item = try items.get(timeout: .seconds(20))
                    if item.producer < 0 { break }
                    if item.seq <= last[item.producer] || item.text != "\(item.producer):\(item.seq)" { inOrder = 0 }
                    last[item.producer] = item.seq
                    counts[item.producer] += 1
                }
                try results.put(counts + [inOrder])
            }
        }
        for p in producers + consumers { try p.start() }
        for p in producers { try p.join() }
        for _ in consumers { try items.put(Item(producer: -1, seq: 0, text: "")) }  // poison pills
        for c in consumers { try c.join() }
        let a = try results.get(timeout: .seconds(5)), b = try results.get(timeout: .seconds(5))
        XCTAssertEqual(zip(a, b).prefix(3).map { $0 + $1 }, [2000, 2000, 2000], "every item exactly once")
        XCTAssertEqual([a[3], b[3]], [1, 1], "each producer's items in order")
    }

    /// _TestQueue.test_task_done: workers mark items done; join returns when all are.
    func testJoinableQueueTaskDoneAndJoin() throws {
        let q = try JoinableQueue<Int>()
        let workers = (0..<4).map { _ in
            Process {
                while true {
                    let item = try q.get(timeout: .seconds(20))
                    try q.taskDone()
                    if item < 0 { break }
                }
            }
        }
        for w in workers { try w.start() }
        for i in 0..<100 { try q.put(i) }
        XCTAssertTrue(q.join(timeout: .seconds(20)))
        XCTAssertEqual(q.unfinishedTasks, 0)
        for _ in workers { try q.put(-1) }
        for w in workers { try w.join() }
        XCTAssertTrue(workers.allSatisfy { $0.exitCode == 0 })
        XCTAssertThrowsError(try q.taskDone()) { XCTAssertEqual("\($0)", "task_done() called too many times") }
    }

    /// JoinableQueue.join with items still unfinished times out.
    func testJoinTimesOutWhileTasksAreUnfinished() throws {
        let q = try JoinableQueue<Int>()
        try q.put(1)
        XCTAssertEqual(q.unfinishedTasks, 1)
        XCTAssertFalse(q.join(timeout: .milliseconds(50)))
        _ = try q.get()
        try q.taskDone()
        XCTAssertTrue(q.join(timeout: .zero))
    }

    /// _TestQueue.test_closed_queue_put_get_exceptions: after close(), put and get fail in this process.
    func testClosedQueueRefusesPutAndGet() throws {
        let q = try Queue<Int>()
        q.close()
        XCTAssertThrowsError(try q.put(1)) { XCTAssertEqual($0 as? QueueError, .closed) }
        XCTAssertThrowsError(try q.get()) { XCTAssertEqual($0 as? QueueError, .closed) }
    }

    /// "Queues are thread and process safe" (the tutorial): four threads of this process take the items a
    /// child puts, each exactly once. (The child is started before the threads: fork from one thread.)
    func testThreadsOfOneProcessShareAQueue() throws {
        let q = try Queue<[UInt8]>(maxsize: 100)
        let producer = Process {
            for i in 0..<4000 { try q.put([UInt8](repeating: UInt8(i % 251), count: 16 + i % 1000) + withUnsafeBytes(of: Int32(i)) { Array($0) }) }
            for _ in 0..<4 { try q.put([]) }
        }
        try producer.start()
        let seen = Mutex([Int](repeating: 0, count: 4000))
        let finished = DispatchSemaphore(value: 0)
        for _ in 0..<4 {
            // unowned: a thread's closure may be released after the test ends, and the queue's descriptors with
            // it; the test's own reference keeps the queue alive while the threads use it
            Thread.detachNewThread { [unowned q] in
                while let item = try? q.get(timeout: .seconds(20)), !item.isEmpty {
                    let i = Int(item.suffix(4).withUnsafeBytes { $0.loadUnaligned(as: Int32.self) })
                    let intact = item.count == 16 + i % 1000 + 4 && item.prefix(16 + i % 1000).allSatisfy { $0 == UInt8(i % 251) }
                    seen.withLock { $0[i] += intact ? 1 : 1000 }
                }
                finished.signal()
            }
        }
        for _ in 0..<4 { XCTAssertEqual(finished.wait(timeout: .now() + 30), .success) }
        try producer.join()
        XCTAssertEqual(seen.withLock { $0.filter { $0 != 1 }.count }, 0, "every item exactly once, intact")
    }

    /// SimpleQueue: put, get, empty, through a child.
    func testSimpleQueue() throws {
        let q = try SimpleQueue<String>()
        XCTAssertTrue(q.isEmpty)
        let child = Process { try q.put("from child") }
        try child.start()
        XCTAssertEqual(try q.get(), "from child")
        try child.join()
    }

    /// 100 MB through a Queue.
    func testHundredMegabyteItem() throws {
        let q = try Queue<[UInt8]>()
        let size = 100 * 1024 * 1024
        let child = Process {
            var big = [UInt8](repeating: 1, count: size)
            big[size - 1] = 2
            try q.put(big)
        }
        try child.start()
        let got = try q.get(timeout: .seconds(30))
        XCTAssertEqual(got.count, size)
        XCTAssertEqual(got.first, 1)
        XCTAssertEqual(got.last, 2)
        try child.join()
    }
}

// MARK: - Under every start method (CPython runs its queue tests once per start method)

extension QueueTests {
    /// A child's items arrive in order whichever way it was started. (CPython: `test_put`/`test_get` with a
    /// child process under fork, forkserver and spawn.)
    func testChildPutsItemsInOrderUnderEveryStartMethod() {
        forEachStartMethod { method in
            let queue = try Queue<Int>()
            XCTAssertEqual(try runChild(method, ChildFunctions.queuePutRange, QueueRange(queue: queue, count: 100)), 0)
            XCTAssertEqual(queue.qsize, 100, "under \(method)")
            for i in 0..<100 { XCTAssertEqual(try queue.get(timeout: .seconds(5)), i, "under \(method)") }
            XCTAssertTrue(queue.isEmpty)
        }
    }
}

extension QueueTests {
    /// Items go both ways through two queues held by parent and child. (CPython: `test_put`, `test_get`.)
    func testEchoThroughTwoQueuesUnderEveryStartMethod() {
        forEachStartMethod { method in
            let argument = QueueEcho(input: try Queue<String>(), output: try Queue<String>())
            let process = try startChild(method, ChildFunctions.queueEcho, argument)
            for word in ["a", "bc", String(repeating: "x", count: 300_000)] {  // the last is longer than a ring slot
                try argument.input.put(word)
                XCTAssertEqual(try argument.output.get(timeout: .seconds(60)), word.uppercased(), "under \(method)")
            }
            try argument.input.put("STOP")
            XCTAssertTrue(try process.join(timeout: .seconds(60)))
            XCTAssertEqual(process.exitCode, 0, "under \(method)")
        }
    }

    /// task_done from a child releases join() in the parent. (CPython: `test_task_done`.)
    func testJoinableQueueTaskDoneUnderEveryStartMethod() {
        forEachStartMethod { method in
            let argument = JoinableWork(tasks: try JoinableQueue<Int>(), done: try SharedValue(0))
            let process = try startChild(method, ChildFunctions.joinableConsume, argument)
            for n in 1...10 { try argument.tasks.put(n) }
            XCTAssertTrue(argument.tasks.join(timeout: .seconds(60)), "under \(method)")
            XCTAssertEqual(argument.done.value, 55, "under \(method)")
            try argument.tasks.put(-1)
            XCTAssertTrue(try process.join(timeout: .seconds(60)))
            XCTAssertEqual(process.exitCode, 0)
            XCTAssertEqual(argument.tasks.unfinishedTasks, 0)
        }
    }

    /// A SimpleQueue shared with a child. (CPython: `test_simple_queue` style put/get/empty.)
    func testSimpleQueueUnderEveryStartMethod() {
        forEachStartMethod { method in
            let argument = SimpleEcho(input: try SimpleQueue<Int>(), output: try SimpleQueue<Int>())
            let process = try startChild(method, ChildFunctions.simpleEcho, argument)
            for n in 1...5 { try argument.input.put(n) }
            XCTAssertEqual(try (1...5).map { _ in try argument.output.get() }, [10, 20, 30, 40, 50], "under \(method)")
            try argument.input.put(-1)
            XCTAssertTrue(try process.join(timeout: .seconds(60)))
            XCTAssertTrue(argument.output.isEmpty)
        }
    }

    /// A queue cannot be sent as a message: only as a child's argument. (CPython: "Queue objects should only be
    /// shared between processes through inheritance".)
    func testQueueCannotBeSentAsAMessage() throws {
        let outer = try Queue<Queue<Int>>()
        XCTAssertThrowsError(try outer.put(try Queue<Int>())) { error in
            XCTAssertTrue("\(error)".contains("cannot be sent as a message"), "\(error)")
        }
    }
}

extension QueueTests {
    /// A bounded queue is full for a child too: put_nowait raises Full, a blocking put waits until the parent
    /// takes an item. (CPython: `test_put` with maxsize and `Full`.)
    func testFullQueueInChildUnderEveryStartMethod() {
        forEachStartMethod { method in
            let argument = FullQueueWork(queue: try Queue<Int>(maxsize: 1), results: try Queue<String>())
            let process = try startChild(method, ChildFunctions.putIntoFullQueue, argument)
            XCTAssertEqual(try argument.results.get(timeout: .seconds(60)), "\(QueueError.full)", "under \(method)")
            XCTAssertEqual(try argument.queue.get(timeout: .seconds(60)), 1)
            XCTAssertEqual(try argument.results.get(timeout: .seconds(60)), "put 3", "under \(method)")
            XCTAssertEqual(try argument.queue.get(timeout: .seconds(5)), 3)
            XCTAssertTrue(try process.join(timeout: .seconds(60)))
        }
    }
}

// MARK: - Unbounded puts never wait for readers (the elastic ring)

extension QueueTests {
    /// CPython's unbounded put never blocks (its feeder thread buffers in memory): a child puts 200,000 items
    /// with no reader running and exits at once; the parent then reads them all in order, and the memory that
    /// held them is given back.
    func testTwoHundredThousandItemsWithNoReaderRunning() throws {
        let others = try elasticRingMappings()
        let q = try Queue<Int>()
        let count = 200_000
        let child = Process { for i in 0..<count { try q.put(i) } }
        try child.start()
        XCTAssertTrue(try child.join(timeout: .seconds(60)), "the producer exited without anybody reading")
        XCTAssertEqual(child.exitCode, 0)
        XCTAssertEqual(q.qsize, count)
        XCTAssertGreaterThan(try elasticRingResidentBytes(excluding: others), count * 16, "the items are held in shared memory")
        for i in 0..<count {
            let item = try q.get(block: false)  // all there already
            if item != i { return XCTFail("item \(i) is \(item)") }
        }
        XCTAssertTrue(q.isEmpty)
        XCTAssertThrowsError(try q.get(block: false)) { XCTAssertEqual($0 as? QueueError, .empty) }
        let left = try elasticRingResidentBytes(excluding: others)
        // (the 1 MiB hot window and half again, the 256 KiB the writer backed ahead of itself, less than a
        // 64 KiB batch)
        XCTAssertLessThanOrEqual(left, (3 << 19) + (384 << 10), "back to the hot window once read: \(left) bytes")
    }

    /// The same under every start method: a spawned child maps the ring's 4 GiB reach lazily too.
    func testTwoHundredThousandItemsFromAChildUnderEveryStartMethod() {
        forEachStartMethod { method in
            let queue = try Queue<Int>()
            XCTAssertEqual(try runChild(method, ChildFunctions.queuePutRange, QueueRange(queue: queue, count: 200_000)), 0,
                           "under \(method)")
            XCTAssertEqual(queue.qsize, 200_000, "under \(method)")
            for i in 0..<200_000 {
                let item = try queue.get(block: false)
                if item != i { return XCTFail("under \(method): item \(i) is \(item)") }
            }
            XCTAssertTrue(queue.isEmpty)
        }
    }

    /// Several producers overflowing the hot window at once, no reader running: every item arrives, each
    /// producer's in order, and qsize counts them all.
    func testSeveralProducersOverflowingAtOnce() throws {
        let q = try Queue<Int>()
        let producers = 4, each = 100_000
        let children = (0..<producers).map { p in Process { for i in 0..<each { try q.put(p * 1_000_000 + i) } } }
        for child in children { try child.start() }
        for child in children {
            XCTAssertTrue(try child.join(timeout: .seconds(60)))
            XCTAssertEqual(child.exitCode, 0)
        }
        XCTAssertEqual(q.qsize, producers * each)
        var next = [Int](repeating: 0, count: producers)
        for _ in 0..<(producers * each) {
            let item = try q.get(block: false)
            let (p, i) = item.quotientAndRemainder(dividingBy: 1_000_000)
            if p < 0 || p >= producers || i != next[p] { return XCTFail("out of order: \(item), expected \(next)") }
            next[p] += 1
        }
        XCTAssertEqual(next, [Int](repeating: each, count: producers))
        XCTAssertTrue(q.isEmpty)
    }

    /// Encoded items (the mpsh binding's path) put by a producer that exits right after: none is lost.
    func testEncodedItemsOfAProducerThatExitsAtOnce() throws {
        let q = try Queue<[UInt8]>()
        let count = 50_000
        let child = Process {
            for i in 0..<count { try q.put([UInt8](repeating: UInt8(i & 0xff), count: 100)) }
        }
        try child.start()
        XCTAssertTrue(try child.join(timeout: .seconds(60)))
        XCTAssertEqual(child.exitCode, 0)
        for i in 0..<count {
            let item = try q.get(block: false)
            if item != [UInt8](repeating: UInt8(i & 0xff), count: 100) { return XCTFail("item \(i): \(item.prefix(4))") }
        }
        XCTAssertTrue(q.isEmpty)
    }

    /// A producer SIGKILLed while it overflows (perhaps holding the ring's producer lock) does not wedge the queue:
    /// another producer's puts go through, and a reader gets the killed one's items (a prefix, in order) and then
    /// the other's.
    func testProducerKilledWhileOverflowingDoesNotWedgeTheQueue() throws {
        let q = try Queue<Int>()
        let ready = try Queue<Int>()
        let doomed = Process {
            for i in 0..<100_000 { try q.put(i) }
            try ready.put(1)
            var i = 100_000
            while true { try q.put(i); i += 1 }
        }
        try doomed.start()
        XCTAssertEqual(try ready.get(timeout: .seconds(60)), 1)
        try doomed.kill()
        try doomed.join()
        let other = Process { for i in 0..<1000 { try q.put(-1 - i) } }
        try other.start()
        XCTAssertTrue(try other.join(timeout: .seconds(60)), "the next producer was not wedged")
        XCTAssertEqual(other.exitCode, 0)
        var nextKilled = 0, nextOther = 0
        while let item = try? q.get(block: false) {
            if item >= 0 {
                if item != nextKilled || nextOther > 0 { return XCTFail("killed producer's item \(item) out of order") }
                nextKilled += 1
            } else {
                if item != -1 - nextOther { return XCTFail("other producer's item \(item) out of order") }
                nextOther += 1
            }
        }
        XCTAssertGreaterThanOrEqual(nextKilled, 100_000)
        XCTAssertEqual(nextOther, 1000)
        XCTAssertEqual(q.qsize, 0)
    }

    /// JoinableQueue and SimpleQueue: 100,000 puts before any consumer, as CPython's tutorials do.
    func testJoinableAndSimpleQueuesFillBeforeConsumersStart() throws {
        let tasks = try JoinableQueue<Int>()
        for i in 0..<100_000 { try tasks.put(i) }
        let sum = try SharedValue(0)
        let consumer = Process {
            for _ in 0..<100_000 {
                let n = try tasks.get(timeout: .seconds(60))
                sum.value += n
                try tasks.taskDone()
            }
        }
        try consumer.start()
        XCTAssertTrue(tasks.join(timeout: .seconds(60)))
        XCTAssertTrue(try consumer.join(timeout: .seconds(60)))
        XCTAssertEqual(sum.value, 4_999_950_000)

        let simple = try SimpleQueue<Int>()
        for i in 0..<100_000 { try simple.put(i) }
        var total = 0
        for _ in 0..<100_000 { total += try simple.get() }
        XCTAssertEqual(total, 4_999_950_000)
        XCTAssertTrue(simple.isEmpty)
    }
}

/// Bytes of memory backing the data areas of this process's elastic rings now (mincore over the 4 GiB mappings
/// of "mpsh-ring" memfds; pages another process touched count too, since they are one file's pages).
/// The start addresses of the elastic rings mapped in this process now.
/// The elastic rings mapped in this process, each as its start address and its memfd's inode: a ring unmapped
/// later can leave its address to a new one, so the address alone does not name a ring.
private func elasticRingMappings() throws -> Set<String> {
    let maps = readProcFile("/proc/self/maps")
    return Set(maps.split(separator: "\n").filter { $0.contains("mpsh-ring") }.map(ringKey))
}

/// "start inode" of a /proc/self/maps line.
private func ringKey(_ line: Substring) -> String {
    let fields = line.split(separator: " ", omittingEmptySubsequences: true)
    return "\(fields[0].split(separator: "-")[0]) \(fields.count > 4 ? fields[4] : "")"
}

/// The resident bytes of the elastic rings mapped in this process, except those in `excluded` (rings other tests
/// or other suites in this process still hold: the MPShell tests' interpreters keep theirs).
private func elasticRingResidentBytes(excluding excluded: Set<String> = []) throws -> Int {
    let maps = readProcFile("/proc/self/maps")
    var total = 0
    for line in maps.split(separator: "\n") where line.contains("mpsh-ring") {
        let range = line.split(separator: " ")[0].split(separator: "-")
        guard !excluded.contains(ringKey(line)), let start = UInt(range[0], radix: 16),
              let end = UInt(range[1], radix: 16), end - start > 1 << 30,
              let base = UnsafeMutableRawPointer(bitPattern: start) else { continue }
        let pages = Int(end - start) / 4096
        var vector = [UInt8](repeating: 0, count: pages)
        XCTAssertEqual(mincore(base, Int(end - start), &vector), 0)
        total += vector.reduce(0) { $0 + Int($1 & 1) } * 4096
    }
    return total
}
