// Generators (`yield` in def): the body runs on a stack of its own, on the same thread, as a stackful coroutine
// (CShim's `cshim_coro`): `yield` switches back to whoever resumed the generator and the next resume switches in
// again, so the tree-walking evaluator's Swift frames are the generator's suspended frame. No thread per
// generator: a switch costs a few nanoseconds, and a generator alive when the program forks goes on in the child
// (the stacks are private mappings, copied by fork). Mirrors CPython's `Objects/genobject.c`.
//
// What crosses a switch, and why it is safe:
// - Errors: Swift throws are ordinary returns, so nothing unwinds across stacks; the coroutine's entry catches
//   everything the body throws and the resumer rethrows it.
// - Exclusivity: the Swift runtime keeps the in-progress dynamic accesses of a thread in a thread-local list (a
//   linked list of records on the stack). While a generator runs, its accesses go on top of its resumer's and
//   come off in LIFO order, so the list stays right as long as no access of the generator's spans a yield. None
//   can: between a generator body's entry and its `yield` there are only the evaluator's node methods, which
//   evaluate children before any access begins and pass no class storage inout. Debug builds check it on every
//   switch, taking a generator's accesses off the list at a yield and putting them back at the resume with the
//   runtime's own functions for async tasks (`swift_task_enter/exitThreadLocalContext`), and asserting that
//   nothing was left; release builds skip those two calls (8% of a `sum(gen(n))`'s CPU time).
// - Recursion: a resume counts one level of `callDepth` (as CPython's frame evaluation does), and calls on a
//   generator's stack check the stack pointer against `Interpreter.stackLimit`, so a deep recursion inside a
//   generator raises RecursionError before it reaches the guard page.
// - Exceptions being handled (`Interpreter.handling`): each generator keeps its own across yields, as CPython's
//   `gi_exc_state`.
import CShim

@_silgen_name("swift_task_enterThreadLocalContext")
private func swiftEnterThreadLocalContext(_ state: UnsafeMutableRawPointer)
@_silgen_name("swift_task_exitThreadLocalContext")
private func swiftExitThreadLocalContext(_ state: UnsafeMutableRawPointer)

/// Room kept free at the bottom of a generator's stack: below it a call raises RecursionError. What one Python
/// call level needs is a few KiB, so this covers Swift recursion within one level (nested containers' repr,
/// deeply nested expressions) too.
private let generatorStackReserve: UInt = 1 << 20

/// A generator's coroutine and the state its consumer and body share. Only one side runs at a time.
final class GeneratorState {
    /// The coroutine (C struct) and, after it, the two words of the Swift runtime's access-set context: manually
    /// allocated, so the pointers handed to C and to the runtime never begin a Swift access.
    /// Nil for a resumable body (`ResumableGenerator.swift`), which runs on its resumer's stack.
    private let co: UnsafeMutablePointer<cshim_coro>!
    private let accessContext: UnsafeMutableRawPointer!
    @exclusivity(unchecked) var value: Value?
    @exclusivity(unchecked) var error: Error?
    @exclusivity(unchecked) var started = false
    @exclusivity(unchecked) var finished = false
    @exclusivity(unchecked) var closing = false
    @exclusivity(unchecked) var sent: Value = .none
    @exclusivity(unchecked) var thrownIn: PyInstance?
    @exclusivity(unchecked) var returnValue: Value?
    /// Whether the last resume is the one that saw the body end: only its StopIteration carries the return value.
    @exclusivity(unchecked) var justFinished = false
    @exclusivity(unchecked) var running = false
    /// The exception the body is handling while it is suspended (`except:` around a yield).
    @exclusivity(unchecked) private var handling: PyInstance?
    /// The body; dropped when it finishes (it holds the frame, which holds this state).
    @exclusivity(unchecked) private var body: (() throws -> Value)?
    unowned(unsafe) let interp: Interpreter
    private let interpRef: Unmanaged<Interpreter>
    /// A resumable body's frame and code (nil for a stackful one), dropped when the body finishes.
    @exclusivity(unchecked) private var frame: Frame?
    private let code: FuncCode?
    /// `frame` and `code` for the resumes, unretained: `frame` keeps the frame until the body finishes, and the
    /// frame's function keeps the code.
    private let frameRef: Unmanaged<Frame>?
    private let codeRef: Unmanaged<FuncCode>?
    /// Set by a resumable body's yield while the body unwinds to suspend (each statement on the way out saves
    /// its place in the frame's hidden slots).
    @exclusivity(unchecked) var suspending = false
    /// While a resumable body is suspended in a `yield from` over a generator: that generator, resumed straight
    /// from here as long as it yields (a chain of recursive generators then passes a value up without walking
    /// back into each body); how it ended, for the `yield from` to take when the body resumes.
    @exclusivity(unchecked) var delegate: GeneratorState?
    @exclusivity(unchecked) var delegateOutcome: DelegateOutcome?
    enum DelegateOutcome { case returned(Value), raised(Error) }

