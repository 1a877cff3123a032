// MPShell: the mpsh language, a Python subset interpreter.
//
// Pipeline: `Lexer` (tokens with positions) → `Parser` (node tree + scope tree) → `Resolver` (every name becomes a
// frame slot, a closure cell, a class-body name or a module `GlobalBox`) → the nodes evaluate themselves
// (`Expr.eval(_:)`, `Stmt.exec(_:)`). Values are the `Value` enum: None, bools, 64-bit ints and floats unboxed,
// GMP big ints on overflow (`PyBig`), Swift strings, and class references for everything else.
//
// Entry points for the shell and for the multiprocessing binding:
//
//     let interp = Interpreter()                    // builtins + plain modules registered
//     interp.argv = ["prog.py"]
//     let status = withLargeStack { interp.runMain(source: text, file: "prog.py") }   // like `python3 prog.py`
//
//     let main = interp.mainModule()                // the REPL: one chunk at a time
//     let prog = try interp.compile(chunk, file: "<stdin>", module: main)   // throws SyntaxError (.incomplete)
//     if let v = try interp.runInteractive(prog, in: main), !v.isNone { print(try interp.repr(v)) }
//
//     try interp.call(fn, [.int(1)], [("key", .str("v"))])   // call any Python callable from Swift
//     let bytes = try interp.encode(value); let back = try interp.decode(bytes)   // values cross processes
//     interp.registerModule("multiprocessing") { interp in PyModule(...) }     // native modules plug in here
//     interp.nativeClass("Process", module: "multiprocessing", methods: [...])  // subclassable native classes
//
//     mpshInterruptPending = 1                      // from a SIGINT handler: KeyboardInterrupt at the next loop turn
//     interp.setLoopBudget(1_000_000)               // bound untrusted programs (fuzzing, tests)
//
// Run the evaluator on a large stack (`withLargeStack`): the tree walker recurses once per Python call level.
// Python exceptions are `PyException` (its `exc` is the exception instance); `formatTraceback(_:)` prints them
// as CPython does. `flushAll()` must be called before fork so buffered output is not written twice.
