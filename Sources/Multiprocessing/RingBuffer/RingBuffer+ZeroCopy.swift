import CShim

import Glibc

// Zero copy and batches: the writer fills a record in place and publishes it; the reader looks at a record in
// place and releases it. Both stay crash-safe: a writer killed inside `withWriteReservation` published nothing
// (the commit is the single position store), and a reader killed inside `withNextRecord` consumed nothing (the
// record is there for the next reader).

extension RingBuffer {
    /// Reserves room for one message of at most `maxBytes` inside the ring (waiting at most `timeout` for it),
    /// lets `body` fill it, and publishes the first `body`'s-result bytes of it as one message. Nothing is copied:
    /// the reader sees the bytes `body` wrote. If `body` throws, nothing is published and the error is rethrown.
    ///
    /// `maxBytes` is at most `maxUnfragmentedLength`. With `.multiProducerMultiConsumer` other writers wait
    /// until `body` returns (the producer lock is held), so keep it short. The corresponding C functions are
    /// `cshim_ring_reserve` and `cshim_ring_commit`.
    @inlinable
    public func withWriteReservation(maxBytes: Int, timeout: Duration? = nil,
                                     _ body: (UnsafeMutableRawBufferPointer) throws -> Int) throws {
        var start: UnsafeMutableRawPointer?
        let code = cshim_ring_reserve_inline(ring, maxBytes, &start, cshimTimeout(timeout))
        if code == EINVAL { throw reservationError(maxBytes) }
        try check(code, .write)
        let used: Int
        do { used = try body(UnsafeMutableRawBufferPointer(start: start, count: maxBytes)) } catch {
            cshim_ring_cancel(ring)
            throw error
        }
        guard used >= 0, used <= maxBytes else {
            cshim_ring_cancel(ring)
            throw Error.system(SystemError(operation: "RingBuffer.withWriteReservation(maxBytes: \(maxBytes))",
                                           errno: EINVAL, hint: "the body returned \(used) bytes used; it must " +
                                            "return 0 to \(maxBytes)"))
        }
        _ = cshim_ring_commit_inline(ring, used)
    }

    @usableFromInline func reservationError(_ maxBytes: Int) -> Error {
        let hint = maxBytes > maxUnfragmentedLength || maxBytes < 0
            ? "a reservation holds 0 to \(maxUnfragmentedLength) bytes (a quarter of the ring, less headers); " +
              "write longer messages with write(_:)"
            : "a reservation is already open on this handle (commit it first), or the ring is elastic"
        return .system(SystemError(operation: "RingBuffer.withWriteReservation(maxBytes: \(maxBytes))", errno: EINVAL,
                                   hint: hint))
    }

    /// Waits at most `timeout` for the next message and shows it to `body` in place (no copy); the message is
    /// consumed when `body` returns, and left in place if it throws. The bytes are valid only inside `body`.
    ///
    /// A message longer than `maxUnfragmentedLength` travelled in fragments and cannot be shown in place: it is
    /// read into a temporary buffer first (one copy). With `.multiProducerMultiConsumer` other readers wait
    /// until `body` returns (the consumer lock is held). The corresponding C functions are `cshim_ring_peek`
    /// and `cshim_ring_consume`.
    @inlinable
    public func withNextRecord<R>(timeout: Duration? = nil, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        var start: UnsafeRawPointer?
        var length = 0
        let code = cshim_ring_peek_inline(ring, &start, &length, cshimTimeout(timeout))
        if code == 0 {
            let result: R
            do { result = try body(UnsafeRawBufferPointer(start: start, count: length)) } catch {
                cshim_ring_unpeek(ring)
                throw error
            }
            cshim_ring_consume_inline(ring)
            return result
        }
        if code != EMSGSIZE { try check(code, .read) }
        let message = try read(timeout: timeout)  // fragmented: whole, in a buffer of its own
        return try message.withUnsafeBytes(body)
    }

