#if canImport(Glibc)
import Glibc
#endif

/// A byte stream (pipe or socketpair) with CPython's `Connection` framing: a 4-byte big-endian length, then
/// the payload, sent in one write; received with two reads (the header, then exactly the payload), looping on
/// short reads as `Connection._recv` does.
struct FramedStream {
    let readFD: Int32
    let writeFD: Int32

    static func pipe() -> FramedStream {
        var fds: [Int32] = [0, 0]
        precondition(Glibc.pipe(&fds) == 0, "pipe")
        return FramedStream(readFD: fds[0], writeFD: fds[1])
    }

    static func socketPair() -> (FramedStream, FramedStream) {
        var fds: [Int32] = [0, 0]
        precondition(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0, "socketpair")
        return (FramedStream(readFD: fds[0], writeFD: fds[0]), FramedStream(readFD: fds[1], writeFD: fds[1]))
    }

    /// Sends header and payload with one write, as CPython does for small messages.
    func send(_ frame: UnsafeMutableRawBufferPointer, payloadLength: Int) {
        frame.storeBytes(of: UInt32(payloadLength).bigEndian, as: UInt32.self)
        writeAll(UnsafeRawBufferPointer(rebasing: frame[..<(4 + payloadLength)]))
    }

    func writeAll(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let n = write(writeFD, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 { if errno == EINTR { continue }; fatalError("write: \(errno)") }
            offset += n
        }
    }

    /// Receives one message into `buffer`; returns its length.
    func receive(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        readExactly(UnsafeMutableRawBufferPointer(rebasing: buffer[..<4]))
        let length = Int(UInt32(bigEndian: buffer.loadUnaligned(as: UInt32.self)))
        readExactly(UnsafeMutableRawBufferPointer(rebasing: buffer[..<length]))
        return length
    }

    func readExactly(_ buffer: UnsafeMutableRawBufferPointer) {
        var offset = 0
        while offset < buffer.count {
            let n = read(readFD, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 { if errno == EINTR { continue }; fatalError("read: \(errno)") }
            if n == 0 { fatalError("unexpected end of stream") }
            offset += n
        }
    }

    func close() {
        _ = Glibc.close(readFD)
        if writeFD != readFD { _ = Glibc.close(writeFD) }
    }
}
