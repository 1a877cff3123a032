import CShim

/// Thrown by `Barrier.wait` when the barrier is broken: aborted, reset while parties waited, a wait that timed
/// out, or an action that threw. Mirrors `threading.BrokenBarrierError`.
public struct BrokenBarrierError: Error, Equatable, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String {
        "the barrier is broken (aborted, reset while parties waited, a wait timed out, or its action failed): call reset() before using it again"
    }
}

/// A barrier for a fixed number of parties across processes: each `wait` blocks until `parties` callers have
/// arrived, then all pass together and the barrier is ready for the next generation.
///
/// CPython's algorithm (threading.Barrier, which multiprocessing.Barrier reuses with shared state), with its
/// state (filling, draining, resetting, broken) and arrival count in shared memory, under a `Condition`. A
/// timed-out wait breaks the barrier, as in CPython. The optional `action` runs in the last process to arrive,
/// before any party is released; if it throws, the barrier breaks and that party rethrows.
///
/// Mirrors `multiprocessing.Barrier(parties, action=None, timeout=None)`.
public final class Barrier: @unchecked Sendable {
    private enum State: Int32 {
        case filling = 0, draining = 1, resetting = -1, broken = -2
    }

    /// The number of parties that must arrive. Mirrors `Barrier.parties`.
    public let parties: Int
    private let defaultTimeout: Duration?
    private let action: (() throws -> Void)?
    private let memory: SharedMemory
    private let condition: Condition
    private let stateWord: UnsafeMutablePointer<Int32>
    private let countWord: UnsafeMutablePointer<Int32>

    /// - Parameters:
    ///   - parties: how many callers of `wait` pass together (1...`Condition.maximumWaiters`).
    ///   - action: run by one party (the last to arrive) each time the barrier opens.
    ///   - timeout: the default for `wait`; `nil` waits for ever.
    public init(parties: Int, action: (() throws -> Void)? = nil, timeout: Duration? = nil) throws(SystemError) {
        precondition(parties > 0 && parties <= Condition.maximumWaiters, "a Barrier needs 1...\(Condition.maximumWaiters) parties")
        self.parties = parties
        self.action = action
        self.defaultTimeout = timeout
        // One page: the lock at 0, the state words at 64, the condition's wait queue at 128.
        let memory = try SharedMemory(anonymousSize: 4096, debugName: "mpsh-barrier")
        precondition(128 + Condition.size <= 4096 && Lock.size <= 64)
        let lock = try Lock(placedIn: memory, offset: 0, initialize: true)
        self.memory = memory
        self.condition = Condition(lock: lock, placedIn: memory, offset: 128, initialize: true)
        self.stateWord = (memory.buffer.baseAddress! + 64).bindMemory(to: Int32.self, capacity: 2)
        self.countWord = stateWord + 1
        stateWord.pointee = State.filling.rawValue
        countWord.pointee = 0
    }

    /// A barrier rebuilt in another process over the same memory (see Reduction.swift).
    init(sharing memory: SharedMemory, parties: Int, timeout: Duration?) throws(SystemError) {
        self.parties = parties
        self.action = nil
        self.defaultTimeout = timeout
        self.memory = memory
        let lock = try Lock(placedIn: memory, offset: 0, initialize: false)
        self.condition = Condition(lock: lock, placedIn: memory, offset: 128, initialize: false)
        self.stateWord = (memory.buffer.baseAddress! + 64).bindMemory(to: Int32.self, capacity: 2)
        self.countWord = stateWord + 1
    }

    /// The parts a child started by forkserver or spawn needs (see Reduction.swift).
    var sharedParts: (memory: SharedMemory, timeout: Duration?, hasAction: Bool) { (memory, defaultTimeout, action != nil) }

    // Both words are read and written only with the condition's lock held (except the snapshots below).
    private var state: State {
        get { State(rawValue: stateWord.pointee) ?? .broken }
        set { stateWord.pointee = newValue.rawValue }
    }
    private var count: Int32 {
        get { countWord.pointee }
        set { countWord.pointee = newValue }
    }

    /// Waits until all parties have arrived, at most `timeout` (`nil`: the barrier's default). Returns this
    /// party's arrival index, 0..<parties, different for each party of a generation. Throws
    /// `BrokenBarrierError` when the barrier is or becomes broken (a timeout breaks it for every party).
    ///
    /// Mirrors `Barrier.wait(timeout=None)`.
    @discardableResult
    public func wait(timeout: Duration? = nil) throws -> Int {
        let timeout = timeout ?? defaultTimeout
        try condition.acquire()
        defer { try? condition.release() }
        try enter()
        let index = count
        count += 1
        defer {
            count -= 1
            exit()
        }
        if Int(index) + 1 == parties {
            try openBarrier()
        } else {
            try waitForOpening(timeout: timeout)
        }
        return Int(index)
    }

    /// Blocks while the previous generation drains or a reset completes.
    private func enter() throws {
        while state == .draining || state == .resetting { try condition.wait() }
        if state == .broken { throw BrokenBarrierError() }
    }

    /// The last party: run the action, then let everyone go.
    private func openBarrier() throws {
        do {
            try action?()
            state = .draining
            try condition.notifyAll()
        } catch {
            breakBarrier()
            throw error
        }
    }

    private func waitForOpening(timeout: Duration?) throws {
        let opened = try condition.wait(for: { state != .filling }, timeout: timeout)
        if !opened {
            breakBarrier()
            throw BrokenBarrierError()
        }
        if state == .broken || state == .resetting { throw BrokenBarrierError() }
    }

    /// The last party out of a draining or resetting barrier makes it ready for the next generation.
    private func exit() {
        if count == 0 && (state == .resetting || state == .draining) {
            state = .filling
            try? condition.notifyAll()
        }
    }

    private func breakBarrier() {
        state = .broken
        try? condition.notifyAll()
    }

    /// Returns the barrier to its initial state; parties waiting on it get `BrokenBarrierError`.
    /// Mirrors `Barrier.reset()`.
    public func reset() throws {
        try condition.withLock {
            if count > 0 {
                if state == .filling || state == .broken { state = .resetting }
            } else {
                state = .filling
            }
            try condition.notifyAll()
        }
    }

    /// Breaks the barrier: current and future waits throw `BrokenBarrierError` until `reset()`.
    /// Mirrors `Barrier.abort()`.
    public func abort() throws {
        try condition.withLock { breakBarrier() }
    }

    /// How many parties are waiting now. Mirrors `Barrier.n_waiting`.
    public var nWaiting: Int {
        let snapshot = (try? condition.withLock { state == .filling ? Int(count) : 0 }) ?? 0
        return snapshot
    }

    /// Whether the barrier is broken. Mirrors `Barrier.broken`.
    public var broken: Bool { (try? condition.withLock { state == .broken }) ?? false }
}
