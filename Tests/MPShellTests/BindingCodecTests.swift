// The codec's fast paths for the messages a program sends most (None, bools, ints, floats, strings, lists of small
// ints): they must give exactly the general encoder's bytes and values, and reject malformed input with an error.
import PyLang
import XCTest

final class BindingCodecTests: XCTestCase {
    let program = """
    scalars = [None, True, False, 0, 1, -1, 63, 64, -64, -65, 2**62, 2**63 - 1, -2**63, 2**63, 2.5, -0.0,
               float('inf'), '', 'a', 'héllo', '日本語', 'x' * 200, 'é' * 5000]
    ints = list(range(-300, 300)) + [2**63 - 1, -2**63]
    mixed = [1, 'a', None, [2, 3], (4, 'b'), 2**70, 1.5]
    """

    func run<T>(_ body: @escaping (Interpreter, PyModule) throws -> T) throws -> T {
        try withProgram(program, file: "codec_fast.py", body)
    }

    func testScalarsAndIntListsRoundTrip() throws {
        let reprs = try run { i, m -> [String] in
            var out: [String] = []
            for name in ["scalars", "ints", "mixed"] {
                let v = m.get(name)!
                let back = try i.decode(try i.encode(v))
                XCTAssertEqual(try i.repr(back), try i.repr(v), name)
                // each element alone, the way a Pipe or Queue sends it
                guard case .list(let l) = v else { continue }
                for x in l.items { XCTAssertEqual(try i.repr(try i.decode(try i.encode(x))), try i.repr(x)) }
                out.append(try i.repr(back))
            }
            return out
        }
        XCTAssertEqual(reprs.count, 3)
    }

    func testMalformedScalarsAreErrors() throws {
        let failures = try run { i, _ -> Int in
            let header: [UInt8] = [0x6d, 0x70, 1]
            let bad: [[UInt8]] = [
                header + [3],                      // int without its varint
                header + [3, 0x80],                // unterminated varint
                header + [3, 2, 0],                // a byte after the int
                header + [3] + [UInt8](repeating: 0xff, count: 11) + [1],   // varint too long
                header + [6, 5, 0x61],             // string shorter than its length
                header + [6, 1, 0x61, 0x62],       // string longer than its length
                header + [6, 1, 0xff],             // invalid UTF-8
                header + [6, 2, 0xc3],             // truncated UTF-8 sequence (and length)
                header + [0, 0],                   // None with a trailing byte
                header + [1, 1],                   // False with a trailing byte
                header + [5, 0, 0, 0],             // float cut short
                header + [8, 2, 3, 2],             // list of two ints, the second missing
                header + [8, 1, 3, 0x80],          // list with an unterminated int
            ]
            var errors = 0
            for b in bad {
                do { _ = try i.decode(b) } catch { errors += 1 }
            }
            return errors
        }
        XCTAssertEqual(failures, 13)
    }
}
