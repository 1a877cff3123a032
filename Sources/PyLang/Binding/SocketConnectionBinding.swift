// The per-message path of `multiprocessing.connection`'s socket connections (Listener/Client), natively: the
// framing (a 4-byte big-endian length; -1 then an 8-byte length past 2 GiB), the reads and writes on the
// descriptor, and the pickling of `send`/`recv` objects (`pickleNative`, with `pickle.dumps`/`loads` for what it
// does not cover). The Connection class itself, its checks and the HMAC challenge stay Python
// (SourceModules.swift's `connectionSource`), which calls these with the socket's descriptor. Over TCP a receive
// blocks in recv(2) itself, as CPython's read(2) does: Ctrl-C still reaches it, since mpsh's SIGINT handler has
// no SA_RESTART (the call returns EINTR and the flag is looked at). Trying first with MSG_DONTWAIT and then
// waiting in poll(2) cost two more system calls for every message not there yet (80% of them in
// scripts/bench/mpsh/socket_roundtrip.mp). Over a Unix socket a receive tries with MSG_DONTWAIT and waits in
// poll(2) for POLLIN: a reader blocked in recv(2) there is also woken each time its peer reads what it sent (the
// kernel announces the freed space on the same wait queue, and only poll filters by event), measured at 3.1
// context switches a round trip instead of 2.0, and 1 µs slower. A descriptor in non-blocking mode, and the loop
// budget of the tests' runaway guard, wait with poll(2) in slices. Writes try at once (MSG_DONTWAIT) and wait
// with poll(2) only when the socket's buffer is full. Mirrors CPython's `Connection._send_bytes`, `_recv_bytes`,
// `_send`, `_recv` and `_poll` in `Lib/multiprocessing/connection.py` (Unix).
#if canImport(Glibc)
import Glibc
#endif

