// Files and the standard streams: buffered writes straight to the descriptor, line reads for input().
// Mirrors CPython's `Modules/_io` (only what scripts use: write, flush, read, readline, iteration, with).
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Whether stdout is written through at every write, as CPython's with `-u` or a non-empty PYTHONUNBUFFERED:
/// read from the environment when first needed; `mpsh -u` sets it before the program runs. Process-wide, as the
/// stream it describes.
nonisolated(unsafe) public var mpshUnbufferedOutput: Bool =
    ProcessInfo.processInfo.environment["PYTHONUNBUFFERED"].map { !$0.isEmpty } ?? false

extension Interpreter {
    func fileWrite(_ f: PyFile, _ s: String) throws {
        if f.closed { throw err("ValueError", "I/O operation on closed file.") }
        if !f.writable { throw err("io.UnsupportedOperation", "not writable") }
        f.buffer.append(contentsOf: s.utf8)
        if f.buffer.count >= 1 << 16 || f === errf || (f.lineBuffered && s.utf8.contains(10)) || (f === out && mpshUnbufferedOutput) {
            fileWriteOut(f)
        }
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

    /// Writes out what f buffers. The program's own writes to stderr (`sys.__stderr__`) never wait in its buffer
    /// (`fileWrite` sends them at once), so what stderr's holds here is the interpreter's text, put there by
    /// `writeStderr`: an uncaught exception's traceback, SystemExit's message, a child's `Process …:` report.
    /// CPython writes those with `sys.stderr.write`, so when the program has put another object in `sys.stderr` they
    /// go to it.
    func fileFlush(_ f: PyFile) {
        if f.buffer.isEmpty { return }
        if f === errf, let target = replacedStderr() {
            let text = String(decoding: f.buffer, as: UTF8.self)
            f.buffer.removeAll()
            writeToReplacedStderr(target, text)
            return
        }
        fileWriteOut(f)
    }

    /// Writes f's buffer to its descriptor (stdout's first when f is stderr, so the two interleave as written).
    func fileWriteOut(_ f: PyFile) {
        if f.buffer.isEmpty { return }
        if f === errf && !out.buffer.isEmpty { let o = out; fileWriteOut(o) }
        f.writeBuffer()
    }

    /// What the program has put in `sys.stderr` in place of the standard stream (None included); nil while the
    /// stream is there, or when the name is deleted (CPython then writes to the descriptor too).
    func replacedStderr() -> Value? {
        guard let box = layerState["sys.stderr"] as? GlobalBox, let v = box.value else { return nil }
        if case .obj(let o) = v, o === errf { return nil }
        return v
    }

    /// `target.flush()`, `target.write(text)`, `target.flush()`, as CPython flushes the stream before it reports an
    /// uncaught exception and its `sys.excepthook` writes the traceback and flushes (CPython writes a traceback in
    /// pieces, a line's indent, text and newline apart; one write here): nothing for None; a write that raises (or
    /// is missing) is reported on descriptor 2 as CPython reports it (after a dump of the exception object,
    /// addresses and reference count, that is left out here), a flush that raises is ignored.
    func writeToReplacedStderr(_ target: Value, _ text: String) {
        if target.isNone { return }
        if case .obj(let f as PyFile) = target {
            // another file (`sys.stderr = open(...)`, or sys.stdout)
            try? fileWrite(f, text)
            fileWriteOut(f)
            return
        }
        do { _ = try callMethod(target, "flush", [], []) } catch {}
        do { _ = try callMethod(target, "write", [.str(PyStr(text))], []) } catch {
            errf.buffer.append(contentsOf: "lost sys.stderr\n".utf8)
            fileWriteOut(errf)
        }
        do { _ = try callMethod(target, "flush", [], []) } catch {}
    }

    /// At the end of a program: runs its atexit functions, flushes the objects it put in `sys.stdout` and
    /// `sys.stderr`, writes what the files it opened and never closed still buffer (CPython flushes them at
    /// shutdown), then the standard streams; last, removes multiprocessing's directory for this process's sockets.
    /// False when such a flush failed: CPython's exit status is then 120.
    @discardableResult
    public func flushOpenFiles() -> Bool {
        runAtexitCallbacks()
        let flushed = flushReplacedStream("sys.stdout") && flushReplacedStream("sys.stderr")
        for entry in openFiles { if let f = entry.file, !f.closed { f.writeBuffer() } }
        openFiles.removeAll()
        flushAll()
        removeTempDirAtExit()
        return flushed
    }

    /// `flush()` of what the program put in sys.stdout or sys.stderr (not None, not `closed`), as CPython's
    /// shutdown calls it: false when it raised (or is missing), after reporting that as an unraisable exception
    /// for stdout.
    func flushReplacedStream(_ name: String) -> Bool {
        guard let box = layerState[name] as? GlobalBox, let v = box.value, !v.isNone else { return true }
        if case .obj(let f as PyFile) = v {
            if !f.closed { fileWriteOut(f) }
            return true
        }
        if let closed = try? getAttr(v, "closed"), (try? truthy(closed)) == true { return true }
        do { _ = try callMethod(v, "flush", [], []) } catch let e as PyException {
            if name == "sys.stdout" {
                writeStderr("Exception ignored in: \((try? repr(v)) ?? "<object>")\n" + formatTraceback(e.exc))
            }
            return false
        } catch { return false }
        return true
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
        guard let fileArg = args.get(0, "file") else { throw typeError("open() missing required argument 'file' (pos 1)") }
        if case .int = fileArg { throw typeError("open() of a file descriptor is not supported; use os.read/os.write") }
        let path = PyStr(try pathArg(fileArg, "open"))
        var mode = "r"
        if case .str(let m)? = args.get(1, "mode") { mode = m.s }
        var flags: Int32 = O_RDONLY
        if mode.contains("w") { flags = O_WRONLY | O_CREAT | O_TRUNC }
        if mode.contains("a") { flags = O_WRONLY | O_CREAT | O_APPEND }
        if mode.contains("x") { flags = O_WRONLY | O_CREAT | O_EXCL }
        if mode.contains("+") { flags = (flags & ~(O_WRONLY | O_RDONLY)) | O_RDWR }
        if mode.contains("b") { return try openBinaryFile(path.s, mode, flags, .str(path)) }
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

extension Interpreter {
    /// Runs the functions `atexit.register` recorded (last first), once: at the program's end, before its files
    /// are flushed. A program that never imported atexit has none.
    public func runAtexitCallbacks() {
        guard case .obj(let m as PyModule)? = modules["atexit"], let run = m.get("_run_exitfuncs") else { return }
        do { _ = try call(run, []) } catch let e as PyException {
            writeStderr(formatTraceback(e.exc))
        } catch {}
        flushAll()
    }
}

/// A file opened in binary mode ('rb', 'wb', 'ab', 'r+b', ...): bytes in, bytes out. Writes go straight to the
/// descriptor (no buffer to lose if the program ends without closing it); reads come through a buffer.
final class BinaryFile {
    let fd: Int32
    let readable: Bool, writable: Bool
    var closed = false
    var rbuf: [UInt8] = []
    var rpos = 0
    init(fd: Int32, readable: Bool, writable: Bool) { self.fd = fd; self.readable = readable; self.writable = writable }
    deinit { if !closed { Glibc.close(fd) } }
}

extension Interpreter {
    /// The class of binary files (`_io.BufferedReader` / `BufferedWriter` / `BufferedRandom` in CPython; one class
    /// here, named by mode when made).
    func binaryFileClass() -> PyClass {
        if let c = layerState["io.binary"] as? PyClass { return c }
        func file(_ i: Interpreter, _ a: [Value], _ op: String) throws -> (PyInstance, BinaryFile) {
            guard case .obj(let inst as PyInstance)? = a.first, let f = inst.payload as? BinaryFile else {
                throw i.typeError("descriptor '\(op)' requires a binary file object")
            }
            if f.closed && op != "close" && op != "__exit__" { throw i.err("ValueError", op == "read" || op == "write" ? "\(op) of closed file" : "I/O operation on closed file.") }
            return (inst, f)
        }
        func fill(_ i: Interpreter, _ f: BinaryFile, _ want: Int?) throws {
            // reads until `want` bytes are buffered past rpos, or to the end when want is nil
            var chunk = [UInt8](repeating: 0, count: 65536)
            while want == nil || f.rbuf.count - f.rpos < want! {
                _ = try i.waitReady(f.fd, Int32(POLLIN))
                let n = chunk.withUnsafeMutableBytes { Glibc.read(f.fd, $0.baseAddress, 65536) }
                if n < 0 { if errno == EINTR { try i.checkInterrupt(); continue }; throw i.osErrorNamed(errno, nil) }
                if n == 0 { break }
                f.rbuf += chunk[0..<n]
            }
        }
        func take(_ f: BinaryFile, _ n: Int) -> [UInt8] {
            let end = min(f.rpos + n, f.rbuf.count)
            let out = Array(f.rbuf[f.rpos..<end])
            f.rpos = end
            if f.rpos == f.rbuf.count { f.rbuf.removeAll(keepingCapacity: true); f.rpos = 0 }
            return out
        }
        func readline(_ i: Interpreter, _ f: BinaryFile) throws -> [UInt8] {
            while true {
                if let nl = f.rbuf[f.rpos...].firstIndex(of: 10) { return take(f, nl - f.rpos + 1) }
                let before = f.rbuf.count - f.rpos
                try fill(i, f, before + 1)
                if f.rbuf.count - f.rpos == before { return take(f, before) }
            }
        }
        func writeAll(_ i: Interpreter, _ f: BinaryFile, _ b: [UInt8]) throws {
            if !f.writable { throw i.err("io.UnsupportedOperation", "write") }
            // a write after reads goes where the reads left off, not past the read-ahead
            if f.rpos < f.rbuf.count { lseek(f.fd, off_t(f.rpos - f.rbuf.count), SEEK_CUR) }
            f.rbuf.removeAll(); f.rpos = 0
            var off = 0
            try b.withUnsafeBytes { p in
                while off < p.count {
                    let n = Glibc.write(f.fd, p.baseAddress! + off, p.count - off)
                    if n < 0 { if errno == EINTR { try i.checkInterrupt(); continue }; throw i.osErrorNamed(errno, nil) }
                    off += n
                }
            }
        }
        let c = nativeClass("BufferedIOBase", module: "_io", methods: [
            "read": { i, a, _ in
                let (_, f) = try file(i, a, "read")
                if !f.readable { throw i.err("io.UnsupportedOperation", "read") }
                let n = a.count > 1 && !a[1].isNone ? try i.intArg(a[1]) : -1
                if n < 0 { try fill(i, f, nil); return .obj(PyBytes(take(f, f.rbuf.count - f.rpos))) }
                try fill(i, f, n)
                return .obj(PyBytes(take(f, n)))
            },
            "readline": { i, a, _ in
                let (_, f) = try file(i, a, "readline")
                if !f.readable { throw i.err("io.UnsupportedOperation", "read") }
                return .obj(PyBytes(try readline(i, f)))
            },
            "readlines": { i, a, _ in
                let (_, f) = try file(i, a, "readlines")
                var lines: [Value] = []
                while true { let l = try readline(i, f); if l.isEmpty { break }; lines.append(.obj(PyBytes(l))) }
                return .list(PyList(lines))
            },
            "__iter__": { i, a, _ in _ = try file(i, a, "__iter__"); return a[0] },
            "__next__": { i, a, _ in
                let (_, f) = try file(i, a, "__next__")
                let l = try readline(i, f)
                if l.isEmpty { throw i.err("StopIteration", nil) }
                return .obj(PyBytes(l))
            },
            "write": { i, a, _ in
                let (_, f) = try file(i, a, "write")
                try i.need(a, 2, "write")
                guard let b = try? i.bytesArg(a[1]) else { throw i.typeError("a bytes-like object is required, not '\(i.typeName(a[1]))'") }
                try writeAll(i, f, b)
                return .int(b.count)
            },
            "writelines": { i, a, _ in
                let (_, f) = try file(i, a, "writelines")
                try i.need(a, 2, "writelines")
                for v in try i.toArray(a[1]) { try writeAll(i, f, try i.bytesArg(v)) }
                return .none
            },
            "flush": { i, a, _ in _ = try file(i, a, "flush"); return .none },
            "seek": { i, a, _ in
                let (_, f) = try file(i, a, "seek")
                try i.need(a, 2, "seek")
                var off = try i.intArg(a[1])
                let whence = a.count > 2 ? Int32(try i.intArg(a[2])) : SEEK_SET
                if whence == SEEK_CUR { off -= f.rbuf.count - f.rpos }
                f.rbuf.removeAll(); f.rpos = 0
                let r = lseek(f.fd, off_t(off), whence)
                if r < 0 { throw i.osErrorNamed(errno, nil) }
                return .int(Int(r))
            },
            "tell": { i, a, _ in
                let (_, f) = try file(i, a, "tell")
                let r = lseek(f.fd, 0, SEEK_CUR)
                if r < 0 { throw i.osErrorNamed(errno, nil) }
                return .int(Int(r) - (f.rbuf.count - f.rpos))
            },
            "truncate": { i, a, _ in
                let (_, f) = try file(i, a, "truncate")
                let size = a.count > 1 && !a[1].isNone ? try i.intArg(a[1]) : Int(lseek(f.fd, 0, SEEK_CUR))
                try i.sys(nil) { ftruncate(f.fd, off_t(size)) }
                return .int(size)
            },
            "fileno": { i, a, _ in let (_, f) = try file(i, a, "fileno"); return .int(Int(f.fd)) },
            "readable": { i, a, _ in let (_, f) = try file(i, a, "readable"); return .bool(f.readable) },
            "writable": { i, a, _ in let (_, f) = try file(i, a, "writable"); return .bool(f.writable) },
            "seekable": { i, a, _ in let (_, f) = try file(i, a, "seekable"); return .bool(lseek(f.fd, 0, SEEK_CUR) >= 0) },
            "isatty": { i, a, _ in let (_, f) = try file(i, a, "isatty"); return .bool(isatty(f.fd) != 0) },
            "close": { i, a, _ in
                let (inst, f) = try file(i, a, "close")
                if !f.closed { f.closed = true; Glibc.close(f.fd) }
                inst.dict["closed"] = .bool(true)
                return .none
            },
            "__enter__": { i, a, _ in _ = try file(i, a, "__enter__"); return a[0] },
            "__exit__": { i, a, _ in
                let (inst, f) = try file(i, a, "__exit__")
                if !f.closed { f.closed = true; Glibc.close(f.fd) }
                inst.dict["closed"] = .bool(true)
                return .bool(false)
            },
            "__repr__": { i, a, _ in
                guard case .obj(let inst as PyInstance)? = a.first else { return .str("") }
                return .str("<_io.\(inst.cls.name) name=\(try i.repr(inst.dict["name"] ?? .none))>")
            },
        ])
        layerState["io.binary"] = c
        return c
    }

    /// `open(path, mode)` with a 'b' in mode.
    func openBinaryFile(_ path: String, _ mode: String, _ flags: Int32, _ original: Value) throws -> Value {
        let fd = Glibc.open(path, flags | O_CLOEXEC, 0o666)
        if fd < 0 { throw osErrorNamed(errno, path) }
        let readable = mode.contains("r") || mode.contains("+"), writable = flags & (O_WRONLY | O_RDWR) != 0
        let base = binaryFileClass()
        let name = mode.contains("+") ? "BufferedRandom" : readable ? "BufferedReader" : "BufferedWriter"
        let cls = layerState["io." + name] as? PyClass ?? {
            let c = PyClass(name: name, bases: [base], dict: [:])
            c.module = "_io"
            layerState["io." + name] = c
            return c
        }()
        let inst = PyInstance(cls)
        inst.payload = BinaryFile(fd: fd, readable: readable, writable: writable)
        inst.dict["name"] = original
        inst.dict["mode"] = .str(mode)
        inst.dict["closed"] = .bool(false)
        return .obj(inst)
    }
}