    /// Shows each message that is ready to `body` in place, at most `max` of them, waiting at most `timeout` for
    /// the first one only; returns how many were consumed (0 only if `timeout` passed first). Each message is
    /// consumed as `body` returns; if `body` throws, that message stays and the error is rethrown. An ended stream
    /// after at least one message returns the count (the next call reports the end).
    @inlinable
    public func drain(max: Int = .max, timeout: Duration? = nil,
                      _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        var count = 0
        while count < max {
            do {
                try withNextRecord(timeout: count == 0 ? timeout : .zero, body)
            } catch let error as Error {
                if count > 0 { return count }
                if error == .timedOut { return 0 }
                throw error
            }
            count += 1
        }
        return count
    }

    /// Writes each buffer of `messages` as one message, publishing them together (one position store and at
    /// most one wake-up for the batch; what is pending is published before waiting for room). Returns when all
    /// are written; on an error, the ones before `Error`'s index were sent: see `writeBatch(_:timeout:sent:)`.
    /// The corresponding C function is `cshim_ring_write_batch`.
    @inlinable
    public func write(batch messages: [UnsafeRawBufferPointer], timeout: Duration? = nil) throws(Error) {
        var sent = 0
        try writeBatch(messages, timeout: timeout, sent: &sent)
    }

    /// `write(batch:)` that also reports how many messages were sent before an error (all of them on success).
    @inlinable
    public func writeBatch(_ messages: [UnsafeRawBufferPointer], timeout: Duration? = nil, sent: inout Int) throws(Error) {
        var written: Int32 = 0
        // The iovecs on the stack: no allocation per batch.
        let code = withUnsafeTemporaryAllocation(of: iovec.self, capacity: messages.count) { iov in
            for (i, message) in messages.enumerated() {
                iov[i] = iovec(iov_base: UnsafeMutableRawPointer(mutating: message.baseAddress), iov_len: message.count)
            }
            return cshim_ring_write_batch(ring, iov.baseAddress, Int32(messages.count), cshimTimeout(timeout), &written)
        }
        sent = Int(written)
        try check(code, .write)
    }

    /// Writes the in-memory representation of each value as one message, publishing them together (see
    /// `write(batch:)`). (Inlinable, so that it is specialised where it is called.)
    @inlinable
    public func write<Value: BitwiseCopyable>(values: some Collection<Value>, timeout: Duration? = nil) throws(Error) {
        let size = MemoryLayout<Value>.size
        let count = values.count
        if count == 0 { return }
        var code: Int32 = 0
        withUnsafeTemporaryAllocation(of: Value.self, capacity: count) { storage in
            _ = storage.initialize(fromContentsOf: values)
            withUnsafeTemporaryAllocation(of: iovec.self, capacity: count) { vector in
                let base = UnsafeMutableRawPointer(storage.baseAddress!)
                for i in 0..<count { vector[i] = iovec(iov_base: base + i * MemoryLayout<Value>.stride, iov_len: size) }
                var written: Int32 = 0
                code = cshim_ring_write_batch(ring, vector.baseAddress, Int32(count), cshimTimeout(timeout), &written)
            }
        }
        try check(code, .write)
    }
}

// MARK: - Endpoints

extension RingBuffer {
    /// Claims the writing side of a single-producer single-consumer ring for this process now, rather than at
    /// its first write, so that a reader waiting on it is told if this process dies before writing. Throws
    /// `.sideTaken` when another live process writes the ring. Nothing to do for `.multiProducerMultiConsumer`.
    public func claimWriting() throws(Error) { try check(cshim_ring_claim(ring, Side.writer.cside), .write) }

    /// Claims the reading side (see `claimWriting()`).
    public func claimReading() throws(Error) { try check(cshim_ring_claim(ring, Side.reader.cside), .read) }

