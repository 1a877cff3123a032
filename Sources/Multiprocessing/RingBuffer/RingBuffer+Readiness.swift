import CShim

#if canImport(Glibc)
import Glibc
#endif

// Integration with event loops (epoll, DispatchSource, SwiftNIO), and the writer's deferred publication.

extension RingBuffer {
    /// A descriptor (an eventfd, non-blocking, close-on-exec) that polls readable when the ring has a message or
    /// its stream ended: register it with epoll, a `DispatchSource.makeReadSource`, or SwiftNIO, and when it
    /// fires, read with `timeout: .zero` until `.timedOut` — that last try re-arms it. It may fire with nothing to
    /// read (the try then re-arms it, and says `.timedOut`). The handle owns it: do not close it.
    ///
    /// Any process's writes signal it, whether its handle came by fork, `send(over:)`, a name, or a forkserver or
    /// spawn child's argument: arming registers the descriptor in the ring's header (process, number, eventfd
    /// id), and a writer whose handle holds another one, or none, takes it from that process (`pidfd_getfd`,
    /// Linux 5.6, with ptrace's permission: the same user; under Yama's `ptrace_scope` 1 only from the writer's
    /// own descendants). Where that is refused, fork the writer after asking for the descriptor, or pass it with
    /// `send(over:)`. A writer killed while the reader sleeps in poll cannot signal it: poll with a timeout; the
    /// next try arms it again, and arming finds the dead writer (the descriptor turns readable and the try after
    /// throws `.peerDied`). The corresponding C function is
    /// `cshim_ring_readiness_fd`.
    public var readinessDescriptor: Int32 {
        get throws(Error) {
            let fd = cshim_ring_readiness_fd(ring)
            if fd < 0 {
                throw .system(SystemError(operation: "RingBuffer.readinessDescriptor", errno: errno,
                                          hint: "no eventfd could be made: raise the descriptor limit (ulimit -n)"))
            }
            return fd
        }
    }

    /// Arms the readiness descriptor by hand: true if the ring is readable now (the descriptor is left
    /// readable), false if a writer will signal it. A try that finds nothing does this already.
    /// The corresponding C function is `cshim_ring_arm_readiness`.
    @discardableResult
    public func armReadiness() throws(Error) -> Bool {
        let rc = cshim_ring_arm_readiness(ring)
        if rc < 0 {
            throw .system(SystemError(operation: "RingBuffer.armReadiness()", errno: errno,
                                      hint: "ask for readinessDescriptor first"))
        }
        return rc == 1
    }

    /// Makes every message this handle wrote visible to readers now. A single-producer writer publishes its
    /// position every 64 messages (or a sixteenth of the ring), and readers find the messages in between on
    /// their own within a few dozen turns of a spin, or at once when about to sleep: nothing waits for the
    /// writer's next call. `flush()` only spares them that look. The corresponding C function is
    /// `cshim_ring_flush`.
    public func flush() { cshim_ring_flush(ring) }

    /// Whether this handle's writes defer their publication (see `flush()`): on by default for
    /// `.singleProducerSingleConsumer` rings where the kernel has membarrier; off publishes every message (for
    /// comparisons). The corresponding C function is `cshim_ring_set_deferred_publication`.
    public var defersPublication: Bool {
        get { cshim_ring_deferred_publication(ring) != 0 }
        set { cshim_ring_set_deferred_publication(ring, newValue ? 1 : 0) }
    }
}
