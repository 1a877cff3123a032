// The entry points a shell and a multiprocessing binding call: compile/run in a module, interactive chunks,
// incomplete input detection, calling Python functions from Swift, and plugging in a native module.
import PyLang
import XCTest

final class InterpreterAPITests: XCTestCase {
    func onBigStack<T>(_ body: @escaping () throws -> T) throws -> T {
        let r: Result<T, Error> = withLargeStack { Result { try body() } }
        return try r.get()
    }

    func testInteractiveChunksShareMainModule() throws {
        let out = try onBigStack { () -> [String] in
            let i = Interpreter()
            i.captureOutput()
            let m = i.mainModule()
            var shown: [String] = []
            for chunk in ["x = 20", "def double(v):\n    return v * 2\n", "double(x) + 2", "print('side effect')", "None"] {
                let prog = try i.compile(chunk, file: "<stdin>", module: m)
                if let v = try i.runInteractive(prog, in: m), !v.isNone { shown.append(try i.repr(v)) }
            }
            shown.append(i.capturedOutput.stdout)
            return shown
        }
        XCTAssertEqual(out, ["42", "side effect\n"])
    }

    func testIncompleteInputIsFlagged() {
        for src in ["if x:\n", "def f(a,\n", "s = '''abc\n", "x = [1,\n"] {
            let e = Interpreter.check(src)
            XCTAssertNotNil(e, src)
            XCTAssertTrue(e?.incomplete ?? false, "\(src): \(String(describing: e))")
        }
        XCTAssertFalse(Interpreter.check("x = )")?.incomplete ?? true)
    }

    func testCallPythonFunctionFromSwift() throws {
        let r = try onBigStack { () -> String in
            let i = Interpreter()
            let m = i.mainModule()
            try i.run(try i.compile("def make(k):\n    return lambda x, y=1: (x + y) * k\nf = make(3)\n", file: "api.py", module: m), in: m)
            let v = try i.call(m.get("f")!, [.int(4)], [("y", .int(2))])
            return try i.repr(v)
        }
        XCTAssertEqual(r, "18")
    }

    func testNativeModuleRegistration() throws {
        let r = try onBigStack { () -> String in
            let i = Interpreter()
            i.captureOutput()
            i.registerModule("greeter") { interp in
                let m = PyModule(name: "greeter")
                m.fn("hello") { interp, args, _ in .str("hello " + (try interp.str(args.first ?? .none))) }
                return m
            }
            _ = i.runMain(source: "import greeter\nfrom greeter import hello\nprint(greeter.hello('a'), hello(2))\n", file: "g.py")
            return i.capturedOutput.stdout
        }
        XCTAssertEqual(r, "hello a hello 2\n")
    }

    func testUncaughtExceptionStatusAndTraceback() throws {
        let (status, err) = try onBigStack { () -> (Int32, String) in
            let i = Interpreter()
            i.captureOutput()
            let s = i.runMain(source: "def f():\n    raise KeyError('k')\nf()\n", file: "t.py")
            return (s, i.capturedOutput.stderr)
        }
        XCTAssertEqual(status, 1)
        XCTAssertEqual(err, """
        Traceback (most recent call last):
          File "t.py", line 3, in <module>
            f()
          File "t.py", line 2, in f
            raise KeyError('k')
        KeyError: 'k'

        """)
    }

    /// An error raised by a `for` loop's iterator is reported on the `for` line (as CPython's), not on the body's
    /// last line, in a plain loop and in a resumable generator's loop; the text is what python3 prints.
    func testAnErrorFromALoopsIteratorIsOnTheForLine() throws {
        let source = """
        def inner():
            yield 1
            raise KeyError('k')
        def outer():
            for x in inner():
                yield x
        for x in outer():
            print('got', x)
        """
        let err = try onBigStack { () -> String in
            let i = Interpreter()
            i.captureOutput()
            _ = i.runMain(source: source + "\n", file: "t.py")
            return i.capturedOutput.stderr
        }
        XCTAssertEqual(err, """
        Traceback (most recent call last):
          File "t.py", line 7, in <module>
            for x in outer():
          File "t.py", line 5, in outer
            for x in inner():
          File "t.py", line 3, in inner
            raise KeyError('k')
        KeyError: 'k'

        """)
    }

    func testSystemExitStatus() throws {
        let s = try onBigStack { () -> Int32 in
            let i = Interpreter()
            i.captureOutput()
            return i.runMain(source: "import sys\nsys.exit(7)\n", file: "e.py")
        }
        XCTAssertEqual(s, 7)
    }
}
