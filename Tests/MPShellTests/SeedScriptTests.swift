import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Every seed script (scripts/seeds/<tutorial>/<nn>-<name>.mp, one per runnable cell of the tutorials in
/// ../shared/seeds; scripts/seeds/README.md maps them) runs twice at once, under the built `mpsh` and under
/// `python3`; both must exit alike and print the same standard output and standard error once normalised.
///
/// Normalised: object addresses (`0x…`) and reprs' `pid=`/`parent=` always; then what the script's own header
/// asks for, in `# compare:` lines (each says why):
///   `# compare: mask /REGEX/ why`            every match's groups (or the whole match) become `<…>`; the regex
///                                            sees the whole output, `^`/`$` at line ends
///   `# compare: unordered why`               lines compared sorted: the program's own output order is not determined
///   `# compare: unordered-lines /REGEX/ why` the lines matching compared sorted, the others in order
///   `# compare: env NAME=VALUE`              set for both runs (e.g. SEEDS_SCALE, which scales benchmark sizes)
///   `# compare: site`                        the local web site's start URL in SEEDS_SITE
///   `# compare: not-all-equal /REGEX/ why`   the first groups of the matching lines (one random draw per
///                                            process) must not all be equal: each process draws its own
///   `# compare: known-gap WHAT`              a difference mpsh's language must fix (WHAT says where): while
///                                            the outputs differ, the test is skipped with that message
/// The web site (scripts/seeds/site/serve.py) is served once for the test process, on free ports of 127.0.0.1.
///
/// Children are spawned with posix_spawn, in their own process group (killed whole after a time limit).
/// `mpsh` is found next to the test binary: run `swift build --build-tests` (or `swift build`) first.
final class SeedScriptTests: XCTestCase {
    /// The site's server is this suite's child: it must not outlive the suite (the library's tests, which run
    /// later in the same process, check that no child of theirs is left running).
    override class func tearDown() {
        SeedSite.shared.stop()
        super.tearDown()
    }

    // MARK: 000 "Week 4: Multiprocessing in Python"

    func testWeek4SpawnWorkers() throws { try check("week4/01-spawn-workers.mp") }
    func testWeek4WaitForWorkers() throws { try check("week4/02-wait-for-workers.mp") }
    func testWeek4CoreInvestigation() throws { try check("week4/03-core-investigation.mp") }
    func testWeek4Crawler() throws { try check("week4/04-crawler.mp") }

    // MARK: 001 "Tutorial 2 - Python Multiprocessing"

    func testTutorial2ProcessInfo() throws { try check("tutorial2/01-process-info.mp") }
    func testTutorial2SpawnWorkers() throws { try check("tutorial2/02-spawn-workers.mp") }
    func testTutorial2Naming() throws { try check("tutorial2/03-naming.mp") }
    func testTutorial2Terminate() throws { try check("tutorial2/04-terminate.mp") }
    func testTutorial2Lock() throws { try check("tutorial2/05-lock.mp") }
    func testTutorial2Queue() throws { try check("tutorial2/06-queue.mp") }
    func testTutorial2JoinableQueue() throws { try check("tutorial2/07-joinable-queue.mp") }
    func testTutorial2Pipe() throws { try check("tutorial2/08-pipe.mp") }
    func testTutorial2BenchPipe() throws { try check("tutorial2/09-bench-pipe.mp") }
    func testTutorial2BenchQueue() throws { try check("tutorial2/10-bench-queue.mp") }
    func testTutorial2Pool() throws { try check("tutorial2/11-pool.mp") }
    func testTutorial2ProducerConsumer() throws { try check("tutorial2/12-producer-consumer.mp") }

    // MARK: 002 "Using Multiprocessing and ProcessPoolExecutor"

    func testChapter5PythonVersion() throws { try check("chapter5/01-python-version.mp") }
    func testChapter5Pipe() throws { try check("chapter5/02-pipe.mp") }
    func testChapter5Fibonacci() throws { try check("chapter5/03-fibonacci.mp") }
    func testChapter5ExecutorCrawler() throws { try check("chapter5/04-executor-crawler.mp") }

    // MARK: 003 "Multiprocessing"

    func testEssentialsCubeSquare() throws { try check("essentials/01-cube-square.mp") }
    func testEssentialsPids() throws { try check("essentials/02-pids.mp") }
    func testEssentialsKeyComponents() throws { try check("essentials/03-key-components.mp") }
    func testEssentialsScraper() throws { try check("essentials/04-scraper.mp") }
    func testEssentialsQueueWithoutLock() throws { try check("essentials/05-queue-without-lock.mp") }
    func testEssentialsQueueWithLock() throws { try check("essentials/06-queue-with-lock.mp") }

    // MARK: 004 "Parallelisation in Python"

    func testParallelisationHello() throws { try check("parallelisation/01-hello.mp") }
    func testParallelisationWorkers() throws { try check("parallelisation/02-workers.mp") }
    func testParallelisationNaming() throws { try check("parallelisation/03-naming.mp") }
    func testParallelisationQueue() throws { try check("parallelisation/04-queue.mp") }
    func testParallelisationLock() throws { try check("parallelisation/05-lock.mp") }
    func testParallelisationPool() throws { try check("parallelisation/06-pool.mp") }
    func testParallelisationExercise() throws { try check("parallelisation/07-exercise.mp") }

    // MARK: The harness itself

    /// Every script under scripts/seeds/ has its test above (a new script needs one).
    func testEveryScriptIsChecked() throws {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let checked = Set(source.matches(of: /try check\("([^"]+)"\)/).map { String($0.1) })
        let scripts = Set(try seedScripts())
        XCTAssertGreaterThanOrEqual(scripts.count, 33, "scripts/seeds/ lost scripts")
        XCTAssertEqual(scripts.subtracting(checked).sorted(), [], "scripts without a test in SeedScriptTests")
        XCTAssertEqual(checked.subtracting(scripts).sorted(), [], "tests of scripts that do not exist")
    }

    /// mpsh's `requests` and `bs4` against the real packages, on the local site, without multiprocessing:
    /// pages, redirects, 404, errors, and the parse tree of a page with the usual traps.
    func testWebModulesMatchCPython() throws {
        let program = """
            import os
            import requests
            from bs4 import BeautifulSoup
            from urllib.parse import urlparse
            base = os.environ['SEEDS_SITE']
            r = requests.get(base)
            print(r, r.status_code, r.ok, r.encoding, r.headers['content-type'], len(r.text), r.url == base)
            soup = BeautifulSoup(r.text, "html.parser")
            print(soup.title, soup.title.string, repr(soup.h1.text))
            for a in soup.find_all('a'):
                print(repr(a.get('href')), repr(a.text), urlparse(a.get('href') or '').scheme)
            print(soup.find('a', href=True), len(soup.find_all(True)), [t.name for t in soup.find_all(['h1', 'title'])])
            print(repr(soup.find('p').get_text()), soup.find('a', attrs={'name': 'top'}), soup.find(string='About'))
            r = requests.get(base + 'www.google.com')
            print(r.status_code, r.url == base + 'www.google.com/', [h.status_code for h in r.history])
            print(requests.get(base + 'nothing').status_code)
            try:
                requests.get('http://127.0.0.1:1/')
            except requests.exceptions.ConnectionError as e:
                print('ConnectionError', isinstance(e, requests.RequestException), isinstance(e, OSError))
            try:
                requests.get('nohost')
            except requests.RequestException as e:
                print(type(e).__name__, e)
            s = BeautifulSoup('<div class="a b" id=x><br><img src="i.png"/><p>one &amp; two &#x41;<p>three</div>'
                              '<!-- c --><script>if (a < b) x();</script><a HREF=\\'q"uote\\'>Q</a>', 'html.parser')
            print(s)
            print(s.div['class'], s.div.get('id'), s.find_all('p'), s.find(class_='b').name, repr(s.get_text()))
            print(s.find('a')['href'], s.find('nothing'), s.find_all('p', limit=1))
            """
        let (python, mpsh) = try runProgram(program, environment: ["SEEDS_SITE=" + (try SeedSite.shared.url())])
        XCTAssertEqual(python.status, 0, python.error)
        XCTAssertEqual(mpsh.status, python.status, mpsh.error)
        XCTAssertEqual(mpsh.output, python.output, "mpsh's requests/bs4 differ from CPython's")
        XCTAssertEqual(mpsh.error, python.error)
    }

    /// Bad URLs and unreachable servers raise the exception CPython's requests raises.
    func testRequestsErrorsMatchCPython() throws {
        let program = """
            import requests
            for url in ['nohost', 'ftp://x/', 'http://', 'http://127.0.0.1:99999/', 'http://127.0.0.1:1/', 'https://127.0.0.1:1/']:
                try:
                    requests.get(url)
                    print(url, 'fetched?')
                except requests.RequestException as e:
                    print(url, type(e).__name__, isinstance(e, requests.exceptions.ConnectionError))
            try:
                requests.get('http://127.0.0.1:1/', timeout=0)
            except ValueError as e:
                print('ValueError')
            """
        let (python, mpsh) = try runProgram(program)
        XCTAssertEqual(python.status, 0, python.error)
        XCTAssertEqual(mpsh.status, 0, mpsh.error)
        XCTAssertEqual(mpsh.output, python.output)
    }

    /// The HTML tokenizer and tree builder on 400 random fragments of HTML syntax: no crash, no hang, and every
    /// tree searchable and printable.
    func testBeautifulSoupSurvivesRandomMarkup() throws {
        let program = """
            import random
            from bs4 import BeautifulSoup
            random.seed(7)
            pieces = ['<', '>', '/', 'a', 'p', 'script', 'style', '=', '"', "'", ' ', '!', '-', '--', '<!--', '-->',
                      '&', '#', 'x', ';', 'amp', '&#', '\\n', 'href', 'div', '?', '<a ', '</a>', '<br/>', '&#x110000;',
                      '&#99999999999999999999;', '<script>', '</script>', '<!DOCTYPE', '<?', 'class', '\\t', '&lt']
            parsed = 0
            for k in range(400):
                doc = ''.join([random.choice(pieces) for _ in range(random.randint(0, 120))])
                soup = BeautifulSoup(doc, 'html.parser')
                soup.find_all(True)
                soup.find_all('a', href=True)
                soup.get_text()
                str(soup)
                parsed += 1
            print('parsed', parsed)
            """
        let (_, mpsh) = try runProgram(program)
        XCTAssertEqual(mpsh.status, 0, mpsh.error)
        XCTAssertEqual(mpsh.output, "parsed 400\n", mpsh.error)
    }

    /// The normalisation the headers ask for, on a made-up output.
    func testDirectivesNormalise() throws {
        let directives = try Directives(parsing: """
            # compare: mask /took (\\S+) s/ timing
            # compare: unordered-lines /^W/ workers
            # compare: env A=1
            print()
            # compare: env B=2
            """)
        XCTAssertEqual(directives.environment, ["A=1"], "directives are read from the header only")
        let text = "start <Process name='P' pid=12 parent=3 started> 0x7f00aa11bb22\nW2\nW1\ntook 0.25 s\n"
        XCTAssertEqual(directives.normalise(text),
                       "start <Process name='P' pid=<…> parent=<…> started> 0x<…>\ntook <…> s\n--- in any order:\nW1\nW2\n")
        XCTAssertThrowsError(try Directives(parsing: "# compare: sorted\n"))
        let draws = try Directives(parsing: "# compare: not-all-equal /^W(\\d+)/ draws\n# compare: known-gap a\n# compare: known-gap b\n")
        XCTAssertNotNil(draws.sameDraws("W12\nx\nW12\n"))
        XCTAssertNil(draws.sameDraws("W12\nW1\n"))
        XCTAssertEqual(draws.knownGap, "a; b")
    }
}

// MARK: - Running and comparing


/// The package's scripts/seeds folder.
private var seedsDirectory: String {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("scripts/seeds").path
}

/// "week4/01-spawn-workers.mp", ... : every script, relative to scripts/seeds.
private func seedScripts() throws -> [String] {
    let fm = FileManager.default
    var found: [String] = []
    for folder in try fm.contentsOfDirectory(atPath: seedsDirectory).sorted() {
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: seedsDirectory + "/" + folder, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
        for name in try fm.contentsOfDirectory(atPath: seedsDirectory + "/" + folder).sorted() where name.hasSuffix(".mp") {
            found.append(folder + "/" + name)
        }
    }
    return found
}

/// A script's `# compare:` header lines.
private struct Directives {
    var masks: [NSRegularExpression] = []
    var unordered = false
    var unorderedLines: NSRegularExpression?
    var environment: [String] = []
    var wantsSite = false
    /// A difference from CPython that the language (not the script) must fix: the test is skipped, saying so,
    /// while it differs.
    var knownGap: String?
    /// Lines whose first group holds a random draw of each process: the values must not all be equal.
    var notAllEqual: [NSRegularExpression] = []

    /// Why `output` fails a `not-all-equal` check, or nil.
    func sameDraws(_ output: String) -> String? {
        for regex in notAllEqual {
            let ns = output as NSString
            let values = regex.matches(in: output, range: NSRange(location: 0, length: ns.length)).compactMap { m in
                m.numberOfRanges > 1 && m.range(at: 1).location != NSNotFound ? ns.substring(with: m.range(at: 1)) : nil
            }
            if values.count >= 2 && Set(values).count == 1 {
                return "every process drew the same value (\(values[0])) for /\(regex.pattern)/"
            }
        }
        return nil
    }

    static let defaultMasks = [#"0x([0-9a-fA-F]{6,})"#, #"pid=(\d+)"#, #"parent=(\d+)"#]

    init(parsing source: String) throws {
        masks = try Self.defaultMasks.map { try NSRegularExpression(pattern: $0, options: [.anchorsMatchLines]) }
        // The header: the comment lines before the first line of code.
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("#") else { break }
            guard line.hasPrefix("# compare: ") else { continue }
            let rest = line.dropFirst("# compare: ".count)
            let keyword = rest.prefix { $0 != " " }
            let argument = rest.dropFirst(keyword.count).drop { $0 == " " }
            switch keyword {
            case "unordered": unordered = true
            case "unordered-lines": unorderedLines = try Self.regex(argument, line)
            case "mask": masks.append(try Self.regex(argument, line))
            case "env":
                guard let pair = argument.split(separator: " ").first, pair.contains("=") else {
                    throw SeedScriptError("`env` needs NAME=VALUE: \(line)")
                }
                environment.append(String(pair))
            case "known-gap": knownGap = (knownGap.map { $0 + "; " } ?? "") + argument
            case "not-all-equal": notAllEqual.append(try Self.regex(argument, line))
            case "site": wantsSite = true
            default:
                throw SeedScriptError("unknown `# compare:` directive `\(keyword)` (mask, unordered, unordered-lines, env, site, known-gap, not-all-equal): \(line)")
            }
        }
    }

    /// `/REGEX/ why`: the regex ends at the first slash followed by a space or the end of the line.
    static func regex(_ argument: Substring, _ line: Substring) throws -> NSRegularExpression {
        guard argument.hasPrefix("/") else { throw SeedScriptError("expected /REGEX/: \(line)") }
        let body = argument.dropFirst()
        var end: Substring.Index?
        var k = body.startIndex
        while k < body.endIndex {
            let next = body.index(after: k)
            if body[k] == "/" && (next == body.endIndex || body[next] == " ") { end = k; break }
            k = next
        }
        guard let end else { throw SeedScriptError("unterminated /REGEX/: \(line)") }
        do {
            return try NSRegularExpression(pattern: String(body[..<end]), options: [.anchorsMatchLines])
        } catch {
            throw SeedScriptError("bad regex in \(line): \(error)")
        }
    }

    func normalise(_ text: String) -> String {
        var text = text
        for mask in masks {
            let ns = text as NSString
            var pieces: [(NSRange, String)] = []
            for m in mask.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                if m.numberOfRanges == 1 { pieces.append((m.range, "<…>")); continue }
                for g in 1..<m.numberOfRanges where m.range(at: g).location != NSNotFound { pieces.append((m.range(at: g), "<…>")) }
            }
            let result = NSMutableString(string: text)
            for (range, replacement) in pieces.sorted(by: { $0.0.location > $1.0.location }) {
                result.replaceCharacters(in: range, with: replacement)
            }
            text = result as String
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        if unordered { return lines.sorted().map { $0 + "\n" }.joined() }
        if let unorderedLines {
            func matches(_ line: String) -> Bool {
                unorderedLines.firstMatch(in: line, range: NSRange(location: 0, length: (line as NSString).length)) != nil
            }
            let any = lines.filter(matches).sorted()
            let ordered = lines.filter { !matches($0) }
            return (ordered + (any.isEmpty ? [] : ["--- in any order:"] + any)).map { $0 + "\n" }.joined()
        }
        return lines.map { $0 + "\n" }.joined()
    }
}

private extension SeedScriptTests {
    /// Runs scripts/seeds/<name> under mpsh and python3 and compares them as its header says.
    func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = seedsDirectory + "/" + name
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let directives = try Directives(parsing: source)
        if let missing = try MPSHFeatures.shared.missing(for: source) {
            throw XCTSkip("mpsh has no \(missing) yet (another issue's work): \(name) waits for it")
        }
        let site = directives.wantsSite ? ["SEEDS_SITE=" + (try SeedSite.shared.url())] : []
        let (python, mpsh) = try runBoth(path, arguments: [], environment: directives.environment + site)
        XCTAssertEqual(python.status, 0, "python3 \(name) failed:\n\(python.error)", file: file, line: line)
        // The binding names the pieces it does not have yet ("multiprocessing.Pool is not available in mpsh yet").
        if mpsh.status != 0, let notYet = mpsh.error.firstMatch(of: /NotImplementedError: (.* is not available in mpsh yet)/) {
            throw XCTSkip("\(notYet.1) (another issue's work): \(name) waits for it")
        }
        let draws = directives.sameDraws(mpsh.output)
        let same = mpsh.status == python.status && directives.normalise(mpsh.output) == directives.normalise(python.output)
            && directives.normalise(mpsh.error) == directives.normalise(python.error) && draws == nil
        if let gap = directives.knownGap, !same {
            throw XCTSkip("known gap in mpsh, for the lead: \(gap) (\(name) differs from CPython until it is closed)")
        }
        XCTAssertEqual(mpsh.status, python.status, "mpsh \(name) exited \(mpsh.status), CPython \(python.status):\n\(mpsh.error)",
                       file: file, line: line)
        let expected = directives.normalise(python.output), actual = directives.normalise(mpsh.output)
        XCTAssertEqual(actual, expected, """
            mpsh \(name): standard output differs from CPython's (normalised as its header says).
            --- CPython:
            \(python.output)--- mpsh:
            \(mpsh.output)
            """, file: file, line: line)
        XCTAssertNil(draws, "mpsh \(name): \(draws ?? ""):\n\(mpsh.output)", file: file, line: line)
        XCTAssertNil(directives.sameDraws(python.output), "python3 \(name): the check itself is wrong", file: file, line: line)
        let expectedError = directives.normalise(python.error), actualError = directives.normalise(mpsh.error)
        XCTAssertEqual(actualError, expectedError, """
            mpsh \(name): standard error differs from CPython's (normalised as its header says).
            --- CPython:
            \(python.error)--- mpsh:
            \(mpsh.error)
            """, file: file, line: line)
    }

    /// `runBoth` on a program written to a temporary file.
    func runProgram(_ program: String, environment: [String] = []) throws -> (python: ChildRun, mpsh: ChildRun) {
        let file = NSTemporaryDirectory() + "seed-script-probe-\(getpid()).py"
        try program.write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        return try runBoth(file, arguments: [], environment: environment)
    }

    /// Both interpreters on one program at once (CPython with its default buffering: PYTHONUNBUFFERED unset).
    func runBoth(_ path: String, arguments: [String], environment extra: [String]) throws -> (python: ChildRun, mpsh: ChildRun) {
        let names = Set(extra.map { String($0.prefix { $0 != "=" }) })
        let environment = currentEnvironment().filter { entry in
            let name = String(entry.prefix { $0 != "=" })
            return name != "PYTHONUNBUFFERED" && name != "PYTHONPATH" && !names.contains(name)
        } + extra
        let python = try ChildProgram(["python3", path] + arguments, environment: environment, processGroup: true)
        let mpsh: ChildProgram
        do {
            mpsh = try ChildProgram([try builtExecutable("mpsh"), path] + arguments, environment: environment,
                                    processGroup: true)
        } catch {
            _ = try? python.wait(limit: 1)
            throw error
        }
        let pythonRun = try python.wait(limit: 90)
        let mpshRun = try mpsh.wait(limit: 90)
        if pythonRun.status != 0, let package = pythonRun.error.firstMatch(of: /No module named '(bs4|requests)'/) {
            // a newcomer's machine skips, saying why; CI (CI=true, set by .ci/run) must have the packages
            let why = "CPython lacks the \(package.1) package that the crawlers' reference runs need: "
                + "python3 -m pip install beautifulsoup4 requests (.ci/run does)"
            if ProcessInfo.processInfo.environment["CI"] == "true" { throw SeedScriptError(why) }
            throw XCTSkip(why)
        }
        return (pythonRun, mpshRun)
    }
}

/// What of the multiprocessing binding the built mpsh has, asked once: while the binding, the Pool and the
/// Manager are other issues' unmerged work, the scripts that need them are skipped, saying which piece is missing.
private final class MPSHFeatures: @unchecked Sendable {
    static let shared = MPSHFeatures()
    private let lock = NSLock()
    private var present: Set<String>?

    static let probe = """
        try:
            import multiprocessing
            print('multiprocessing')
            for name in ['Pool', 'Manager']:
                if hasattr(multiprocessing, name):
                    print(name)
        except ImportError:
            pass
        try:
            import multiprocessing.connection
            print('connection')
        except ImportError:
            pass
        try:
            import multiprocessing.synchronize
            print('synchronize')
        except ImportError:
            pass
        try:
            import concurrent.futures
            if hasattr(concurrent.futures, 'ProcessPoolExecutor'):
                print('ProcessPoolExecutor')
        except ImportError:
            pass
        """

    /// The first piece `source` uses that mpsh lacks, or nil.
    func missing(for source: String) throws -> String? {
        let present = try features()
        // (a word the script uses, the feature the probe prints, how the skip names it)
        let uses: [(Regex<Substring>, String, String)] = [
            (/\bmultiprocessing\b/, "multiprocessing", "multiprocessing module"),
            (/\bmultiprocessing\.connection\b/, "connection", "multiprocessing.connection module"),
            (/\bmultiprocessing\.synchronize\b/, "synchronize", "multiprocessing.synchronize module"),
            (/\bconcurrent\.futures\b/, "ProcessPoolExecutor", "concurrent.futures.ProcessPoolExecutor"),
            (/\bManager\b/, "Manager", "multiprocessing.Manager"),
            (/\bPool\b/, "Pool", "multiprocessing.Pool"),
        ]
        for (word, feature, piece) in uses where source.contains(word) && !present.contains(feature) {
            return piece
        }
        return nil
    }

    private func features() throws -> Set<String> {
        lock.lock()
        defer { lock.unlock() }
        if let present { return present }
        let run = try runChild([try builtExecutable("mpsh"), "-c", Self.probe], processGroup: true, limit: 30)
        guard run.status == 0 else { throw SeedScriptError("mpsh could not run the feature probe:\n\(run.error)") }
        let found = Set(run.output.split(separator: "\n").map(String.init))
        present = found
        return found
    }
}

/// The local web site, served once for the whole test process (python3 scripts/seeds/site/serve.py).
private final class SeedSite: @unchecked Sendable {
    static let shared = SeedSite()
    private let lock = NSLock()
    private var server: ChildProgram?
    private var startURL: String?

    /// The start URL, starting the server the first time.
    func url() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let startURL { return startURL }
        // Its lifetime bounds a server the test process could not stop (a crash): it goes away by itself.
        let child = try ChildProgram(["python3", seedsDirectory + "/site/serve.py", "--lifetime", "900"],
                                     environment: currentEnvironment(), processGroup: true)
        server = child
        atexit { SeedSite.shared.stop() }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let printed = child.outputSoFar
            if let line = printed.split(separator: "\n").first, printed.contains("\n") {
                startURL = String(line)
                return String(line)
            }
            if child.exited() { break }
            usleep(20_000)
        }
        stop()
        throw SeedScriptError("the seed site did not start (python3 scripts/seeds/site/serve.py)")
    }

    func stop() {
        lock.lock()
        let child = server
        server = nil
        startURL = nil
        lock.unlock()
        guard let child else { return }
        child.signal(SIGTERM)
        _ = try? child.wait(limit: 10)
    }
}

private struct SeedScriptError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
