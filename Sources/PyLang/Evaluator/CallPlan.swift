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

    /// The plan for calling `code` with `positional` positional arguments (the receiver counted) and keyword
    /// arguments named `keywords`, or nil when the binding is not a plain one: `*args`/`**kwargs` parameters, a
    /// generator, more positional arguments than parameters, an unknown or repeated name. Those calls take the
    /// general path, which also raises CPython's errors for the bad ones.
    init?(code: FuncCode, receiver: Bool, positional: Int, keywords: [String]) {
        guard code.varargs == nil, code.kwargs == nil, !code.isGenerator else { return nil }
        let np = code.params.count
        guard positional <= np else { return nil }
        var set = [Bool](repeating: false, count: np + code.kwOnly.count)
        for i in 0..<positional { set[i] = true }
        var slots: [Int] = []
        for k in keywords {
            guard let s = code.params.firstIndex(of: k) ?? code.kwOnly.firstIndex(of: k).map({ np + $0 }),
                  !set[s] else { return nil }
            set[s] = true
            slots.append(s)
        }
        self.code = ObjectIdentifier(code)
        self.receiver = receiver
        kwSlots = slots
        defaulted = (0..<np).filter { !set[$0] }
        defaultsNeeded = defaulted.first.map { np - $0 } ?? 0
        kwOnlyDefaulted = code.kwOnly.indices.filter { !set[np + $0] }.map { (slot: np + $0, name: code.kwOnly[$0]) }
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
            for i in 0..<argBuf.count { (nf.slots + k + i).initialize(to: try evalChild(argBuf.base[i], f)) }
            for j in 0..<plan.kwSlots.count { (nf.slots + plan.kwSlots[j]).initialize(to: try evalChild(kwBuf.base[j], f)) }
            if !plan.defaulted.isEmpty {
                let first = code.params.count - defaults.count
                for i in plan.defaulted { (nf.slots + i).initialize(to: defaults[i - first]) }
            }
            for (j, d) in plan.kwOnlyDefaulted.enumerated() { (nf.slots + d.slot).initialize(to: kwOnly[j]) }
            return try interp.runDirect(fn, code, nf)
        }
    }
}
