// Files and the standard streams: buffered writes straight to the descriptor, line reads for input().
// Mirrors CPython's `Modules/_io` (only what scripts use: write, flush, read, readline, iteration, with).
#if canImport(Glibc)
import Glibc
#endif

extension Interpreter {
    func fileWrite(_ f: PyFile, _ s: String) throws {
        if f.closed { throw err("ValueError", "I/O operation on closed file.") }
        if !f.writable { throw err("io.UnsupportedOperation", "not writable") }
        f.buffer.append(contentsOf: s.utf8)
        if f.buffer.count >= 1 << 16 || f === errf || (f.lineBuffered && s.utf8.contains(10)) { fileFlush(f) }
    }

    public func flushAll() { fileFlush(out); fileFlush(errf) }

    /// Sends stdout and stderr to memory instead of descriptors 1 and 2 (tests, embedding).
    public func captureOutput() {
        out = PyFile(fd: -1, name: "<stdout>", writable: true)
        errf = PyFile(fd: -2, name: "<stderr>", writable: true)
    }

    /// What was written to stdout and stderr since `captureOutput()`.
    public var capturedOutput: (stdout: String, stderr: String) {
        flushAll()
        return (String(decoding: out.captured, as: UTF8.self), String(decoding: errf.captured, as: UTF8.self))
    }

    func fileFlush(_ f: PyFile) {
        if f.buffer.isEmpty { return }
        if f === errf && !out.buffer.isEmpty { let o = out; fileFlush(o) }
        f.writeBuffer()
    }

    /// At the end of a program: writes what the files it opened and never closed still buffer (CPython flushes
    /// them at shutdown), then the standard streams.
    public func flushOpenFiles() {
        for entry in openFiles { if let f = entry.file, !f.closed { f.writeBuffer() } }
        openFiles.removeAll()
        flushAll()
    }

    func fileFill(_ f: PyFile) {
        if f.readData != nil { return }
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { read(f.fd, $0.baseAddress, 65536) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            data += buf[0..<n]
        }
        f.readData = data
    }

    /// Reads one line including its newline; "" at end of file. stdin is read a line at a time.
    func fileReadLine(_ f: PyFile) throws -> String {
        if f.fd == 0 && f.readData == nil {
            fileFlush(out)
            var line: [UInt8] = []
            var c: UInt8 = 0
            while true {
                let n = read(0, &c, 1)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                line.append(c)
                if c == 10 { break }
            }
            return String(decoding: line, as: UTF8.self)
        }
        fileFill(f)
        let d = f.readData!
        if f.readPos >= d.count { return "" }
        var e = f.readPos
        while e < d.count && d[e] != 10 { e += 1 }
        if e < d.count { e += 1 }
        let s = String(decoding: d[f.readPos..<e], as: UTF8.self)
        f.readPos = e
        return s
    }

    func fileMethod(_ f: PyFile, _ name: String, _ a: [Value], _ kw: [(String, Value)]) throws -> Value {
        switch name {
        case "write":
            guard case .str(let s) = a.first ?? .none else { throw typeError("write() argument must be str, not \(typeName(a.first ?? .none))") }
            try fileWrite(f, s.s)
            return .int(s.s.unicodeScalars.count)
        case "writelines":
            try iterate(a[0]) { x in try fileWrite(f, try str(x)); return true }
            return .none
        case "flush": fileFlush(f); return .none
        case "read":
            fileFill(f)
            let d = f.readData!
            let s = String(decoding: d[min(f.readPos, d.count)...], as: UTF8.self)
            f.readPos = d.count
            return .str(s)
        case "readline": return .str(try fileReadLine(f))
        case "readlines":
            var out: [Value] = []
            while true { let l = try fileReadLine(f); if l.isEmpty { break }; out.append(.str(l)) }
            return .list(PyList(out))
        case "close":
            fileFlush(f)
            if f.fd > 2 && !f.closed { close(f.fd) }
            f.closed = true
            return .none
        case "fileno": return .int(Int(f.fd))
        case "isatty": return .bool(isatty(f.fd) != 0)
        case "__enter__": return .obj(f)
        case "__exit__": _ = try fileMethod(f, "close", [], []); return .bool(false)
        default: throw err("AttributeError", "'_io.TextIOWrapper' object has no attribute '\(name)'")
        }
    }

    func openFile(_ a: [Value], _ kw: [(String, Value)]) throws -> Value {
        let args = Args(a, kw, "open")
        guard case .str(let path)? = args.get(0, "file") else { throw typeError("open() requires a path string") }
        var mode = "r"
        if case .str(let m)? = args.get(1, "mode") { mode = m.s }
        var flags: Int32 = O_RDONLY
        if mode.contains("w") { flags = O_WRONLY | O_CREAT | O_TRUNC }
        if mode.contains("a") { flags = O_WRONLY | O_CREAT | O_APPEND }
        if mode.contains("x") { flags = O_WRONLY | O_CREAT | O_EXCL }
        if mode.contains("+") { flags = (flags & ~(O_WRONLY | O_RDONLY)) | O_RDWR }
        let fd = open(path.s, flags | O_CLOEXEC, 0o644)
        if fd < 0 {
            let e = errno
            let cls = e == ENOENT ? "FileNotFoundError" : e == EACCES ? "PermissionError" : e == EEXIST ? "FileExistsError" : e == EISDIR ? "IsADirectoryError" : "OSError"
            let inst = err(cls, nil).exc
            inst.dict["args"] = .tuple(PyTuple([.int(Int(e)), .str(String(cString: strerror(e)))]))
            inst.dict["errno"] = .int(Int(e))
            inst.dict["filename"] = .str(path)
            inst.payload = NativeRepr("[Errno \(e)] \(String(cString: strerror(e))): '\(path)'")
            throw PyException(inst)
        }
        let file = PyFile(fd: fd, name: path.s, writable: flags != O_RDONLY)
        if file.writable {
            // the list keeps its live entries only, pruned whenever it has doubled
            if openFiles.count >= openFilesPruneAt {
                openFiles.removeAll { $0.file == nil || $0.file!.closed }
                openFilesPruneAt = max(16, openFiles.count * 2)
            }
            openFiles.append(OpenFile(file: file))
        }
        return .obj(file)
    }
}
