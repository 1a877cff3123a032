// Attributes: reading, writing and deleting them on instances, classes, modules and built-in values, with the
// descriptor rules (properties, class and static methods). Mirrors CPython's `Objects/object.c` generic getattr.
import CShim
import CPyLib
#if canImport(Glibc)
import Glibc
#endif

extension Interpreter {
    public func getAttr(_ v: Value, _ name: String) throws -> Value {
        if case .obj(let o) = v {
            if let i = o as? PyInstance {
                let found = i.cls.lookup(name)
                if let cv = found, case .obj(let p as PyProperty) = cv { return try call(p.getter, [v], []) }
                if let cv = found, let get = descriptorMethod(cv, "__get__") {
                    // a data descriptor (with __set__ or __delete__) comes before the instance's own attribute,
                    // a non-data one after it (CPython's `PyObject_GenericGetAttr`)
                    if isDataDescriptor(cv) || i.attr(name) == nil { return try callBound(get, cv, [v, .obj(i.cls)], []) }
                }
                if let x = i.attr(name) { return x }
                if let cv = found {
                    switch cv {
                    case .obj(let f as PyFunction): return .obj(PyBoundMethod(v, .obj(f)))
                    case .obj(let b as PyBuiltin): return .obj(PyBoundMethod(v, .obj(b)))
                    case .obj(let sm as PyStaticMethod): return sm.fn
                    case .obj(let cm as PyClassMethod): return .obj(PyBoundMethod(.obj(i.cls), cm.fn))
                    default: return cv
                    }
                }
                switch name {
                case "__class__": return .obj(i.cls)
                case "__dict__":
                    let d = PyDict(); for (k, x) in i.attrItems { d.set(.str(k), x) }; return .dict(d)
                case "__cause__" where i.cls.isException: return i.cause
                case "__context__" where i.cls.isException: return i.context
                case "__traceback__" where i.cls.isException: return .none
                default: break
                }
                if let ga = i.cls.lookup(.getattr) { return try callBound(ga, v, [.str(name)], []) }
                if let b = i.payload as? BuiltinBase, let x = try? nativeAttr(b.value, name) { return x }
                throw err("AttributeError", "'\(i.cls.name)' object has no attribute '\(name)'")
            }
            if let c = o as? PyClass {
                if let cv = c.lookup(name) {
                    if let get = descriptorMethod(cv, "__get__") { return try callBound(get, cv, [.none, v], []) }
                    switch cv {
                    case .obj(let sm as PyStaticMethod): return sm.fn
                    case .obj(let cm as PyClassMethod): return .obj(PyBoundMethod(v, cm.fn))
                    default: return cv
                    }
                }
                switch name {
                case "__name__": return .str(c.name)
                case "__qualname__": return .str(c.name)
                case "__module__": return .str(c.module)
                case "__mro__": return .tuple(PyTuple(c.mro.map { .obj($0) }))
                case "__bases__": return .tuple(PyTuple(c.bases.map { .obj($0) }))
                case "__base__": return c.bases.first.map { .obj($0) } ?? .none
                case "__doc__": return .none
                case "__dict__":
                    let d = PyDict(); for (k, x) in c.dict { d.set(.str(k), x) }; return .dict(d)
                default: break
                }
                if let tv = typeMethodValue(c, name) { return tv }
                if let m = c.meta, let mv = m.lookup(name) {
                    // the metaclass's attributes, bound to the class
                    switch mv {
                    case .obj(let p as PyProperty): return try call(p.getter, [v], [])
                    case .obj(let f as PyFunction): return .obj(PyBoundMethod(v, .obj(f)))
                    case .obj(let b as PyBuiltin): return .obj(PyBoundMethod(v, .obj(b)))
                    case .obj(let sm as PyStaticMethod): return sm.fn
                    case .obj(let cm as PyClassMethod): return .obj(PyBoundMethod(.obj(m), cm.fn))
                    default: return mv
                    }
                }
                throw err("AttributeError", "type object '\(c.name)' has no attribute '\(name)'")
            }
            if let m = o as? PyModule {
                if let x = m.globals[name]?.value { return x }
                if name == "__name__" { return .str(m.name) }
                if let sub = try? importModule(m.name + "." + name) { return sub }
                throw err("AttributeError", "module '\(m.name)' has no attribute '\(name)'")
            }
            if let s = o as? PySuper {
                var found = false
                let mro = typeOfForSuper(s.obj, s.cls).mro
                for c in mro {
                    if found, let f = c.dict[name] {
                        switch f {
                        case .obj(let fn as PyFunction): return .obj(PyBoundMethod(s.obj, .obj(fn)))
                        case .obj(let b as PyBuiltin): return .obj(PyBoundMethod(s.obj, .obj(b)))
                        case .obj(let cm as PyClassMethod): return .obj(PyBoundMethod(.obj(typeOfForSuper(s.obj, s.cls)), cm.fn))
                        case .obj(let sm as PyStaticMethod): return sm.fn
                        default: return f
                        }
                    }
                    if c === s.cls { found = true }
                }
                if name == "__init__" { return .obj(PyBuiltin("__init__") { _, _, _ in .none }) }
                // past the user classes: the built-in type the instance's class derives from (`class C(list)`)
                if case .obj(let io) = s.obj, let inst = io as? PyInstance, let b = inst.payload as? BuiltinBase,
                   let m = try? getAttr(b.value, name) {
                    return m
                }
                throw err("AttributeError", "'super' object has no attribute '\(name)'")
            }
            if let f = o as? PyFunction {
                if let x = f.dict[name] { return x }
                switch name {
                case "__name__": return .str(f.code.name)
                case "__qualname__": return .str(f.qualname)
                case "__doc__": return f.code.docstring.map { .str($0) } ?? .none
                case "__module__": return .str(f.module.name)
                case "__class__": return .obj(typeOf(.obj(f)))
                case "__defaults__": return f.defaults.isEmpty ? .none : .tuple(PyTuple(f.defaults))
                case "__kwdefaults__":
                    if f.kwDefaults.isEmpty { return .none }
                    let d = PyDict()
                    for n in f.code.kwOnly { if let v = f.kwDefaults[n] { d.set(.str(n), v) } }
                    return .dict(d)
                default:
                    if let x = f.dict[name] { return x }
                    throw err("AttributeError", "'function' object has no attribute '\(name)'")
                }
            }
            if let b = o as? PyBuiltin, name == "__name__" { return .str(b.name) }
            if let m = o as? PyBoundMethod {
                if name == "__self__" { return m.receiver }
                if name == "__func__" { return m.fn }
                return try getAttr(m.fn, name)
            }
            if let p = o as? PyProperty {
                if name == "setter" {
                    return .obj(PyBuiltin("setter") { _, a, _ in p.setter = a.first; return .obj(p) })
                }
                if name == "getter" { return .obj(PyBuiltin("getter") { _, a, _ in p.getter = a[0]; return .obj(p) }) }
            }
        }
        return try nativeAttr(v, name)
    }

