import XCTest

/// The seed tutorials' Pool examples, run by CPython and by `mp-examples` and compared (see SeedExampleTests).
extension SeedExampleTests {
    // MARK: 001 "Tutorial 2 — Python Multiprocessing"

    /// "Process Pools": each worker's initializer prints when the worker flushes at exit, in an order that is not
    /// determined: lines are sorted.
    func testTutorial2Pool() throws { try check("tutorial2-pool", sorted: true) }

    // MARK: 004 "Parallelisation in Python"

    /// "Using a pool of workers": imap_unordered's order is not determined (lines sorted), and the workers' pids
    /// are normalised. The timeout is real (1 s; CPython's `with` then terminates the pool, as ours does).
    func testParallelisationPool() throws {
        try check("parallelisation-pool", sorted: true) { output in
            output
                .replacing(/Using .apply_async\n\d+\nUsing .apply_async in a list/,
                           with: "Using .apply_async\n<pid>\nUsing .apply_async in a list")
                .replacing(/\[\d+, \d+, \d+, \d+\]\nUsing .apply_async knowing/,
                           with: "[<pids>]\nUsing .apply_async knowing")
        }
    }
}
