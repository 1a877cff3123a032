import Glibc

// The two error funnels. System calls report through `errno`; pthread functions return their code. Each has
// exactly one helper here: every wrapper in the library goes through them.
//
// The library is Linux with Glibc only: its files import Glibc alone (no `#elseif canImport(Musl)` branches: they
// were never built or tested, and the calls are Glibc's), and it uses Linux's own calls (pidfd_open, memfd,
// futex, MADV_POPULATE_*). Supporting Musl would start here, with a CI job that builds and tests against it.

/// Runs a system call that returns -1 (or a negative value) and sets `errno` on failure. Retries `EINTR`
/// unless told not to; `EBADF` and `EFAULT` are programming errors in this library and stop the process with
/// a message; anything else becomes a `SystemError`.
@inline(__always)
package func syscall<Result: FixedWidthInteger>(
    _ operation: @autoclosure () -> String,
    retryOnInterrupt: Bool = true,
    hint: ((Int32) -> String?)? = nil,
    _ body: () -> Result
) throws(SystemError) -> Result {
    while true {
        let result = body()
        if result >= 0 { return result }
        let code = errno
        if code == EINTR && retryOnInterrupt { continue }
        if code == EBADF || code == EFAULT {
            preconditionFailure("\(operation()) failed with \(String(cString: strerror(code))): a bug in Multiprocessing")
        }
        throw SystemError(operation: operation(), errno: code, hint: hint?(code))
    }
}

/// Runs a system call that returns a pointer, NULL with `errno` on failure.
@inline(__always)
func syscall<Pointer>(_ operation: @autoclosure () -> String, _ body: () -> Pointer?) throws(SystemError) -> Pointer {
    while true {
        if let pointer = body() { return pointer }
        let code = errno
        if code == EINTR { continue }
        throw SystemError(operation: operation(), errno: code)
    }
}

/// The answers of a pthread-style call (one that returns its error code) that callers may need to act on.
enum PthreadOutcome {
    case success
    /// `EOWNERDEAD`: acquired, but its previous owner died holding it (already made consistent).
    case ownerDied
    /// `ETIMEDOUT` or `EBUSY`: not acquired in time.
    case notAcquired
}

/// Runs a pthread-style call. `EOWNERDEAD`, `ETIMEDOUT` and `EBUSY` are outcomes; any other non-zero code is
/// thrown as a `SystemError`.
@inline(__always)
func pthreadCall(_ operation: @autoclosure () -> String, _ body: () -> Int32) throws(SystemError) -> PthreadOutcome {
    let code = body()
    switch code {
    case 0: return .success
    case EOWNERDEAD: return .ownerDied
    case ETIMEDOUT, EBUSY: return .notAcquired
    case EDEADLK:
        throw SystemError(operation: operation(), errno: code,
                          hint: "this process already holds the lock; a non-recursive lock cannot be taken twice")
    case EPERM:
        throw SystemError(operation: operation(), errno: code, hint: "only the process that holds the lock may release it")
    default:
        throw SystemError(operation: operation(), errno: code)
    }
}

/// madvise(2) as a hint about pages the caller owns: a refusal (an advice this kernel does not know, such as
/// MADV_POPULATE_WRITE before 5.14; memory that cannot be had now) changes how fast things go, never what they
/// do, so it is not reported. The funnel for hints: an interrupted populate goes again; not through `syscall`,
/// because EFAULT here is the kernel saying a page could not be made (a populate that would have raised SIGBUS),
/// not a bad pointer of ours.
@inline(__always)
func advise(_ address: UnsafeMutableRawPointer?, _ length: Int, _ advice: Int32) {
    while madvise(address, length, advice) < 0 && errno == EINTR {}
}

/// close(2) for a descriptor this library owns; errors other than EINTR are bugs, and EINTR after close on
/// Linux means the descriptor is gone anyway, so there is nothing to report.
@inline(__always)
package func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}
