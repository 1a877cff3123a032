import CShim
import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

private typealias Process = Multiprocessing.Process

/// A value type with nested containers, for the copy semantics.
private struct Record: Codable, Equatable {
    var name: String
    var tags: [String]
    var scores: [String: Int]
}

/// Asserts that `body` throws exactly `expected` (a helper: `catch ManagerError.case` inside loops crashes the
/// 6.3.1 compiler).
private func assertThrows<T>(_ expected: ManagerError, _ body: () throws(ManagerError) -> T,
                             file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected \(expected), nothing was thrown", file: file, line: line)
    } catch {
        XCTAssertEqual(error, expected, file: file, line: line)
    }
}

/// Starts `processes`, joins them (within 60 s: a hang is a failure) and asserts each exited with `code`.
private func runAll(_ processes: [Process], exitCode code: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws {
    for p in processes { try p.start() }
    for p in processes {
        XCTAssertTrue(try p.join(timeout: .seconds(60)), "a process hung", file: file, line: line)
        XCTAssertEqual(p.exitCode, code, "\(p)", file: file, line: line)
    }
}

/// Manager, SharedDictionary, SharedList and SharedNamespace with real processes, mirroring CPython's
/// `_TestContainers`, `_TestManagerRestart` and the manager parts of test/_test_multiprocessing.py.
final class ManagerTests: ProcessTestCase {
    // MARK: dict

    /// _TestContainers.test_dict: a child fills the dict; the parent sees every entry through each view.
    func testDictWrittenByAChildIsSeenThroughEveryView() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let d: SharedDictionary<Int, String> = try manager.dict()
        try runAll([Process { for i in 65..<70 { try d.setValue(String(UnicodeScalar(UInt8(i))), forKey: i) } }])
        XCTAssertEqual(try d.count, 5)
        XCTAssertEqual(try d.copy(), [65: "A", 66: "B", 67: "C", 68: "D", 69: "E"])
        XCTAssertEqual(try d.keys().sorted(), [65, 66, 67, 68, 69])
        XCTAssertEqual(try d.values().sorted(), ["A", "B", "C", "D", "E"])
        XCTAssertEqual(try d.items().map { "\($0.key)=\($0.value)" }.sorted(), ["65=A", "66=B", "67=C", "68=D", "69=E"])
        XCTAssertTrue(try d.contains(66))
        XCTAssertFalse(try d.contains(70))
        XCTAssertEqual(d[67], "C")
        XCTAssertNil(d[70])
        d[70] = "F"
        d[65] = nil  // del d[65]
        XCTAssertEqual(try d.copy(), [66: "B", 67: "C", 68: "D", 69: "E", 70: "F"])
        XCTAssertEqual(try manager.dict([1: "x"]).copy(), [1: "x"])  // manager.dict({1: 'x'})
    }

    /// Python's dict order (CPython's test_dict compares `d.items()` with the insertion order): keys in insertion
    /// order, a replaced value keeps its place, a key removed and set again goes last. And, as CPython's manager
    /// process (SyncManager-1) does, creating a manager uses up one process number.
    func testInsertionOrderAndProcessNumbering() throws {
        let first = Process()
        let manager = try Manager()
        defer { manager.shutdown() }
        let next = Process()
        let number = { (p: Process) in Int(p.name.split(separator: "-").last!)! }
        XCTAssertEqual(number(next), number(first) + 2, "\(first.name), \(next.name)")
        let d: SharedDictionary<Int, String> = try manager.dict()
        for k in [5, 3, 9, 1] { d[k] = "v\(k)" }
        d[3] = "new"
        d[9] = nil
        d[9] = "back"
        XCTAssertEqual(try d.keys(), [5, 3, 1, 9])
        XCTAssertEqual(try d.values(), ["v5", "new", "v1", "back"])
        try d.update((100..<200).map { ($0, "\($0)") })  // through several rehashes
        XCTAssertEqual(try d.keys(), [5, 3, 1, 9] + Array(100..<200))
    }

    /// _TestContainers.test_dict: d[missing] and d.pop(missing) raise KeyError naming the key; del too.
    func testMissingKeyIsAKeyErrorNamingTheKey() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let d: SharedDictionary<String, Int> = try manager.dict()
        assertThrows(.keyNotFound("'nope'")) { () throws(ManagerError) in try d.value(forKey: "nope") }
        assertThrows(.keyNotFound("'nope'")) { () throws(ManagerError) in try d.pop("nope") }
        assertThrows(.keyNotFound("'nope'")) { () throws(ManagerError) in try d.delete("nope") }
        XCTAssertEqual(ManagerError.keyNotFound("'nope'").description, "KeyError: 'nope' (not in the shared dictionary)")
        let n: SharedDictionary<Int, Int> = try manager.dict()
        assertThrows(.keyNotFound("42")) { () throws(ManagerError) in try n.value(forKey: 42) }
        let b: SharedDictionary<[UInt8], Int> = try manager.dict()
        assertThrows(.keyNotFound("b'a\\x00'")) { () throws(ManagerError) in try b.value(forKey: [0x61, 0]) }
    }

    /// _TestContainers.test_dict: get with a default, setdefault, pop with a default, update, clear.
    func testGetPopSetDefaultUpdateClear() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let d: SharedDictionary<String, Int> = try manager.dict()
        XCTAssertEqual(try d.get("a", default: 7), 7)
        XCTAssertEqual(try d.setDefault("a", 1), 1)
        XCTAssertEqual(try d.setDefault("a", 2), 1)
        try d.update(["b": 2, "c": 3])
        try d.update([("d", 4)])
        XCTAssertEqual(try d.copy(), ["a": 1, "b": 2, "c": 3, "d": 4])
        XCTAssertEqual(try d.pop("b"), 2)
        XCTAssertEqual(try d.pop("b", default: -1), -1)
        XCTAssertEqual(try d.removeValue(forKey: "c"), 3)
        XCTAssertNil(try d.removeValue(forKey: "c"))
        XCTAssertEqual(try d.count, 2)
        try d.clear()
        XCTAssertEqual(try d.count, 0)
        XCTAssertTrue(try d.isEmpty)
        d["z"] = 26
        XCTAssertEqual(try d.copy(), ["z": 26])
    }

    /// _TestContainers.test_dict_proxy_nested / test_list_proxy_in_list: reading a nested value gives a copy;
    /// mutating the copy (here or in a child) does not write back; storing it again does.
    func testNestedValuesAreCopiesThatDoNotWriteBack() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let d: SharedDictionary<String, Record> = try manager.dict()
        let l: SharedList<[Int]> = try manager.list()
        d["r"] = Record(name: "r", tags: ["a"], scores: ["x": 1])
        try l.append([1, 2])
        var copy = d["r"]!
        copy.tags.append("b")
        copy.scores["y"] = 2
        var inner = l[0]
        inner.append(3)
        XCTAssertEqual(d["r"], Record(name: "r", tags: ["a"], scores: ["x": 1]), "the copy wrote back")
        XCTAssertEqual(l[0], [1, 2], "the copy wrote back")
        try runAll([Process {
            var r = try d.value(forKey: "r")
            r.tags.append("child")  // a copy in the child: nothing shared changes
            var e = try l.element(at: 0)
            e.append(99)
        }])
        XCTAssertEqual(try d.value(forKey: "r").tags, ["a"])
        XCTAssertEqual(try l.element(at: 0), [1, 2])
        try d.setValue(copy, forKey: "r")  // writing the changed copy back is how to change it
        l[0] = inner
        XCTAssertEqual(d["r"]?.tags, ["a", "b"])
        XCTAssertEqual(d["r"]?.scores, ["x": 1, "y": 2])
        XCTAssertEqual(l[0], [1, 2, 3])
    }

    /// The manager.Lock() counter (CPython's docs and _TestLock): 4 processes x 500 read-modify-writes of one
    /// key under manager.lock() give exactly 2000.
    func testConcurrentIncrementsUnderTheManagersLockAreExact() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let counts: SharedDictionary<String, Int> = try manager.dict()
        let lock = try manager.lock()
        counts["n"] = 0
        try runAll((0..<4).map { _ in Process {
            for _ in 0..<500 {
                try lock.withLock { try counts.setValue(try counts.value(forKey: "n") + 1, forKey: "n") }
            }
        } })
        XCTAssertEqual(counts["n"], 2000)
    }

    /// manager_dict.py's workload as a test: 4 processes write 2,000 distinct keys each; nothing is lost.
    func testConcurrentWritersOfDistinctKeysLoseNothing() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let d: SharedDictionary<String, Int> = try manager.dict()
        try runAll((0..<4).map { w in Process { for i in 0..<2000 { try d.setValue(i, forKey: "\(w):\(i)") } } })
        XCTAssertEqual(try d.count, 8000)
        let copy = try d.copy()
        for w in 0..<4 { for i in stride(from: 0, to: 2000, by: 97) { XCTAssertEqual(copy["\(w):\(i)"], i) } }
        XCTAssertTrue(try manager.verifyConsistency())
    }

    /// Raw bytes keys and values (the interpreter's encoded values): stored as they are; empty ones work.
    func testBytesKeysAndValuesAreStoredAsTheyAre() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let d: SharedDictionary<[UInt8], [UInt8]> = try manager.dict()
        d[[1, 2, 3]] = [9, 8]
        d[[]] = []
        d[[0]] = Array(repeating: 7, count: 100_000)
        try runAll([Process { try d.setValue([42], forKey: [1, 2, 3]) }])
        XCTAssertEqual(d[[1, 2, 3]], [42])
        XCTAssertEqual(d[[]], [])
        XCTAssertEqual(d[[0]]?.count, 100_000)
        XCTAssertEqual(try d.count, 3)
    }

    /// A value read as another type than it was stored with is a decoding error, not a crash.
    func testReadingAsAnotherTypeIsADecodingError() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let ns = try manager.namespace()
        ns.x = "text"
        XCTAssertThrowsError(try ns.value("x", as: Int.self)) { error in
            guard case ManagerError.decoding(let message)? = error as? ManagerError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("Int"), message)
        }
    }

    // MARK: list

    /// _TestContainers.test_list: append, extend, negative indices, insert, index, remove, pop, copy, clear.
    func testListOperations() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let l: SharedList<Int> = try manager.list(Array(0..<10))
        XCTAssertEqual(try l.copy(), Array(0..<10))
        try l.append(10)
        try l.extend([11, 12])
        XCTAssertEqual(try l.count, 13)
        XCTAssertEqual(l[-1], 12)
        XCTAssertEqual(try l.element(at: -13), 0)
        try l.insert(-1, at: 0)
        try l.insert(100, at: 1000)  // past the end: appended, as in Python
        try l.insert(50, at: -1)     // before the last
        XCTAssertEqual(try l.copy(), [-1] + Array(0...12) + [50, 100])
        XCTAssertEqual(try l.index(of: 5), 6)
        XCTAssertTrue(try l.contains(50))
        try l.remove(50)
        XCTAssertEqual(try l.pop(), 100)
        XCTAssertEqual(try l.pop(0), -1)
        XCTAssertEqual(try l.remove(at: 3), 3)
        l[0] = 1000
        XCTAssertEqual(try l.copy(), [1000, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        try l.clear()
        XCTAssertTrue(try l.isEmpty)
    }

    /// _TestContainers.test_list: IndexError and ValueError with CPython's messages.
    func testListErrorsCarryCPythonsMessages() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let l: SharedList<String> = try manager.list(["a"])
        assertThrows(.indexOutOfRange("list index out of range")) { () throws(ManagerError) in try l.element(at: 1) }
        assertThrows(.indexOutOfRange("list index out of range")) { () throws(ManagerError) in try l.element(at: -2) }
        assertThrows(.indexOutOfRange("list assignment index out of range")) { () throws(ManagerError) in try l.setElement("x", at: 5) }
        assertThrows(.indexOutOfRange("pop index out of range")) { () throws(ManagerError) in try l.pop(3) }
        assertThrows(.valueNotFound("list.remove(x): x not in list")) { () throws(ManagerError) in try l.remove("zz") }
        assertThrows(.valueNotFound("'zz' is not in list")) { () throws(ManagerError) in try l.index(of: "zz") }
        XCTAssertEqual(try l.pop(), "a")
        assertThrows(.indexOutOfRange("pop from empty list")) { () throws(ManagerError) in try l.pop() }
        XCTAssertEqual(ManagerError.indexOutOfRange("list index out of range").description, "IndexError: list index out of range")
    }

    /// _TestContainers.test_list with processes: 4 children append 250 each; the list has all 1,000 exactly once.
    func testChildrenAppendingConcurrentlyLoseNothing() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let l: SharedList<Int> = try manager.list()
        try runAll((0..<4).map { w in Process { for i in 0..<250 { try l.append(w * 1000 + i) } } })
        XCTAssertEqual(try l.copy().sorted(), (0..<4).flatMap { w in (0..<250).map { w * 1000 + $0 } })
    }

    // MARK: Namespace

    /// _TestContainers.test_namespace: attributes set in the parent and a child, typed reads, AttributeError,
    /// deletion, names.
    func testNamespaceAttributes() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let ns = try manager.namespace()
        ns.x = 1
        ns["name"] = "Bob"
        try ns.set("items", [1, 2])
        try runAll([Process {
            let x: Int = try ns.value("x")
            ns.x = x + 10
            ns.y = "from child"
            var items: [Int] = ns.items ?? []
            items.append(3)  // a copy
        }])
        XCTAssertEqual(ns.x, 11)
        XCTAssertEqual(ns.y, "from child")
        XCTAssertEqual(ns.items, [1, 2])
        XCTAssertEqual(try ns.names(), ["items", "name", "x", "y"])
        XCTAssertEqual("\(ns)", "Namespace(items, name, x, y)")
        assertThrows(.attributeNotFound("z")) { () throws(ManagerError) in try ns.value("z", as: Int.self) }
        XCTAssertEqual(ManagerError.attributeNotFound("z").description, "AttributeError: 'Namespace' object has no attribute 'z'")
        try ns.delete("y")
        XCTAssertFalse(try ns.contains("y"))
        assertThrows(.attributeNotFound("y")) { () throws(ManagerError) in try ns.delete("y") }
        ns.x = nil as Int?
        XCTAssertFalse(try ns.contains("x"))
    }

    /// manager.Queue / Lock / Event are process-shared (CPython: test_queue and _TestEvent with a manager).
    func testManagerQueueAndEventWorkAcrossProcesses() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let q: Queue<String> = try manager.queue()
        let started = try manager.event()
        let results: SharedList<String> = try manager.list()
        let consumer = Process {
            started.set()
            while true {
                let item = try q.get(timeout: .seconds(30))
                if item == "STOP" { break }
                try results.append(item.uppercased())
            }
        }
        try consumer.start()
        XCTAssertTrue(started.wait(timeout: .seconds(30)))
        for word in ["a", "b", "c", "STOP"] { try q.put(word) }
        XCTAssertTrue(try consumer.join(timeout: .seconds(60)))
        XCTAssertEqual(consumer.exitCode, 0)
        XCTAssertEqual(try results.copy(), ["A", "B", "C"])
    }

    // MARK: Faults

    /// A writer SIGKILLed inside an operation, at each point of its publication (a kill-point hook in the C
    /// heap): the next user takes the lock over, the structures are consistent, and the operation happened
    /// entirely or not at all. (CPython has no counterpart: a proxy's server would be killed instead.)
    func testWriterKilledMidOperationLeavesTheDictConsistent() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let d: SharedDictionary<String, [Int]> = try manager.dict()
        let l: SharedList<Int> = try manager.list([0, 1, 2, 3])
        for i in 0..<5 { d["k\(i)"] = [i] }
        func killedAt(_ point: Int32, _ body: @escaping () throws -> Void) throws {
            try runAll([Process { cshim_shmheap_set_kill_point(point); try body() }], exitCode: -SIGKILL)
            XCTAssertTrue(try manager.verifyConsistency(), "after a death at point \(point)")
        }
        try killedAt(1) { try d.setValue([100], forKey: "k1") }  // replacing, not yet published
        XCTAssertEqual(d["k1"], [1])
        try killedAt(1) { try d.setValue([5], forKey: "new") }  // inserting, not yet published
        XCTAssertNil(d["new"])
        try killedAt(2) { try d.setValue([5], forKey: "new") }  // published, counters not yet updated
        XCTAssertEqual(d["new"], [5])
        XCTAssertEqual(try d.count, 6, "the count is repaired by the next locker")
        try killedAt(3) { for i in 0..<100 { try d.setValue([i], forKey: "grow\(i)") } }  // mid-rehash
        XCTAssertEqual(d["k4"], [4])
        try killedAt(4) { _ = try l.pop(1) }  // list remove before publishing
        XCTAssertEqual(try l.copy(), [0, 1, 2, 3])
        XCTAssertEqual(manager.recoveries, 5)
        d["after"] = [1]  // and it goes on working
        XCTAssertEqual(d["after"], [1])
    }

    /// `dict.popitem()`: the last inserted entry, removed in the same step; nil when empty. Issue 20: three
    /// processes popping concurrently get every entry exactly once.
    func testPopLastIsOneStep() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let d: SharedDictionary<Int, Int> = try manager.dict()
        for i in 0..<300 { try d.setValue(i, forKey: i) }
        try d.setValue(-1, forKey: 5)  // a replaced value keeps its key's place
        XCTAssertEqual(try d.popLast()?.key, 299)
        let results = try Queue<[Int]>()
        let poppers = (0..<3).map { _ in
            Process {
                var got: [Int] = []
                while let (k, _) = try d.popLast() { got.append(k) }
                try results.put(got)
            }
        }
        for p in poppers { try p.start() }
        var all: [Int] = []
        for _ in poppers { all += try results.get(timeout: .seconds(30)) }
        for p in poppers { try p.join() }
        XCTAssertEqual(all.sorted(), Array(0..<299), "every entry popped once")
        XCTAssertNil(try d.popLast())
    }

    /// Issue 20: `update` is one publication. A writer killed at each of its points leaves none or all of it, and
    /// writers SIGKILLed at random moments of an update loop (50 trials) never leave the keys disagreeing (one trial
    /// in 50 did when each key was stored on its own).
    func testUpdateIsWholeEvenWhenItsWriterIsKilled() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let d: SharedDictionary<String, Int> = try manager.dict(["a": 0, "b": 0, "c": 0])
        try runAll([Process { cshim_shmheap_set_kill_point(7); try d.update(["a": 1, "b": 1, "c": 1, "d": 1]) }],
                   exitCode: -SIGKILL)
        XCTAssertEqual(try d.items().sorted { $0.key < $1.key }.map(\.value), [0, 0, 0], "none of it")
        try runAll([Process { cshim_shmheap_set_kill_point(8); try d.update(["a": 2, "b": 2, "c": 2, "d": 2]) }],
                   exitCode: -SIGKILL)
        XCTAssertEqual(try d.items().sorted { $0.key < $1.key }.map(\.value), [2, 2, 2, 2], "all of it")
        XCTAssertEqual(try d.count, 4, "the count is repaired by the next locker")
        let progress = try SharedValue(0)
        for trial in 0..<50 {
            progress.value = 0
            let writer = Process {
                for i in 1... {
                    try d.update(["a": i, "b": i, "c": i, "d": i])
                    progress.value = i
                }
            }
            try writer.start()
            let deadline = nowNanoseconds() + 10_000_000_000
            while progress.value < 20 + trial * 7 && nowNanoseconds() < deadline { sched_yield() }
            try writer.kill()
            XCTAssertTrue(try writer.join(timeout: .seconds(30)))
            XCTAssertEqual(writer.exitCode, -SIGKILL)
            XCTAssertTrue(try manager.verifyConsistency(), "trial \(trial)")
            XCTAssertEqual(Set(try d.items().map(\.value)).count, 1, "trial \(trial): a part-applied update")
        }
    }

    /// Writers SIGKILLed at random moments of a write/remove loop, 10 times: the dict stays consistent and every
    /// value present is the one written for its key.
    func testWritersKilledAtRandomNeverCorruptTheDict() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let d: SharedDictionary<Int, String> = try manager.dict()
        let progress = try SharedValue(0)
        for trial in 0..<10 {
            progress.value = 0
            let writer = Process {
                for i in 0... {
                    let k = (i * 7919 + trial) % 2000
                    if i % 3 == 2 { try d.removeValue(forKey: k) } else { try d.setValue(String(repeating: "v", count: k % 50) + "\(k)", forKey: k) }
                    progress.value = i
                }
            }
            try writer.start()
            let deadline = nowNanoseconds() + 30_000_000_000
            while progress.value < 300 + trial * 53 && nowNanoseconds() < deadline { sched_yield() }
            try writer.kill()
            XCTAssertTrue(try writer.join(timeout: .seconds(30)))
            XCTAssertEqual(writer.exitCode, -SIGKILL)
            XCTAssertTrue(try manager.verifyConsistency(), "trial \(trial)")
            for (k, v) in try d.items() { XCTAssertEqual(v, String(repeating: "v", count: k % 50) + "\(k)") }
        }
    }

    // MARK: Capacity, growth, shutdown

    /// A full heap: the error names the capacity and how to raise it, changes nothing, and room comes back
    /// when entries are removed.
    func testAFullHeapSaysSoAndChangesNothing() throws {
        let manager = try Manager(capacity: 1 << 16)
        defer { manager.shutdown() }
        XCTAssertEqual(manager.capacity, 65536)
        let d: SharedDictionary<Int, [UInt8]> = try manager.dict()
        var stored = 0
        var failure: ManagerError?
        while failure == nil {
            do { try d.setValue(Array(repeating: 1, count: 100), forKey: stored); stored += 1 } catch { failure = error }
        }
        guard case let .full(capacity, _, _)? = failure else { return XCTFail("\(String(describing: failure))") }
        XCTAssertEqual(capacity, 65536)
        XCTAssertTrue(failure!.description.contains("capacity 65536"), failure!.description)
        XCTAssertTrue(failure!.description.contains("Manager(capacity: 262144)"), failure!.description)
        XCTAssertEqual(try d.count, stored, "the failed write changed nothing")
        XCTAssertNil(d[stored])
        XCTAssertTrue(try manager.verifyConsistency())
        try d.clear()
        try d.setValue([1], forKey: 0)
        XCTAssertEqual(d[0], [1])
        for bad in [1000, -1, Int.max] {
            XCTAssertThrowsError(try Manager(capacity: bad)) { error in
                XCTAssertEqual(error as? ManagerError, .invalidCapacity(bad))
            }
        }
    }

    /// Large values cross processes whole; a list append or a namespace set that does not fit changes nothing.
    func testLargeValuesAndAFullListOrNamespace() throws {
        let manager = try Manager(capacity: 4 << 20)
        defer { manager.shutdown() }
        let l: SharedList<[UInt8]> = try manager.list()
        let big = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try runAll([Process { try l.append(big) }])
        XCTAssertEqual(try l.element(at: 0), big)
        var failure: ManagerError?
        do { try l.append(Array(repeating: 1, count: 8 << 20)) } catch { failure = error }
        guard case .full? = failure else { return XCTFail("expected .full, got \(String(describing: failure))") }
        XCTAssertEqual(try l.count, 1)
        let ns = try manager.namespace()
        ns.small = 1
        XCTAssertThrowsError(try ns.set("huge", Array(repeating: UInt8(2), count: 8 << 20)))
        XCTAssertFalse(try ns.contains("huge"))
        XCTAssertEqual(ns.small, 1)
        XCTAssertTrue(try manager.verifyConsistency())
    }

    /// Growth: 50,000 entries (several rehashes) all readable; churn reuses freed blocks instead of growing.
    func testTheTableGrowsAndFreedMemoryIsReused() throws {
        let manager = try Manager()
        defer { manager.shutdown() }
        let d: SharedDictionary<Int, Int> = try manager.dict()
        try d.update((0..<50_000).map { ($0, $0 * 2) })
        XCTAssertEqual(try d.count, 50_000)
        let copy = try d.copy()
        XCTAssertEqual(copy.count, 50_000)
        XCTAssertTrue(copy.allSatisfy { $0.value == $0.key * 2 })
        let scratch: SharedDictionary<Int, Int> = try manager.dict()
        for _ in 0..<3 {
            try scratch.update((0..<2000).map { ($0, $0) })
            try scratch.clear()
        }
        let used = manager.bytesInUse
        for _ in 0..<10 {
            try scratch.update((0..<2000).map { ($0, $0) })
            try scratch.clear()
        }
        XCTAssertEqual(manager.bytesInUse, used, "churn reused the freed blocks")
        XCTAssertTrue(try manager.verifyConsistency())
    }

    /// _TestManagerRestart.test_rapid_restart: managers started and shut down in a row; after shutdown every
    /// process's operations fail with a clear error; the scoped form shuts down on exit; shutdown in a child
    /// does nothing (CPython's finalizer is per-process).
    func testShutdownEndsTheObjectsInEveryProcess() throws {
        for _ in 0..<10 {
            let m = try Manager()
            let d: SharedDictionary<Int, Int> = try m.dict()
            d[1] = 1
            m.shutdown()
            m.shutdown()
        }
        let manager = try Manager()
        let d: SharedDictionary<String, Int> = try manager.dict()
        d["a"] = 1
        try runAll([Process { manager.shutdown() }])  // a child's copy does not shut it down
        XCTAssertFalse(manager.isShutDown)
        manager.shutdown()
        XCTAssertTrue(manager.isShutDown)
        assertThrows(.shutDown) { () throws(ManagerError) in try d.get("a") }
        assertThrows(.shutDown) { () throws(ManagerError) in try d.setValue(2, forKey: "a") }
        assertThrows(.shutDown) { () throws(ManagerError) in try manager.list(Int.self) }
        try runAll([Process {
            do { _ = try d.get("a") } catch ManagerError.shutDown { throw ProcessExit(7) }
        }], exitCode: 7)
        XCTAssertEqual("\(d)", "<SharedDictionary<String, Int> count=shut down>")

        var kept: SharedDictionary<String, Int>?
        let total = try Manager.withManager { m in
            let scoped: SharedDictionary<String, Int> = try m.dict(["x": 2])
            kept = scoped
            return try scoped.value(forKey: "x")
        }
        XCTAssertEqual(total, 2)
        assertThrows(.shutDown) { () throws(ManagerError) in try kept!.count }
    }
}
