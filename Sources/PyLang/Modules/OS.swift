// The rest of `os` and `os.path` that programs call: files and directories (mkdir, rename, stat, scandir, walk,
// ...), descriptors (open, read, write, pipe, dup2), and posixpath's pure functions. Syscalls report through
// `osError` (CPython's OSError subclasses and messages, the path named). Mirrors `Modules/posixmodule.c` and
// `Lib/posixpath.py`.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Interpreter {
    /// A path argument: str, bytes (decoded), or an object with `__fspath__` (pathlib.Path).
    func pathArg(_ v: Value, _ fn: String) throws -> String {
        switch v {
        case .str(let s): return s.s
        case .obj(let b as PyBytes): return String(decoding: b.b, as: UTF8.self)
        case .obj(let inst as PyInstance) where inst.cls.lookup("__fspath__") != nil:
            return try pathArg(try callMethod(v, "__fspath__", [], []), fn)
        default:
            throw typeError("\(fn): path should be string, bytes or os.PathLike, not \(typeName(v))")
        }
    }

    /// Runs a syscall that returns -1 with errno set, retrying EINTR; raises the matching OSError naming `path`.
    @discardableResult
    func sys(_ path: String?, _ body: () -> Int32) throws -> Int32 {
        while true {
            let r = body()
            if r >= 0 { return r }
            let e = errno
            if e == EINTR { try checkInterrupt(); continue }
            throw osErrorNamed(e, path)
        }
    }

    /// An OSError with errno, strerror and filename set, as CPython's `PyErr_SetFromErrnoWithFilenameObject`.
    func osErrorNamed(_ e: Int32, _ path: String?, _ path2: String? = nil) -> PyException {
        let x = osError(e, path)
        x.exc.dict["errno"] = .int(Int(e))
        x.exc.dict["strerror"] = .str(String(cString: strerror(e)))
        x.exc.dict["filename"] = path.map { Value.str($0) } ?? Value.none
        var text = "[Errno \(e)] \(String(cString: strerror(e)))"
        if let p = path { text += ": '\(p)'" }
        if let p2 = path2 { text += " -> '\(p2)'" }
        x.exc.payload = NativeRepr(text)
        x.exc.dict["args"] = .tuple(PyTuple([.int(Int(e)), .str(String(cString: strerror(e)))]))
        return x
    }

    func addPosixFunctions(_ m: PyModule) {
        let statClass = nativeClass("stat_result", module: "os", methods: [
            "__repr__": { i, a, _ in
                guard case .obj(let inst as PyInstance)? = a.first else { return .str("") }
                let names = ["st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size", "st_atime", "st_mtime", "st_ctime"]
                let parts = try names.map { n -> String in
                    let v = inst.dict[n] ?? .none
                    if case .float(let d) = v { return "\(n)=\(Int(d))" }
                    return "\(n)=\(try i.repr(v))"
                }
                return .str("os.stat_result(" + parts.joined(separator: ", ") + ")")
            },
            "__getitem__": { i, a, _ in
                guard case .obj(let inst as PyInstance)? = a.first, a.count > 1 else { return .none }
                let names = ["st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size", "st_atime", "st_mtime", "st_ctime"]
                var k = try i.intArg(a[1])
                if k < 0 { k += names.count }
                guard k >= 0 && k < names.count else { throw i.err("IndexError", "tuple index out of range") }
                if k >= 7, case .float(let d)? = inst.dict[names[k]] { return .int(Int(d)) }
                return inst.dict[names[k]] ?? .none
            },
            "__len__": { _, _, _ in .int(10) },
        ])
        func statValue(_ st: stat) -> Value {
            let inst = PyInstance(statClass)
            func t(_ ts: timespec) -> Double { Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9 }
            inst.dict["st_mode"] = .int(Int(st.st_mode))
            inst.dict["st_ino"] = .int(Int(st.st_ino))
            inst.dict["st_dev"] = .int(Int(st.st_dev))
            inst.dict["st_nlink"] = .int(Int(st.st_nlink))
            inst.dict["st_uid"] = .int(Int(st.st_uid))
            inst.dict["st_gid"] = .int(Int(st.st_gid))
            inst.dict["st_size"] = .int(Int(st.st_size))
            inst.dict["st_atime"] = .float(t(st.st_atim))
            inst.dict["st_mtime"] = .float(t(st.st_mtim))
            inst.dict["st_ctime"] = .float(t(st.st_ctim))
            inst.dict["st_atime_ns"] = .int(Int(st.st_atim.tv_sec) * 1_000_000_000 + Int(st.st_atim.tv_nsec))
            inst.dict["st_mtime_ns"] = .int(Int(st.st_mtim.tv_sec) * 1_000_000_000 + Int(st.st_mtim.tv_nsec))
            inst.dict["st_blksize"] = .int(Int(st.st_blksize))
            inst.dict["st_blocks"] = .int(Int(st.st_blocks))
            return .obj(inst)
        }
        func doStat(_ i: Interpreter, _ a: [Value], _ kw: [(String, Value)], follow: Bool, _ fn: String) throws -> Value {
            guard let pv = a.first ?? kw.first(where: { $0.0 == "path" })?.1 else { throw i.typeError("\(fn)() missing required argument 'path' (pos 1)") }
            var st = stat()
            if case .int(let fd) = pv {
                try i.sys(nil) { fstat(Int32(fd), &st) }
                return statValue(st)
            }
            let follows = try follow && (kw.first { $0.0 == "follow_symlinks" }.map { try i.truthy($0.1) } ?? true)
            let p = try i.pathArg(pv, fn)
            try i.sys(p) { follows ? stat(p, &st) : lstat(p, &st) }
            return statValue(st)
        }
        m.fn("stat") { i, a, kw in try doStat(i, a, kw, follow: true, "stat") }
        m.fn("lstat") { i, a, kw in try doStat(i, a, kw, follow: false, "lstat") }
        m.fn("fstat") { i, a, kw in try doStat(i, a, kw, follow: true, "fstat") }
        m.fn("mkdir") { i, a, kw in
            let args = Args(a, kw, "mkdir")
            guard let pv = args.get(0, "path") else { throw i.typeError("mkdir() missing required argument 'path' (pos 1)") }
            let p = try i.pathArg(pv, "mkdir")
            let mode = try args.get(1, "mode").map { try i.intArg($0) } ?? 0o777
            try i.sys(p) { mkdir(p, mode_t(mode)) }
            return .none
        }
        m.fn("makedirs") { i, a, kw in
            let args = Args(a, kw, "makedirs")
            guard let pv = args.get(0, "name") else { throw i.typeError("makedirs() missing required argument 'name' (pos 1)") }
            let p = try i.pathArg(pv, "makedirs")
            let mode = try args.get(1, "mode").map { try i.intArg($0) } ?? 0o777
            let existOK = try args.get(2, "exist_ok").map { try i.truthy($0) } ?? false
            var prefix = p.hasPrefix("/") ? "/" : ""
            let parts = p.split(separator: "/")
            for (k, part) in parts.enumerated() {
                prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
                if mkdir(prefix, mode_t(mode)) != 0 {
                    let e = errno
                    if e != EEXIST { throw i.osErrorNamed(e, prefix) }
                    if k == parts.count - 1 {
                        var st = stat()
                        if !existOK || stat(prefix, &st) != 0 || (st.st_mode & S_IFMT) != S_IFDIR { throw i.osErrorNamed(EEXIST, p) }
                    }
                }
            }
            return .none
        }
        for name in ["remove", "unlink"] {
            m.fn(name) { i, a, kw in
                guard let pv = a.first ?? kw.first(where: { $0.0 == "path" })?.1 else { throw i.typeError("\(name)() missing required argument 'path' (pos 1)") }
                let p = try i.pathArg(pv, name)
                try i.sys(p) { unlink(p) }
                return .none
            }
        }
        m.fn("rmdir") { i, a, _ in try i.need(a, 1, "rmdir"); let p = try i.pathArg(a[0], "rmdir"); try i.sys(p) { rmdir(p) }; return .none }
        for name in ["rename", "replace"] {
            m.fn(name) { i, a, _ in
                try i.need(a, 2, name)
                let src = try i.pathArg(a[0], name), dst = try i.pathArg(a[1], name)
                if Glibc.rename(src, dst) != 0 { throw i.osErrorNamed(errno, src, dst) }
                return .none
            }
        }
        m.fn("listdir") { i, a, kw in
            let p = try (a.first ?? kw.first { $0.0 == "path" }?.1).map { $0.isNone ? "." : try i.pathArg($0, "listdir") } ?? "."
            guard let dir = opendir(p) else { throw i.osErrorNamed(errno, p) }
            defer { closedir(dir) }
            var names: [Value] = []
            while let ent = readdir(dir) {
                let name = withUnsafeBytes(of: ent.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name != "." && name != ".." { names.append(.str(name)) }
            }
            return .list(PyList(names))
        }
        m.fn("chdir") { i, a, _ in try i.need(a, 1, "chdir"); let p = try i.pathArg(a[0], "chdir"); try i.sys(p) { chdir(p) }; return .none }
        m.fn("getcwd") { i, _, _ in
            var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            guard getcwd(&buf, buf.count) != nil else { throw i.osErrorNamed(errno, nil) }
            return .str(String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        m.fn("chmod") { i, a, _ in
            try i.need(a, 2, "chmod")
            let p = try i.pathArg(a[0], "chmod"), mode = try i.intArg(a[1])
            try i.sys(p) { chmod(p, mode_t(mode)) }
            return .none
        }
        m.fn("access") { i, a, _ in
            try i.need(a, 2, "access")
            return .bool(access(try i.pathArg(a[0], "access"), Int32(try i.intArg(a[1]))) == 0)
        }
        m.fn("symlink") { i, a, _ in
            try i.need(a, 2, "symlink")
            let src = try i.pathArg(a[0], "symlink"), dst = try i.pathArg(a[1], "symlink")
            if Glibc.symlink(src, dst) != 0 { throw i.osErrorNamed(errno, src, dst) }
            return .none
        }
        m.fn("readlink") { i, a, _ in
            try i.need(a, 1, "readlink")
            let p = try i.pathArg(a[0], "readlink")
            var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(p, &buf, buf.count - 1)
            if n < 0 { throw i.osErrorNamed(errno, p) }
            return .str(String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        m.fn("utime") { i, a, _ in
            try i.need(a, 1, "utime")
            let p = try i.pathArg(a[0], "utime")
            if a.count > 1, case .tuple(let t) = a[1], t.items.count == 2 {
                let at = try i.toDouble(t.items[0]), mt = try i.toDouble(t.items[1])
                var ts = [timespec(tv_sec: Int(at), tv_nsec: Int((at - floor(at)) * 1e9)), timespec(tv_sec: Int(mt), tv_nsec: Int((mt - floor(mt)) * 1e9))]
                try i.sys(p) { utimensat(AT_FDCWD, p, &ts, 0) }
            } else {
                try i.sys(p) { utimensat(AT_FDCWD, p, nil, 0) }
            }
            return .none
        }
        m.fn("getuid") { _, _, _ in .int(Int(getuid())) }
        m.fn("geteuid") { _, _, _ in .int(Int(geteuid())) }
        m.fn("getgid") { _, _, _ in .int(Int(getgid())) }
        m.fn("umask") { i, a, _ in try i.need(a, 1, "umask"); return .int(Int(umask(mode_t(try i.intArg(a[0]))))) }
        m.fn("strerror") { i, a, _ in try i.need(a, 1, "strerror"); return .str(String(cString: strerror(Int32(try i.intArg(a[0]))))) }
        m.fn("fspath") { i, a, _ in
            try i.need(a, 1, "fspath")
            if case .str = a[0] { return a[0] }
            if case .obj(let b as PyBytes) = a[0] { return .obj(b) }
            if case .obj(let inst as PyInstance) = a[0], inst.cls.lookup("__fspath__") != nil { return try i.callMethod(a[0], "__fspath__", [], []) }
            throw i.typeError("expected str, bytes or os.PathLike object, not \(i.typeName(a[0]))")
        }
        // descriptors
        for (n, v) in [("O_RDONLY", O_RDONLY), ("O_WRONLY", O_WRONLY), ("O_RDWR", O_RDWR), ("O_CREAT", O_CREAT),
                       ("O_EXCL", O_EXCL), ("O_TRUNC", O_TRUNC), ("O_APPEND", O_APPEND), ("O_NONBLOCK", O_NONBLOCK),
                       ("O_CLOEXEC", O_CLOEXEC), ("O_NOFOLLOW", O_NOFOLLOW), ("O_DIRECTORY", O_DIRECTORY),
                       ("F_OK", F_OK), ("R_OK", R_OK), ("W_OK", W_OK), ("X_OK", X_OK),
                       ("SEEK_SET", SEEK_SET), ("SEEK_CUR", SEEK_CUR), ("SEEK_END", SEEK_END)] {
            m.set(n, .int(Int(v)))
        }
        m.set("curdir", .str(".")); m.set("pardir", .str("..")); m.set("extsep", .str(".")); m.set("altsep", .none)
        m.set("pathsep", .str(":")); m.set("devnull", .str("/dev/null"))
        m.fn("open") { i, a, kw in
            let args = Args(a, kw, "open")
            guard let pv = args.get(0, "path"), let fv = args.get(1, "flags") else { throw i.typeError("open() missing required argument 'path' (pos 1)") }
            let p = try i.pathArg(pv, "open")
            let flags = Int32(try i.intArg(fv)), mode = try args.get(2, "mode").map { try i.intArg($0) } ?? 0o777
            return .int(Int(try i.sys(p) { Glibc.open(p, flags | O_CLOEXEC, mode_t(mode)) }))
        }
        m.fn("close") { i, a, _ in try i.need(a, 1, "close"); let fd = Int32(try i.intArg(a[0]))
            if Glibc.close(fd) != 0 && errno != EINTR { throw i.osErrorNamed(errno, nil) }
            return .none
        }
        m.fn("read") { i, a, _ in
            try i.need(a, 2, "read")
            let fd = Int32(try i.intArg(a[0])), n = try i.intArg(a[1])
            if n < 0 { throw i.err("ValueError", "negative buffersize in read") }
            var buf = [UInt8](repeating: 0, count: n)
            _ = try i.waitReady(fd, Int32(POLLIN))
            let got = try i.sys(nil) { Int32(buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, n) }) }
            return .obj(PyBytes(Array(buf.prefix(Int(got)))))
        }
        m.fn("write") { i, a, _ in
            try i.need(a, 2, "write")
            let fd = Int32(try i.intArg(a[0])), b = try i.bytesArg(a[1])
            let n = try i.sys(nil) { Int32(b.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }) }
            return .int(Int(n))
        }
        m.fn("lseek") { i, a, _ in
            try i.need(a, 3, "lseek")
            let r = lseek(Int32(try i.intArg(a[0])), off_t(try i.intArg(a[1])), Int32(try i.intArg(a[2])))
            if r < 0 { throw i.osErrorNamed(errno, nil) }
            return .int(Int(r))
        }
        m.fn("pipe") { i, _, _ in
            var fds: [Int32] = [0, 0]
            try i.sys(nil) { pipe(&fds) }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return .tuple(PyTuple([.int(Int(fds[0])), .int(Int(fds[1]))]))
        }
        m.fn("dup") { i, a, _ in try i.need(a, 1, "dup"); let fd = Int32(try i.intArg(a[0])); return .int(Int(try i.sys(nil) { fcntl(fd, F_DUPFD_CLOEXEC, 0) })) }
        m.fn("dup2") { i, a, _ in
            try i.need(a, 2, "dup2")
            let fd = Int32(try i.intArg(a[0])), fd2 = Int32(try i.intArg(a[1]))
            return .int(Int(try i.sys(nil) { Glibc.dup2(fd, fd2) }))
        }
        m.fn("fsync") { i, a, _ in try i.need(a, 1, "fsync"); let fd = Int32(try i.intArg(a[0])); try i.sys(nil) { fsync(fd) }; return .none }
        m.fn("isatty") { i, a, _ in try i.need(a, 1, "isatty"); return .bool(isatty(Int32(try i.intArg(a[0]))) != 0) }
        m.fn("get_terminal_size") { i, _, _ in
            var ws = winsize()
            if ioctl(1, UInt(TIOCGWINSZ), &ws) != 0 { throw i.osErrorNamed(errno, nil) }
            return .tuple(PyTuple([.int(Int(ws.ws_col)), .int(Int(ws.ws_row))]))
        }
        m.fn("putenv") { i, a, _ in
            try i.need(a, 2, "putenv")
            setenv(try i.strArg(a[0], "putenv"), try i.strArg(a[1], "putenv"), 1)
            return .none
        }
        m.fn("unsetenv") { i, a, _ in try i.need(a, 1, "unsetenv"); unsetenv(try i.strArg(a[0], "unsetenv")); return .none }
        m.fn("cpu_count") { _, _, _ in .int(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
        m.fn("getloadavg") { i, _, _ in
            var l = [Double](repeating: 0, count: 3)
            if getloadavg(&l, 3) != 3 { throw i.err("OSError", "Load averages are unobtainable") }
            return .tuple(PyTuple(l.map { .float($0) }))
        }
    }

    func addPosixPathFunctions(_ m: PyModule) {
        func st(_ i: Interpreter, _ a: [Value], _ fn: String, follow: Bool = true) throws -> stat? {
            try i.need(a, 1, fn)
            var s = stat()
            if case .int(let fd) = a[0] { return fstat(Int32(fd), &s) == 0 ? s : nil }
            let p = try i.pathArg(a[0], fn)
            return (follow ? stat(p, &s) : lstat(p, &s)) == 0 ? s : nil
        }
        m.fn("exists") { i, a, _ in .bool(try st(i, a, "exists") != nil) }
        m.fn("lexists") { i, a, _ in .bool(try st(i, a, "lexists", follow: false) != nil) }
        m.fn("isfile") { i, a, _ in .bool(try st(i, a, "isfile").map { ($0.st_mode & S_IFMT) == S_IFREG } ?? false) }
        m.fn("isdir") { i, a, _ in .bool(try st(i, a, "isdir").map { ($0.st_mode & S_IFMT) == S_IFDIR } ?? false) }
        m.fn("islink") { i, a, _ in .bool(try st(i, a, "islink", follow: false).map { ($0.st_mode & S_IFMT) == S_IFLNK } ?? false) }
        func need(_ i: Interpreter, _ a: [Value], _ fn: String) throws -> stat {
            let p = try i.pathArg(a.first ?? .none, fn)
            var s = stat()
            try i.sys(p) { stat(p, &s) }
            return s
        }
        m.fn("getsize") { i, a, _ in .int(Int(try need(i, a, "getsize").st_size)) }
        m.fn("getmtime") { i, a, _ in let s = try need(i, a, "getmtime"); return .float(Double(s.st_mtim.tv_sec) + Double(s.st_mtim.tv_nsec) * 1e-9) }
        m.fn("getatime") { i, a, _ in let s = try need(i, a, "getatime"); return .float(Double(s.st_atim.tv_sec) + Double(s.st_atim.tv_nsec) * 1e-9) }
        m.fn("getctime") { i, a, _ in let s = try need(i, a, "getctime"); return .float(Double(s.st_ctim.tv_sec) + Double(s.st_ctim.tv_nsec) * 1e-9) }
        m.fn("isabs") { i, a, _ in try i.need(a, 1, "isabs"); return .bool(try i.pathArg(a[0], "isabs").hasPrefix("/")) }
        m.fn("split") { i, a, _ in
            try i.need(a, 1, "split")
            let p = try i.pathArg(a[0], "split")
            guard let r = p.range(of: "/", options: .backwards) else { return .tuple(PyTuple([.str(""), .str(p)])) }
            var head = String(p[..<r.upperBound])
            let tail = String(p[r.upperBound...])
            if !head.allSatisfy({ $0 == "/" }) { while head.hasSuffix("/") { head.removeLast() } }
            return .tuple(PyTuple([.str(head), .str(tail)]))
        }
        m.fn("dirname") { i, a, _ in
            try i.need(a, 1, "dirname")
            let p = try i.pathArg(a[0], "dirname")
            guard let r = p.range(of: "/", options: .backwards) else { return .str("") }
            var head = String(p[..<r.upperBound])
            if !head.allSatisfy({ $0 == "/" }) { while head.hasSuffix("/") { head.removeLast() } }
            return .str(head)
        }
        m.fn("basename") { i, a, _ in
            try i.need(a, 1, "basename")
            let p = try i.pathArg(a[0], "basename")
            return .str(p.range(of: "/", options: .backwards).map { String(p[$0.upperBound...]) } ?? p)
        }
        m.fn("normpath") { i, a, _ in try i.need(a, 1, "normpath"); return .str(Interpreter.normpath(try i.pathArg(a[0], "normpath"))) }
        m.fn("abspath") { i, a, _ in
            try i.need(a, 1, "abspath")
            let p = try i.pathArg(a[0], "abspath")
            return .str(Interpreter.normpath(p.hasPrefix("/") ? p : FileManager.default.currentDirectoryPath + "/" + p))
        }
        m.fn("realpath") { i, a, _ in
            try i.need(a, 1, "realpath")
            let p = try i.pathArg(a[0], "realpath")
            if let r = Glibc.realpath(p, nil) { defer { free(r) }; return .str(String(cString: r)) }
            // CPython resolves what exists and keeps the rest as written
            let abs = Interpreter.normpath(p.hasPrefix("/") ? p : FileManager.default.currentDirectoryPath + "/" + p)
            var head = abs, tail: [String] = []
            while head != "/" && !head.isEmpty {
                if let r = Glibc.realpath(head, nil) {
                    defer { free(r) }
                    return .str(Interpreter.normpath(([String(cString: r)] + tail.reversed()).joined(separator: "/")))
                }
                let cut = head.range(of: "/", options: .backwards)!
                tail.append(String(head[cut.upperBound...]))
                head = String(head[..<cut.lowerBound])
                if head.isEmpty { head = "/" }
            }
            return .str(abs)
        }
        m.fn("relpath") { i, a, _ in
            try i.need(a, 1, "relpath")
            let cwd = FileManager.default.currentDirectoryPath
            func absolute(_ s: String) -> [Substring] {
                Interpreter.normpath(s.hasPrefix("/") ? s : cwd + "/" + s).split(separator: "/")
            }
            let p = try i.pathArg(a[0], "relpath")
            if p.isEmpty { throw i.err("ValueError", "no path specified") }
            let target = absolute(p), start = absolute(a.count > 1 && !a[1].isNone ? try i.pathArg(a[1], "relpath") : ".")
            var k = 0
            while k < target.count && k < start.count && target[k] == start[k] { k += 1 }
            let parts = [String](repeating: "..", count: start.count - k) + target[k...].map(String.init)
            return .str(parts.isEmpty ? "." : parts.joined(separator: "/"))
        }
        m.fn("expanduser") { i, a, _ in
            try i.need(a, 1, "expanduser")
            let p = try i.pathArg(a[0], "expanduser")
            guard p == "~" || p.hasPrefix("~/") else { return .str(p) }
            let home = ProcessInfo.processInfo.environment["HOME"] ?? "/"
            return .str(home + p.dropFirst())
        }
        m.fn("expandvars") { i, a, _ in
            try i.need(a, 1, "expandvars")
            let p = try i.pathArg(a[0], "expandvars")
            let env = ProcessInfo.processInfo.environment
            guard let re = try? NSRegularExpression(pattern: #"\$(\w+|\{[^}]*\})"#) else { return .str(p) }
            var out = p
            for match in re.matches(in: p, range: NSRange(p.startIndex..., in: p)).reversed() {
                guard let r = Range(match.range, in: p), let nr = Range(match.range(at: 1), in: p) else { continue }
                var name = String(p[nr])
                if name.hasPrefix("{") { name = String(name.dropFirst().dropLast()) }
                if let v = env[name] { out.replaceSubrange(r, with: v) }
            }
            return .str(out)
        }
        m.fn("commonprefix") { i, a, _ in
            try i.need(a, 1, "commonprefix")
            let items = try i.toArray(a[0]).map { try i.pathArg($0, "commonprefix") }
            guard let lo = items.min(), let hi = items.max() else { return .str("") }
            return .str(String(zip(lo, hi).prefix { $0 == $1 }.map { $0.0 }))
        }
        m.fn("commonpath") { i, a, _ in
            try i.need(a, 1, "commonpath")
            let items = try i.toArray(a[0]).map { try i.pathArg($0, "commonpath") }
            guard !items.isEmpty else { throw i.err("ValueError", "commonpath() arg is an empty sequence") }
            let absCount = items.filter { $0.hasPrefix("/") }.count
            if absCount != 0 && absCount != items.count { throw i.err("ValueError", "Can't mix absolute and relative paths") }
            let split = items.map { $0.split(separator: "/").filter { $0 != "." } }
            var common = split[0]
            for s in split.dropFirst() { common = Array(zip(common, s).prefix { $0 == $1 }.map { $0.0 }) }
            return .str((absCount > 0 ? "/" : "") + common.joined(separator: "/"))
        }
        m.fn("samefile") { i, a, _ in
            try i.need(a, 2, "samefile")
            let x = try need(i, [a[0]], "samefile"), y = try need(i, [a[1]], "samefile")
            return .bool(x.st_dev == y.st_dev && x.st_ino == y.st_ino)
        }
        m.fn("splitext") { i, a, _ in try i.need(a, 1, "splitext")
            let s = try i.pathArg(a[0], "splitext")
            let base = s.range(of: "/", options: .backwards).map { s[$0.upperBound...] } ?? Substring(s)
            let stripped = base.drop { $0 == "." }
            if let r = stripped.range(of: ".", options: .backwards) {
                return .tuple(PyTuple([.str(String(s[..<r.lowerBound])), .str(String(s[r.lowerBound...]))]))
            }
            return .tuple(PyTuple([.str(s), .str("")]))
        }
        m.set("sep", .str("/"))
        m.set("curdir", .str("."))
        m.set("pardir", .str(".."))
    }

    /// posixpath.normpath.
    static func normpath(_ p: String) -> String {
        if p.isEmpty { return "." }
        let initial = p.hasPrefix("//") && !p.hasPrefix("///") ? 2 : (p.hasPrefix("/") ? 1 : 0)
        var comps: [Substring] = []
        for c in p.split(separator: "/", omittingEmptySubsequences: true) {
            if c == "." { continue }
            if c != ".." || (initial == 0 && comps.isEmpty) || (comps.last == "..") { comps.append(c) }
            else if !comps.isEmpty { comps.removeLast() }
        }
        let s = String(repeating: "/", count: initial) + comps.joined(separator: "/")
        return s.isEmpty ? "." : s
    }
}
