// mpsh-mpi against mpi4py: each program of MPICorpus/ runs under mpirun (its first line says how: `# mpirun -n 4
// -m mpi4py.futures`, `# mpirun -n 3`, `# alone`) with mpsh-mpi and with CPython + mpi4py, and the outputs must be
// the same (only rank 0 prints in them: mpirun forwards the ranks' output in no fixed order). CPython's mpi4py is
// the one .ci/run installs in .build/mpi4py-venv (or $MPSH_MPI4PY_PYTHON); without it the programs still run under
// mpsh-mpi and must succeed, and the comparison is skipped with a message.

import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class MPI4PyCorpusTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("MPICorpus")
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A Python that imports mpi4py, or nil.
    static let mpi4pyPython: String? = {
        var candidates: [String] = []
        if let given = getenv("MPSH_MPI4PY_PYTHON") { candidates.append(String(cString: given)) }
        candidates.append(packageRoot.appendingPathComponent(".build/mpi4py-venv/bin/python").path)
        candidates.append("/usr/bin/python3")
        for python in candidates where access(python, X_OK) == 0 {
            if let run = try? runChild([python, "-c", "import mpi4py.futures"], limit: 30), run.status == 0 { return python }
        }
        return nil
    }()

    func command(for program: URL, interpreter: [String]) throws -> [String] {
        let text = try String(contentsOf: program, encoding: .utf8)
        let mode = text.split(separator: "\n").first.map(String.init) ?? ""
        if mode.hasPrefix("# alone") { return interpreter + [program.path] }
        guard mode.hasPrefix("# mpirun ") else {
            throw ChildProgramError("\(program.lastPathComponent): the first line must be '# mpirun -n N [-m mpi4py.futures]' or '# alone'")
        }
        var words = mode.dropFirst("# mpirun ".count).split(separator: " ").map(String.init)
        var module: [String] = []
        if let m = words.firstIndex(of: "-m") {
            module = Array(words[m...])
            words.removeSubrange(m...)
        }
        return [try MPIExecutorTests.mpirun()] + words + ["--oversubscribe"] + interpreter + module + [program.path]
    }

    func testProgramsMatchMpi4py() throws {
        _ = try MPIExecutorTests.mpirun()
        let programs = try FileManager.default.contentsOfDirectory(at: Self.corpus, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "py" }.sorted { $0.path < $1.path }
        XCTAssertGreaterThanOrEqual(programs.count, 4)
        let mpsh = try builtExecutable("mpsh-mpi")
        var compared = 0
        for program in programs {
            let ours = try runChild(try command(for: program, interpreter: [mpsh]), environment: MPIExecutorTests.environment,
                                    limit: 120)
            XCTAssertEqual(ours.status, 0, "\(program.lastPathComponent) under mpsh-mpi:\n\(ours.output)\n\(ours.error)")
            guard let python = Self.mpi4pyPython else { continue }
            let theirs = try runChild(try command(for: program, interpreter: [python]),
                                      environment: MPIExecutorTests.environment, limit: 120)
            XCTAssertEqual(theirs.status, 0, "\(program.lastPathComponent) under mpi4py:\n\(theirs.error)")
            XCTAssertEqual(ours.output, theirs.output, "\(program.lastPathComponent): mpsh-mpi (first) against mpi4py")
            compared += 1
        }
        if Self.mpi4pyPython == nil {
            throw XCTSkip("ran \(programs.count) programs under mpsh-mpi; not compared: no Python with mpi4py " +
                          "(.ci/run makes .build/mpi4py-venv; or set MPSH_MPI4PY_PYTHON)")
        }
        XCTAssertEqual(compared, programs.count)
    }

    /// get_context('mpi').Pool (mpsh's own: mpi4py has no such context) against CPython's local Pool (the same
    /// program with get_context('fork')), alone and under -m mpi4py.futures; then a task that segfaults: that task
    /// fails, the pool goes on (CPython's local pool would hang there, so that part runs under mpsh-mpi only).
    func testMpiContextPoolMatchesCPythonsPool() throws {
        let mpirun = try MPIExecutorTests.mpirun()
        let program = """
            import multiprocessing as mp
            import os
            import sys

            def square(x):
                return x * x

            def add(a, b):
                return a + b

            def bad(x):
                raise ValueError("bad %d" % x)

            def crash(x):
                os.kill(os.getpid(), 11)

            if __name__ == '__main__':
                method = sys.argv[1]
                got = []
                with mp.get_context(method).Pool(2) as pool:
                    print(pool.map(square, range(12)), pool.map(square, [3, 4], chunksize=1))
                    print(pool.starmap(add, [(1, 2), (3, 4)]), pool.apply(square, (9,)), pool.apply(add, (1,), {'b': 5}))
                    print(pool.apply_async(add, (5, 6)).get(timeout=20), sorted(pool.imap_unordered(square, range(5))))
                    print(list(pool.imap(square, range(5))), list(pool.imap(square, range(7), chunksize=3)))
                    r = pool.map_async(square, range(10), callback=got.append)
                    print(r.get(timeout=20), r.ready(), r.successful())
                    e = pool.map_async(bad, [1, 2], chunksize=2, error_callback=lambda exc: got.append(repr(exc)))
                    try:
                        e.get(timeout=20)
                    except ValueError as exc:
                        print("ValueError", exc)
                    try:
                        pool.apply(bad, (7,))
                    except ValueError as exc:
                        print("ValueError", exc)
                    print(pool.map_async(square, []).get())
                    if method == 'mpi':
                        try:
                            pool.apply(crash, (1,))
                        except Exception as exc:
                            print(type(exc).__name__, 'SIGSEGV' in str(exc), 'MPI rank' in str(exc))
                        print(pool.map(square, [7]))
                print(got)

            """
        let path = try privateProgram("mpsh_mpi_pool.py", program)
        defer { removePrivateProgram(path) }
        let cpython = try runChild(["/usr/bin/env", "python3", path, "fork"], limit: 60)
        XCTAssertEqual(cpython.status, 0, cpython.error)
        var lines = cpython.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.insert(contentsOf: ["ProcessError True True", "[49]"], at: lines.count - 2)  // before `got` and the end
        let expected = lines.joined(separator: "\n")
        let mpsh = try builtExecutable("mpsh-mpi")
        for arguments in [[mpsh, path, "mpi"],
                          [mpirun, "-n", "3", "--oversubscribe", mpsh, "-m", "mpi4py.futures", path, "mpi"]] {
            let run = try runChild(arguments, environment: MPIExecutorTests.environment, limit: 120)
            XCTAssertEqual(run.status, 0, run.error)
            XCTAssertEqual(run.output, expected, arguments.joined(separator: " "))
        }
    }
}
