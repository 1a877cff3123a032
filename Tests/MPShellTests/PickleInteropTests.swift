// pickle both ways with CPython: what python3 writes, mpsh reads (and prints the same as python3 reading it),
// and what mpsh writes, python3 reads; for every protocol, the files the two write are byte for byte the same.
import Foundation
import PyLang
import TestSupport
import XCTest

final class PickleInteropTests: XCTestCase {
    /// The objects both programs build: every kind pickle's issue names, classes defined in the program included.
    static let types = """
    import pickle, sys, datetime

    class Point:
        def __init__(self, x, y):
            self.x, self.y = x, y
        def __repr__(self):
            return 'Point(%r, %r)' % (self.x, self.y)

    class Account:
        def __init__(self, owner):
            self.owner, self.history, self.cache = owner, [1.5, -2], {'tmp': 1}
        def __getstate__(self):
            return {'owner': self.owner, 'history': self.history}
        def __setstate__(self, state):
            self.__init__(state['owner']); self.history = state['history']; self.cache = None
        def __repr__(self):
            return 'Account(%r, %r, %r)' % (self.owner, self.history, self.cache)

    class Unit:
        def __init__(self, n):
            self.n = n
        def __reduce__(self):
            return (Unit, (self.n + 1,))
        def __repr__(self):
            return 'Unit(%r)' % self.n

    shared = ['shared']
    OBJ = {
        'none': None, 'bools': (True, False), 'ints': [0, 1, 255, 256, 65535, 65536, -1, -2**31, 2**31, 2**63, -2**100, 7**77],
        'floats': [0.0, -1.5, 1e300, 3.141592653589793], 'str': ['', 'ascii', 'é€😀', 'line\\nbreak\\\\'],
        'bytes': [b'', b'\\x00\\xff', bytes(range(256)) * 2], 'bytearray': bytearray(b'mutable'),
        'tuples': [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)], 'nested': {'a': [{'b': ({'c': []},)}]},
        'sets': [set(), {1, 2, 3}, frozenset([4, 5])], 'objects': [Point(1, [2]), Account('ann'), Unit(1)],
        'refs': (shared, shared), 'class': Point, 'date': datetime.date(1999, 12, 31),
        'datetime': datetime.datetime(2020, 2, 29, 23, 59, 58, 999999), 'delta': datetime.timedelta(days=-1, seconds=5),
        'big': list(range(2500)),
    }
    """

    static let writer = types + """

    folder = sys.argv[1]
    for proto in range(6):
        with open('%s/p%d.pickle' % (folder, proto), 'wb') as f:
            pickle.dump(OBJ, f, protocol=proto)
    print('written')
    """

    static let reader = types + """

    folder = sys.argv[1]
    for proto in range(6):
        with open('%s/p%d.pickle' % (folder, proto), 'rb') as f:
            back = pickle.load(f)
        print(proto, sorted(back) == sorted(OBJ))
        for k in sorted(back):
            print(' ', k, repr(back[k])[:300])
        print('  shared kept shared:', back['refs'][0] is back['refs'][1], back['class'] is Point)
    """

    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "mpsh-pickle-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder))
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func python(_ program: String) throws -> String {
        let run = try runChild(["/usr/bin/env", "python3", program, folder], limit: 60)
        XCTAssertEqual(run.status, 0, "python3 \(program) failed:\n\(run.error)")
        return run.output
    }

    func mpsh(_ program: String) throws -> String {
        let source = try String(contentsOfFile: program, encoding: .utf8)
        let folder = self.folder
        let (status, out, err): (Int32, String, String) = withLargeStack {
            let interp = Interpreter()
            interp.captureOutput()
            interp.argv = [program, folder]
            let status = interp.runMain(source: source, file: program)
            let c = interp.capturedOutput
            return (status, c.stdout, c.stderr)
        }
        XCTAssertEqual(status, 0, "mpsh \(program) failed:\n\(err)")
        return out
    }

    func files() throws -> [Data] {
        try (0..<6).map { try Data(contentsOf: URL(fileURLWithPath: "\(folder)/p\($0).pickle")) }
    }

    /// python3 writes, mpsh reads: mpsh prints what python3 prints reading the same files.
    func testMPShellLoadsWhatCPythonDumps() throws {
        let writer = try write("writer.py", Self.writer), reader = try write("reader.py", Self.reader)
        XCTAssertEqual(try python(writer), "written\n")
        let expected = try python(reader)
        XCTAssertTrue(expected.contains("shared kept shared: True True"))
        XCTAssertEqual(try mpsh(reader), expected)
    }

    /// mpsh writes, python3 reads; and the files are the ones python3 writes, byte for byte.
    func testCPythonLoadsWhatMPShellDumps() throws {
        let writer = try write("writer.py", Self.writer), reader = try write("reader.py", Self.reader)
        XCTAssertEqual(try python(writer), "written\n")
        let fromPython = try files()
        let expected = try python(reader)
        XCTAssertEqual(try mpsh(writer), "written\n")
        let fromMPShell = try files()
        XCTAssertEqual(try python(reader), expected)
        for p in 0..<6 {
            XCTAssertEqual(fromMPShell[p], fromPython[p], "protocol \(p): mpsh's pickle differs from CPython's")
        }
    }
}
