// Generators (`yield` in def): the body runs on its own thread and hands values over in strict alternation,
// so the tree-walking evaluator needs no continuation machinery. Mirrors CPython's `Objects/genobject.c`.
import Foundation

struct GeneratorExitSignal: Error {}

/// The state shared by a generator's consumer and its producer thread. Only one side runs at a time.
final class GeneratorState: @unchecked Sendable {
    let toConsumer = DispatchSemaphore(value: 0)
    let toProducer = DispatchSemaphore(value: 0)
    var value: Value?
    var error: Error?
    var started = false
    var finished = false
    var closing = false
    var sent: Value = .none
    var thrownIn: PyInstance?
    var returnValue: Value?
    var running = false
    let body: () throws -> Value

    init(body: @escaping () throws -> Value) { self.body = body }

    /// Called on the producer thread by a `yield` expression.
    func yield(_ v: Value) throws -> Value {
        value = v
        toConsumer.signal()
        toProducer.wait()
        if closing { throw GeneratorExitSignal() }
        if let t = thrownIn { thrownIn = nil; throw PyException(t) }
        return sent
    }

    /// The process whose thread runs the body: after fork, a child has no such thread.
    var threadPID: Int32 = 0

    func start() {
        started = true
        threadPID = getpid()
        let box = UncheckedBox(self)
        let t = Thread {
            let s = box.value
            do {
                let r = try s.body()
                s.returnValue = r
            } catch is GeneratorExitSignal {
            } catch {
                s.error = error
            }
            s.finished = true
            s.value = nil
            s.toConsumer.signal()
        }
        t.stackSize = 16 << 20
        t.start()
    }

    /// Runs the generator to its next yield; nil when it finished.
    func resume(_ interp: Interpreter) throws -> Value? {
        if finished { return nil }
        if running { throw interp.err("ValueError", "generator already executing") }
        if started && !finished && threadPID != getpid() {
            throw interp.err("RuntimeError", "this generator was started before the process forked: its thread is not in this process, so it cannot go on here (create the generator in the child)")
        }
        running = true
        defer { running = false }
        let depth = interp.callDepth
        if !started { start() } else { toProducer.signal() }
        toConsumer.wait()
        interp.callDepth = depth
        if finished {
            if let e = error { error = nil; throw e }
            return nil
        }
        return value
    }

    func close() {
        if started && !finished && threadPID == getpid() {
            closing = true
            toProducer.signal()
            toConsumer.wait()
        }
        finished = true
    }
}

struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ v: T) { value = v }
}

/// The iterator object returned by calling a generator function.
final class GeneratorIterator: PyIterator {
    let state: GeneratorState
    unowned(unsafe) let interp: Interpreter
    init(_ s: GeneratorState, _ interp: Interpreter) {
        state = s
        self.interp = interp
        super.init("generator") { [unowned(unsafe) interp] in s.sent = .none; return try s.resume(interp) }
    }
    func send(_ v: Value) throws -> Value {
        if !state.started && !v.isNone { throw interp.typeError("can't send non-None value to a just-started generator") }
        state.sent = v
        if let r = try state.resume(interp) { return r }
        throw interp.err("StopIteration", nil)
    }
    func throwIn(_ e: PyInstance) throws -> Value {
        if !state.started { state.finished = true; throw PyException(e) }
        state.thrownIn = e
        if let r = try state.resume(interp) { return r }
        throw interp.err("StopIteration", nil)
    }
    func close() { state.close() }
    deinit { state.close() }
}

extension Interpreter {
    func makeGenerator(_ f: Frame, _ code: FuncCode) -> PyIterator {
        let state = GeneratorState { [unowned(unsafe) self] in
            do {
                if try runBlock(code.body, f) == .ret { return f.ret }
                return .none
            } catch let e as PyException {
                e.exc.traceback.append((code.file, f.line, code.name))
                if e.exc.cls.name == "StopIteration" { throw self.err("RuntimeError", "generator raised StopIteration") }
                throw e
            }
        }
        f.gen = state
        return GeneratorIterator(state, self)
    }
}