    /// Gives up this process's claim on the writing side, so that another process (a forked child) may write.
    public func releaseWriting() { cshim_ring_unclaim(ring, Side.writer.cside) }

    /// Gives up this process's claim on the reading side.
    public func releaseReading() { cshim_ring_unclaim(ring, Side.reader.cside) }

    /// The process registered as `side` (SPSC rings, once it wrote or read or claimed), or nil.
    public func process(_ side: Side) -> Int32? {
        let pid = cshim_ring_endpoint_pid(ring, side.cside)
        return pid == 0 ? nil : pid
    }

    /// The process that formatted the ring.
    public var creatorProcess: Int32 { cshim_ring_endpoint_pid(ring, Int32(CSHIM_RING_CREATOR)) }

    /// Whether the process registered as `side` lives (false if none is registered).
    public func isAlive(_ side: Side) -> Bool { cshim_ring_endpoint_alive(ring, side.cside) != 0 }

    /// How often a side waiting on its peer checks that the peer lives (default 10 ms): how late a death may be
    /// noticed, paid for with one wake-up per interval of waiting. Per handle.
    public func setLivenessCheck(every interval: Duration) {
        cshim_ring_set_liveness_check(ring, interval.cshimNanoseconds)
    }
}

// MARK: - Descriptors, for unrelated processes

extension RingBuffer {
    /// Sends this anonymous ring over a Unix stream socket (SCM_RIGHTS), to a process that did not fork from
    /// this one; it attaches with `RingBuffer(receivingFrom:)`. A named ring needs no descriptor: send its name.
    public func send(over socket: Int32) throws(Error) {
        guard let fd = memory.shareableDescriptor else {
            throw .system(SystemError(operation: "RingBuffer.send(over:)", errno: EINVAL,
                                      hint: "only an anonymous ring has a descriptor to send; attach a named ring by name"))
        }
        var header: (Int64, Int64) = (Int64(memory.size), Int64(offset))
        // The readiness descriptor travels with the ring, so that the receiver's writes signal it (or its
        // reads arm the one this process polls).
        let readiness = try readinessDescriptor
        var descriptors: [Int32] = [fd, readiness]
        let rc = withUnsafeBytes(of: &header) { bytes in
            cshim_socket_send_with_fds(socket, bytes.baseAddress!, bytes.count, &descriptors, 2)
        }
        if rc != 0 { throw .system(SystemError(operation: "RingBuffer.send(over: \(socket))", errno: errno)) }
    }

    /// Attaches to a ring sent with `send(over:)` on the Unix stream socket `socket`.
    public convenience init(receivingFrom socket: Int32) throws(Error) {
        var header: (Int64, Int64) = (0, 0)
        var fds: [Int32] = [-1, -1]
        var count: Int32 = 0
        let rc = withUnsafeMutableBytes(of: &header) { bytes in
            cshim_socket_recv_with_fds(socket, bytes.baseAddress!, bytes.count, &fds, 2, &count)
        }
        let fd = fds[0]
        if rc == -2 || (rc == 0 && count < 1) {
            for i in 0..<Int(max(count, 0)) { close(fds[i]) }
            throw .system(SystemError(operation: "RingBuffer(receivingFrom: \(socket))", errno: EPROTO,
                                      hint: "the socket closed, or the message carried no ring (send it with send(over:))"))
        }
        if rc != 0 { throw .system(SystemError(operation: "RingBuffer(receivingFrom: \(socket))", errno: errno)) }
        let memory: SharedMemory
        do { memory = try SharedMemory(adoptingDescriptor: fd, size: Int(header.0)) } catch {
            if count > 1 { close(fds[1]) }
            throw .system(error)
        }
        do { try self.init(attaching: memory, offset: Int(header.1)) } catch {
            if count > 1 { close(fds[1]) }
            throw error
        }
        if count > 1 { _ = cshim_ring_set_readiness_fd(ring, fds[1], 1) }
    }
}
