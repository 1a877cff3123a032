// The str value (PyStr): a Value is two words (a tag beside one word of payload), and a str compares, hashes and
// indexes by code point.
import PyLang
import XCTest

final class StrValueTests: XCTestCase {
    func testValueIsOneWordPlusTag() {
        // a str used to be a Swift String (two words) in the enum: 17 bytes, stride 24
        XCTAssertEqual(MemoryLayout<Value>.size, 9)
        XCTAssertEqual(MemoryLayout<Value>.stride, 16)
    }

    func testCodePointSemantics() {
        let decomposed = PyStr("e\u{301}"), precomposed = PyStr("\u{e9}")
        XCTAssertEqual(decomposed.count, 2)
        XCTAssertEqual(precomposed.count, 1)
        XCTAssertFalse(Value.str(decomposed) == Value.str(precomposed))
        XCTAssertNotEqual(decomposed.hash, precomposed.hash)
        XCTAssertTrue(Value.str("e\u{301}") == Value.str(decomposed))
        XCTAssertEqual(Value.str("e\u{301}").hashValue, Value.str(decomposed).hashValue)
    }
}