    /// A resumable body: no coroutine, no stack of its own; each resume walks back in to where the body stopped.
    init(_ interp: Interpreter, frame: Frame, code: FuncCode) {
        self.interp = interp
        interpRef = .passUnretained(interp)
        self.frame = frame
        self.code = code
        frameRef = .passUnretained(frame)
        codeRef = .passUnretained(code)
        co = nil
        accessContext = nil
    }

    init(_ interp: Interpreter, body: @escaping () throws -> Value) {
        self.interp = interp
        interpRef = .passUnretained(interp)
        self.body = body
        frame = nil
        code = nil
        frameRef = nil
        codeRef = nil
        let raw = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<cshim_coro>.stride + 16, alignment: 16)
        co = raw.bindMemory(to: cshim_coro.self, capacity: 1)
        accessContext = raw + MemoryLayout<cshim_coro>.stride
        accessContext.initializeMemory(as: UInt.self, repeating: 0, count: 2)
        cshim_coro_init(co, generatorEntry, nil)
        co.pointee.user = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        // a suspended body that could not be closed is dropped unrun (what its frames hold is not released)
        guard let co else { return }
        cshim_coro_release(co)
        UnsafeMutableRawPointer(co).deallocate()
    }

    /// Runs on the generator's stack: the body, to its end; the entry function then switches back for good.
    fileprivate func runBody() {
        do {
            let r = try body!()
            returnValue = r
        } catch let e as PyException where closing && e.exc.cls.name == "GeneratorExit" {
        } catch {
            self.error = error
        }
        value = nil
    }

    /// Called on the generator's stack by a `yield` expression: hands `v` to the resumer, and returns what the next
    /// resume sends (or raises what it throws in).
    @inline(__always)
    func yield(_ v: Value) throws -> Value {
        value = v
        cshim_coro_suspend_inline(co)
        if thrownIn != nil { try raiseThrownIn() }
        var r = Value.none
        swap(&r, &sent)
        return r
    }

    @inline(never)
    private func raiseThrownIn() throws {
        if let t = thrownIn { thrownIn = nil; throw PyException(t) }
    }

    /// At a resumable body's yield being resumed: what was sent, or raises what was thrown in.
    @inline(__always)
    func takeSent() throws -> Value {
        if thrownIn != nil { try raiseThrownIn() }
        var r = Value.none
        swap(&r, &sent)
        return r
    }

    /// `next()`: the next value, nil when the generator finished.
    @inline(__always)
    func next() throws -> Value? {
        sent = .none
        return try resume()
    }

    /// Runs the generator to its next yield; nil when it finished. Inline: every frame between a consumer's loop
    /// and the stack switch costs a mispredicted return per switch (the return stack buffer holds the other
    /// stack's calls).
    @inline(__always)
    func resume() throws -> Value? {
        if finished { justFinished = false; return nil }
        // the interpreter outlives its generators: used without retaining it
        return try interpRef._withUnsafeGuaranteedRef { try resume($0) }
    }

    @inline(__always)
    private func resume(_ interp: Interpreter) throws -> Value? {
        if running { throw interp.err("ValueError", "generator already executing") }
        let depth = interp.callDepth
        if depth >= interp.recursionLimit { throw interp.recursionError() }
        if co == nil { return try resumeInPlace(interp, depth) }
        if !started {
            if cshim_coro_prepare(co) != 0 { throw interp.err("MemoryError", "cannot map a stack for a generator") }
            started = true
        }
        running = true
        interp.callDepth = depth &+ 1
        let callerLimit = interp.stackLimit
        interp.stackLimit = stackLimit
        let callerGenerator = interp.runningGenerator
        interp.runningGenerator = Unmanaged.passUnretained(self)
        let saved = enterHandling(interp)
        #if DEBUG
        swiftEnterThreadLocalContext(accessContext)
        cshim_coro_resume_prepared(co)
        swiftExitThreadLocalContext(accessContext)
        // what the release build relies on (see the file's header): nothing of the generator's is left
        assert(accessContext.load(as: UInt.self) == 0, "a dynamic exclusivity access spans a yield")
        #else
        cshim_coro_resume_prepared(co)
        #endif
        leaveHandling(interp, saved)
        interp.stackLimit = callerLimit
        interp.runningGenerator = callerGenerator
        interp.callDepth = depth
        running = false
        if co.pointee.finished != 0 {
            finish()
            justFinished = true
            if let e = error { error = nil; throw e }
            return nil
        }
        return value.take()
    }

    /// The lowest stack pointer a call may have on this generator's stack before the limit check's slow path:
    /// first the shallow mark (past it the stack is `deep` and its pages go back to the kernel when it is
    /// released), then the reserve at the bottom.
    private var stackLimit: UInt {
        let low = UInt(bitPattern: co.pointee.stack_low)
        if co.pointee.deep != 0 { return low + generatorStackReserve }
        return low + UInt(co.pointee.stack_size) - UInt(CSHIM_CORO_SHALLOW)
    }

    /// Called by a call whose stack pointer is below `Interpreter.stackLimit` while this generator runs: the first
    /// time marks the stack deep and lowers the limit to the reserve; past the reserve it is RecursionError.
    func stackLimitReached() throws {
        if co.pointee.deep == 0 {
            co.pointee.deep = 1
            interp.stackLimit = stackLimit
            if cshim_coro_stack_pointer() >= interp.stackLimit { return }
        }
        throw interp.recursionError()
    }

    /// Around a resume, the exception being handled (`sys.exc_info()`): the caller's, or the generator's own when
    /// it has one (rarely either). Returns what `leaveHandling` needs to put the caller's back.
    @inline(__always)
    private func enterHandling(_ interp: Interpreter) -> (swapped: Bool, caller: PyInstance?) {
        guard interp.handling != nil || handling != nil else { return (false, nil) }
        let caller = interp.handling
        if let h = handling { interp.handling = h; handling = nil }
        return (true, caller)
    }

    /// After a resume: the generator keeps the exception its body is handling, the caller gets its own back.
    @inline(__always)
    private func leaveHandling(_ interp: Interpreter, _ saved: (swapped: Bool, caller: PyInstance?)) {
        if saved.swapped || interp.handling != nil {
            if interp.handling !== saved.caller { handling = interp.handling; interp.handling = saved.caller }
        }
    }

    /// A resumable body's resume: the body runs on this stack from where it stopped (`points`) to its next yield,
    /// which unwinds back here leaving the value in the frame's `ret`.
    private func resumeInPlace(_ interp: Interpreter, _ depth: Int) throws -> Value? {
        guard frame != nil, let frameRef, let codeRef else { finished = true; justFinished = false; return nil }
        if let d = delegate, thrownIn == nil, let v = resumeDelegate(d, interp, depth) { return v }
        return try frameRef._withUnsafeGuaranteedRef { f in
            try codeRef._withUnsafeGuaranteedRef { code in try resumeInPlace(interp, depth, f, code) }
        }
    }

    /// The delegate's next value, or nil when it ended (returned or raised: `delegateOutcome`).
    @inline(__always)
    private func resumeDelegate(_ d: GeneratorState, _ interp: Interpreter, _ depth: Int) -> Value? {
        running = true
        interp.callDepth = depth &+ 1
        defer { running = false; interp.callDepth = depth }
        swap(&d.sent, &sent)
        do {
            if let v = try d.resume() { return v }
            delegateOutcome = .returned(d.justFinished ? d.returnValue ?? .none : .none)
        } catch {
            delegateOutcome = .raised(error)
        }
        delegate = nil
        return nil
    }

    @inline(__always)
    private func resumeInPlace(_ interp: Interpreter, _ depth: Int, _ f: Frame, _ code: FuncCode) throws -> Value? {
        running = true
        interp.callDepth = depth &+ 1
        let saved = enterHandling(interp)
        defer {
            leaveHandling(interp, saved)
            interp.callDepth = depth
            running = false
        }
        let resuming = started
        started = true
        do {
            let flow = try runResumable(code.bodyBuf, code.bodySlot, f, self, resuming: resuming)
            if suspending {
                suspending = false
                var v = Value.none
                swap(&v, &f.ret)
                return v
            }
            returnValue = flow == .ret ? f.ret : Value.none
            finish()
            justFinished = true
            return nil
        } catch {
            finish()
            justFinished = true
            if closing, let e = error as? PyException, e.exc.cls.name == "GeneratorExit" { return nil }
            throw interp.generatorError(error, f, code)
        }
    }

    private func finish() {
        finished = true
        if let co { cshim_coro_release(co) }
        body = nil
        frame = nil
        delegate = nil
        delegateOutcome = nil
        handling = nil
    }

    /// `close()`: GeneratorExit thrown in at the yield. Raises what the body raises instead, and RuntimeError when
    /// it yields again.
    func close() throws {
        if finished || !started { finished = true; body = nil; frame = nil; return }
        if running { throw interp.err("ValueError", "generator already executing") }
        closing = true
        thrownIn = interp.err("GeneratorExit", nil).exc
        defer { closing = false }
        if try resume() != nil { throw interp.err("RuntimeError", "generator ignored GeneratorExit") }
    }

    /// When the generator object goes away unfinished: closes it (its `finally` blocks run), as CPython's
    /// finalizer does; a body that will not end is abandoned.
    func closeDropped() {
        if finished || running { return }
        do { try close() } catch {}
        if !finished { finish() }
    }
}

