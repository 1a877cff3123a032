// The multiprocessing corpus: every Tests/MPShellTests/MPCorpus/*.py runs under python3 and under the built
// `mpsh`; normalised stdout (pids and addresses masked), the last line of stderr and the exit status must be
// identical. A program whose first line is `# mpcorpus: unordered` prints in an order its processes decide, so
// its lines are compared as a sorted list. Expected output is never written by hand.
//
// Nothing may be left behind: no /dev/shm segment, and no socket directory (`/tmp/pymp-*`, multiprocessing's
// `util.get_temp_dir()`). Both interpreters run with a TMPDIR of the test's own, so the directories a program makes
// are told apart from those of every other program on the machine (the same user's concurrent test runs included);
// one still there after both runs of a program have ended fails that program.
import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class BindingCorpusTests: XCTestCase {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    static var corpusDir: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("MPCorpus")
    }

    /// The built mpsh next to this test bundle (swift build --build-tests builds it).
    static func mpshPath() -> String? {
        let bundleDir = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidates = [
            bundleDir.appendingPathComponent("mpsh").path,
            packageRoot.appendingPathComponent(".build/debug/mpsh").path,
            packageRoot.appendingPathComponent(".build/release/mpsh").path,
        ] + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent("mpsh").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Outcome { var stdout: String; var stderr: String; var status: Int32 }

    /// Runs a command in the corpus directory; a program still running after 60 s is killed, with its
    /// children, and fails the test instead of hanging it (TestSupport's runner).
    /// `temporaryDirectory`, when given, is the program's TMPDIR.
    static func run(_ argv: [String], python: Bool, temporaryDirectory: String? = nil) throws -> Outcome {
        let environment = pythonEnvironment(temporaryDirectory.map { ["TMPDIR": $0] } ?? [:])
        let run = try runChild(argv, environment: environment, processGroup: true, directory: corpusDir.path)
        return Outcome(stdout: run.output, stderr: run.error, status: run.status)
    }

    /// Masks what differs from run to run: pids and object addresses.
    static func normalise(_ s: String) -> String {
        var t = s
        for (pattern, with) in [(#"pid=\d+"#, "pid=N"), (#"parent=\d+"#, "parent=N"), (#"0x[0-9a-f]+"#, "0xADDR")] {
            t = t.replacingOccurrences(of: pattern, with: with, options: .regularExpression)
        }
        return t
    }

    func testMultiprocessingCorpusMatchesCPython() throws {
        guard let mpsh = Self.mpshPath() else {
            return XCTFail("the mpsh executable is not built: run `swift build --build-tests` first")
        }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: Self.corpusDir.path)) ?? [])
            .filter { $0.hasSuffix(".py") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 40, "the multiprocessing corpus must hold at least 40 programs")
        let shmBefore = sharedMemoryEntries()
        let tmp = try Self.makeTemporaryDirectory("mpcorpus-tmp")
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        var failures: [String] = []
        for name in files {
            let path = Self.corpusDir.appendingPathComponent(name).path
            let source = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            let unordered = source.hasPrefix("# mpcorpus: unordered")
            let socketDirsBefore = socketDirectories(in: tmp)
            let py = try Self.run(["python3", path], python: true, temporaryDirectory: tmp)
            let mp = try Self.run([mpsh, path], python: false, temporaryDirectory: tmp)
            var pyOut = Self.normalise(py.stdout), mpOut = Self.normalise(mp.stdout)
            if unordered {
                pyOut = pyOut.split(separator: "\n").sorted().joined(separator: "\n")
                mpOut = mpOut.split(separator: "\n").sorted().joined(separator: "\n")
            }
            var problems: [String] = []
            if pyOut != mpOut { problems.append("stdout differs:\n" + CorpusTests.diff(pyOut, mpOut)) }
            let pyLast = CorpusTests.lastLine(Self.normalise(py.stderr)), mpLast = CorpusTests.lastLine(Self.normalise(mp.stderr))
            if pyLast != mpLast { problems.append("last stderr line differs:\n    python3: \(pyLast)\n    mpsh:    \(mpLast)") }
            if py.status != mp.status { problems.append("exit status differs: python3 \(py.status), mpsh \(mp.status)") }
            let socketDirsLeft = socketDirectories(in: tmp).subtracting(socketDirsBefore)
            if !socketDirsLeft.isEmpty {
                problems.append("socket directories left behind: \(socketDirsLeft.sorted())")
                for dir in socketDirsLeft { try? FileManager.default.removeItem(atPath: tmp + "/" + dir) }
            }
            if !problems.isEmpty { failures.append("\(name):\n" + problems.joined(separator: "\n")) }
        }
        if !failures.isEmpty {
            XCTFail("\(failures.count) of \(files.count) multiprocessing programs differ from CPython:\n\n" + failures.joined(separator: "\n\n"))
        }
        // CPython's own leaks (none expected) would show here too; mpsh must leave nothing in /dev/shm.
        let leftover = sharedMemoryEntries().subtracting(shmBefore).filter { $0.hasPrefix("psm_") || $0.hasPrefix("mpcorpus") }
        XCTAssertTrue(leftover.isEmpty, "shared memory left behind: \(leftover.sorted())")
    }

    /// A new directory of this test's own (0700) in the temporary directory, named `prefix-XXXXXX`.
    static func makeTemporaryDirectory(_ prefix: String) throws -> String {
        var template = Array((NSTemporaryDirectory() + "/" + prefix + "-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ChildProgramError("cannot make a temporary directory: \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }

    /// A program whose children outlive its main code: after mpsh exits, none of them may still run
    /// (non-daemonic ones were joined, daemonic ones terminated).
    func testNoOrphansAfterExit() throws {
        guard let mpsh = Self.mpshPath() else { return XCTFail("the mpsh executable is not built") }
        let program = """
            import multiprocessing as mp, time
            def spin():
                while True:
                    time.sleep(0.01)
            def short(ev):
                ev.wait()
            if __name__ == '__main__':
                ev = mp.Event()
                d = mp.Process(target=spin, daemon=True)
                n = mp.Process(target=short, args=(ev,))
                d.start(); n.start()
                print(d.pid, n.pid, flush=True)
                ev.set()
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mpsh-orphans-\(getpid()).py")
        try program.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let out = try Self.run([mpsh, file.path], python: false)
        XCTAssertEqual(out.status, 0, out.stderr)
        let pids = out.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int32($0) }
        XCTAssertEqual(pids.count, 2, out.stdout)
        for pid in pids {
            XCTAssertEqual(kill(pid, 0), -1, "child \(pid) still running after mpsh exited")
            XCTAssertEqual(errno, ESRCH)
        }
    }

    /// Whether `pid` has ended: gone, or a zombie waiting for its new parent to reap it.
    static func hasEnded(_ pid: Int32) -> Bool {
        if kill(pid, 0) != 0 { return errno == ESRCH }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// Starts `mpsh` on `program` (written to a temporary file; standard input from /dev/null, standard error in
    /// `stderr`) and reads its standard output up to the first newline: the handshake line the program prints
    /// once it runs. The file is removed once the line arrives (mpsh has read it whole by then).
    static func startMpsh(_ mpsh: String, _ program: String, tag: String,
                          stderr: Any = FileHandle.nullDevice) throws -> (process: Foundation.Process, firstLine: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mpsh-\(tag)-\(getpid()).py")
        try program.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Foundation.Process()
        p.executableURL = URL(fileURLWithPath: mpsh)
        p.arguments = [file.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = stderr
        p.standardInput = FileHandle.nullDevice
        try p.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        return (p, String(decoding: line, as: UTF8.self))
    }

    /// Waits up to 10 s (polling, bounded) for every one of `pids` to end, then fails for each that did not,
    /// naming it, and kills it.
    static func assertEnd(of pids: [Int32], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let deadline = ContinuousClock.now + .seconds(10)
        while !pids.allSatisfy(hasEnded) && ContinuousClock.now < deadline { usleep(10_000) }
        for pid in pids where !hasEnded(pid) {
            XCTFail("\(what) \(pid) outlived its interrupted parent", file: file, line: line)
            kill(pid, SIGKILL)
        }
    }

    /// SIGINT to mpsh alone (not its process group) while it waits on a child: mpsh dies, and the child dies with
    /// it (the parent-death signal) instead of running on as an orphan.
    func testInterruptedParentLeavesNoOrphan() throws {
        guard let mpsh = Self.mpshPath() else { return XCTFail("the mpsh executable is not built") }
        let program = """
            import multiprocessing as mp
            def child(ev):
                ev.wait()
            if __name__ == '__main__':
                ev = mp.Event()
                q = mp.Queue()
                p = mp.Process(target=child, args=(ev,))
                p.start()
                print(p.pid, flush=True)
                q.get()
            """
        // Handshake: the child's pid arrives once it runs.
        let (p, line) = try Self.startMpsh(mpsh, program, tag: "sigint")
        guard let childPID = Int32(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            p.terminate(); p.waitUntilExit()
            return XCTFail("no child pid from mpsh: \(line)")
        }
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        Self.assertEnd(of: [childPID], "child")
    }
}
