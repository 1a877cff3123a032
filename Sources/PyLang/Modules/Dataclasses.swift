// The `dataclasses` module, natively: the decorator writes __init__, __repr__, __eq__, the order methods,
// __hash__ and the frozen __setattr__/__delattr__ as CPython's `Lib/dataclasses.py` generates them (its rules,
// messages and field options: default, default_factory, init, repr, compare, hash, kw_only), plus fields(),
// asdict(), astuple(), replace(), is_dataclass() and FrozenInstanceError. Native so that a dataclass's __init__
// costs what a hand-written one does.

/// One field: the options of `field(...)` and where it sits.
final class DataField {
    let name: String
    var type: Value = .none
    var defaultValue: Value?
    var factory: Value?
    var initArg = true, inRepr = true, compare = true, kwOnly = false
    var hash: Value = .none
    var metadata: Value = .none
    init(name: String) { self.name = name }
}

/// The dataclass options the decorator was called with.
struct DataclassOptions {
    var initFn = true, reprFn = true, eq = true, order = false, unsafeHash = false, frozen = false, kwOnly = false, matchArgs = true
}

/// What the decorator recorded on a class (its `__dataclass_fields__` in CPython, here a payload).
final class DataclassInfo {
    let fields: [DataField]
    let frozen: Bool
    init(fields: [DataField], frozen: Bool) { self.fields = fields; self.frozen = frozen }
}

