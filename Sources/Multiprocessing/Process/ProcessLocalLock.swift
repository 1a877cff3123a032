import Glibc

/// A lock around per-process state that stays usable in children made by fork and by the fork server's clone.
///
/// Why not `Synchronization.Mutex`: on Linux it is a PI futex that records its owner as a thread id cached in
/// thread-local storage, with one cache per compiled module. A child made by fork or clone inherits the caches
/// of its parent's thread; a cache first filled in the child holds the child's real id while another still
/// holds the ancestor's, so a lock taken through one and released through the other fails (a fatal error,
/// seen in a fork-server child's own fork-server children). A normal pthread mutex does not check its owner.
/// Mirrors nothing in CPython (its `threading.Lock` after fork is reinitialised by `_at_fork_reinit`).
final class ProcessLocalLock<State>: @unchecked Sendable {  // the state is only reached with the mutex held
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var state: State

    init(_ initial: State) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        state = initial
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }
}
