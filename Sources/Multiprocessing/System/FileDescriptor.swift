import Glibc

/// A descriptor this library owns (a child's sentinel, a connection's liveness socket): closed exactly once, when
/// its owner drops it or sets it to nil. `~Copyable`, so two owners can never both close it, and no copy outlives
/// the close to be used on a number the kernel has handed to someone else.
///
/// The corresponding C function is `close(2)`.
package struct FileDescriptor: ~Copyable {
    /// The descriptor number, for calls that take one (`poll`, `recv`, `SCM_RIGHTS`). Owned by this value.
    package let rawValue: Int32

    /// Takes ownership of `rawValue`, which must be an open descriptor.
    package init(owning rawValue: Int32) {
        precondition(rawValue >= 0, "FileDescriptor(owning: \(rawValue)): not a descriptor")
        self.rawValue = rawValue
    }

    /// Takes ownership of `rawValue` if it is a descriptor; nil for -1 ("none", as C APIs say it).
    package static func owning(_ rawValue: Int32) -> FileDescriptor? {
        rawValue >= 0 ? FileDescriptor(owning: rawValue) : nil
    }

    deinit { closeDescriptor(rawValue) }
}
