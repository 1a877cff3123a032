import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// A second thread of the test process, which the test joins before it ends.
///
/// Foundation's `Thread` releases its closure, and what the closure holds, some moment after the closure has
/// returned. A test that only waited for a signal from the closure could reach `tearDown` before that release,
/// and the descriptors of the primitives the closure still held were counted as leaked (seen in CI). Joining
/// the thread ends that race: the closure and its captures are released before `join` returns.
final class JoinedThread {
    private final class Run {
        var body: (@Sendable () -> Void)?
        let ended = DispatchSemaphore(value: 0)
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    private let run: Run
    private let thread: pthread_t
    private var joined = false

    /// Starts `body` on a new thread.
    init(_ body: @escaping @Sendable () -> Void) {
        run = Run(body)
        var thread = pthread_t()
        let code = pthread_create(&thread, nil, { argument in
            let run = Unmanaged<Run>.fromOpaque(argument!).takeRetainedValue()
            run.body?()
            run.body = nil  // the closure's captures go here, before the thread is reported ended
            run.ended.signal()
            return nil
        }, Unmanaged.passRetained(run).toOpaque())
        precondition(code == 0, "pthread_create failed (\(code))")
        self.thread = thread
    }

    /// Waits up to `timeout` for the thread to end; true if it did, its closure released. A thread that is
    /// stuck (the test has already failed) is left running rather than hanging the test run.
    func join(timeout: Duration) -> Bool {
        precondition(!joined, "joined twice")
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        guard run.ended.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success else { return false }
        pthread_join(thread, nil)
        joined = true
        return true
    }

    deinit {
        if !joined { pthread_detach(thread) }
    }
}
