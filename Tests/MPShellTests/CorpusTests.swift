// The differential corpus: every Tests/MPShellTests/Corpus/*.py runs under python3 and under the mpsh
// interpreter; stdout and the last line of a traceback must be identical. Expected output is never written by hand.
import Foundation
import PyLang
import TestSupport
import XCTest

final class CorpusTests: XCTestCase {
    static var corpusDir: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")
    }

    static func corpusFiles() -> [URL] {
        let fm = FileManager.default
        let names = (try? fm.contentsOfDirectory(atPath: corpusDir.path)) ?? []
        return names.filter { $0.hasSuffix(".py") }.sorted().map { corpusDir.appendingPathComponent($0) }
    }

    /// Runs python3 on a file (in the corpus directory, killed after 60 s); returns stdout and stderr.
    static func runPython(_ file: URL) throws -> (String, String) {
        let run = try runChild(["python3", file.path], environment: pythonEnvironment(), directory: corpusDir.path)
        return (run.output, run.error)
    }

    static func runMPShell(_ file: URL) -> (String, String) {
        let source = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        let cwd = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(corpusDir.path)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd) }
        return withLargeStack {
            let interp = Interpreter()
            interp.captureOutput()
            interp.argv = [file.path]
            _ = interp.runMain(source: source, file: file.path)
            let c = interp.capturedOutput
            return (c.stdout, c.stderr)
        }
    }

    static func lastLine(_ s: String) -> String {
        s.split(separator: "\n").last.map { String($0) } ?? ""
    }

    static func diff(_ a: String, _ b: String) -> String {
        let x = a.components(separatedBy: "\n"), y = b.components(separatedBy: "\n")
        var out: [String] = []
        for i in 0..<max(x.count, y.count) {
            let l = i < x.count ? x[i] : "<missing>", r = i < y.count ? y[i] : "<missing>"
            if l != r { out.append("  line \(i + 1):\n    python3: \(l)\n    mpsh:    \(r)") }
            if out.count >= 6 { out.append("  ..."); break }
        }
        return out.joined(separator: "\n")
    }

    func testCorpusMatchesCPython() throws {
        let files = Self.corpusFiles()
        XCTAssertGreaterThanOrEqual(files.count, 150, "the corpus must hold at least 150 programs")
        var failures: [String] = []
        for f in files {
            let (pyOut, pyErr) = try Self.runPython(f)
            let (mpOut, mpErr) = Self.runMPShell(f)
            var problems: [String] = []
            if pyOut != mpOut { problems.append("stdout differs:\n" + Self.diff(pyOut, mpOut)) }
            let pyRaised = pyErr.contains("Traceback") || pyErr.contains("Error")
            let mpRaised = mpErr.contains("Traceback") || mpErr.contains("Error")
            if pyRaised || mpRaised {
                var a = Self.lastLine(pyErr), b = Self.lastLine(mpErr)
                // Errors in the program text: mpsh prints `file:line:col: Kind: message`; CPython's wording of the
                // message differs, so only the kind (SyntaxError / IndentationError) is compared.
                if let r = b.range(of: #":\d+:\d+: "#, options: .regularExpression) {
                    b = String(b[r.upperBound...]).components(separatedBy: ":").first ?? b
                    a = a.components(separatedBy: ":").first ?? a
                }
                if a != b { problems.append("error differs:\n    python3: \(a)\n    mpsh:    \(b)") }
            }
            if !problems.isEmpty { failures.append("\(f.lastPathComponent):\n" + problems.joined(separator: "\n")) }
        }
        if !failures.isEmpty {
            XCTFail("\(failures.count) of \(files.count) corpus programs differ from CPython:\n\n" + failures.joined(separator: "\n\n"))
        }
    }
}
