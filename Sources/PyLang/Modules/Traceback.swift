// The `traceback` module: the text of an exception's traceback, as the interpreter prints an uncaught one
// (`formatTraceback`), for error handlers that log or print it. Mirrors CPython's `Lib/traceback.py` for the
// functions programs call; frames are the ones the exception passed through (no `print_stack` of live frames).
extension Interpreter {
    func makeTraceback() -> PyModule {
        let m = PyModule(name: "traceback")
        /// The exception a call names: `format_exception(exc)`, `(type, value, tb)` (value wins), or the one being handled.
        func exception(_ i: Interpreter, _ a: [Value], _ kw: [(String, Value)]) throws -> PyInstance? {
            let v = a.count > 1 ? a[1] : (kw.first { $0.0 == "value" }?.1 ?? a.first ?? kw.first { $0.0 == "exc" }?.1)
            switch v {
            case .obj(let e as PyInstance)? where e.cls.isException: return e
            case .none?, nil: return nil
            case .obj(let c as PyClass)? where c.isException:
                let inst = PyInstance(c)
                inst.dict["args"] = .tuple(PyTuple.empty)
                return inst
            default: throw i.typeError("Exception expected for value, \(i.typeName(v!)) found")
            }
        }
        /// Splits text into CPython's list of lines, each ending in a newline.
        func lines(_ text: String) -> Value {
            var out: [Value] = []
            var cur = ""
            for ch in text {
                cur.append(ch)
                if ch == "\n" { out.append(.str(cur)); cur = "" }
            }
            if !cur.isEmpty { out.append(.str(cur)) }
            return .list(PyList(out))
        }
        func chain(_ kw: [(String, Value)], _ i: Interpreter) throws -> Bool {
            try kw.first { $0.0 == "chain" }.map { try i.truthy($0.1) } ?? true
        }
        func text(_ i: Interpreter, _ e: PyInstance?, chain: Bool) -> String {
            guard let e else { return "NoneType: None\n" }
            if chain { return i.formatTraceback(e) }
            let saved = (e.cause, e.context)
            e.cause = .none; e.context = .none
            defer { (e.cause, e.context) = saved }
            return i.formatTraceback(e)
        }
        func write(_ i: Interpreter, _ s: String, _ kw: [(String, Value)]) throws {
            let file = kw.first { $0.0 == "file" }?.1 ?? .none
            // no file: sys.stderr as it is now (contextlib.redirect_stderr captures it), as CPython's
            try i.printTo([.str(s)], [("end", .str("")), ("file", file.isNone ? i.currentStderr() : file)])
        }
        m.fn("format_exc") { i, _, kw in .str(text(i, i.handling, chain: try chain(kw, i))) }
        m.fn("print_exc") { i, _, kw in try write(i, text(i, i.handling, chain: try chain(kw, i)), kw); return .none }
        m.fn("format_exception") { i, a, kw in lines(text(i, try exception(i, a, kw), chain: try chain(kw, i))) }
        m.fn("print_exception") { i, a, kw in try write(i, text(i, try exception(i, a, kw), chain: try chain(kw, i)), kw); return .none }
        m.fn("format_exception_only") { i, a, kw in
            guard let e = try exception(i, a, kw) else { return lines("NoneType: None\n") }
            return lines(i.exceptionLine(e) + "\n")
        }
        return m
    }
}
