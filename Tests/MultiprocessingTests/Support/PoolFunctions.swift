// What the pool and executor tests share: the registered functions their workers run, and small helpers.
import CShim
import Foundation
import Multiprocessing
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

private typealias Process = Multiprocessing.Process

struct PoolTestError: Error, CustomStringConvertible {
    let text: String
    var description: String { text }
}

/// An argument whose encoding always fails (CPython's `test_map_unplicklable`).
struct Unencodable: Codable, Sendable {
    init() {}
    init(from decoder: any Decoder) throws { throw PoolTestError(text: "cannot decode") }
    func encode(to encoder: any Encoder) throws { throw PoolTestError(text: "this value refuses to be encoded") }
}

/// Busy-waits about `microseconds` (simulated work; not used to synchronise anything).
func spin(microseconds: Int) {
    let end = cshim_now_ns() + Int64(microseconds) * 1000
    while cshim_now_ns() < end {}
}

/// The functions the pool tests run. They are registered before any pool is created (`register()` in setUp),
/// since workers only know the functions registered before they were forked.
enum PoolFunctions {
    static let square = try! RemoteFunction("pooltest.square") { (x: Int) in x * x }
    static let add = try! RemoteFunction("pooltest.add") { (a: Int, b: Int) in a + b }
    static let failOnFive = try! RemoteFunction("pooltest.failOnFive") { (x: Int) -> Int in
        if x == 5 { throw PoolTestError(text: "five is not allowed") }
        return x
    }
    static let pid = try! RemoteFunction("pooltest.pid") { (_: Int) -> Int32 in getpid() }
    static let workerName = try! RemoteFunction("pooltest.name") { (_: Int) in
        Process.current.name
    }
    static let sleepMilliseconds = try! RemoteFunction("pooltest.sleep") { (ms: Int) -> Int in
        usleep(useconds_t(ms * 1000))
        return ms
    }
    static let work = try! RemoteFunction("pooltest.work") { (x: Int) -> Int in
        spin(microseconds: 10)
        return x * 2
    }
    static let killSelfOn = try! RemoteFunction("pooltest.killSelfOn") { (p: Pair<Int, Int>) -> Int in
        if p.first == p.second { kill(getpid(), SIGKILL) }
        return p.first
    }
    static let exitWith = try! RemoteFunction("pooltest.exitWith") { (code: Int32) -> Int in
        _exit(code)
    }
    static let bytes = try! RemoteFunction("pooltest.bytes") { (b: [UInt8]) -> [UInt8] in
        b.reversed()
    }
    static let unencodableArgument = try! RemoteFunction("pooltest.unencodable") { (_: Unencodable) in 0 }
    static let initialized = try! RemoteFunction("pooltest.initialized") { (_: Int) in
        getenv("POOLTEST_INIT").map { String(cString: $0) } ?? "unset"
    }
    static let sigintIgnored = try! RemoteFunction("pooltest.sigint") { (_: Int) -> Bool in
        var action = sigaction()
        sigaction(SIGINT, nil, &action)
        let handler = unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
        return handler == 1  // SIG_IGN
    }

    static let slice = try! RemoteFunction("pooltest.slice") { (_: Int) in schedulerSlice(of: "self") }
    static let half = try! RemoteFunction("pooltest.half") { (x: Double) in x / 2 }
    static let isEven = try! RemoteFunction("pooltest.isEven") { (x: Int) in x % 2 == 0 }

    static func register() {
        _ = (square, add, failOnFive, pid, workerName, sleepMilliseconds, work, killSelfOn, exitWith, bytes,
             unencodableArgument, initialized, sigintIgnored, slice, half, isEven)
    }
}

/// The scheduler time slice of a process (`se.slice` in /proc/<pid>/sched), nil where the kernel does not show it.
func schedulerSlice(of pid: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/sched", encoding: .utf8) else { return nil }
    let line = text.split(separator: "\n").first { $0.hasPrefix("se.slice") }
    return line.flatMap { $0.split(separator: ":").last }.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
}

/// A lazy input that counts how far it was read.
final class CountingSequence: Sequence, @unchecked Sendable {
    let count: Int
    private(set) var pulled = 0
    init(count: Int) { self.count = count }
    func makeIterator() -> AnyIterator<Int> {
        var next = 0
        return AnyIterator { [self] in
            guard next < count else { return nil }
            defer { next += 1; pulled = next }
            return next
        }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = Mutex(0)
    func add(_ n: Int = 1) { lock.withLock { $0 += n } }
    var value: Int { lock.withLock { $0 } }
}

final class Box<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}

func poolError(_ error: any Error) -> PoolError? { error as? PoolError }
