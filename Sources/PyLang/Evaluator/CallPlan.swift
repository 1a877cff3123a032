// Calls whose arguments are not exactly the function's positional parameters — `f(x)` with `def f(x, y=1)`,
// `f(x, z=3)`, `Point(x=1, y=2)`, `o.m(a, key=k)` — bound through a plan made once per site and code: where each
// keyword goes and which parameters take their defaults. CPython matches keyword names against the code's
// parameter names on every call (`_PyEval_MakeFrameVector`); a site nearly always calls one code, so here the
// names are compared once, and a call evaluates its arguments straight into the new frame's slots as
// `callDirect` does: no argument array, no keyword list, no names compared.

/// How one call site's arguments fill the parameter slots of one function code.
final class CallPlan {
    /// The code the plan was made for, compared by identity: a function keeps its code alive while it runs, and a
    /// site that meets another code makes a new plan.
    let code: ObjectIdentifier
    /// Whether the first slot takes a receiver (a method called on an instance, `__init__` of a construction).
    let receiver: Bool
    /// The slot of each keyword argument, in the site's order.
    let kwSlots: [Int]
    /// The positional parameters the site leaves unset, ascending: they take the function's defaults.
    let defaulted: [Int]
    /// How many defaults the function needs for that (its parameter count minus the first defaulted index).
    let defaultsNeeded: Int
    /// The keyword-only parameters the site leaves unset: their slots and names (their defaults are by name).
    let kwOnlyDefaulted: [(slot: Int, name: String)]
    /// With a `*args` parameter: its slot (the positional arguments past the parameters go there as a tuple).
    let varargsSlot: Int?
    /// With a `**kwargs` parameter: its slot, and the site's keywords that name no parameter (their index in the
    /// site's keyword list and their name as a str, made once) which go into its new dict.
    let kwargsSlot: Int?
    let extraKeywords: [(index: Int, name: PyStr)]
    /// Neither `*args` nor `**kwargs`: every argument has a parameter's slot.
    let plain: Bool

    /// The plan for calling `code` with `positional` positional arguments (the receiver counted) and keyword
    /// arguments named `keywords`, or nil when the call is an error: more positional arguments than parameters
    /// and no `*args`, a keyword naming no parameter and no `**kwargs`, a parameter given twice. Those calls take
    /// the general path, which raises CPython's errors.
    init?(code: FuncCode, receiver: Bool, positional: Int, keywords: [String]) {
        let np = code.params.count
        guard positional <= np || code.varargs != nil else { return nil }
        // a receiver with no parameter to take it (`def m(*args)`) goes into the tuple: the general path does that
        guard !receiver || np > 0 else { return nil }
        var set = [Bool](repeating: false, count: np + code.kwOnly.count)
        for i in 0..<min(positional, np) { set[i] = true }
        var slots: [Int] = []
        var extra: [(index: Int, name: PyStr)] = []
        for (j, k) in keywords.enumerated() {
            guard let s = code.params.firstIndex(of: k) ?? code.kwOnly.firstIndex(of: k).map({ np + $0 }) else {
                // a name of no parameter: into `**kwargs`, else an error the general path raises
                guard code.kwargs != nil else { return nil }
                extra.append((index: j, name: PyStr(k)))
                slots.append(-1)
                continue
            }
            guard !set[s] else { return nil }
            set[s] = true
            slots.append(s)
        }
        // the binding's slot order (`bindArgs`): parameters, keyword-only ones, `*args`, `**kwargs`
        varargsSlot = code.varargs != nil ? np + code.kwOnly.count : nil
        kwargsSlot = code.kwargs != nil ? np + code.kwOnly.count + (code.varargs != nil ? 1 : 0) : nil
        extraKeywords = extra
        plain = code.varargs == nil && code.kwargs == nil
        self.code = ObjectIdentifier(code)
        self.receiver = receiver
        kwSlots = slots
        defaulted = (0..<np).filter { !set[$0] }
        defaultsNeeded = defaulted.first.map { np - $0 } ?? 0
        kwOnlyDefaulted = code.kwOnly.indices.filter { !set[np + $0] }.map { (slot: np + $0, name: code.kwOnly[$0]) }
    }

    /// The name of the site's keyword argument `j` when it goes into `**kwargs`.
    func extraName(_ j: Int) -> PyStr {
        for e in extraKeywords where e.index == j { return e.name }
        fatalError("unreachable: keyword \(j) has a parameter's slot")
    }

    /// Whether `fn` (of the plan's code) has every default the plan takes.
    func fits(_ fn: PyFunction) -> Bool {
        fn.defaults.count >= defaultsNeeded && kwOnlyDefaulted.allSatisfy { fn.kwDefaults[$0.name] != nil }
    }
}

