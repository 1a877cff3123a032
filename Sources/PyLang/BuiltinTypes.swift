// The builtin types (object, type, int, str, list, dict, ... and the exception hierarchy), made once when an
// interpreter starts. Mirrors CPython's `Objects/` type objects and `Objects/exceptions.c`.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Interpreter {
    func setupTypes() {
        let object = PyClass(name: "object", bases: [], dict: [:])
        objectClass = object
        typeClasses["object"] = object
        builtins["object"] = .obj(object)
        object.dict["__init__"] = .obj(PyBuiltin("__init__") { i, a, kw in
            // arguments are an error unless the class takes them in a __new__ of its own and leaves __init__ to
            // object (CPython's object_init)
            if a.count > 1 || !kw.isEmpty, case .obj(let inst as PyInstance)? = a.first {
                let objectInit = i.objectClass.dict["__init__"], objectNew = i.objectClass.lookup("__new__")
                let ownInit = inst.cls.lookup("__init__").map { !i.identical($0, objectInit!) } ?? false
                let ownNew = inst.cls.lookup("__new__").map { !i.identical($0, objectNew ?? .none) } ?? false
                if ownInit || !ownNew {
                    throw i.typeError("object.__init__() takes exactly one argument (the instance to initialize)")
                }
            }
            return .none
        })
        // the default attribute protocol, for `__setattr__`/`__getattr__` overrides that delegate to it
        object.dict["__setattr__"] = .obj(PyBuiltin("__setattr__") { i, a, _ in
            try i.need(a, 3, "__setattr__")
            guard case .obj(let inst as PyInstance) = a[0], case .str(let nameStr) = a[1] else {
                throw i.typeError("descriptor '__setattr__' requires an instance and an attribute name")
            }
            let name = nameStr.s
            if case .obj(let p as PyProperty)? = inst.cls.lookup(name) {
                guard let s = p.setter else { throw i.err("AttributeError", "property '\(name)' of '\(inst.cls.name)' object has no setter") }
                _ = try i.call(s, [a[0], a[2]], [])
            } else {
                inst.setAttr(name, a[2])
            }
            return .none
        })
        object.dict["__getattribute__"] = .obj(PyBuiltin("__getattribute__") { i, a, _ in
            try i.need(a, 2, "__getattribute__")
            guard case .str(let nameStr) = a[1] else { throw i.typeError("attribute name must be string") }; let name = nameStr.s
            return try i.getAttr(a[0], name)
        })
        object.dict["__delattr__"] = .obj(PyBuiltin("__delattr__") { i, a, _ in
            try i.need(a, 2, "__delattr__")
            guard case .str(let nameStr) = a[1] else { throw i.typeError("attribute name must be string") }; let name = nameStr.s
            try i.delAttr(a[0], name, hook: false)
            return .none
        })
        object.native = { i, a, _ in .obj(PyInstance(i.objectClass)) }
        object.dict["__new__"] = .obj(PyStaticMethod(.obj(PyBuiltin("__new__") { i, a, _ in
            guard case .obj(let c as PyClass)? = a.first else { throw i.typeError("object.__new__(X): X is not a type object") }
            let inst = PyInstance(c)
            if c.isException { inst.dict["args"] = .tuple(PyTuple(Array(a.dropFirst()))) }
            return .obj(inst)
        })))
        // instantiate() must not use object.native for user subclasses: it only checks c.native on the class itself.
        _ = newType("type", object) { i, a, _ in
            if a.count == 1 { return .obj(i.typeOf(a[0])) }
            if a.count == 3, case .str(let n) = a[0], case .tuple(let bs) = a[1], case .dict(let d) = a[2] {
                var dict: [String: Value] = [:]
                for (k, v) in d.items { if case .str(let ks) = k { dict[ks.s] = v } }
                let bases = bs.items.compactMap { v -> PyClass? in if case .obj(let c as PyClass) = v { return c }; return nil }
                let c = PyClass(name: n.s, bases: bases.isEmpty ? [i.objectClass] : bases, dict: dict)
                c.module = "__main__"
                return .obj(c)
            }
            throw i.typeError("type() takes 1 or 3 arguments")
        }
        let intT = newType("int", object) { i, a, kw in
            let args = Args(a, kw, "int")
            guard let v = args.get(0, "x") else { return .int(0) }
            if let b = args.get(1, "base") {
                guard case .str(let s) = v else { throw i.typeError("int() can't convert non-string with explicit base") }
                let base = try i.intArg(b)
                guard base == 0 || (2...36).contains(base) else { throw i.err("ValueError", "int() base must be >= 2 and <= 36, or 0") }
                return try i.parseInt(s.s, base)
            }
            return try i.toInt(v)
        }
        _ = newType("bool", intT) { i, a, _ in .bool(a.isEmpty ? false : try i.truthy(a[0])) }
        _ = newType("float", object) { i, a, _ in
            guard let v = a.first else { return .float(0) }
            switch v {
            case .float: return v
            case .int, .bigBox, .bool: return .float(try i.toDouble(v))
            case .str(let s):
                let t = s.s.trimmingCharacters(in: " \t\n\r").replacingAll("_", "").lowercased()
                if let d = Double(t) { return .float(d) }
                switch t {
                case "inf", "+inf", "infinity", "+infinity": return .float(.infinity)
                case "-inf", "-infinity": return .float(-.infinity)
                case "nan", "+nan", "-nan": return .float(.nan)
                default: throw i.err("ValueError", "could not convert string to float: \(strRepr(s.s))")
                }
            case .obj(let o as PyInstance):
                if let f = o.cls.lookup("__float__") { return try i.callBound(f, v, [], []) }
            default: break
            }
            throw i.typeError("float() argument must be a string or a real number, not '\(i.typeName(v))'")
        }
        _ = newType("str", object) { i, a, kw in
            guard let v = a.first else { return .str("") }
            // str(object, encoding, errors) is bytes.decode (CPython's PyUnicode_FromEncodedObject)
            if a.count >= 2 || !kw.isEmpty {
                if a.count > 3 { throw i.typeError("str() takes at most 3 arguments (\(a.count) given)") }
                var dargs: [Value] = [a.count > 1 ? a[1] : .str("utf-8"), a.count > 2 ? a[2] : .str("strict")]
                for (k, x) in kw {
                    switch k {
                    case "encoding": dargs[0] = x
                    case "errors": dargs[1] = x
                    case "object": throw i.typeError("str() argument 'object' given by name and position (1)")
                    default: throw i.typeError("'\(k)' is an invalid keyword argument for str()")
                    }
                }
                for x in dargs where !{ if case .str = x { return true }; return false }() {
                    throw i.typeError("str() argument 'encoding' must be str, not \(i.typeName(x))")
                }
                switch v {
                case .obj(let b as PyBytes): return try i.callNativeMethod(.obj(b), "decode", dargs, [])
                case .obj(let b as PyByteArray): return try i.callNativeMethod(.obj(PyBytes(b.b)), "decode", dargs, [])
                case .str: throw i.typeError("decoding str is not supported")
                default: throw i.typeError("decoding to str: need a bytes-like object, \(i.typeName(v)) found")
                }
            }
            return .str(try i.str(v))
        }
        _ = newType("list", object) { i, a, _ in
            if let r = a.first { try i.checkRangeAllocation(r) }
            return .list(PyList(a.isEmpty ? [] : try i.toArray(a[0])))
        }
        _ = newType("tuple", object) { i, a, _ in
            if case .tuple? = a.first { return a[0] }
            if let r = a.first { try i.checkRangeAllocation(r) }
            return .tuple(PyTuple(a.isEmpty ? [] : try i.toArray(a[0])))
        }
        _ = newType("dict", object) { i, a, kw in
            let d = PyDict()
            if let src = a.first { try i.dictUpdate(d, src) }
            for (k, v) in kw { d.set(.str(k), v) }
            return .dict(d)
        }
        /// set(iterable) and frozenset(iterable): another set is merged in as CPython's set_merge does (see
        /// `PySet.merge`), anything else added element by element.
        func newSet(_ i: Interpreter, frozen: Bool, _ source: Value?) throws -> Value {
            let s = PySet(frozen: frozen)
            if case .obj(let other as PySet)? = source {
                s.merge(other)
            } else if let source {
                switch source {
                case .tuple(let t): s.d.reserve(t.items.count)
                case .list(let l): s.d.reserve(l.items.count)
                default: break
                }
                try i.iterate(source) { x in try i.checkHashable(x); s.add(x); return true }
            }
            return .obj(s)
        }
        _ = newType("set", object) { i, a, _ in try newSet(i, frozen: false, a.first) }
        _ = newType("frozenset", object) { i, a, _ in try newSet(i, frozen: true, a.first) }
        _ = newType("bytes", object) { i, a, _ in
            guard let v = a.first else { return .obj(PyBytes([])) }
            switch v {
            case .str(let s): return .obj(PyBytes(Array(s.s.utf8)))
            case .int(let n):
                try i.checkAllocation(count: n, stride: 1, negative: "negative count")
                return .obj(PyBytes([UInt8](repeating: 0, count: n)))
            case .bigBox: throw i.err("OverflowError", "cannot fit 'int' into an index-sized integer")
            case .obj(let b as PyBytes): return .obj(b)
            case .obj(let b as PyByteArray): return .obj(PyBytes(b.b))
            case .obj(let o as PyInstance) where o.payload is MemoryViewPayload || i.arrayExporter(v) != nil:
                return .obj(PyBytes(try i.bytesArg(v)))
            default: return .obj(PyBytes(try i.byteValues(v, "bytes must be in range(0, 256)")))
            }
        }
        _ = newType("bytearray", object) { i, a, _ in
            guard let v = a.first else { return .obj(PyByteArray([])) }
            switch v {
            case .str(let s): return .obj(PyByteArray(Array(s.s.utf8)))
            case .int(let n):
                try i.checkAllocation(count: n, stride: 1, negative: "negative count")
                return .obj(PyByteArray([UInt8](repeating: 0, count: n)))
            case .bigBox: throw i.err("OverflowError", "cannot fit 'int' into an index-sized integer")
            case .obj(let b as PyBytes): return .obj(PyByteArray(b.b))
            case .obj(let b as PyByteArray): return .obj(PyByteArray(b.b))
            case .obj(let o as PyInstance) where o.payload is MemoryViewPayload || i.arrayExporter(v) != nil:
                return .obj(PyByteArray(try i.bytesArg(v)))
            default: return .obj(PyByteArray(try i.byteValues(v, "byte must be in range(0, 256)")))
            }
        }
        _ = newType("range", object) { i, a, _ in
            let n = try a.map { try i.intArg($0) }
            switch n.count {
            case 1: return .obj(PyRange(0, n[0], 1))
            case 2: return .obj(PyRange(n[0], n[1], 1))
            case 3:
                if n[2] == 0 { throw i.err("ValueError", "range() arg 3 must not be zero") }
                return .obj(PyRange(n[0], n[1], n[2]))
            default: throw i.typeError("range expected at least 1 argument, got \(n.count)")
            }
        }
        _ = newType("slice", object) { _, a, _ in
            if a.count == 1 { return .obj(PySlice(.none, a[0], .none)) }
            return .obj(PySlice(a[0], a.count > 1 ? a[1] : .none, a.count > 2 ? a[2] : .none))
        }
        _ = newType("NoneType", object, nil)
        _ = newType("function", object, nil)
        _ = newType("builtin_function_or_method", object, nil)
        _ = newType("method", object, nil)
        _ = newType("module", object, nil)
        _ = newType("generator", object, nil)
        _ = newType("property", object) { _, a, kw in
            let p = PyProperty(a.first ?? .none)
            if a.count > 1 { p.setter = a[1] }
            if let s = kw.first(where: { $0.0 == "fset" }) { p.setter = s.1 }
            return .obj(p)
        }
        _ = newType("staticmethod", object) { _, a, _ in .obj(PyStaticMethod(a[0])) }
        _ = newType("classmethod", object) { _, a, _ in .obj(PyClassMethod(a[0])) }
        _ = newType("super", object) { i, a, _ in
            guard a.count == 2 else { throw i.err("RuntimeError", "super(): no arguments") }
            guard case .obj(let c as PyClass) = a[0] else { throw i.typeError("super() argument 1 must be a type, not \(i.typeName(a[0]))") }
            return .obj(PySuper(c, a[1]))
        }
        for n in ["NoneType", "function", "builtin_function_or_method", "method", "module", "generator"] { builtins.removeValue(forKey: n) }
        // __init__ of the mutable builtin types, for user subclasses calling super().__init__(...)
        func baseOf(_ v: Value) -> Value? {
            if case .obj(let i as PyInstance) = v, let b = i.payload as? BuiltinBase { return b.value }
            return nil
        }
        typeClasses["list"]!.dict["__init__"] = .obj(PyBuiltin("__init__") { i, a, _ in try i.need(a, 1, "__init__");
            if case .list(let l)? = baseOf(a[0]) { l.items = a.count > 1 ? try i.toArray(a[1]) : [] }
            return .none
        })
        typeClasses["dict"]!.dict["__init__"] = .obj(PyBuiltin("__init__") { i, a, kw in try i.need(a, 1, "__init__");
            if case .dict(let d)? = baseOf(a[0]) {
                if a.count > 1 { try i.dictUpdate(d, a[1]) }
                for (k, v) in kw { d.set(.str(k), v) }
            }
            return .none
        })
        typeClasses["set"]!.dict["__init__"] = .obj(PyBuiltin("__init__") { i, a, _ in try i.need(a, 1, "__init__");
            if case .obj(let s as PySet)? = baseOf(a[0]), a.count > 1 { try i.iterate(a[1]) { s.add($0); return true } }
            return .none
        })

        // exceptions
        let base = PyClass(name: "BaseException", bases: [object], dict: [:])
        base.isException = true
        excClasses["BaseException"] = base
        builtins["BaseException"] = .obj(base)
        base.dict["__init__"] = .obj(PyBuiltin("__init__") { _, a, _ in
            if case .obj(let inst as PyInstance) = a[0] { inst.dict["args"] = .tuple(PyTuple(Array(a.dropFirst()))) }
            return .none
        })
        base.dict["with_traceback"] = .obj(PyBuiltin("with_traceback") { _, a, _ in a[0] })
        base.dict["add_note"] = .obj(PyBuiltin("add_note") { _, _, _ in .none })
        let tree: [(String, String)] = [
            ("Exception", "BaseException"), ("SystemExit", "BaseException"), ("KeyboardInterrupt", "BaseException"),
            ("GeneratorExit", "BaseException"), ("ArithmeticError", "Exception"), ("ZeroDivisionError", "ArithmeticError"),
            ("OverflowError", "ArithmeticError"), ("FloatingPointError", "ArithmeticError"), ("LookupError", "Exception"),
            ("KeyError", "LookupError"), ("IndexError", "LookupError"), ("ValueError", "Exception"),
            ("UnicodeError", "ValueError"), ("UnicodeDecodeError", "UnicodeError"), ("UnicodeEncodeError", "UnicodeError"),
            ("TypeError", "Exception"), ("AttributeError", "Exception"), ("NameError", "Exception"),
            ("UnboundLocalError", "NameError"), ("AssertionError", "Exception"), ("RuntimeError", "Exception"),
            ("NotImplementedError", "RuntimeError"), ("RecursionError", "RuntimeError"), ("OSError", "Exception"),
            ("TimeoutError", "OSError"), ("FileNotFoundError", "OSError"), ("FileExistsError", "OSError"),
            ("PermissionError", "OSError"), ("ProcessLookupError", "OSError"), ("ChildProcessError", "OSError"),
            ("InterruptedError", "OSError"), ("IsADirectoryError", "OSError"), ("NotADirectoryError", "OSError"),
            ("ConnectionError", "OSError"), ("BrokenPipeError", "ConnectionError"), ("ConnectionResetError", "ConnectionError"),
            ("ConnectionRefusedError", "ConnectionError"), ("EOFError", "Exception"), ("StopIteration", "Exception"),
            ("ImportError", "Exception"), ("ModuleNotFoundError", "ImportError"), ("SyntaxError", "Exception"),
            ("IndentationError", "SyntaxError"), ("MemoryError", "Exception"), ("BufferError", "Exception"),
            ("SystemError", "Exception"), ("Warning", "Exception"), ("UserWarning", "Warning"),
            ("DeprecationWarning", "Warning"), ("RuntimeWarning", "Warning"), ("StopAsyncIteration", "Exception"),
        ]
        for (n, b) in tree {
            let c = PyClass(name: n, bases: [excClasses[b]!], dict: [:])
            excClasses[n] = c
            builtins[n] = .obj(c)
        }
        builtins["EnvironmentError"] = builtins["OSError"]
        builtins["IOError"] = builtins["OSError"]
        builtins["None"] = Value.none
        builtins["Ellipsis"] = .obj(ellipsisObject)
        builtins["NotImplemented"] = .obj(notImplemented)
        builtins["__name__"] = .str("builtins")
        builtins["__debug__"] = .bool(true)
    }
}
