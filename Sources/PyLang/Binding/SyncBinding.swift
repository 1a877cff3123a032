// multiprocessing's Lock, RLock, Semaphore, BoundedSemaphore, Condition, Event and Barrier.
// Mirrors CPython's `Lib/multiprocessing/synchronize.py`.
import Multiprocessing

final class LockBox {
    let lock: Lock
    init() throws { lock = try Lock() }
    init(_ l: Lock) { lock = l }
}
final class RLockBox {
    let lock: RLock
    init() throws { lock = try RLock() }
    init(_ l: RLock) { lock = l }
}
final class SemaphoreBox {
    let sem: Multiprocessing.Semaphore
    let bound: Int?
    init(value: Int, bounded: Bool) throws {
        sem = bounded ? try BoundedSemaphore(value: value) : try Multiprocessing.Semaphore(value: value)
        bound = bounded ? value : nil
    }
    init(_ s: Multiprocessing.Semaphore, bound: Int?) { sem = s; self.bound = bound }
}
final class ConditionBox {
    let cond: Condition
    /// The lock object the program sees (`Condition(lock)`'s, or the RLock made for it).
    let lockValue: Value
    init(_ c: Condition, _ l: Value) { cond = c; lockValue = l }
}
final class EventBox {
    let event: Event
    init() throws { event = try Event() }
    init(_ e: Event) { event = e }
}
final class BarrierBox {
    let barrier: Barrier
    let parties: Int
    init(_ b: Barrier, _ p: Int) { barrier = b; parties = p }
}

extension MPBinding {
    /// acquire(block=True, timeout=None) over a library acquire that takes a slice.
    func acquire(_ a: [Value], _ kw: [(String, Value)], _ attempt: (Bool, Duration?) throws -> Bool) throws -> Value {
        let b = try bind(Array(a.dropFirst()), kw, ["block", "timeout"], "acquire")
        let block = try truthy(b[0], default: true)
        if !block { return .bool(try attempt(false, nil)) }
        let t = try timeout(b[1])
        return .bool(try waitSliced(t) { slice in try attempt(true, slice) })
    }

    /// A Condition call that needs the lock held: CPython's Condition asserts that, so a caller without the lock
    /// gets its AssertionError and message rather than the library's ValueError.
    @discardableResult
    func whileOwned<T>(_ message: String, _ body: () throws(SynchronizeError) -> T) throws -> T {
        do { return try body() } catch .notAcquired { throw err("AssertionError", message) } catch { throw pyError(error) }
    }

    /// One slice of `Condition.wait` (see `waitSliced`): false when it timed out.
    func conditionWait(_ c: ConditionBox, _ slice: Duration) throws -> Bool {
        try whileOwned("must acquire() condition before using wait()") { () throws(SynchronizeError) in
            try c.cond.wait(timeout: slice)
        }
    }