/// The coroutine's entry: the body in a function of its own, so every Swift reference it takes is released
/// before the final switch (the entry never returns).
private func generatorEntry(_ co: UnsafeMutablePointer<cshim_coro>) {
    runGeneratorBody(co)
    cshim_coro_exit(co)
}

@inline(never)
private func runGeneratorBody(_ co: UnsafeMutablePointer<cshim_coro>) {
    Unmanaged<GeneratorState>.fromOpaque(co.pointee.user!)._withUnsafeGuaranteedRef { $0.runBody() }
}

/// The iterator object returned by calling a generator function.
final class GeneratorIterator: PyIterator {
    let state: GeneratorState
    unowned(unsafe) let interp: Interpreter
    init(_ s: GeneratorState, _ interp: Interpreter) {
        state = s
        self.interp = interp
        super.init("generator") { try s.next() }
    }
    /// StopIteration carrying the return value, as CPython's (`e.value`).
    func stopIteration() -> PyException {
        let r = state.justFinished ? state.returnValue ?? .none : .none
        let e = r.isNone ? interp.err("StopIteration", nil) : interp.errValue("StopIteration", r)
        e.exc.dict["value"] = r
        return e
    }
    func send(_ v: Value) throws -> Value {
        if !state.started && !v.isNone { throw interp.typeError("can't send non-None value to a just-started generator") }
        state.sent = v
        if let r = try state.resume() { return r }
        throw stopIteration()
    }
    func throwIn(_ e: PyInstance) throws -> Value {
        if state.finished { throw PyException(e) }
        if !state.started { state.finished = true; throw PyException(e) }
        if state.running { throw interp.err("ValueError", "generator already executing") }
        state.thrownIn = e
        if let r = try state.resume() { return r }
        throw stopIteration()
    }
    func close() throws { try state.close() }
    deinit { state.closeDropped() }
}