    /// The builtin value inside an instance of a user subclass of list/dict/str/int/..., unless the class
    /// overrides `dunder` itself.
    @inline(__always)
    func builtinBase(_ v: Value, unless dunder: String) -> Value? {
        guard case .obj(let o) = v, let i = o as? PyInstance, let b = i.payload as? BuiltinBase else { return nil }
        if i.cls.lookup(dunder) != nil { return nil }
        return b.value
    }
    /// The built-in value of an instance of a built-in type's subclass (`class F(float)`), whatever it overrides.
    func builtinBase(_ v: Value) -> Value? {
        guard case .obj(let o) = v, let i = o as? PyInstance, let b = i.payload as? BuiltinBase else { return nil }
        return b.value
    }
    /// As above, for the dunders a class keeps at hand (`PyClass.Special`): no hashing of the name.
    func builtinBase(_ v: Value, unless dunder: PyClass.Special) -> Value? {
        guard case .obj(let o) = v, let i = o as? PyInstance, let b = i.payload as? BuiltinBase else { return nil }
        if i.cls.lookup(dunder) != nil { return nil }
        return b.value
    }

    /// The class whose MRO `super(cls, v)` walks: `v` itself when it is a class deriving from `cls` (a class
    /// method's `super()`), else `v`'s type (for a class, its metaclass: a metaclass method's `super()`).
    func typeOfForSuper(_ v: Value, _ cls: PyClass) -> PyClass {
        if case .obj(let c as PyClass) = v, c.meta == nil || c.isSubclass(of: cls) { return c }
        return typeOf(v)
    }

