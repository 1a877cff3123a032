// The plain modules: sys, os, os.path, time, signal, platform (math, itertools and functools are in
// Modules/MathTools.swift; re, logging, urllib.parse and collections in their own files). A native module is a `PyModule` filled with
// `PyBuiltin` functions and native classes; `Interpreter.registerModule` plugs in more (multiprocessing later).
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension PyModule {
    /// Adds a native function to the module.
    public func fn(_ name: String, _ f: @escaping NativeFn) { set(name, .obj(PyBuiltin(name, f))) }
}

extension Interpreter {
    /// A native class whose methods are Swift closures receiving `self` first; instances carry a payload.
    public func nativeClass(_ name: String, module: String, base: PyClass? = nil, methods: [String: NativeFn]) -> PyClass {
        var dict: [String: Value] = [:]
        for (n, f) in methods { dict[n] = .obj(PyBuiltin(n, f)) }
        let c = PyClass(name: name, bases: [base ?? objectClass], dict: dict)
        c.module = module
        return c
    }

    func registerStandardModules() {
        registerModule("sys") { i in i.makeSys() }
        registerModule("os") { i in try i.makeOS() }
        registerModule("os.path") { i in i.makeOSPath() }
        registerModule("time") { i in i.makeTime() }
        registerModule("signal") { i in i.makeSignal() }
        registerModule("math") { i in i.makeMath() }
        registerModule("random") { i in i.makeRandom() }
        registerModule("itertools") { i in i.makeItertools() }
        registerModule("functools") { i in i.makeFunctools() }
        registerModule("collections") { i in i.makeCollections() }
        registerModule("platform") { i in i.makePlatform() }
        registerModule("dataclasses") { i in i.makeDataclasses() }
        registerModule("json") { i in i.makeJSON() }
        registerModule("datetime") { i in i.makeDateTime() }
        registerModule("re") { i in i.makeRe() }
        registerModule("logging") { i in try i.makeLogging() }
        registerWebModules()    // requests, bs4 (Web/Web.swift)
        registerModule("urllib") { i in
            let m = PyModule(name: "urllib")
            m.set("parse", try i.importModule("urllib.parse"))
            return m
        }
        registerModule("urllib.parse") { i in i.makeUrlParse() }
        registerMultiprocessingModules()
        registerModule("hashlib") { i in i.makeHashlib() }
        registerModule("zlib") { i in i.makeZlib() }
        registerModule("struct") { i in i.makeStruct() }
        registerModule("traceback") { i in i.makeTraceback() }
        registerModule("binascii") { i in i.makeBinascii() }
        registerModule("base64") { i in try i.makeBase64() }
        registerModule("_subprocess") { i in i.makeSubprocessCore() }
        registerModule("_gc") { i in i.makeGCCore() }
        registerModule("socket") { i in i.makeSocket() }
        registerModule("typing") { i in
            let m = PyModule(name: "typing")
            for n in ["Any", "List", "Dict", "Tuple", "Optional", "Union", "Callable", "Iterable", "Iterator", "Set", "Sequence", "Generator", "Type"] {
                m.set(n, .obj(i.objectClass))
            }
            return m
        }
    }

    // MARK: sys