extension Interpreter {
    func makeGenerator(_ f: Frame, _ code: FuncCode) -> PyIterator {
        if code.resumable {
            let state = GeneratorState(self, frame: f, code: code)
            f.gen = .passUnretained(state)
            return GeneratorIterator(state, self)
        }
        let state = GeneratorState(self) { [unowned(unsafe) self] in
            do {
                if try runBlock(code.body, f) == .ret { return f.ret }
                return .none
            } catch {
                throw self.generatorError(error, f, code)
            }
        }
        f.gen = .passUnretained(state)
        return GeneratorIterator(state, self)
    }

    /// What an error leaving a generator's body becomes: its traceback gains the body's line, and a StopIteration
    /// is a RuntimeError (PEP 479).
    func generatorError(_ error: Error, _ f: Frame, _ code: FuncCode) -> Error {
        guard let e = error as? PyException else { return error }
        e.exc.traceback.append((code.file, f.line, code.name))
        if e.exc.cls.name == "StopIteration" { return err("RuntimeError", "generator raised StopIteration") }
        return e
    }

    /// The value a StopIteration carries (`e.value`).
    func stopValue(_ e: PyException) -> Value {
        if let v = e.exc.dict["value"] { return v }
        if case .tuple(let t)? = e.exc.dict["args"], let first = t.items.first { return first }
        return .none
    }

