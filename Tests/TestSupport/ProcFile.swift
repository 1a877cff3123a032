// Reading /proc files in tests: with read(2) to the end. A proc file reports size 0 and can be long
// (/proc/self/maps after the generator tests); Foundation's String(contentsOfFile:) was seen returning
// /proc/self/maps without the lines a test looked for.
#if canImport(Glibc)
import Glibc
#endif

/// The whole text of `path` (e.g. "/proc/self/maps"), or "" when it cannot be opened.
public func readProcFile(_ path: String) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        bytes += chunk[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}
