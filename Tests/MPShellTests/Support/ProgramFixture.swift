import PyLang

/// Runs `program` in a fresh interpreter (output captured) on a large stack, then `body` with the interpreter
/// and its main module: the codec tests' fixture, whose values the program defines.
func withProgram<T>(_ program: String, file: String,
                    _ body: @escaping (Interpreter, PyModule) throws -> T) throws -> T {
    let result: Result<T, Error> = withLargeStack {
        let interpreter = Interpreter()
        interpreter.captureOutput()
        let module = interpreter.mainModule()
        do {
            try interpreter.run(try interpreter.compile(program, file: file, module: module), in: module)
            return .success(try body(interpreter, module))
        } catch { return .failure(error) }
    }
    return try result.get()
}