    /// `yield from` over an iterator that is not a generator: `next` for None; a value sent is an AttributeError, as
    /// CPython's for the built-in iterators (a class with its own `send` is not asked: its iterator wraps it).
    func plainSend(_ it: PyIterator, _ sent: Value) throws -> Value? {
        if sent.isNone { return try it.nextFn() }
        throw err("AttributeError", "'\(typeName(.obj(it)))' object has no attribute 'send'")
    }

    /// `yield from v` in the generator `g`: values go out and sent values, thrown exceptions and close go in, to
    /// the sub-generator; the value is the sub-generator's return value (`StopIteration.value`).
    func yieldFrom(_ v: Value, _ g: GeneratorState) throws -> Value {
        let it = try getIter(v)
        guard let sub = it as? GeneratorIterator else {
            var sent = Value.none
            while let x = try plainSend(it, sent) { sent = try g.yield(x) }
            return .none
        }
        var next: Value?
        do { next = try sub.send(.none) } catch let e as PyException where e.exc.cls.name == "StopIteration" && sub.state.finished {
            return stopValue(e)
        }
        while let x = next {
            let sent: Value
            do {
                sent = try g.yield(x)
            } catch let e as PyException {
                // thrown into this generator at its yield: GeneratorExit closes the sub-generator and goes on,
                // anything else is thrown into the sub-generator
                if e.exc.cls.name == "GeneratorExit" { try sub.close(); throw e }
                do { next = try sub.throwIn(e.exc) } catch let s as PyException where s.exc.cls.name == "StopIteration" && sub.state.finished {
                    return stopValue(s)
                }
                continue
            }
            do { next = try sub.send(sent) } catch let e as PyException where e.exc.cls.name == "StopIteration" && sub.state.finished {
                return stopValue(e)
            }
        }
        return .none
    }
}
