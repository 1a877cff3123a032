// PyLang is compiled with non-atomic reference counting (`-assume-single-threaded`, see Package.swift): no object
// its code retains or releases may be retained or released by another thread at the same time. This test keeps the
// two ways of breaking that out of its sources: starting threads, and using the library's pool types (whose
// handler threads retain what they are given) other than through PoolBridge's handles.
import Foundation
import XCTest

final class SingleThreadRuleTests: XCTestCase {
    /// Code (not comments) that starts a thread or reaches the pool's threads directly.
    static let forbidden: [(pattern: String, why: String)] = [
        (#"\bThread\s*[\{\(]"#, "a Foundation Thread"),
        (#"\bDispatchQueue\b"#, "a dispatch queue"),
        (#"\bTask(\.detached)?\s*\{"#, "a Swift concurrency task"),
        (#"\bpthread_create\b"#, "a pthread"),
        (#"\bProcessPoolExecutor\s*\("#, "the library's executor (use ExecutorHandle)"),
        (#"\bMultiprocessing\.Pool\b|\bPool\s*\(\s*processes"#, "the library's pool (use PoolHandle)"),
        (#"\baddDoneCallback\b|\bAsyncResult\s*<|\bPoolResults\s*<|\bFuture\s*<"#,
         "the library's results (use ResultHandle/IMapHandle)"),
        (#"Process\.activeChildren\b"#, "the library's Process objects of the children (use Children)"),
    ]
    /// The interpreter's own thread (joined before the caller goes on).
    static let allowed: [String: Set<String>] = [
        "Runner.swift": ["a pthread"],
    ]

    func testPyLangStartsNoThreadsAndUsesThePoolOnlyThroughTheBridge() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/PyLang")
        let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") } ?? []
        XCTAssertFalse(files.isEmpty)
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            let name = (file as NSString).lastPathComponent
            var inText = false   // inside a multi-line string literal (help texts show Python code)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let quotes = line.components(separatedBy: "\"\"\"").count - 1
                let skip = inText || quotes > 0
                if quotes % 2 == 1 { inText.toggle() }
                if skip { continue }
                let code = (line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                    .replacingOccurrences(of: #""(?:[^"\\]|\\.)*""#, with: "\"\"", options: .regularExpression)
                for (pattern, why) in Self.forbidden where code.range(of: pattern, options: .regularExpression) != nil {
                    if Self.allowed[name]?.contains(why) == true { continue }
                    found.append("\(file):\(n + 1): \(why): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        XCTAssertEqual(found, [], "PyLang's reference counting is not atomic: see Package.swift and PoolBridge.swift")
    }
}