    func makeSys() -> PyModule {
        let m = PyModule(name: "sys")
        m.set("argv", .list(PyList(argv.map { .str($0) })))
        m.set("stdout", .obj(out))
        // print() without a file writes to whatever sys.stdout holds (`printTo`)
        layerState["sys.stdout"] = m.box("stdout")
        m.set("stderr", .obj(errf))
        layerState["sys.stderr"] = m.box("stderr")   // traceback.print_exc's default (`currentStderr`)
        m.set("stdin", .obj(stdinFile))
        m.set("__stdout__", .obj(out))
        m.set("__stderr__", .obj(errf))
        m.set("version", .str("3.11.0 (mpsh)"))
        m.set("version_info", .tuple(PyTuple([.int(3), .int(11), .int(0), .str("final"), .int(0)])))
        m.set("platform", .str("linux"))
        m.set("byteorder", .str("little"))
        m.set("maxsize", .int(Int.max))
        m.set("executable", .str(CommandLine.arguments.first ?? "mpsh"))
        m.set("path", .list(PyList([])))
        m.set("implementation", .str("mpsh"))
        m.fn("exit") { i, a, _ in throw try i.systemExit(a.first ?? .none) }
        m.fn("get_int_max_str_digits") { _, _, _ in .int(intMaxStrDigits) }
        m.fn("set_int_max_str_digits") { i, a, kw in
            guard let v = a.first ?? kw.first(where: { $0.0 == "maxdigits" })?.1 else {
                throw i.typeError("set_int_max_str_digits() missing required argument 'maxdigits' (pos 1)")
            }
            let n = try i.intArg(v)
            if n != 0 && n < 640 { throw i.err("ValueError", "maxdigits must be 0 or larger than 640") }
            intMaxStrDigits = n
            return .none
        }
        m.fn("getrecursionlimit") { i, _, _ in .int(i.recursionLimit) }
        m.fn("setrecursionlimit") { i, a, _ in try i.need(a, 1, "setrecursionlimit"); i.recursionLimit = min(try i.intArg(a[0]), 20000); return .none }
        m.fn("getsizeof") { i, a, _ in try i.need(a, 1, "getsizeof"); return .int(64 + 8 * ((try? i.len(a[0])) ?? 0)) }
        m.fn("exc_info") { i, _, _ in
            guard let h = i.handling else { return .tuple(PyTuple([.none, .none, .none])) }
            return .tuple(PyTuple([.obj(h.cls), .obj(h), .none]))
        }
        let mods = PyDict()
        for (k, v) in modules { mods.set(.str(k), v) }
        sysModules = mods
        m.set("modules", .dict(mods))
        return m
    }

    // MARK: os

