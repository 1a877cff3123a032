// The `logging` module. Mirrors CPython's `Lib/logging/__init__.py` for what programs use: loggers, handlers,
// formatters with `%(processName)s`, levels and `basicConfig`.
import Foundation

extension Interpreter {
    func makeLogging() throws -> PyModule {
        let m = PyModule(name: "logging")
        let levels: [(String, Int)] = [("CRITICAL", 50), ("FATAL", 50), ("ERROR", 40), ("WARNING", 30), ("WARN", 30), ("INFO", 20), ("DEBUG", 10), ("NOTSET", 0)]
        for (n, v) in levels { m.set(n, .int(v)) }
        func levelName(_ l: Int) -> String {
            switch l { case 50: return "CRITICAL"; case 40: return "ERROR"; case 30: return "WARNING"; case 20: return "INFO"; case 10: return "DEBUG"; case 0: return "NOTSET"; default: return "Level \(l)" }
        }
        func levelValue(_ i: Interpreter, _ v: Value) throws -> Int {
            if case .str(let s) = v {
                guard let l = levels.first(where: { $0.0 == s.s.uppercased() }) else { throw i.err("ValueError", "Unknown level: \(strRepr(s.s))") }
                return l.1
            }
            return try i.intArg(v)
        }
        let formatterClass = nativeClass("Formatter", module: "logging", methods: [
            "__init__": { _, a, kw in
                guard case .obj(let inst as PyInstance) = a[0] else { return .none }
                inst.dict["_fmt"] = a.count > 1 ? a[1] : (kw.first { $0.0 == "fmt" }?.1 ?? .str("%(message)s"))
                inst.dict["datefmt"] = a.count > 2 ? a[2] : (kw.first { $0.0 == "datefmt" }?.1 ?? .none)
                return .none
            },
        ])
        m.set("Formatter", .obj(formatterClass))
        let handlerClass = nativeClass("StreamHandler", module: "logging", methods: [
            "__init__": { i, a, kw in try i.need(a, 1, "__init__");
                guard case .obj(let inst as PyInstance) = a[0] else { return .none }
                inst.dict["stream"] = a.count > 1 ? a[1] : (kw.first { $0.0 == "stream" }?.1 ?? .obj(i.errf))
                inst.dict["level"] = .int(0)
                inst.dict["formatter"] = Value.none
                return .none
            },
            "setFormatter": { _, a, _ in
                if case .obj(let inst as PyInstance) = a[0] { inst.dict["formatter"] = a[1] }
                return .none
            },
            "setLevel": { i, a, _ in try i.need(a, 2, "setLevel");
                if case .obj(let inst as PyInstance) = a[0] { inst.dict["level"] = .int(try levelValue(i, a[1])) }
                return .none
            },
            "flush": { _, _, _ in .none },
            "close": { _, _, _ in .none },
        ])
        m.set("StreamHandler", .obj(handlerClass))
        m.set("Handler", .obj(handlerClass))
        let fileHandlerClass = PyClass(name: "FileHandler", bases: [handlerClass], dict: [
            "__init__": .obj(PyBuiltin("__init__") { i, a, kw in try i.need(a, 1, "__init__");
                guard case .obj(let inst as PyInstance) = a[0] else { return .none }
                var mode: Value = .str("a")
                if a.count > 2 { mode = a[2] } else if let mm = kw.first(where: { $0.0 == "mode" }) { mode = mm.1 }
                inst.dict["stream"] = try i.openFile([a[1], mode], [])
                inst.dict["level"] = .int(0)
                inst.dict["formatter"] = Value.none
                return .none
            }),
        ])
        fileHandlerClass.module = "logging"
        m.set("FileHandler", .obj(fileHandlerClass))
        let loggers = PyDict()
        var loggerClass: PyClass! = nil
        func getLogger(_ name: String) -> Value {
            if let l = loggers.get(.str(name)) { return l }
            let inst = PyInstance(loggerClass)
            inst.dict["name"] = .str(name)
            inst.dict["level"] = .int(name == "root" ? 30 : 0)
            inst.dict["handlers"] = .list(PyList([]))
            inst.dict["propagate"] = .bool(true)
            inst.dict["disabled"] = .bool(false)
            loggers.set(.str(name), .obj(inst))
            return .obj(inst)
        }
        func effectiveLevel(_ l: PyInstance) -> Int {
            var cur: PyInstance? = l
            while let c = cur {
                if case .int(let lv)? = c.dict["level"], lv != 0 { return lv }
                guard case .str(let n)? = c.dict["name"], n != "root" else { break }
                if let dot = n.s.range(of: ".", options: .backwards), case .obj(let p as PyInstance) = getLogger(String(n.s[..<dot.lowerBound])) { cur = p }
                else if case .obj(let r as PyInstance) = getLogger("root") { cur = r } else { break }
            }
            return 30
        }
        func formatRecord(_ i: Interpreter, _ fmtr: Value, _ rec: PyDict) throws -> String {
            var fmt = "%(levelname)s:%(name)s:%(message)s"
            var datefmt: String? = nil
            if case .obj(let f as PyInstance) = fmtr {
                if case .str(let s)? = f.dict["_fmt"] { fmt = s.s }
                if case .str(let d)? = f.dict["datefmt"] { datefmt = d.s }
                if f.cls.lookup("format") != nil, !(f.cls.lookup("format").map { if case .obj(let o) = $0 { return o is PyBuiltin }; return false } ?? true) {
                    return try i.str(try i.callMethod(fmtr, "format", [.dict(rec)], []))
                }
            }
            if fmt.contains("asctime") {
                let now = clockNanos()
                var t = time_t(now / 1_000_000_000)
                var tmv = tm()
                localtime_r(&t, &tmv)
                var buf = [Int8](repeating: 0, count: 128)
                let n = strftime(&buf, 128, datefmt ?? "%Y-%m-%d %H:%M:%S", &tmv)
                var s = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if datefmt == nil { s += String(format: ",%03d", Int((now / 1_000_000) % 1000)) }
                rec.set(.str("asctime"), .str(s))
            }
            return try i.percentFormat(fmt, .dict(rec))
        }
        func log(_ i: Interpreter, _ loggerV: Value, _ level: Int, _ a: [Value], _ kw: [(String, Value)]) throws {
            guard case .obj(let lg as PyInstance) = loggerV else { return }
            if level < effectiveLevel(lg) { return }
            var msg = try i.str(a.first ?? .str(""))
            if a.count > 1 {
                let args: Value = a.count == 2 && { if case .dict = a[1] { return true }; return false }() ? a[1] : .tuple(PyTuple(Array(a.dropFirst())))
                msg = try i.percentFormat(msg, args)
            }
            if let ei = kw.first(where: { $0.0 == "exc_info" }), try i.truthy(ei.1), let h = i.handling {
                msg += "\n" + i.formatTraceback(h).trimmingTrailing()
            }
            let rec = PyDict()
            rec.set(.str("message"), .str(msg))
            rec.set(.str("msg"), .str(msg))
            rec.set(.str("levelname"), .str(levelName(level)))
            rec.set(.str("levelno"), .int(level))
            rec.set(.str("name"), lg.dict["name"] ?? .str("root"))
            rec.set(.str("process"), .int(Int(getpid())))
            // as CPython's LogRecord: the current process's name when multiprocessing is imported
            var processName = Value.str("MainProcess")
            if let mp = i.modules["multiprocessing"], let cp = try? i.getAttr(mp, "current_process"),
               let p = try? i.call(cp, [], []), let n = try? i.getAttr(p, "name") {
                processName = n
            }
            rec.set(.str("processName"), processName)
            rec.set(.str("thread"), .int(1))
            rec.set(.str("threadName"), .str("MainThread"))
            rec.set(.str("funcName"), .str("<module>"))
            rec.set(.str("lineno"), .int(0))
            rec.set(.str("module"), .str("__main__"))
            rec.set(.str("filename"), .str(i.mainFile))
            rec.set(.str("pathname"), .str(i.mainFile))
            rec.set(.str("created"), .float(Double(clockNanos()) / 1e9))
            rec.set(.str("relativeCreated"), .float(0))
            rec.set(.str("msecs"), .float(Double((clockNanos() / 1_000_000) % 1000)))
            var cur: PyInstance? = lg
            var handled = false
            while let c = cur {
                if case .list(let hs)? = c.dict["handlers"] {
                    for h in hs.items {
                        guard case .obj(let hi as PyInstance) = h else { continue }
                        if case .int(let hl)? = hi.dict["level"], level < hl { continue }
                        if hi.dict["stream"] == nil, hi.cls.lookup("emit") != nil {
                            _ = try i.callMethod(h, "emit", [.dict(rec)], []); handled = true; continue
                        }
                        let text = try formatRecord(i, hi.dict["formatter"] ?? .none, rec)
                        _ = try i.callMethod(hi.dict["stream"] ?? .obj(i.errf), "write", [.str(text + "\n")], [])
                        handled = true
                    }
                }
                if case .bool(false)? = c.dict["propagate"] { break }
                guard case .str(let n)? = c.dict["name"], n != "root" else { break }
                if let dot = n.s.range(of: ".", options: .backwards), case .obj(let p as PyInstance) = getLogger(String(n.s[..<dot.lowerBound])) { cur = p }
                else if case .obj(let r as PyInstance) = getLogger("root") { cur = r } else { break }
            }
            if !handled && level >= 30 {
                try i.fileWrite(i.errf, msg + "\n")
            }
        }
        var methods: [String: NativeFn] = [
            "setLevel": { i, a, _ in try i.need(a, 2, "setLevel");
                if case .obj(let inst as PyInstance) = a[0] { inst.dict["level"] = .int(try levelValue(i, a[1])) }
                return .none
            },
            "addHandler": { _, a, _ in
                if case .obj(let inst as PyInstance) = a[0], case .list(let hs)? = inst.dict["handlers"] { hs.items.append(a[1]) }
                return .none
            },
            "removeHandler": { i, a, _ in try i.need(a, 2, "removeHandler");
                if case .obj(let inst as PyInstance) = a[0], case .list(let hs)? = inst.dict["handlers"] {
                    hs.items.removeAll { i.identical($0, a[1]) }
                }
                return .none
            },
            "hasHandlers": { _, a, _ in
                if case .obj(let inst as PyInstance) = a[0], case .list(let hs)? = inst.dict["handlers"] { return .bool(!hs.items.isEmpty) }
                return .bool(false)
            },
            "getEffectiveLevel": { _, a, _ in
                if case .obj(let inst as PyInstance) = a[0] { return .int(effectiveLevel(inst)) }
                return .int(30)
            },
            "isEnabledFor": { i, a, _ in try i.need(a, 2, "isEnabledFor");
                if case .obj(let inst as PyInstance) = a[0] { return .bool(try i.intArg(a[1]) >= effectiveLevel(inst)) }
                return .bool(false)
            },
            "log": { i, a, kw in try i.need(a, 2, "log"); try log(i, a[0], try levelValue(i, a[1]), Array(a.dropFirst(2)), kw); return .none },
            "exception": { i, a, kw in try i.need(a, 1, "exception"); try log(i, a[0], 40, Array(a.dropFirst()), kw + [("exc_info", .bool(true))]); return .none },
        ]
        for (n, l) in [("debug", 10), ("info", 20), ("warning", 30), ("warn", 30), ("error", 40), ("critical", 50), ("fatal", 50)] {
            methods[n] = { i, a, kw in try i.need(a, 1, "function"); try log(i, a[0], l, Array(a.dropFirst()), kw); return .none }
        }
        loggerClass = nativeClass("Logger", module: "logging", methods: methods)
        m.set("Logger", .obj(loggerClass))
        m.fn("getLogger") { _, a, kw in
            var name = "root"
            if case .str(let n)? = a.first ?? kw.first(where: { $0.0 == "name" })?.1 { name = n.isEmpty ? "root" : n.s }
            return getLogger(name)
        }
        m.fn("basicConfig") { i, a, kw in
            guard case .obj(let root as PyInstance) = getLogger("root"), case .list(let hs)? = root.dict["handlers"] else { return .none }
            let force = try kw.first { $0.0 == "force" }.map { try i.truthy($0.1) } ?? false
            if !hs.items.isEmpty && !force { return .none }
            if force { hs.items = [] }
            if let lv = kw.first(where: { $0.0 == "level" }) { root.dict["level"] = .int(try levelValue(i, lv.1)) }
            var stream: Value = .obj(i.errf)
            if let s = kw.first(where: { $0.0 == "stream" }) { stream = s.1 }
            if let fnm = kw.first(where: { $0.0 == "filename" }) {
                let mode = kw.first { $0.0 == "filemode" }?.1 ?? .str("a")
                stream = try i.openFile([fnm.1, mode], [])
            }
            let h = PyInstance(handlerClass)
            h.dict["stream"] = stream
            h.dict["level"] = .int(0)
            let f = PyInstance(formatterClass)
            f.dict["_fmt"] = kw.first { $0.0 == "format" }?.1 ?? .str("%(levelname)s:%(name)s:%(message)s")
            f.dict["datefmt"] = kw.first { $0.0 == "datefmt" }?.1 ?? Value.none
            h.dict["formatter"] = .obj(f)
            hs.items.append(.obj(h))
            return .none
        }
        for (n, l) in [("debug", 10), ("info", 20), ("warning", 30), ("warn", 30), ("error", 40), ("critical", 50)] {
            m.fn(n) { i, a, kw in
                guard case .obj(let root as PyInstance) = getLogger("root"), case .list(let hs)? = root.dict["handlers"] else { return .none }
                if hs.items.isEmpty { _ = try i.call(m.get("basicConfig")!, [], []) }
                try log(i, .obj(root), l, a, kw)
                return .none
            }
        }
        m.fn("exception") { i, a, kw in
            guard case .obj(let root as PyInstance) = getLogger("root") else { return .none }
            try log(i, .obj(root), 40, a, kw + [("exc_info", .bool(true))]); return .none
        }
        m.fn("getLevelName") { _, a, _ in
            if case .int(let l) = a[0] { return .str(levelName(l)) }
            if case .str(let s) = a[0], let l = levels.first(where: { s == $0.0 }) { return .int(l.1) }
            return .str("Level \(a[0])")
        }
        m.fn("disable") { _, _, _ in .none }
        return m
    }
}
