import Glibc

/// A failed system call or pthread function: what was attempted, the `errno` value, and what to do about it.
///
/// Thrown by every wrapper in this library that talks to the kernel. A child process that exits non-zero is
/// not an error of this kind: it is a status (see `Process.exitCode`).
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was attempted, e.g. `shm_open("/psm_1a2b")`.
    public var operation: String
    /// The `errno` value (or the pthread function's returned code).
    public var errno: Int32
    /// Advice for a person, when there is any.
    public var hint: String?

    public init(operation: String, errno: Int32, hint: String? = nil) {
        self.operation = operation
        self.errno = errno
        self.hint = hint
    }

    /// The C library's name for the error, e.g. "No such file or directory".
    public var reason: String { String(cString: strerror(errno)) }

    public var description: String {
        var text = "\(operation) failed: \(reason) (errno \(errno))"
        if let hint { text += ". \(hint)" }
        return text
    }
}

extension Duration {
    /// This duration in CShim's timeout convention (nanoseconds, saturating; negative durations are 0).
    @usableFromInline var cshimNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        if seconds >= Int64.max / 1_000_000_000 { return Int64.max }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// CShim's timeout convention for an optional Swift timeout: `nil` waits forever, `.zero` only tries.
@inlinable @inline(__always)
func cshimTimeout(_ timeout: Duration?) -> Int64 {
    guard let timeout else { return -1 }
    // The non-blocking attempts of the fast paths: no 128-bit arithmetic (Duration.components) for them.
    if timeout == .zero { return 0 }
    return timeout.cshimNanoseconds
}