    func makeSyncClasses() {
        let module = "multiprocessing.synchronize"
        lockClass = makeClass("Lock", module: module, [
            method("__init__") { [unowned self] _, a, _ in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                inst.payload = try self.lib { try LockBox() }
                return .none
            },
            method("acquire") { [unowned self] _, a, kw in
                let l = try self.payload(a[0], LockBox.self, "Lock").lock
                let hasTimeout = (a.count > 2 && !a[2].isNone) || kw.contains { $0.0 == "timeout" && !$0.1.isNone }
                return try self.acquire(a, kw) { block, slice in
                    do throws(SynchronizeError) { return try l.acquire(block: block, timeout: slice) } catch .alreadyHeld {
                        // CPython would wait for ever (or until the timeout): we say why instead of hanging.
                        if !block || hasTimeout { return false }
                        throw self.pyError(SynchronizeError.alreadyHeld)
                    } catch { throw self.pyError(error) }
                }
            },
            method("release") { [unowned self] _, a, _ in
                let l = try self.payload(a[0], LockBox.self, "Lock").lock
                try self.lib { try l.release() }
                return .none
            },
            method("__repr__") { [unowned self] _, a, _ in .str(try self.payload(a[0], LockBox.self, "Lock").lock.description) },
        ] + withSupport())
        rlockClass = makeClass("RLock", module: module, [
            method("__init__") { [unowned self] _, a, _ in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                inst.payload = try self.lib { try RLockBox() }
                return .none
            },
            method("acquire") { [unowned self] _, a, kw in
                let l = try self.payload(a[0], RLockBox.self, "RLock").lock
                return try self.acquire(a, kw) { block, slice in try self.lib { try l.acquire(block: block, timeout: slice) } }
            },
            method("release") { [unowned self] _, a, _ in
                let l = try self.payload(a[0], RLockBox.self, "RLock").lock
                try self.lib { try l.release() }
                return .none
            },
            method("__repr__") { [unowned self] _, a, _ in .str(try self.payload(a[0], RLockBox.self, "RLock").lock.description) },
        ] + withSupport())
        let semInit: (Bool) -> NativeFn = { bounded in
            { [unowned self] i, a, kw in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                let b = try self.bind(Array(a.dropFirst()), kw, ["value", "ctx"], bounded ? "BoundedSemaphore" : "Semaphore")
                let v = try b[0].map { try i.intArg($0) } ?? 1
                if v < 0 { throw self.err("ValueError", "semaphore initial value must be >= 0") }
                inst.payload = try self.lib { try SemaphoreBox(value: v, bounded: bounded) }
                return .none
            }
        }
        let semMembers: [(String, Value)] = [
            method("acquire") { [unowned self] _, a, kw in
                let s = try self.payload(a[0], SemaphoreBox.self, "Semaphore").sem
                return try self.acquire(a, kw) { block, slice in s.acquire(block: block, timeout: slice) }
            },
            method("release") { [unowned self] _, a, _ in
                let s = try self.payload(a[0], SemaphoreBox.self, "Semaphore").sem
                try self.lib { try s.release() }
                return .none
            },
            method("get_value") { [unowned self] _, a, _ in .int(try self.payload(a[0], SemaphoreBox.self, "Semaphore").sem.value) },
            method("__repr__") { [unowned self] _, a, _ in
                let s = try self.payload(a[0], SemaphoreBox.self, "Semaphore")
                if let bound = s.bound { return .str("<BoundedSemaphore(value=\(s.sem.value), maxvalue=\(bound))>") }
                return .str("<Semaphore(value=\(s.sem.value))>")
            },
        ] + withSupport()
        semaphoreClass = makeClass("Semaphore", module: module, semMembers + [method("__init__", semInit(false))])
        boundedSemaphoreClass = makeClass("BoundedSemaphore", module: module, base: semaphoreClass, [method("__init__", semInit(true))])

        conditionClass = makeClass("Condition", module: module, [
            method("__init__") { [unowned self] i, a, kw in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                let b = try self.bind(Array(a.dropFirst()), kw, ["lock", "ctx"], "Condition")
                var lockValue = b[0] ?? .none
                if lockValue.isNone { lockValue = try i.call(.obj(self.rlockClass), [], []) }
                let cond: Condition
                if case .obj(let li as PyInstance) = lockValue, let l = li.payload as? LockBox {
                    cond = try self.lib { try Condition(lock: l.lock) }
                } else if case .obj(let li as PyInstance) = lockValue, let l = li.payload as? RLockBox {
                    cond = try self.lib { try Condition(lock: l.lock) }
                } else {
                    throw i.typeError("Condition() needs a multiprocessing Lock or RLock, not '\(i.typeName(lockValue))'")
                }
                inst.payload = ConditionBox(cond, lockValue)
                return .none
            },
            method("acquire") { [unowned self] _, a, kw in
                let c = try self.payload(a[0], ConditionBox.self, "Condition")
                return try self.acquire(a, kw) { block, slice in try self.lib { try c.cond.acquire(block: block, timeout: slice) } }
            },
            method("release") { [unowned self] _, a, _ in
                let c = try self.payload(a[0], ConditionBox.self, "Condition")
                try self.lib { try c.cond.release() }
                return .none
            },
            method("wait") { [unowned self] _, a, kw in
                let c = try self.payload(a[0], ConditionBox.self, "Condition")
                let t = try self.timeout(try self.bind(Array(a.dropFirst()), kw, ["timeout"], "wait")[0])
                // Waiting in slices loses no notify: between slices this process holds the lock again, and a
                // notifier must hold it too.
                return .bool(try self.waitSliced(t) { slice in try self.conditionWait(c, slice) })
            },
            method("wait_for") { [unowned self] i, a, kw in
                let c = try self.payload(a[0], ConditionBox.self, "Condition")
                let b = try self.bind(Array(a.dropFirst()), kw, ["predicate", "timeout"], "wait_for")
                guard let pred = b[0] else { throw i.typeError("wait_for() missing required argument 'predicate'") }
                let t = try self.timeout(b[1])
                // CPython's returns the predicate's last value itself, not a bool
                var result = try i.call(pred, [], [])
                if try i.truthy(result) { return result }
                _ = try self.waitSliced(t) { slice in
                    _ = try self.conditionWait(c, slice)
                    result = try i.call(pred, [], [])
                    return try i.truthy(result)
                }
                return result
            },
            method("notify") { [unowned self] i, a, kw in
                let c = try self.payload(a[0], ConditionBox.self, "Condition")
                let n = try self.bind(Array(a.dropFirst()), kw, ["n"], "notify")[0].map { try i.intArg($0) } ?? 1
                try self.whileOwned("lock is not owned") { () throws(SynchronizeError) in try c.cond.notify(n) }
                return .none
            },
            method("notify_all") { [unowned self] _, a, _ in
                let c = try self.payload(a[0], ConditionBox.self, "Condition")
                try self.whileOwned("lock is not owned") { () throws(SynchronizeError) in try c.cond.notifyAll() }
                return .none
            },
            method("__repr__") { [unowned self] i, a, _ in
                let c = try self.payload(a[0], ConditionBox.self, "Condition")
                return .str("<Condition(\(try i.repr(c.lockValue)), \(c.cond.waitingCount))>")
            },
        ] + withSupport())

        eventClass = makeClass("Event", module: module, [
            method("__init__") { [unowned self] _, a, _ in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                inst.payload = try self.lib { try EventBox() }
                return .none
            },
            method("set") { [unowned self] _, a, _ in try self.payload(a[0], EventBox.self, "Event").event.set(); return .none },
            method("clear") { [unowned self] _, a, _ in try self.payload(a[0], EventBox.self, "Event").event.clear(); return .none },
            method("is_set") { [unowned self] _, a, _ in .bool(try self.payload(a[0], EventBox.self, "Event").event.isSet) },
            method("wait") { [unowned self] _, a, kw in
                let e = try self.payload(a[0], EventBox.self, "Event").event
                let t = try self.timeout(try self.bind(Array(a.dropFirst()), kw, ["timeout"], "wait")[0])
                return .bool(try self.waitSliced(t) { slice in e.wait(timeout: slice) })
            },
        ])

        barrierClass = makeClass("Barrier", module: module, [
            method("__init__") { [unowned self] i, a, kw in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                let b = try self.bind(Array(a.dropFirst()), kw, ["parties", "action", "timeout", "ctx"], "Barrier")
                guard let pv = b[0] else { throw i.typeError("Barrier() missing required argument 'parties'") }
                let parties = try i.intArg(pv)
                if parties < 1 { throw self.err("ValueError", "parties must be >= 1") }
                var action: (() throws -> Void)?
                if let act = b[1], !act.isNone { action = { [unowned i] in _ = try i.call(act, [], []) } }
                let t = try self.timeout(b[2])
                inst.payload = BarrierBox(try self.lib { try Barrier(parties: parties, action: action, timeout: t) }, parties)
                return .none
            },
            method("wait") { [unowned self] _, a, kw in
                let br = try self.payload(a[0], BarrierBox.self, "Barrier").barrier
                let t = try self.timeout(try self.bind(Array(a.dropFirst()), kw, ["timeout"], "wait")[0])
                return .int(try self.lib { try br.wait(timeout: t) })
            },
            method("reset") { [unowned self] _, a, _ in
                let br = try self.payload(a[0], BarrierBox.self, "Barrier").barrier
                try self.lib { try br.reset() }
                return .none
            },
            method("abort") { [unowned self] _, a, _ in
                let br = try self.payload(a[0], BarrierBox.self, "Barrier").barrier
                try self.lib { try br.abort() }
                return .none
            },
            property("parties", get: { [unowned self] _, a, _ in .int(try self.payload(a[0], BarrierBox.self, "Barrier").parties) }),
            property("n_waiting", get: { [unowned self] _, a, _ in .int(try self.payload(a[0], BarrierBox.self, "Barrier").barrier.nWaiting) }),
            property("broken", get: { [unowned self] _, a, _ in .bool(try self.payload(a[0], BarrierBox.self, "Barrier").barrier.broken) }),
        ])
    }
}
