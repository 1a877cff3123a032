// The plain modules: sys, os, os.path, time, signal, math, random, itertools, functools, string, collections.
// (re, logging and urllib.parse are in their own files.) A native module is a `PyModule` filled with
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

    // MARK: math

    /// math.comb/perm's arguments: ints (TypeError otherwise), neither negative (CPython's ValueError).
    func combArgs(_ nv: Value, _ kv: Value) throws -> (BigInt, BigInt) {
        for v in [nv, kv] where !isIntLike(v) {
            throw typeError("'\(typeName(v))' object cannot be interpreted as an integer")
        }
        let n = big(try toInt(nv))!, k = big(try toInt(kv))!
        if n.sign == .minus && !n.isZero { throw err("ValueError", "n must be a non-negative integer") }
        if k.sign == .minus && !k.isZero { throw err("ValueError", "k must be a non-negative integer") }
        return (n, k)
    }

    /// Before computing an integer whose size is known in advance (factorial, comb, perm): MemoryError when it
    /// would take more than 2^28 bits (32 MiB, 80 million digits; factorial(10**7) is 2^27.8). CPython starts
    /// and runs for minutes or until memory ends; a clear error at once is the better answer for a result nobody
    /// can print (its str alone is limited to 4300 digits).
    func checkResultBits(_ bits: Double) throws {
        if !(bits <= 268_435_456) { throw err("MemoryError", nil) }
    }

    func makeMath() -> PyModule {
        let m = PyModule(name: "math")
        m.set("pi", .float(Double.pi))
        m.set("e", .float(M_E))
        m.set("tau", .float(2 * Double.pi))
        m.set("inf", .float(.infinity))
        m.set("nan", .float(.nan))
        func f1(_ name: String, domain: ((Double) -> Bool)? = nil, _ f: @escaping (Double) -> Double) {
            m.fn(name) { i, a, _ in
                try i.need(a, 1, name)
                let x = try i.toDouble(a[0])
                if let d = domain, !d(x) { throw i.err("ValueError", "math domain error") }
                let r = f(x)
                if r.isInfinite && x.isFinite { throw i.err("OverflowError", "math range error") }
                return .float(r)
            }
        }
        f1("sqrt", domain: { $0 >= 0 || $0.isNaN }, Glibc.sqrt)
        f1("exp", Glibc.exp)
        f1("sin", Glibc.sin); f1("cos", Glibc.cos); f1("tan", Glibc.tan)
        f1("asin", domain: { abs($0) <= 1 }, Glibc.asin); f1("acos", domain: { abs($0) <= 1 }, Glibc.acos); f1("atan", Glibc.atan)
        f1("sinh", Glibc.sinh); f1("cosh", Glibc.cosh); f1("tanh", Glibc.tanh)
        f1("log2", domain: { $0 > 0 }, Glibc.log2); f1("log10", domain: { $0 > 0 }, Glibc.log10)
        f1("fabs", Glibc.fabs)
        f1("degrees") { $0 * 180 / Double.pi }
        f1("radians") { $0 * Double.pi / 180 }
        f1("expm1", Glibc.expm1); f1("log1p", domain: { $0 > -1 }, Glibc.log1p)
        f1("erf", Glibc.erf); f1("gamma", Glibc.tgamma)
        m.fn("log") { i, a, _ in
            try i.need(a, 1, "log")
            func ln(_ v: Value) throws -> Double {
                if case .bigBox(let b) = v, !b.isNegative {
                    let bits = b.bitLength - 60
                    return Glibc.log(Double(b.v >> bits)) + Double(bits) * M_LN2
                }
                let x = try i.toDouble(v)
                if x <= 0 { throw i.err("ValueError", "math domain error") }
                return Glibc.log(x)
            }
            let r = try ln(a[0])
            if a.count > 1 { return .float(r / (try ln(a[1]))) }
            return .float(r)
        }
        m.fn("pow") { i, a, _ in try i.need(a, 2, "pow");
            let x = try i.toDouble(a[0]), y = try i.toDouble(a[1])
            if x == 0 && y < 0 { throw i.err("ValueError", "math domain error") }
            return .float(Glibc.pow(x, y))
        }
        m.fn("atan2") { i, a, _ in try i.need(a, 2, "atan2"); return .float(Glibc.atan2(try i.toDouble(a[0]), try i.toDouble(a[1]))) }
        m.fn("hypot") { i, a, _ in .float(Glibc.sqrt(try a.reduce(0.0) { let x = try i.toDouble($1); return $0 + x * x })) }
        m.fn("copysign") { i, a, _ in try i.need(a, 2, "copysign"); return .float(Glibc.copysign(try i.toDouble(a[0]), try i.toDouble(a[1]))) }
        m.fn("fmod") { i, a, _ in try i.need(a, 2, "fmod"); return .float(Glibc.fmod(try i.toDouble(a[0]), try i.toDouble(a[1]))) }
        for (name, rule) in [("floor", FloatingPointRoundingRule.down), ("ceil", .up), ("trunc", .towardZero)] {
            m.fn(name) { i, a, _ in
                try i.need(a, 1, name)
                if i.isIntLike(a[0]) { return try i.toInt(a[0]) }
                if case .obj(let o as PyInstance) = a[0], let f = o.cls.lookup("__" + name + "__") { return try i.callBound(f, a[0], [], []) }
                return try i.toInt(.float(try i.toDouble(a[0]).rounded(rule)))
            }
        }
        m.fn("isnan") { i, a, _ in try i.need(a, 1, "isnan"); return .bool(try i.toDouble(a[0]).isNaN) }
        m.fn("isinf") { i, a, _ in try i.need(a, 1, "isinf"); return .bool(try i.toDouble(a[0]).isInfinite) }
        m.fn("isfinite") { i, a, _ in try i.need(a, 1, "isfinite"); return .bool(try i.toDouble(a[0]).isFinite) }
        m.fn("isclose") { i, a, kw in try i.need(a, 2, "isclose");
            let x = try i.toDouble(a[0]), y = try i.toDouble(a[1])
            let rel = try kw.first { $0.0 == "rel_tol" }.map { try i.toDouble($0.1) } ?? 1e-9
            let abs_ = try kw.first { $0.0 == "abs_tol" }.map { try i.toDouble($0.1) } ?? 0
            if x == y { return .bool(true) }
            let d = abs(x - y)
            return .bool(d <= max(rel * max(abs(x), abs(y)), abs_))
        }
        m.fn("factorial") { i, a, _ in try i.need(a, 1, "factorial");
            guard i.isIntLike(a[0]) else { throw i.typeError("'\(i.typeName(a[0]))' object cannot be interpreted as an integer") }
            guard let n = i.asInt(try i.toInt(a[0])) else {
                if i.big(a[0])!.sign == .minus { throw i.err("ValueError", "factorial() not defined for negative values") }
                throw i.err("OverflowError", "factorial() argument should not exceed \(Int.max)")
            }
            if n < 0 { throw i.err("ValueError", "factorial() not defined for negative values") }
            try i.checkResultBits(Double(n) * log2(Double(max(n, 2))))
            return .bigOrInt(BigInt.factorial(n))
        }
        m.fn("gcd") { i, a, _ in
            var g = BigInt(0)
            for v in a { guard let b = i.big(v) else { throw i.typeError("'\(i.typeName(v))' object cannot be interpreted as an integer") }; g = gcdBig(g, b) }
            return .bigOrInt(g)
        }
        m.fn("lcm") { i, a, _ in
            var l = BigInt(1)
            for v in a {
                guard let b = i.big(v) else { throw i.typeError("'\(i.typeName(v))' object cannot be interpreted as an integer") }
                l = BigInt.lcm(l, b)
            }
            return .bigOrInt(l)
        }
        m.fn("isqrt") { i, a, _ in try i.need(a, 1, "isqrt");
            guard let n = i.big(a[0]) else { throw i.typeError("isqrt requires an int") }
            if n.sign == .minus { throw i.err("ValueError", "isqrt() argument must be nonnegative") }
            return .bigOrInt(n.squareRoot())
        }
        m.fn("comb") { i, a, _ in try i.need(a, 2, "comb");
            let (n, k) = try i.combArgs(a[0], a[1])
            if k > n { return .int(0) }
            let kk = min(k, n - k)   // comb(n, k) == comb(n, n - k)
            guard let small = i.asInt(.bigOrInt(kk)) else {
                throw i.err("OverflowError", "min(n - k, k) must not exceed \(Int.max)")
            }
            if small == 0 { return .int(1) }
            // at most k·log2(e·n/k) bits, and never more than n
            let kd = Double(small)
            try i.checkResultBits(min(n.toDouble ?? .infinity, kd * (Double(n.bitLength) - log2(kd) + 1.4427)))
            if let nn = i.asInt(.bigOrInt(n)) { return .bigOrInt(BigInt.binomial(nn, small)) }
            var r = BigInt(1)
            for j in 0..<small { r = (r * (n - j)) / BigInt(j + 1) }
            return .bigOrInt(r)
        }
        m.fn("perm") { i, a, _ in try i.need(a, 1, "perm");
            let (n, k) = try i.combArgs(a[0], a.count > 1 && !a[1].isNone ? a[1] : a[0])
            if k > n { return .int(0) }
            guard let small = i.asInt(.bigOrInt(k)) else { throw i.err("OverflowError", "k must not exceed \(Int.max)") }
            if small == 0 { return .int(1) }
            try i.checkResultBits(Double(small) * Double(n.bitLength))
            if let nn = i.asInt(.bigOrInt(n)) { return .bigOrInt(BigInt.binomial(nn, small) * BigInt.factorial(small)) }
            var r = BigInt(1)
            for j in 0..<small { r = r * (n - j) }
            return .bigOrInt(r)
        }
        m.fn("prod") { i, a, kw in try i.need(a, 1, "prod");
            var acc: Value = kw.first { $0.0 == "start" }?.1 ?? .int(1)
            try i.iterate(a[0]) { acc = try i.binop(.mul, acc, $0); return true }
            return acc
        }
        m.fn("fsum") { i, a, _ in try i.need(a, 1, "fsum");
            // Neumaier compensated summation (close to CPython's exact fsum for everyday inputs)
            var s = 0.0, c = 0.0
            try i.iterate(a[0]) { v in
                let x = try i.toDouble(v)
                let t = s + x
                if abs(s) >= abs(x) { c += (s - t) + x } else { c += (x - t) + s }
                s = t
                return true
            }
            return .float(s + c)
        }
        m.fn("modf") { i, a, _ in try i.need(a, 1, "modf");
            let x = try i.toDouble(a[0])
            let ip = x.rounded(.towardZero)
            return .tuple(PyTuple([.float(x - ip), .float(ip)]))
        }
        m.fn("frexp") { i, a, _ in try i.need(a, 1, "frexp");
            let x = try i.toDouble(a[0])
            var e: Int32 = 0
            let mm = Glibc.frexp(x, &e)
            return .tuple(PyTuple([.float(mm), .int(Int(e))]))
        }
        m.fn("dist") { i, a, _ in try i.need(a, 2, "dist");
            let p = try i.toArray(a[0]), q = try i.toArray(a[1])
            var s = 0.0
            for (x, y) in zip(p, q) { let d = try i.toDouble(x) - i.toDouble(y); s += d * d }
            return .float(Glibc.sqrt(s))
        }
        return m
    }

    func randBelow(_ n: Int) -> Int {
        if n <= 0 { return 0 }
        return Int(rng.next() % UInt64(n))
    }

    // MARK: itertools

    func makeItertools() -> PyModule {
        let m = PyModule(name: "itertools")
        m.fn("count") { i, a, kw in
            let args = Args(a, kw, "count")
            var cur = args.get(0, "start") ?? .int(0)
            let step = args.get(1, "step") ?? .int(1)
            return .obj(PyIterator("count") { let v = cur; cur = try i.binop(.add, cur, step); return v })
        }
        m.fn("islice") { i, a, _ in try i.need(a, 1, "islice");
            let it = try i.getIter(a[0])
            var start = 0, stop: Int? = nil, step = 1
            if a.count == 2 { stop = try i.optInt(a[1]) } else if a.count >= 3 {
                start = try i.optInt(a[1]) ?? 0; stop = try i.optInt(a[2]); if a.count > 3 { step = try i.optInt(a[3]) ?? 1 }
            }
            var idx = 0
            var nextWanted = start
            return .obj(PyIterator("islice") {
                while true {
                    if let s = stop, nextWanted >= s { return nil }
                    guard let v = try it.nextFn() else { return nil }
                    idx += 1
                    if idx - 1 == nextWanted { nextWanted += step; return v }
                }
            })
        }
        let chainFrom: NativeFn = { i, a, _ in try i.need(a, 1, "function");
            let outer = try i.getIter(a[0])
            var cur: PyIterator? = nil
            return .obj(PyIterator("chain") {
                while true {
                    if let c = cur, let v = try c.nextFn() { return v }
                    guard let nx = try outer.nextFn() else { return nil }
                    cur = try i.getIter(nx)
                }
            })
        }
        let chain = PyClass(name: "chain", bases: [objectClass], dict: ["from_iterable": .obj(PyStaticMethod(.obj(PyBuiltin("from_iterable", chainFrom))))])
        chain.module = "itertools"
        chain.native = { i, a, _ in try chainFrom(i, [.tuple(PyTuple(a))], []) }
        m.set("chain", .obj(chain))
        m.fn("product") { i, a, kw in
            let rep = try kw.first { $0.0 == "repeat" }.map { try i.intArg($0.1) } ?? 1
            var pools = try a.map { try i.toArray($0) }
            if rep > 1 { let p = pools; pools = []; for _ in 0..<rep { pools += p } }
            var result: [[Value]] = [[]]
            for pool in pools {
                var next: [[Value]] = []
                for r in result { for x in pool { next.append(r + [x]) } }
                result = next
            }
            var k = 0
            return .obj(PyIterator("product") { if k < result.count { k += 1; return .tuple(PyTuple(result[k - 1])) }; return nil })
        }
        m.fn("permutations") { i, a, _ in try i.need(a, 1, "permutations");
            let pool = try i.toArray(a[0])
            let r = a.count > 1 && !a[1].isNone ? try i.intArg(a[1]) : pool.count
            var out: [[Value]] = []
            func rec(_ cur: [Int]) {
                if cur.count == r { out.append(cur.map { pool[$0] }); return }
                for j in 0..<pool.count where !cur.contains(j) { rec(cur + [j]) }
            }
            if r <= pool.count { rec([]) }
            var k = 0
            return .obj(PyIterator("permutations") { if k < out.count { k += 1; return .tuple(PyTuple(out[k - 1])) }; return nil })
        }
        func combos(_ name: String, _ repl: Bool) {
            m.fn(name) { i, a, _ in try i.need(a, 2, "function");
                let pool = try i.toArray(a[0])
                let r = try i.intArg(a[1])
                var out: [[Value]] = []
                func rec(_ start: Int, _ cur: [Value]) {
                    if cur.count == r { out.append(cur); return }
                    if start >= pool.count { return }
                    for j in start..<pool.count { rec(repl ? j : j + 1, cur + [pool[j]]) }
                }
                rec(0, [])
                var k = 0
                return .obj(PyIterator(name) { if k < out.count { k += 1; return .tuple(PyTuple(out[k - 1])) }; return nil })
            }
        }
        combos("combinations", false)
        combos("combinations_with_replacement", true)
        m.fn("repeat") { i, a, kw in try i.need(a, 1, "repeat");
            let v = a[0]
            var n = try (a.count > 1 ? a[1] : kw.first { $0.0 == "times" }?.1).map { try i.intArg($0) }
            return .obj(PyIterator("repeat") {
                if let c = n { if c <= 0 { return nil }; n = c - 1 }
                return v
            })
        }
        m.fn("cycle") { i, a, _ in try i.need(a, 1, "cycle");
            let it = try i.getIter(a[0])
            var saved: [Value] = []
            var k = -1
            return .obj(PyIterator("cycle") {
                if k < 0 { if let v = try it.nextFn() { saved.append(v); return v }; if saved.isEmpty { return nil }; k = 0 }
                k += 1
                return saved[(k - 1) % saved.count]
            })
        }
        m.fn("accumulate") { i, a, kw in try i.need(a, 1, "accumulate");
            let it = try i.getIter(a[0])
            let f = a.count > 1 ? a[1] : kw.first { $0.0 == "func" }?.1
            var acc: Value? = kw.first { $0.0 == "initial" }?.1
            var emittedInitial = acc == nil
            return .obj(PyIterator("accumulate") {
                if !emittedInitial { emittedInitial = true; return acc }
                guard let v = try it.nextFn() else { return nil }
                if let c = acc { acc = f == nil || f!.isNone ? try i.binop(.add, c, v) : try i.call(f!, [c, v], []) } else { acc = v }
                return acc
            })
        }
        m.fn("groupby") { i, a, kw in try i.need(a, 1, "groupby");
            let items = try i.toArray(a[0])
            let key = a.count > 1 ? a[1] : kw.first { $0.0 == "key" }?.1
            var groups: [(Value, [Value])] = []
            for x in items {
                let k = key == nil || key!.isNone ? x : try i.call(key!, [x], [])
                if let last = groups.last, try i.eq(last.0, k) { groups[groups.count - 1].1.append(x) } else { groups.append((k, [x])) }
            }
            var j = 0
            return .obj(PyIterator("groupby") {
                if j >= groups.count { return nil }
                j += 1
                return .tuple(PyTuple([groups[j - 1].0, .obj(try i.getIter(.list(PyList(groups[j - 1].1))))]))
            })
        }
        m.fn("zip_longest") { i, a, kw in
            let its = try a.map { try i.getIter($0) }
            let fill = kw.first { $0.0 == "fillvalue" }?.1 ?? .none
            var done = [Bool](repeating: false, count: its.count)
            return .obj(PyIterator("zip_longest") {
                var out: [Value] = []
                for (k, it) in its.enumerated() {
                    if !done[k], let v = try it.nextFn() { out.append(v) } else { done[k] = true; out.append(fill) }
                }
                return done.allSatisfy { $0 } ? nil : .tuple(PyTuple(out))
            })
        }
        m.fn("starmap") { i, a, _ in try i.need(a, 2, "starmap");
            let it = try i.getIter(a[1])
            return .obj(PyIterator("starmap") { guard let v = try it.nextFn() else { return nil }; return try i.call(a[0], try i.toArray(v), []) })
        }
        m.fn("takewhile") { i, a, _ in try i.need(a, 2, "takewhile");
            let it = try i.getIter(a[1])
            var stopped = false
            return .obj(PyIterator("takewhile") {
                if stopped { return nil }
                guard let v = try it.nextFn() else { return nil }
                if try i.truthy(try i.call(a[0], [v], [])) { return v }
                stopped = true; return nil
            })
        }
        m.fn("dropwhile") { i, a, _ in try i.need(a, 2, "dropwhile");
            let it = try i.getIter(a[1])
            var dropping = true
            return .obj(PyIterator("dropwhile") {
                while let v = try it.nextFn() {
                    if dropping, try i.truthy(try i.call(a[0], [v], [])) { continue }
                    dropping = false
                    return v
                }
                return nil
            })
        }
        m.fn("pairwise") { i, a, _ in try i.need(a, 1, "pairwise");
            let it = try i.getIter(a[0])
            var prev = try it.nextFn()
            return .obj(PyIterator("pairwise") {
                guard let p = prev, let v = try it.nextFn() else { return nil }
                prev = v
                return .tuple(PyTuple([p, v]))
            })
        }
        return m
    }

    // MARK: functools

    func makeFunctools() -> PyModule {
        let m = PyModule(name: "functools")
        let partialClass = nativeClass("partial", module: "functools", methods: [
            "__call__": { i, a, kw in try i.need(a, 1, "__call__");
                guard case .obj(let inst as PyInstance) = a[0] else { return .none }
                guard let f = inst.dict["func"], case .tuple(let pa)? = inst.dict["args"], case .dict(let pk)? = inst.dict["keywords"] else { return .none }
                var kws: [(String, Value)] = pk.items.compactMap { if case .str(let k) = $0.0 { return (k.s, $0.1) }; return nil }
                for (k, v) in kw { kws.removeAll { $0.0 == k }; kws.append((k, v)) }
                return try i.call(f, pa.items + Array(a.dropFirst()), kws)
            },
        ])
        partialClass.native = { i, a, kw in
            guard let f = a.first else { throw i.typeError("partial() missing required argument 'func'") }
            let inst = PyInstance(partialClass)
            inst.dict["func"] = f
            inst.dict["args"] = .tuple(PyTuple(Array(a.dropFirst())))
            let d = PyDict(); for (k, v) in kw { d.set(.str(k), v) }
            inst.dict["keywords"] = .dict(d)
            return .obj(inst)
        }
        m.set("partial", .obj(partialClass))
        m.fn("reduce") { i, a, _ in
            try i.need(a, 2, "reduce")
            let it = try i.getIter(a[1])
            var acc: Value
            if a.count > 2 { acc = a[2] } else {
                guard let f = try it.nextFn() else { throw i.typeError("reduce() of empty iterable with no initial value") }
                acc = f
            }
            while let v = try it.nextFn() { acc = try i.call(a[0], [acc, v], []) }
            return acc
        }
        let cacheWrap: NativeFn = { i, a, _ in try i.need(a, 1, "function");
            let f = a[0]
            let cache = PyDict()
            let w = PyBuiltin("cached") { i, args, kw in
                let key: Value = .tuple(PyTuple(args + kw.flatMap { [.str($0.0), $0.1] }))
                try i.checkHashable(key)
                if let v = cache.get(key) { return v }
                let v = try i.call(f, args, kw)
                cache.set(key, v)
                return v
            }
            return .obj(w)
        }
        m.fn("cache") { i, a, kw in try cacheWrap(i, a, kw) }
        m.fn("lru_cache") { i, a, kw in
            if let f = a.first, case .obj(let o) = f, o is PyFunction { return try cacheWrap(i, a, kw) }
            return .obj(PyBuiltin("lru_cache") { i, a, kw in try cacheWrap(i, a, kw) })
        }
        m.fn("wraps") { _, a, _ in
            let wrapped = a[0]
            return .obj(PyBuiltin("wraps") { i, b, _ in try i.need(b, 1, "wraps");
                if case .obj(let f as PyFunction) = b[0], case .obj(let g as PyFunction) = wrapped {
                    f.qualname = g.qualname
                    f.dict["__wrapped__"] = wrapped
                    f.dict["__name__"] = .str(g.code.name)
                }
                _ = i
                return b[0]
            })
        }
        m.fn("total_ordering") { _, a, _ in a[0] }
        if let helpers = try? importModule("_functools"), let cp = try? getAttr(helpers, "cached_property") {
            m.set("cached_property", cp)
        }
        m.fn("cmp_to_key") { i, a, _ in try i.need(a, 1, "cmp_to_key");
            let cmp = a[0]
            let keyClass = i.nativeClass("K", module: "functools", methods: [
                "__lt__": { i, b, _ in try i.need(b, 2, "__lt__");
                    guard case .obj(let x as PyInstance) = b[0], case .obj(let y as PyInstance) = b[1] else { return .bool(false) }
                    let r = try i.call(cmp, [x.dict["obj"]!, y.dict["obj"]!], [])
                    return .bool(try i.less(r, .int(0), "<"))
                },
                "__gt__": { i, b, _ in try i.need(b, 2, "__gt__");
                    guard case .obj(let x as PyInstance) = b[0], case .obj(let y as PyInstance) = b[1] else { return .bool(false) }
                    let r = try i.call(cmp, [x.dict["obj"]!, y.dict["obj"]!], [])
                    return .bool(try i.less(.int(0), r, "<"))
                },
            ])
            return .obj(PyBuiltin("cmp_to_key") { _, b, _ in
                let inst = PyInstance(keyClass); inst.dict["obj"] = b[0]; return .obj(inst)
            })
        }
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