    func makeOS() throws -> PyModule {
        let m = PyModule(name: "os")
        m.fn("getpid") { _, _, _ in .int(Int(getpid())) }
        m.fn("getppid") { _, _, _ in .int(Int(getppid())) }
        m.fn("cpu_count") { _, _, _ in .int(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
        m.fn("getcwd") { _, _, _ in .str(FileManager.default.currentDirectoryPath) }
        let env = PyDict()
        for (k, v) in ProcessInfo.processInfo.environment.sorted(by: { $0.key < $1.key }) { env.set(.str(k), .str(v)) }
        m.set("environ", .dict(env))
        m.fn("getenv") { _, a, _ in
            guard case .str(let k) = a[0] else { return .none }
            if let v = env.get(.str(k)) { return v }
            return a.count > 1 ? a[1] : .none
        }
        m.fn("_exit") { i, a, _ in i.flushAll(); _exit(Int32(truncatingIfNeeded: try i.intArg(a.first ?? .int(0)))) }
        m.fn("kill") { i, a, _ in try i.need(a, 2, "kill");
            let r = kill(pid_t(try i.intArg(a[0])), Int32(try i.intArg(a[1])))
            if r != 0 {
                let e = errno
                throw i.err(e == ESRCH ? "ProcessLookupError" : e == EPERM ? "PermissionError" : "OSError", "[Errno \(e)] \(String(cString: strerror(e)))")
            }
            return .none
        }
        m.fn("urandom") { i, a, _ in try i.need(a, 1, "urandom")
            let n = try i.intArg(a[0])
            if n < 0 { throw i.err("ValueError", "negative argument not allowed") }
            return .obj(PyBytes(try i.osRandomBytes(n)))
        }
        m.fn("listdir") { i, a, _ in
            var path = "."
            if case .str(let p)? = a.first { path = p.s }
            guard let items = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                throw i.err("FileNotFoundError", "[Errno 2] No such file or directory: '\(path)'")
            }
            return .list(PyList(items.sorted().map { .str($0) }))
        }
        m.fn("remove") { i, a, _ in try i.need(a, 1, "remove");
            guard case .str(let p) = a[0], unlink(p.s) == 0 else { throw i.err("FileNotFoundError", "[Errno 2] No such file or directory") }
            return .none
        }
        m.fn("makedirs") { _, a, _ in
            if case .str(let p) = a[0] { try? FileManager.default.createDirectory(atPath: p.s, withIntermediateDirectories: true) }
            return .none
        }
        m.set("sep", .str("/"))
        m.set("linesep", .str("\n"))
        m.set("name", .str("posix"))
        addPosixFunctions(m)
        m.set("path", try importModule("os.path"))
        return m
    }

    func makeOSPath() -> PyModule {
        let m = PyModule(name: "posixpath")
        m.fn("join") { i, a, _ in
            var r = ""
            for v in a {
                let s = try i.strArg(v, "join")
                if s.hasPrefix("/") { r = s } else if r.isEmpty || r.hasSuffix("/") { r += s } else { r += "/" + s }
            }
            return .str(r)
        }
        m.fn("exists") { _, a, _ in
            guard case .str(let p) = a[0] else { return .bool(false) }
            return .bool(FileManager.default.fileExists(atPath: p.s))
        }
        m.fn("isfile") { _, a, _ in
            guard case .str(let p) = a[0] else { return .bool(false) }
            var d: ObjCBool = false
            return .bool(FileManager.default.fileExists(atPath: p.s, isDirectory: &d) && !d.boolValue)
        }
        m.fn("isdir") { _, a, _ in
            guard case .str(let p) = a[0] else { return .bool(false) }
            var d: ObjCBool = false
            return .bool(FileManager.default.fileExists(atPath: p.s, isDirectory: &d) && d.boolValue)
        }
        m.fn("basename") { i, a, _ in try i.need(a, 1, "basename");
            let s = try i.strArg(a[0], "basename")
            if let r = s.range(of: "/", options: .backwards) { return .str(String(s[r.upperBound...])) }
            return .str(s)
        }
        m.fn("dirname") { i, a, _ in try i.need(a, 1, "dirname");
            let s = try i.strArg(a[0], "dirname")
            if let r = s.range(of: "/", options: .backwards) {
                let d = String(s[..<r.lowerBound])
                return .str(d.isEmpty ? "/" : d)
            }
            return .str("")
        }
        m.fn("splitext") { i, a, _ in try i.need(a, 1, "splitext");
            let s = try i.strArg(a[0], "splitext")
            let base = s.range(of: "/", options: .backwards).map { s[$0.upperBound...] } ?? Substring(s)
            if let r = base.range(of: ".", options: .backwards), r.lowerBound != base.startIndex {
                return .tuple(PyTuple([.str(String(s[..<r.lowerBound])), .str(String(s[r.lowerBound...]))]))
            }
            return .tuple(PyTuple([.str(s), .str("")]))
        }
        m.fn("abspath") { i, a, _ in try i.need(a, 1, "abspath");
            let s = try i.strArg(a[0], "abspath")
            if s.hasPrefix("/") { return .str(s) }
            return .str(FileManager.default.currentDirectoryPath + "/" + s)
        }
        addPosixPathFunctions(m)
        return m
    }

    // MARK: time

    func monoSeconds(_ clock: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// A timestamp argument as a time_t, as CPython's `_PyTime_ObjectToTime_t` (floats rounded down): ValueError
    /// for NaN, OverflowError past time_t's range, TypeError for what is not a number.
    func timeT(_ v: Value) throws -> time_t {
        switch v {
        case .float(let d):
            if d.isNaN { throw err("ValueError", "Invalid value NaN (not a number)") }
            let f = d.rounded(.down)
            // Double(Int.max) rounds up to 2**63, which is out of range
            guard f >= -9.223372036854775808e18, f < 9.223372036854775808e18 else {
                throw err("OverflowError", "timestamp out of range for platform time_t")
            }
            return time_t(f)
        default:
            guard isIntLike(v) else { throw typeError("'\(typeName(v))' object cannot be interpreted as an integer") }
            guard let n = asInt(try toInt(v)) else { throw err("OverflowError", "timestamp out of range for platform time_t") }
            return time_t(n)
        }
    }

    /// The broken-down time of `time.localtime/gmtime/ctime`'s optional seconds (now when absent or None), or of
    /// `asctime/strftime`'s optional tuple. OSError (EOVERFLOW) when the year does not fit, as CPython's.
    func tmFrom(_ a: [Value], utc: Bool = false, _ fn: String = "asctime") throws -> tm {
        var t = time(nil)
        var out = tm()
        if let v = a.first, !v.isNone {
            if let items = timeTupleItems(v) {
                guard items.count == 9 else { throw typeError("\(fn)(): illegal time tuple argument") }
                let n = try items.map { try cIntArg($0) }
                // the year is kept whole, as CPython's (tm_year - 1900 must still fit a C int)
                let (year, o) = n[0].subtractingReportingOverflow(1900)
                guard !o, let y = Int32(exactly: year) else { throw err("OverflowError", "year out of range") }
                out.tm_year = y; out.tm_mon = Int32(n[1] - 1); out.tm_mday = Int32(n[2])
                out.tm_hour = Int32(n[3]); out.tm_min = Int32(n[4]); out.tm_sec = Int32(n[5])
                out.tm_wday = Int32((n[6] + 1) % 7); out.tm_yday = Int32(n[7] - 1); out.tm_isdst = Int32(n[8])
                // a struct_time's zone and offset go with it, as CPython's gettmarg
                if case .obj(let o as PyInstance) = v {
                    if case .str(let z)? = o.dict["tm_zone"] { out.tm_zone = UnsafePointer(Interpreter.zoneName(z.s)) }
                    if let g = o.dict["tm_gmtoff"], !g.isNone { out.tm_gmtoff = try intArg(g) }
                }
                return out
            }
            t = try timeT(v)
        }
        let ok = utc ? gmtime_r(&t, &out) : localtime_r(&t, &out)
        if ok == nil { throw osErrorNamed(errno == 0 ? EOVERFLOW : errno, nil) }
        return out
    }

    func isTuple(_ v: Value) -> Bool { if case .tuple = v { return true }; return false }

    /// The nine items of a plain tuple or a `time.struct_time`, or nil for anything else.
    func timeTupleItems(_ v: Value) -> [Value]? {
        if case .tuple(let t) = v { return t.items }
        if case .obj(let o as PyInstance) = v, o.cls.name == "struct_time", o.cls.module == "time",
           let b = o.payload as? BuiltinBase, case .tuple(let t) = b.value { return t.items }
        return nil
    }

    /// A C copy of a time zone name for `tm.tm_zone`, kept for the process's life (zone names are few).
    nonisolated(unsafe) static var zoneNames: [String: UnsafeMutablePointer<CChar>] = [:]
    static func zoneName(_ z: String) -> UnsafeMutablePointer<CChar> {
        if let p = zoneNames[z] { return p }
        let p = strdup(z)!
        zoneNames[z] = p
        return p
    }

    /// An int argument that a C int must hold, with CPython's OverflowError messages.
    func cIntArg(_ v: Value) throws -> Int {
        guard isIntLike(v) else { throw typeError("'\(typeName(v))' object cannot be interpreted as an integer") }
        guard let n = asInt(try toInt(v)) else { throw err("OverflowError", "Python int too large to convert to C long") }
        if n > Int(Int32.max) { throw err("OverflowError", "signed integer is greater than maximum") }
        if n < Int(Int32.min) { throw err("OverflowError", "signed integer is less than minimum") }
        return n
    }

    func makeTime() -> PyModule {
        let m = PyModule(name: "time")
        m.fn("time") { i, _, _ in .float(i.monoSeconds(CLOCK_REALTIME)) }
        m.fn("time_ns") { _, _, _ in .int(Int(clockNanos())) }
        m.fn("perf_counter") { i, _, _ in .float(i.monoSeconds(CLOCK_MONOTONIC)) }
        m.fn("perf_counter_ns") { i, _, _ in .int(Int(i.monoSeconds(CLOCK_MONOTONIC) * 1e9)) }
        m.fn("monotonic") { i, _, _ in .float(i.monoSeconds(CLOCK_MONOTONIC)) }
        m.fn("monotonic_ns") { i, _, _ in .int(Int(i.monoSeconds(CLOCK_MONOTONIC) * 1e9)) }
        m.fn("process_time") { i, _, _ in .float(i.monoSeconds(CLOCK_PROCESS_CPUTIME_ID)) }
        m.fn("sleep") { i, a, _ in
            let s = try i.sleepSeconds(a.first ?? .int(0))
            try i.checkInterrupt()  // a Ctrl-C just before the sleep
            if let work = i.queuedWork {
                // In slices of at most 5 ms, running the queued work between them; the sleep ends on time.
                let deadline = i.monoSeconds(CLOCK_MONOTONIC) + s
                while true {
                    if work.pending() { try work.run() }
                    let left = deadline - i.monoSeconds(CLOCK_MONOTONIC)
                    if left <= 0 { return .none }
                    var slice = timespec(tv_sec: 0, tv_nsec: Int(min(left, 0.005) * 1e9))
                    _ = nanosleep(&slice, nil)
                    try i.checkInterrupt()
                }
            }
            var req = timespec(tv_sec: Int(s), tv_nsec: Int((s - Double(Int(s))) * 1e9))
            var rem = timespec()
            while nanosleep(&req, &rem) != 0 && errno == EINTR {
                try i.checkInterrupt()
                req = rem
            }
            return .none
        }
        m.fn("strftime") { i, a, _ in try i.need(a, 1, "strftime");
            let fmt = try i.strArg(a[0], "strftime")
            var t = try i.tmFrom(Array(a.dropFirst()), "strftime")
            var buf = [Int8](repeating: 0, count: 512)
            let n = strftime(&buf, 512, fmt, &t)
            return .str(String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        // time.struct_time: a tuple of nine with named fields, and tm_zone/tm_gmtoff beyond the nine. Mirrors
        // CPython's `StructTimeType` (a structseq).
        let fields = ["tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday", "tm_yday", "tm_isdst"]
        let stClass = nativeClass("struct_time", module: "time", base: typeClasses["tuple"]!, methods: [:])
        func structTime(_ items: [Value], zone: Value, gmtoff: Value) -> Value {
            let inst = PyInstance(stClass)
            inst.payload = BuiltinBase(.tuple(PyTuple(items)))
            for (k, f) in fields.enumerated() { inst.dict[f] = items[k] }
            inst.dict["tm_zone"] = zone
            inst.dict["tm_gmtoff"] = gmtoff
            return .obj(inst)
        }
        stClass.native = { i, a, _ in
            try i.need(a, 1, "struct_time")
            let items = try i.toArray(a[0])
            if items.count < 9 { throw i.typeError("time.struct_time() takes an at least 9-sequence (\(items.count)-sequence given)") }
            if items.count > 11 { throw i.typeError("time.struct_time() takes an at most 11-sequence (\(items.count)-sequence given)") }
            return structTime(Array(items[0..<9]), zone: items.count > 9 ? items[9] : .none, gmtoff: items.count > 10 ? items[10] : .none)
        }
        stClass.dict["__repr__"] = .obj(PyBuiltin("__repr__") { i, a, _ in
            guard let items = i.timeTupleItems(a[0]) else { return .str("time.struct_time()") }
            return .str("time.struct_time(" + (try zip(fields, items).map { "\($0)=\(try i.repr($1))" }).joined(separator: ", ") + ")")
        })
        stClass.dict["__reduce__"] = .obj(PyBuiltin("__reduce__") { i, a, _ in
            guard case .obj(let o as PyInstance) = a[0], let items = i.timeTupleItems(a[0]) else { return .none }
            let extra = PyDict()
            extra.set(.str("tm_zone"), o.dict["tm_zone"] ?? .none)
            extra.set(.str("tm_gmtoff"), o.dict["tm_gmtoff"] ?? .none)
            return .tuple(PyTuple([.obj(stClass), .tuple(PyTuple([.tuple(PyTuple(items)), .dict(extra)]))]))
        })
        // immutable: a copy is the same object
        stClass.dict["__copy__"] = .obj(PyBuiltin("__copy__") { _, a, _ in a[0] })
        stClass.dict["__deepcopy__"] = .obj(PyBuiltin("__deepcopy__") { _, a, _ in a[0] })
        stClass.dict["n_fields"] = .int(11)
        stClass.dict["n_sequence_fields"] = .int(9)
        stClass.dict["n_unnamed_fields"] = .int(0)
        m.set("struct_time", .obj(stClass))
        func tuple(_ t: tm) -> Value {
            let items: [Value] = [Int(t.tm_year) + 1900, Int(t.tm_mon) + 1, Int(t.tm_mday), Int(t.tm_hour), Int(t.tm_min), Int(t.tm_sec),
                                  (Int(t.tm_wday) + 6) % 7, Int(t.tm_yday) + 1, Int(t.tm_isdst)].map { .int($0) }
            return structTime(items, zone: t.tm_zone.map { .str(String(cString: $0)) } ?? .none, gmtoff: .int(t.tm_gmtoff))
        }
        m.fn("localtime") { i, a, _ in
            if let v = a.first, i.timeTupleItems(v) != nil { throw i.typeError("'\(i.isTuple(v) ? "tuple" : "time.struct_time")' object cannot be interpreted as an integer") }
            return tuple(try i.tmFrom(a))
        }
        m.fn("gmtime") { i, a, _ in
            if let v = a.first, i.timeTupleItems(v) != nil { throw i.typeError("'\(i.isTuple(v) ? "tuple" : "time.struct_time")' object cannot be interpreted as an integer") }
            return tuple(try i.tmFrom(a, utc: true))
        }
        m.fn("mktime") { i, a, _ in
            try i.need(a, 1, "mktime")
            guard i.timeTupleItems(a[0]) != nil else { throw i.typeError("Tuple or struct_time argument required") }
            var t = try i.tmFrom(a, "mktime")
            t.tm_wday = -1   // mktime leaves it alone on failure: the way to tell -1 (a second before 1970) from an error
            let r = mktime(&t)
            if r == -1 && t.tm_wday == -1 { throw i.err("OverflowError", "mktime argument out of range") }
            return .float(Double(r))
        }
        m.fn("ctime") { i, a, _ in
            if let v = a.first, i.timeTupleItems(v) != nil { throw i.typeError("'\(i.isTuple(v) ? "tuple" : "time.struct_time")' object cannot be interpreted as an integer") }
            var t = try i.tmFrom(a)
            var buf = [Int8](repeating: 0, count: 64)
            let n = strftime(&buf, 64, "%a %b %e %H:%M:%S %Y", &t)
            return .str(String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        m.fn("asctime") { i, a, _ in
            if let v = a.first, !v.isNone, i.timeTupleItems(v) == nil {
                throw i.typeError("Tuple or struct_time argument required")
            }
            var t = try i.tmFrom(a)
            var buf = [Int8](repeating: 0, count: 64)
            let n = strftime(&buf, 64, "%a %b %e %H:%M:%S %Y", &t)
            return .str(String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return m
    }

    // MARK: signal

    func makeSignal() -> PyModule {
        let m = PyModule(name: "signal")
        for (n, v) in [("SIGHUP", SIGHUP), ("SIGINT", SIGINT), ("SIGQUIT", SIGQUIT), ("SIGKILL", SIGKILL), ("SIGTERM", SIGTERM),
                       ("SIGUSR1", SIGUSR1), ("SIGUSR2", SIGUSR2), ("SIGCHLD", SIGCHLD), ("SIGALRM", SIGALRM), ("SIGPIPE", SIGPIPE)] {
            m.set(n, .int(Int(v)))
        }
        m.set("SIG_DFL", .int(0))
        m.set("SIG_IGN", .int(1))
        let handlers = PyDict()
        m.fn("signal") { i, a, _ in
            try i.need(a, 2, "signal")
            let old = handlers.get(a[0]) ?? .int(0)
            handlers.set(a[0], a[1])
            return old
        }
        m.fn("getsignal") { _, a, _ in handlers.get(a[0]) ?? .int(0) }
        m.fn("alarm") { i, a, _ in try i.need(a, 1, "alarm"); return .int(Int(alarm(UInt32(try i.intArg(a[0]))))) }
        return m
    }
}

extension Interpreter {
    func makePlatform() -> PyModule {
        let m = PyModule(name: "platform")
        m.fn("python_version") { _, _, _ in .str("3.11.0") }
        m.fn("system") { _, _, _ in .str("Linux") }
        m.fn("machine") { _, _, _ in .str("x86_64") }
        m.fn("python_implementation") { _, _, _ in .str("mpsh") }
        m.fn("node") { _, _, _ in
            var buf = [CChar](repeating: 0, count: 256)
            gethostname(&buf, 255)
            return .str(String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        m.fn("platform") { _, _, _ in .str("Linux") }
        return m
    }
}