extension Interpreter {
    func makeDataclasses() -> PyModule {
        let m = PyModule(name: "dataclasses")
        let missingClass = PyClass(name: "_MISSING_TYPE", bases: [objectClass], dict: [:])
        missingClass.module = "dataclasses"
        let missing = PyInstance(missingClass)
        m.set("MISSING", .obj(missing))
        let frozenError = PyClass(name: "FrozenInstanceError", bases: [excClass("AttributeError")], dict: [:])
        frozenError.module = "dataclasses"
        excClasses["dataclasses.FrozenInstanceError"] = frozenError
        m.set("FrozenInstanceError", .obj(frozenError))
        var infos: [ObjectIdentifier: DataclassInfo] = [:]
        func info(_ c: PyClass) -> DataclassInfo? {
            for k in c.mro { if let d = infos[ObjectIdentifier(k)] { return d } }
            return nil
        }

        let fieldClass = nativeClass("Field", module: "dataclasses", methods: [
            "__repr__": { i, a, _ in
                guard case .obj(let inst as PyInstance)? = a.first, let f = inst.payload as? DataField else { return .str("Field()") }
                func r(_ v: Value?) throws -> String { try i.repr(v ?? .obj(missing)) }
                return .str("Field(name=\(try i.repr(.str(f.name))),type=\(try i.repr(f.type)),default=\(try r(f.defaultValue)),"
                    + "default_factory=\(try r(f.factory)),init=\(f.initArg ? "True" : "False"),repr=\(f.inRepr ? "True" : "False"),"
                    + "hash=\(try i.repr(f.hash)),compare=\(f.compare ? "True" : "False"),metadata=\(try i.repr(f.metadata)),"
                    + "kw_only=\(f.kwOnly ? "True" : "False"),_field_type=_FIELD)")
            },
        ])
        func fieldValue(_ f: DataField) -> Value {
            let inst = PyInstance(fieldClass)
            inst.payload = f
            inst.dict["name"] = .str(f.name)
            inst.dict["type"] = f.type
            inst.dict["default"] = f.defaultValue ?? .obj(missing)
            inst.dict["default_factory"] = f.factory ?? .obj(missing)
            inst.dict["init"] = .bool(f.initArg)
            inst.dict["repr"] = .bool(f.inRepr)
            inst.dict["hash"] = f.hash
            inst.dict["compare"] = .bool(f.compare)
            inst.dict["metadata"] = f.metadata.isNone ? .dict(PyDict()) : f.metadata
            inst.dict["kw_only"] = .bool(f.kwOnly)
            return .obj(inst)
        }
        m.fn("field") { i, a, kw in
            if !a.isEmpty { throw i.typeError("field() takes 0 positional arguments but \(a.count) were given") }
            let f = DataField(name: "")
            for (k, v) in kw {
                switch k {
                case "default": f.defaultValue = v
                case "default_factory": f.factory = v
                case "init": f.initArg = try i.truthy(v)
                case "repr": f.inRepr = try i.truthy(v)
                case "compare": f.compare = try i.truthy(v)
                case "hash": f.hash = v
                case "kw_only": f.kwOnly = try i.truthy(v)
                case "metadata": f.metadata = v
                default: throw i.typeError("field() got an unexpected keyword argument '\(k)'")
                }
            }
            if f.defaultValue != nil && f.factory != nil { throw i.err("ValueError", "cannot specify both default and default_factory") }
            return fieldValue(f)
        }

        func isClassVar(_ i: Interpreter, _ ann: Value) -> Bool {
            if case .str(let s) = ann { return s.s.hasPrefix("ClassVar") || s.s.hasPrefix("typing.ClassVar") }
            guard let r = try? i.repr(ann) else { return false }
            return r.hasPrefix("typing.ClassVar")
        }
        func values(_ i: Interpreter, _ inst: PyInstance, _ fs: [DataField]) -> [Value] {
            fs.map { inst.dict[$0.name] ?? .none }
        }

        func process(_ i: Interpreter, _ c: PyClass, _ o: DataclassOptions) throws -> Value {
            if o.order && !o.eq { throw i.err("ValueError", "eq must be true if order is true") }
            // fields: the bases' (most basic first), then the class's own annotations in order
            var fields: [DataField] = []
            for base in c.mro.dropFirst().reversed() {
                guard let bi = infos[ObjectIdentifier(base)] else { continue }
                for f in bi.fields { fields.removeAll { $0.name == f.name }; fields.append(f) }
            }
            if case .dict(let ann)? = c.dict["__annotations__"] {
                for k in ann.orderedKeys {
                    guard case .str(let nameStr) = k else { continue }
                    let name = nameStr.s
                    let annotation = ann.get(k) ?? .none
                    if isClassVar(i, annotation) { continue }
                    let f = DataField(name: name)
                    f.type = annotation
                    f.kwOnly = o.kwOnly
                    if let v = c.dict[name] {
                        if case .obj(let fi as PyInstance) = v, let spec = fi.payload as? DataField {
                            f.defaultValue = spec.defaultValue; f.factory = spec.factory; f.initArg = spec.initArg
                            f.inRepr = spec.inRepr; f.compare = spec.compare; f.hash = spec.hash; f.metadata = spec.metadata
                            if spec.kwOnly { f.kwOnly = true }
                            if let d = spec.defaultValue { c.dict[name] = d } else { c.dict.removeValue(forKey: name) }
                        } else {
                            f.defaultValue = v
                        }
                    }
                    if let d = f.defaultValue {
                        var mutable = false
                        switch d { case .list, .dict: mutable = true; case .obj(let x): mutable = x is PySet && !(x as! PySet).frozen; default: break }
                        if mutable {
                            throw i.err("ValueError", "mutable default \(try i.repr(.obj(i.typeOf(d)))) for field \(name) is not allowed: use default_factory")
                        }
                    }
                    fields.removeAll { $0.name == name }
                    fields.append(f)
                }
            }
            // non-default after default (keyword-only fields are exempt)
            var seenDefault = false
            for f in fields where f.initArg && !f.kwOnly {
                if f.defaultValue != nil || f.factory != nil { seenDefault = true }
                else if seenDefault { throw i.typeError("non-default argument '\(f.name)' follows default argument") }
            }
            infos[ObjectIdentifier(c)] = DataclassInfo(fields: fields, frozen: o.frozen)
            let fieldsDict = PyDict()
            for f in fields { fieldsDict.set(.str(f.name), fieldValue(f)) }
            c.dict["__dataclass_fields__"] = .dict(fieldsDict)
            let initFields = fields.filter { $0.initArg }
            let positional = initFields.filter { !$0.kwOnly }
            let clsName = c.name
            if o.initFn && c.dict["__init__"] == nil {
                let required = positional.filter { $0.defaultValue == nil && $0.factory == nil }.count
                let noInit = fields.filter { !$0.initArg }
                c.dict["__init__"] = .obj(PyBuiltin("__init__") { i, b, kw in
                    guard case .obj(let inst as PyInstance)? = b.first else { throw i.typeError("\(clsName).__init__() needs an instance") }
                    let pos = b.count - 1
                    if pos > positional.count {
                        let takes = required == positional.count ? "\(positional.count + 1)" : "from \(required + 1) to \(positional.count + 1)"
                        throw i.typeError("\(clsName).__init__() takes \(takes) positional argument\(positional.count == 0 ? "" : "s") but \(pos + 1) were given")
                    }
                    for (k, _) in kw where !initFields.contains(where: { $0.name == k }) {
                        throw i.typeError("\(clsName).__init__() got an unexpected keyword argument '\(k)'")
                    }
                    var missingNames: [String] = [], missingKw: [String] = []
                    for (k, f) in positional.enumerated() where k < pos {
                        if kw.contains(where: { $0.0 == f.name }) { throw i.typeError("\(clsName).__init__() got multiple values for argument '\(f.name)'") }
                        inst.dict[f.name] = b[k + 1]
                    }
                    for f in initFields {
                        if let k = positional.firstIndex(where: { $0 === f }), k < pos { continue }
                        if let v = kw.first(where: { $0.0 == f.name }) { inst.dict[f.name] = v.1 }
                        else if let d = f.defaultValue { inst.dict[f.name] = d }
                        else if let fac = f.factory { inst.dict[f.name] = try i.call(fac, [], []) }
                        else if f.kwOnly { missingKw.append(f.name) } else { missingNames.append(f.name) }
                    }
                    func list(_ names: [String]) -> String {
                        let q = names.map { "'\($0)'" }
                        return q.count == 1 ? q[0] : q.count == 2 ? q.joined(separator: " and ") : q.dropLast().joined(separator: ", ") + ", and " + q.last!
                    }
                    if !missingNames.isEmpty {
                        throw i.typeError("\(clsName).__init__() missing \(missingNames.count) required positional argument\(missingNames.count == 1 ? "" : "s"): \(list(missingNames))")
                    }
                    if !missingKw.isEmpty {
                        throw i.typeError("\(clsName).__init__() missing \(missingKw.count) required keyword-only argument\(missingKw.count == 1 ? "" : "s"): \(list(missingKw))")
                    }
                    for f in noInit {
                        if let d = f.defaultValue { inst.dict[f.name] = d } else if let fac = f.factory { inst.dict[f.name] = try i.call(fac, [], []) }
                    }
                    if let post = inst.cls.lookup("__post_init__") { _ = try i.callBound(post, b[0], [], []) }
                    return .none
                })
            }
            let reprFields = fields.filter { $0.inRepr }
            if o.reprFn && c.dict["__repr__"] == nil {
                c.dict["__repr__"] = .obj(PyBuiltin("__repr__") { i, b, _ in
                    guard case .obj(let inst as PyInstance)? = b.first else { return .str("") }
                    return .str(inst.cls.name + "(" + (try reprFields.map { "\($0.name)=\(try i.repr(inst.dict[$0.name] ?? .none))" }).joined(separator: ", ") + ")")
                })
            }
            let cmpFields = fields.filter { $0.compare }
            if o.eq && c.dict["__eq__"] == nil {
                c.dict["__eq__"] = .obj(PyBuiltin("__eq__") { i, b, _ in
                    try i.need(b, 2, "__eq__")
                    guard case .obj(let x as PyInstance) = b[0], case .obj(let y as PyInstance) = b[1], x.cls === y.cls else { return .obj(notImplemented) }
                    if x === y { return .bool(true) }
                    return .bool(try i.eq(.tuple(PyTuple(values(i, x, cmpFields))), .tuple(PyTuple(values(i, y, cmpFields)))))
                })
            }
            if o.order {
                for (name, op) in [("__lt__", CmpKind.lt), ("__le__", .le), ("__gt__", .gt), ("__ge__", .ge)] {
                    if c.dict[name] != nil {
                        throw i.typeError("Cannot overwrite attribute \(name) in class \(clsName). Consider using functools.total_ordering")
                    }
                    c.dict[name] = .obj(PyBuiltin(name) { i, b, _ in
                        try i.need(b, 2, name)
                        guard case .obj(let x as PyInstance) = b[0], case .obj(let y as PyInstance) = b[1], x.cls === y.cls else { return .obj(notImplemented) }
                        return try i.compare(op, .tuple(PyTuple(values(i, x, cmpFields))), .tuple(PyTuple(values(i, y, cmpFields))))
                    })
                }
            }
            // __hash__ by CPython's table (_hash_action): eq and frozen (or unsafe_hash) hash the compared fields;
            // eq without frozen makes instances unhashable unless the class wrote its own __hash__
            let hashFields = fields.filter { $0.hash.isNone ? $0.compare : ((try? i.truthy($0.hash)) ?? false) }
            let ownHash = c.dict["__hash__"] != nil && !(c.dict["__hash__"]!.isNone)
            let makeHash: NativeFn = { i, b, _ in
                guard case .obj(let x as PyInstance)? = b.first else { return .int(0) }
                return .int(try i.hashValue(.tuple(PyTuple(values(i, x, hashFields)))))
            }
            if o.unsafeHash {
                if ownHash { throw i.typeError("Cannot overwrite attribute __hash__ in class \(clsName)") }
                c.dict["__hash__"] = .obj(PyBuiltin("__hash__", makeHash))
            } else if o.eq && o.frozen {
                if !ownHash { c.dict["__hash__"] = .obj(PyBuiltin("__hash__", makeHash)) }
            } else if o.eq && !ownHash {
                c.dict["__hash__"] = Value.none
            }
            if o.frozen {
                for name in ["__setattr__", "__delattr__"] where c.dict[name] != nil {
                    throw i.typeError("Cannot overwrite attribute \(name) in class \(clsName)")
                }
                let helpers = try i.importModule("_dataclasses")
                let names = PySet()
                for f in fields { names.add(.str(f.name)) }
                _ = try i.call(try i.getAttr(helpers, "make_frozen"), [.obj(c), .obj(names), .obj(frozenError)])
            }
            if o.matchArgs && c.dict["__match_args__"] == nil {
                c.dict["__match_args__"] = .tuple(PyTuple(positional.map { .str($0.name) }))
            }
            return .obj(c)
        }
        func options(_ i: Interpreter, _ kw: [(String, Value)]) throws -> DataclassOptions {
            var o = DataclassOptions()
            for (k, v) in kw {
                let b = try i.truthy(v)
                switch k {
                case "init": o.initFn = b
                case "repr": o.reprFn = b
                case "eq": o.eq = b
                case "order": o.order = b
                case "unsafe_hash": o.unsafeHash = b
                case "frozen": o.frozen = b
                case "kw_only": o.kwOnly = b
                case "match_args": o.matchArgs = b
                case "slots", "weakref_slot": break
                default: throw i.typeError("dataclass() got an unexpected keyword argument '\(k)'")
                }
            }
            return o
        }
        m.fn("dataclass") { i, a, kw in
            let o = try options(i, kw)
            if let first = a.first {
                guard case .obj(let c as PyClass) = first else { throw i.typeError("dataclass() should be called on a class") }
                return try process(i, c, o)
            }
            return .obj(PyBuiltin("wrap") { i, b, _ in
                guard case .obj(let c as PyClass)? = b.first else { throw i.typeError("dataclass() should be called on a class") }
                return try process(i, c, o)
            })
        }
        func dataFields(_ i: Interpreter, _ v: Value, _ fn: String) throws -> [DataField] {
            let c: PyClass
            if case .obj(let k as PyClass) = v { c = k }
            else if case .obj(let inst as PyInstance) = v { c = inst.cls }
            else { throw i.typeError("\(fn)() should be called on dataclass instances") }
            guard let d = info(c) else {
                throw i.typeError(fn == "fields" ? "must be called with a dataclass type or instance" : "\(fn)() should be called on dataclass instances")
            }
            return d.fields
        }
        m.fn("fields") { i, a, _ in
            try i.need(a, 1, "fields")
            return .tuple(PyTuple(try dataFields(i, a[0], "fields").map { fieldValue($0) }))
        }
        m.fn("is_dataclass") { i, a, _ in
            try i.need(a, 1, "is_dataclass")
            if case .obj(let k as PyClass) = a[0] { return .bool(info(k) != nil) }
            if case .obj(let inst as PyInstance) = a[0] { return .bool(info(inst.cls) != nil) }
            return .bool(false)
        }
        /// asdict/astuple's recursion: dataclass instances, lists, tuples and dicts are rebuilt, other values deep-copied.
        func convert(_ i: Interpreter, _ v: Value, asDict: Bool, _ factory: Value?) throws -> Value {
            switch v {
            case .obj(let inst as PyInstance) where info(inst.cls) != nil && !(v.isNone):
                let fs = info(inst.cls)!.fields
                if asDict {
                    let pairs = try fs.map { Value.tuple(PyTuple([.str($0.name), try convert(i, inst.dict[$0.name] ?? .none, asDict: true, factory)])) }
                    if let f = factory { return try i.call(f, [.list(PyList(pairs))]) }
                    let d = PyDict()
                    for case .tuple(let t) in pairs { d.set(t.items[0], t.items[1]) }
                    return .dict(d)
                }
                let items = try fs.map { try convert(i, inst.dict[$0.name] ?? .none, asDict: false, factory) }
                if let f = factory { return try i.call(f, [.list(PyList(items))]) }
                return .tuple(PyTuple(items))
            case .list(let l): return .list(PyList(try l.items.map { try convert(i, $0, asDict: asDict, factory) }))
            case .tuple(let t): return .tuple(PyTuple(try t.items.map { try convert(i, $0, asDict: asDict, factory) }))
            case .dict(let d):
                let out = PyDict()
                for (k, x) in d.items { out.set(try convert(i, k, asDict: asDict, factory), try convert(i, x, asDict: asDict, factory)) }
                return .dict(out)
            default:
                let copy = try i.importModule("copy")
                return try i.call(try i.getAttr(copy, "deepcopy"), [v])
            }
        }
        m.fn("asdict") { i, a, kw in
            try i.need(a, 1, "asdict")
            guard case .obj(let inst as PyInstance) = a[0], info(inst.cls) != nil else { throw i.typeError("asdict() should be called on dataclass instances") }
            return try convert(i, a[0], asDict: true, kw.first { $0.0 == "dict_factory" }?.1)
        }
        m.fn("astuple") { i, a, kw in
            try i.need(a, 1, "astuple")
            guard case .obj(let inst as PyInstance) = a[0], info(inst.cls) != nil else { throw i.typeError("astuple() should be called on dataclass instances") }
            return try convert(i, a[0], asDict: false, kw.first { $0.0 == "tuple_factory" }?.1)
        }
        m.fn("replace") { i, a, kw in
            try i.need(a, 1, "replace")
            guard case .obj(let inst as PyInstance) = a[0], let d = info(inst.cls) else { throw i.typeError("replace() should be called on dataclass instances") }
            var args: [(String, Value)] = []
            for f in d.fields {
                if !f.initArg {
                    if kw.contains(where: { $0.0 == f.name }) {
                        throw i.err("ValueError", "field \(f.name) is declared with init=False, it cannot be specified with replace()")
                    }
                    continue
                }
                args.append((f.name, kw.first { $0.0 == f.name }?.1 ?? inst.dict[f.name] ?? .none))
            }
            for (k, v) in kw where !d.fields.contains(where: { $0.name == k }) { args.append((k, v)) }
            return try i.call(.obj(inst.cls), [], args)
        }
        m.fn("make_dataclass") { i, a, kw in
            try i.need(a, 2, "make_dataclass")
            let name = try i.strArg(a[0], "make_dataclass")
            let ann = PyDict()
            var dict: [String: Value] = [:]
            for spec in try i.toArray(a[1]) {
                switch spec {
                case .str(let s): ann.set(.str(s.s), .str("typing.Any"))
                case .tuple(let t) where t.items.count >= 2:
                    ann.set(t.items[0], t.items[1])
                    if t.items.count > 2, case .str(let s) = t.items[0] { dict[s.s] = t.items[2] }
                default: throw i.typeError("Invalid field: \(try i.repr(spec))")
                }
            }
            dict["__annotations__"] = .dict(ann)
            var bases: [PyClass] = [i.objectClass]
            if let bv = kw.first(where: { $0.0 == "bases" })?.1 {
                bases = try i.toArray(bv).compactMap { if case .obj(let c as PyClass) = $0 { return c }; return nil }
            }
            let c = PyClass(name: name, bases: bases, dict: dict)
            c.module = "types"
            return try process(i, c, try options(i, kw.filter { $0.0 != "bases" && $0.0 != "namespace" }))
        }
        return m
    }
}