    public func setAttr(_ v: Value, _ name: String, _ x: Value) throws {
        if case .obj(let o) = v {
            if let i = o as? PyInstance {
                if let cv = i.cls.lookup(name), case .obj(let p as PyProperty) = cv {
                    guard let s = p.setter else { throw err("AttributeError", "property '\(name)' of '\(i.cls.name)' object has no setter") }
                    _ = try call(s, [v, x], [])
                    return
                }
                if let sa = i.cls.lookup(.setattr), case .obj(let fn as PyFunction) = sa {
                    _ = try callFunction(fn, [v, .str(name), x], [])
                    return
                }
                if let cv = i.cls.lookup(name), let set = descriptorMethod(cv, "__set__") {
                    _ = try callBound(set, cv, [v, x], [])
                    return
                }
                i.dict[name] = x
                return
            }
            if let c = o as? PyClass { c.dict[name] = x; return }
            if let m = o as? PyModule { m.set(name, x); return }
            if let f = o as? PyFunction { try setFunctionAttr(f, name, x); return }
        }
        throw err("AttributeError", "'\(typeName(v))' object has no attribute '\(name)'")
    }

    /// `del v.name`: the class's Python `__delattr__` first (unless `hook` is false: `object.__delattr__` itself),
    /// then a descriptor's `__delete__`, then the instance's or class's own attribute.
    func delAttr(_ v: Value, _ name: String, hook: Bool = true) throws {
        if hook, case .obj(let i as PyInstance) = v, case .obj(let fn as PyFunction)? = i.cls.lookup("__delattr__") {
            _ = try callFunction(fn, [v, .str(name)], [])
            return
        }
        if case .obj(let i as PyInstance) = v, let cv = i.cls.lookup(name), let del = descriptorMethod(cv, "__delete__") {
            _ = try callBound(del, cv, [v], [])
            return
        }
        if case .obj(let i as PyInstance) = v, i.dict.removeValue(forKey: name) != nil { return }
        if case .obj(let c as PyClass) = v, c.dict.removeValue(forKey: name) != nil { return }
        throw err("AttributeError", "'\(typeName(v))' object has no attribute '\(name)'")
    }

    public func hasAttr(_ v: Value, _ name: String) -> Bool {
        do { _ = try getAttr(v, name); return true } catch { return false }
    }
}

/// `dunder` (`__get__`, `__set__`, `__delete__`) of a class attribute that is an instance of a Python class
/// defining it: a descriptor (CPython's Descriptor HowTo Guide).
func descriptorMethod(_ cv: Value, _ dunder: String) -> Value? {
    guard case .obj(let d as PyInstance) = cv, let m = d.cls.lookup(dunder) else { return nil }
    return m
}

/// Whether a class attribute is a data descriptor (defines `__set__` or `__delete__`).
func isDataDescriptor(_ cv: Value) -> Bool {
    descriptorMethod(cv, "__set__") != nil || descriptorMethod(cv, "__delete__") != nil
}

extension Interpreter {
    /// `fn.name = x`: `__defaults__` and `__kwdefaults__` replace what calls bind (checked as CPython checks them),
    /// any other name goes to the function's `__dict__`.
    func setFunctionAttr(_ fn: PyFunction, _ name: String, _ x: Value) throws {
        switch name {
        case "__defaults__":
            switch x {
            case .none: fn.defaults = []
            case .tuple(let t): fn.defaults = t.items
            default: throw typeError("__defaults__ must be set to a tuple object")
            }
        case "__kwdefaults__":
            switch x {
            case .none: fn.kwDefaults = [:]
            case .dict(let d):
                var kd: [String: Value] = [:]
                for (k, v) in d.items {
                    guard case .str(let n) = k else { throw typeError("keywords must be strings") }
                    kd[n.s] = v
                }
                fn.kwDefaults = kd
            default: throw typeError("__kwdefaults__ must be set to a dict object")
            }
        default: fn.dict[name] = x
        }
    }
}