extension CallExpr {
    /// This site's plan for calling `fn` (the receiver in the first slot when `receiver`), made at the first call
    /// with its code; nil when the site has `*`/`**` arguments or the binding is not a plain one.
    @inline(__always)
    func plan(for fn: PyFunction, receiver: Bool) -> CallPlan? {
        if let p = callPlan, p.code == ObjectIdentifier(fn.code), p.receiver == receiver { return p }
        return makePlan(fn.code, receiver)
    }

    @inline(never)
    private func makePlan(_ code: FuncCode, _ receiver: Bool) -> CallPlan? {
        guard plannable else { return nil }
        let p = CallPlan(code: code, receiver: receiver, positional: args.count + (receiver ? 1 : 0),
                         keywords: kwNames.map { $0! })
        if p != nil { callPlan = p }
        return p
    }

    /// Calls `fn` through `plan`, the receiver (if any) in the first slot, the arguments evaluated in the
    /// caller's frame straight into the new frame; nil, with nothing evaluated, when this function lacks a
    /// default the plan takes (the general path then raises CPython's "missing argument" error).
    func callPlanned(_ fn: PyFunction, _ plan: CallPlan, _ recv: Value?, _ f: Frame) throws -> Value? {
        // read before the arguments run (they could reassign `__defaults__`)
        let defaults = fn.defaults
        guard defaults.count >= plan.defaultsNeeded else { return nil }
        var kwOnly: [Value] = []
        for d in plan.kwOnlyDefaulted {
            guard let v = fn.kwDefaults[d.name] else { return nil }
            kwOnly.append(v)
        }
        return try f.interpRef._withUnsafeGuaranteedRef { interp in
            let code = fn.code
            let nf = interp.frame(for: fn, code)
            // parameter slots of a frame from `frame(for:)` hold None: values are moved in, not assigned
            var k = 0
            if let r = recv { nf.slots.initialize(to: r); k = 1 }
            if plan.plain {
                for i in 0..<argBuf.count { (nf.slots + k + i).initialize(to: try evalChild(argBuf.base[i], f)) }
                for j in 0..<plan.kwSlots.count {
                    (nf.slots + plan.kwSlots[j]).initialize(to: try evalChild(kwBuf.base[j], f))
                }
            } else {
                try bindPacked(plan, code, nf, k, f)
            }
            if !plan.defaulted.isEmpty {
                let first = code.params.count - defaults.count
                for i in plan.defaulted { (nf.slots + i).initialize(to: defaults[i - first]) }
            }
            for (j, d) in plan.kwOnlyDefaulted.enumerated() { (nf.slots + d.slot).initialize(to: kwOnly[j]) }
            if code.isGenerator {
                // as `callFunction`: the parameters captured by inner functions into their cells, then the
                // generator object, which runs the body on its first `next`
                if code.hasCellParams { for (s, c) in code.cellParams { nf.cells[c].value = nf.slots[s] } }
                return .obj(interp.makeGenerator(nf, code))
            }
            return try interp.runDirect(fn, code, nf)
        }
    }

    /// The arguments of a plan with `*args` or `**kwargs` (kept out of the plain path, which it would slow by a
    /// fifth): the positional ones past the parameters into the tuple, the keywords naming no parameter into the
    /// new dict, in the site's order.
    @inline(never)
    private func bindPacked(_ plan: CallPlan, _ code: FuncCode, _ nf: Frame, _ k: Int, _ f: Frame) throws {
        let direct = min(argBuf.count, code.params.count - k)
        for i in 0..<direct { (nf.slots + k + i).initialize(to: try evalChild(argBuf.base[i], f)) }
        if let vs = plan.varargsSlot {
            var rest: [Value] = []
            if argBuf.count > direct {
                rest.reserveCapacity(argBuf.count - direct)
                for i in direct..<argBuf.count { rest.append(try evalChild(argBuf.base[i], f)) }
            }
            (nf.slots + vs).initialize(to: .tuple(rest.isEmpty ? PyTuple.empty : PyTuple(rest)))
        }
        var kwd: PyDict?
        if let ks = plan.kwargsSlot {
            let d = PyDict()
            kwd = d
            (nf.slots + ks).initialize(to: .dict(d))
        }
        for j in 0..<plan.kwSlots.count {
            let v = try evalChild(kwBuf.base[j], f)
            let s = plan.kwSlots[j]
            if s >= 0 { (nf.slots + s).initialize(to: v) } else { kwd!.set(.str(plan.extraName(j)), v) }
        }
    }
}