extension MPBinding {
    /// Adds the native helpers to `multiprocessing.connection` under private names.
    func addSocketConnectionFunctions(to m: PyModule) {
        m.fn("_socket_send_bytes") { [unowned self] i, a, _ in
            try i.need(a, 4, "_socket_send_bytes")
            let fd = Int32(truncatingIfNeeded: try i.intArg(a[0]))
            let bytes: [UInt8]
            do { bytes = try i.bytesArg(a[1]) } catch {
                throw i.typeError("memoryview: a bytes-like object is required, not '\(i.typeName(a[1]))'")
            }
            let offset = try i.intArg(a[2])
            if offset < 0 { throw self.err("ValueError", "offset is negative") }
            if bytes.count < offset { throw self.err("ValueError", "buffer length < offset") }
            var size = bytes.count - offset
            if !a[3].isNone {
                size = try i.intArg(a[3])
                if size < 0 { throw self.err("ValueError", "size is negative") }
                if offset + size > bytes.count { throw self.err("ValueError", "buffer length < offset + size") }
            }
            try bytes.withUnsafeBytes { try self.socketSendMessage(fd, UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + size)])) }
            return .none
        }
        m.fn("_socket_send") { [unowned self] i, a, _ in
            try i.need(a, 3, "_socket_send")
            let fd = Int32(truncatingIfNeeded: try i.intArg(a[0]))
            if let data = i.pickleNative(a[1]) {
                try data.withUnsafeBytes { try self.socketSendMessage(fd, $0) }
            } else {
                let data = try i.bytesArg(try i.call(a[2], [a[1]], []))
                try data.withUnsafeBytes { try self.socketSendMessage(fd, $0) }
            }
            return .none
        }
        m.fn("_socket_recv_bytes") { [unowned self] i, a, _ in
            try i.need(a, 2, "_socket_recv_bytes")
            let fd = Int32(truncatingIfNeeded: try i.intArg(a[0]))
            let maxsize = a[1].isNone ? nil : try i.intArg(a[1])
            let block = a.count > 2 ? try i.truthy(a[2]) : false
            guard let data = try self.socketRecvMessage(fd, maxsize: maxsize, block: block) else { return .none }
            return .obj(PyBytes(data))
        }
        m.fn("_socket_recv") { [unowned self] i, a, _ in
            try i.need(a, 2, "_socket_recv")
            let fd = Int32(truncatingIfNeeded: try i.intArg(a[0]))
            let block = a.count > 2 ? try i.truthy(a[2]) : false
            let data = try self.socketRecvMessage(fd, maxsize: nil, block: block)!
            if let v = i.unpickleNative(data) { return v }
            return try i.call(a[1], [.obj(PyBytes(data))], [])
        }
        m.fn("_socket_poll") { i, a, _ in
            try i.need(a, 2, "_socket_poll")
            let fd = Int32(truncatingIfNeeded: try i.intArg(a[0]))
            var deadline: Double? = nil
            if !a[1].isNone {
                let t = try i.toDouble(a[1])
                deadline = i.monoSeconds(CLOCK_MONOTONIC) + max(0, t.isNaN ? 0 : t)
            }
            // a zero timeout asks the kernel once; waitReady would see the deadline passed before asking
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            while true {
                let r = poll(&p, 1, 0)
                if r > 0 { return .bool(true) }
                if r == 0 { break }
                if errno != EINTR { throw i.osErrorNamed(errno, nil) }
                try i.checkInterrupt()
            }
            if let d = deadline, d <= i.monoSeconds(CLOCK_MONOTONIC) { return .bool(false) }
            return .bool(try i.waitReady(fd, Int32(POLLIN), deadline: deadline))
        }
    }

    /// Writes one message: its length header and its bytes, in one write when small (as CPython: past 16 KiB
    /// the header goes alone, so a large payload is not copied). Mirrors `Connection._send_bytes`.
    func socketSendMessage(_ fd: Int32, _ payload: UnsafeRawBufferPointer) throws {
        let n = payload.count
        if n <= 16384 {
            // header and payload joined on the stack: one send, no allocation
            try withUnsafeTemporaryAllocation(byteCount: 4 + n, alignment: 8) { buffer in
                let be = UInt32(n).bigEndian
                withUnsafeBytes(of: be) { buffer.copyMemory(from: $0) }
                if n > 0 { (buffer.baseAddress! + 4).copyMemory(from: payload.baseAddress!, byteCount: n) }
                try socketSendAll(fd, UnsafeRawBufferPointer(buffer))
            }
            return
        }
        var header: [UInt8]
        if n > 0x7FFF_FFFF {
            header = [0xFF, 0xFF, 0xFF, 0xFF]
            for k in (0..<8).reversed() { header.append(UInt8(truncatingIfNeeded: UInt64(n) >> (8 * UInt64(k)))) }
        } else {
            header = [UInt8(truncatingIfNeeded: n >> 24), UInt8(truncatingIfNeeded: n >> 16),
                      UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]
        }
        try header.withUnsafeBytes { try socketSendAll(fd, $0) }
        try socketSendAll(fd, payload)
    }

    /// Mirrors `Connection._send`: writes until every byte is out.
    func socketSendAll(_ fd: Int32, _ buf: UnsafeRawBufferPointer) throws {
        var off = 0
        while off < buf.count {
            let r = send(fd, buf.baseAddress! + off, buf.count - off, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            if r >= 0 { off += r; continue }
            let e = errno
            if e == EINTR { try interp.checkInterrupt(); continue }
            if e == EAGAIN || e == EWOULDBLOCK { _ = try interp.waitReady(fd, Int32(POLLOUT)); continue }
            throw interp.osErrorNamed(e, nil)
        }
    }

    /// Reads exactly `buf.count` bytes: EOFError when the peer closed before the first, CPython's OSError when it
    /// closed in the middle. Mirrors `Connection._recv`.
    func socketRecvExact(_ fd: Int32, _ buf: UnsafeMutableRawBufferPointer, started: Bool = false,
                         block: Bool = false) throws {
        var off = 0
        // Blocking where asked (TCP: see the top of the file), except under the loop budget, whose waits must come
        // back in slices.
        let blocking = block && interp.loopBudget == nil
        let flags = blocking ? Int32(0) : Int32(MSG_DONTWAIT)
        while off < buf.count {
            // A Ctrl-C that landed before the call is seen here; one during it ends the call with EINTR. (Between
            // the two lie a few instructions, as between CPython's signal check and its read.)
            if blocking { try interp.checkInterrupt() }
            let r = recv(fd, buf.baseAddress! + off, buf.count - off, flags)
            if r > 0 { off += r; continue }
            if r == 0 {
                if off == 0 && !started { throw err("EOFError", nil) }
                throw err("OSError", "got end of file during message")
            }
            let e = errno
            if e == EINTR { try interp.checkInterrupt(); continue }
            if e == EAGAIN || e == EWOULDBLOCK { _ = try interp.waitReady(fd, Int32(POLLIN)); continue }
            throw interp.osErrorNamed(e, nil)
        }
    }

    /// One message's bytes, or nil when its length is over `maxsize` (nothing more read). Mirrors
    /// `Connection._recv_bytes`.
    func socketRecvMessage(_ fd: Int32, maxsize: Int?, block: Bool = false) throws -> [UInt8]? {
        var header: UInt32 = 0
        try withUnsafeMutableBytes(of: &header) { try socketRecvExact(fd, $0, block: block) }
        var size = Int(Int32(bitPattern: UInt32(bigEndian: header)))
        if size == -1 {
            var long: UInt64 = 0
            try withUnsafeMutableBytes(of: &long) { try socketRecvExact(fd, $0) }
            let v = UInt64(bigEndian: long)
            guard v <= UInt64(Int.max) else { throw err("OverflowError", "message length out of range") }
            size = Int(v)
        }
        if let maxsize, size > maxsize { return nil }
        if size < 0 { return [] }   // as CPython's _recv of a negative count: nothing read
        if size <= 1 << 24 {
            var failure: Error?
            let data = [UInt8](unsafeUninitializedCapacity: size) { buf, count in
                do { try socketRecvExact(fd, UnsafeMutableRawBufferPointer(buf), block: block); count = size } catch {
                    failure = error
                    count = 0
                }
            }
            if let failure { throw failure }
            return data
        }
        // a large message grows as it arrives: a bogus length does not reserve gigabytes up front
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var left = size
        while left > 0 {
            let n = min(left, chunk.count)
            let started = left < size
            try chunk.withUnsafeMutableBytes { b in
                try socketRecvExact(fd, UnsafeMutableRawBufferPointer(rebasing: b[0..<n]), started: started, block: block)
            }
            data.append(contentsOf: chunk[0..<n])
            left -= n
        }
        return data
    }
}
