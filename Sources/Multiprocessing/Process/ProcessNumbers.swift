// Process numbers for workers that are not `Process` objects of this process (a pool's or an executor's, forked
// by the pool's zygote): CPython numbers them from the same counter as `Process-N` (`ForkPoolWorker-2` after one
// Process), so a caller that names such workers takes their numbers here, in this process, before they fork.

extension Process {
    /// Runs `start`, which forks `count` workers, with the `count` identities CPython would give them (`[2]`,
    /// `[3]` in the main process after one Process; `[3, 1]`... in the child `Process-3`), and leaves this
    /// process's counter where CPython's would be: `count` numbers further. The first number is taken before
    /// `start`, the others after it, less those that the processes `start` itself made took (a pool's zygote
    /// is a `Process` and takes one). Mirrors the `_process_counter` step of CPython's `BaseProcess.__init__`, which
    /// a pool runs once per worker.
    public static func withChildNumbers<T>(_ count: Int, _ start: ([[Int]]) throws -> T) rethrows -> T {
        guard count >= 1 else { return try start([]) }
        let first = ProcessTable.shared.newChildIdentity().identity
        let prefix = first.dropLast(), base = first[first.count - 1]
        let before = ProcessTable.shared.children.count
        let made = try start((0..<count).map { Array(prefix) + [base + $0] })
        let taken = ProcessTable.shared.children.count - before
        for _ in 0..<max(0, count - 1 - taken) { _ = ProcessTable.shared.newChildIdentity() }
        return made
    }
}
