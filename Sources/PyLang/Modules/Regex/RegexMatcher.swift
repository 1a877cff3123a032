// The backtracking matcher: runs a `RegexProgram` over a subject's code points (bytes for ASCII text and bytes
// subjects, 32-bit code points otherwise), with an explicit stack of choice points and undo records instead of
// recursion, so that no subject or pattern can overflow the machine stack. Python's semantics throughout: the
// leftmost match, alternatives in order, counted repeats stopping when an iteration matches empty (sre's
// last_ptr), groups keeping their last iteration, lookaround and atomic groups that keep the captures they made,
// `lastindex` as the group closed last. Mirrors CPython's `Modules/_sre/sre_lib.h` (SRE(match), SRE(search));
// written from its documented behaviour.
#if canImport(Glibc)
import Glibc
#endif

/// A backtracking record: a choice to resume, or a register value to restore.
struct RegexFrame {
    enum Kind: UInt8 { case choice, undoCapture, undoRepeat, repeatGreedy, repeatLazy, repeatLoopLazy, barrier }
    var kind: Kind
    var pc: Int32
    var pos: Int
    var a: Int
    var b: Int = 0
}

/// The state of one match attempt; reused across the attempts of a search and across searches.
final class RegexMatcher {
    let prog: RegexProgram
    /// Group boundaries: 2 * group and 2 * group + 1; -1 when unset.
    @exclusivity(unchecked) var caps: [Int]
    @exclusivity(unchecked) var lastIndex = -1
    @exclusivity(unchecked) var counts: [Int]
    @exclusivity(unchecked) var lasts: [Int]
    @exclusivity(unchecked) var stack: [RegexFrame] = []
    @exclusivity(unchecked) var scratch: [Int]
    /// In use by a search (a callback run by `sub` may search with the same pattern: it gets a new matcher).
    var busy = false

    init(_ p: RegexProgram) {
        prog = p
        caps = [Int](repeating: -1, count: 2 * (p.groupCount + 1))
        scratch = caps
        counts = [Int](repeating: 0, count: p.repeats.count)
        lasts = counts
        stack.reserveCapacity(64)
    }

    /// The first match in `t[from..<end]` (only at `from` when `anchored`; reaching `end` when `full`); a match
    /// that is empty at `from` is refused when `mustAdvance` (after an empty match, as sre's must_advance). On
    /// success `caps` holds the groups, group 0 included.
    func search<T: FixedWidthInteger & UnsignedInteger>(_ t: UnsafeBufferPointer<T>, from: Int, end: Int,
                                                        anchored: Bool, full: Bool, mustAdvance: Bool) -> Bool {
        if from > end { return false }
        if anchored || full { return attempt(t, at: from, end: end, full: full, mustAdvance: mustAdvance) }
        if prog.anchoredStart {
            return from == 0 && attempt(t, at: 0, end: end, full: false, mustAdvance: mustAdvance)
        }
        var start = from
        if let first = prog.first {
            let high = prog.firstHigh
            @inline(__always) func possible(_ c: UInt32) -> Bool {
                if c >= 256 { return high }
                let w: UInt64
                switch c >> 6 { case 0: w = first.0; case 1: w = first.1; case 2: w = first.2; default: w = first.3 }
                return w & (1 << UInt64(c & 63)) != 0
            }
            let lit = prog.firstLiteral.map { T(truncatingIfNeeded: $0) }
            let litFits = prog.firstLiteral.map { UInt64($0) <= UInt64(T.max) } ?? false
            while start < end {
                if let lit {
                    guard litFits else { return false }
                    guard let k = RegexMatcher.find(lit, t, start, end) else { return false }
                    start = k
                } else {
                    while start < end && !possible(UInt32(truncatingIfNeeded: t[start])) { start += 1 }
                    if start >= end { return false }
                }
                if attempt(t, at: start, end: end, full: false, mustAdvance: mustAdvance && start == from) { return true }
                start += 1
            }
            return false
        }
        while start <= end {
            if attempt(t, at: start, end: end, full: false, mustAdvance: mustAdvance && start == from) { return true }
            start += 1
        }
        return false
    }

    /// The first index of `c` in `t[from..<end]`.
    @inline(__always)
    static func find<T: FixedWidthInteger>(_ c: T, _ t: UnsafeBufferPointer<T>, _ from: Int, _ end: Int) -> Int? {
        if T.bitWidth == 8, let base = t.baseAddress {
            guard let p = memchr(UnsafeRawPointer(base + from), Int32(truncatingIfNeeded: c), end - from) else { return nil }
            return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(p))
        }
        var k = from
        while k < end { if t[k] == c { return k }; k += 1 }
        return nil
    }

    /// Whether `c` is a word character for the boundary tests.
    @inline(__always)
    private func word(_ c: UInt32, ascii: Bool) -> Bool { RegexChars.isWord(c, ascii: ascii) }

    /// One match attempt at `start`.
    func attempt<T: FixedWidthInteger & UnsignedInteger>(_ t: UnsafeBufferPointer<T>, at start: Int, end: Int,
                                                         full: Bool, mustAdvance: Bool) -> Bool {
        for k in 0..<caps.count { caps[k] = -1 }
        lastIndex = -1
        stack.removeAll(keepingCapacity: true)
        var barrier = -1
        var pc = 0
        var pos = start
        return prog.code.withUnsafeBufferPointer { code in
            prog.classes.withUnsafeBufferPointer { classes in
                @inline(__always) func ch(_ p: Int) -> UInt32 { UInt32(truncatingIfNeeded: t[p]) }
                /// Whether the single-code-point instruction takes `c`.
                @inline(__always) func one(_ i: RegexInst, _ c: UInt32) -> Bool {
                    switch i.op {
                    case .literal: return c == UInt32(bitPattern: i.a)
                    case .any: return c != 10
                    case .anyAll: return true
                    case .set: return classes[Int(i.a)].test(c)
                    case .literalIgnoreASCII: return RegexChars.asciiLower(c) == UInt32(bitPattern: i.a)
                    case .literalIgnore: return RegexChars.lower(c) == UInt32(bitPattern: i.a)
                    default: return false
                    }
                }
                /// Pops to the barrier at `barrier`, restoring registers, and removes it.
                func unwindToBarrier() -> RegexFrame {
                    while stack.count > barrier + 1 {
                        let f = stack.removeLast()
                        if f.kind == .undoCapture { caps[Int(f.pc)] = f.pos; lastIndex = f.a }
                        else if f.kind == .undoRepeat { counts[Int(f.pc)] = f.a; lasts[Int(f.pc)] = f.b }
                    }
                    let b = stack.removeLast()
                    barrier = b.a
                    return b
                }
                while true {
                    let i = code[pc]
                    execute: switch i.op {
                    case .literal, .any, .anyAll, .set, .literalIgnore, .literalIgnoreASCII:
                        if pos < end && one(i, ch(pos)) { pos += 1; pc += 1; continue }
                    case .anchor:
                        let ok: Bool
                        let k = RegexAnchor(rawValue: UInt8(truncatingIfNeeded: i.a)) ?? .beginning
                        switch k {
                        case .beginning, .beginningString: ok = pos == 0
                        case .beginningLine: ok = pos == 0 || ch(pos - 1) == 10
                        case .end: ok = pos == end || (pos == end - 1 && ch(pos) == 10)
                        case .endLine: ok = pos == end || ch(pos) == 10
                        case .endString: ok = pos == end
                        case .boundary, .asciiBoundary, .nonBoundary, .asciiNonBoundary:
                            if end == 0 { ok = false; break }
                            let ascii = k == .asciiBoundary || k == .asciiNonBoundary
                            let before = pos > 0 && word(ch(pos - 1), ascii: ascii)
                            let after = pos < end && word(ch(pos), ascii: ascii)
                            ok = (before != after) == (k == .boundary || k == .asciiBoundary)
                        }
                        if ok { pc += 1; continue }
                    case .save:
                        let s = Int(i.a)
                        stack.append(RegexFrame(kind: .undoCapture, pc: i.a, pos: caps[s], a: lastIndex))
                        caps[s] = pos
                        if s & 1 == 1 { lastIndex = s >> 1 }
                        pc += 1
                        continue
                    case .split:
                        stack.append(RegexFrame(kind: .choice, pc: i.b, pos: pos, a: 0))
                        pc = Int(i.a)
                        continue
                    case .jump:
                        pc = Int(i.a)
                        continue
                    case .repeatOne:
                        let item = code[pc + 1]
                        let limit = i.c < 0 || i.c > end - pos ? end : pos + i.c
                        var n = pos
                        switch item.op {
                        case .anyAll: n = limit
                        case .any: while n < limit && ch(n) != 10 { n += 1 }
                        case .literal: while n < limit && ch(n) == UInt32(bitPattern: item.a) { n += 1 }
                        case .set:
                            let cls = classes[Int(item.a)]
                            while n < limit && cls.test(ch(n)) { n += 1 }
                        default: while n < limit && one(item, ch(n)) { n += 1 }
                        }
                        let least = pos + Int(i.a)
                        if n < least { break execute }
                        if n > least {
                            stack.append(RegexFrame(kind: .repeatGreedy, pc: Int32(pc + 2), pos: least, a: n))
                        }
                        pos = n
                        pc += 2
                        continue
                    case .repeatOneLazy:
                        let item = code[pc + 1]
                        var n = 0
                        while n < Int(i.a) {
                            guard pos < end && one(item, ch(pos)) else { break execute }
                            pos += 1; n += 1
                        }
                        if i.c < 0 || n < i.c {
                            stack.append(RegexFrame(kind: .repeatLazy, pc: Int32(pc), pos: pos, a: n))
                        }
                        pc += 2
                        continue
                    case .repeatInit:
                        let r = Int(i.a)
                        stack.append(RegexFrame(kind: .undoRepeat, pc: i.a, pos: 0, a: counts[r], b: lasts[r]))
                        counts[r] = 0
                        lasts[r] = -1
                        pc += 1
                        continue
                    case .repeatLoop, .repeatLoopLazy:
                        let r = Int(i.a)
                        let c = counts[r]
                        let (lo, hi) = prog.repeats[r]
                        if c < lo {
                            stack.append(RegexFrame(kind: .undoRepeat, pc: i.a, pos: 0, a: c, b: lasts[r]))
                            counts[r] = c + 1
                            pc += 1
                            continue
                        }
                        let more = (hi < 0 || c < hi) && pos != lasts[r]
                        if i.op == .repeatLoop {
                            if more {
                                stack.append(RegexFrame(kind: .choice, pc: i.b, pos: pos, a: 0))
                                stack.append(RegexFrame(kind: .undoRepeat, pc: i.a, pos: 0, a: c, b: lasts[r]))
                                counts[r] = c + 1
                                lasts[r] = pos
                                pc += 1
                            } else {
                                pc = Int(i.b)
                            }
                        } else {
                            if more { stack.append(RegexFrame(kind: .repeatLoopLazy, pc: Int32(pc), pos: pos, a: 0)) }
                            pc = Int(i.b)
                        }
                        continue
                    case .backref, .backrefIgnore, .backrefIgnoreASCII:
                        let g = Int(i.a)
                        let s = caps[2 * g], e = caps[2 * g + 1]
                        if s < 0 || e < 0 || e - s > end - pos { break execute }
                        var k = 0
                        while k < e - s {
                            let x = ch(s + k), y = ch(pos + k)
                            if x != y {
                                if i.op == .backref { break execute }
                                if i.op == .backrefIgnoreASCII {
                                    if RegexChars.asciiLower(x) != RegexChars.asciiLower(y) { break execute }
                                } else if RegexChars.lower(x) != RegexChars.lower(y) { break execute }
                            }
                            k += 1
                        }
                        pos += e - s
                        pc += 1
                        continue
                    case .lookBegin:
                        let behind = i.a & 2 != 0
                        if behind && pos < i.c {
                            if i.a & 1 != 0 { pc = Int(i.b); continue }
                            break execute
                        }
                        stack.append(RegexFrame(kind: .barrier, pc: Int32(pc), pos: pos, a: barrier))
                        barrier = stack.count - 1
                        if behind { pos -= i.c }
                        pc += 1
                        continue
                    case .atomicBegin:
                        stack.append(RegexFrame(kind: .barrier, pc: Int32(pc), pos: pos, a: barrier))
                        barrier = stack.count - 1
                        pc += 1
                        continue
                    case .lookEnd, .atomicEnd:
                        let begin = code[Int(stack[barrier].pc)]
                        if i.op == .lookEnd && begin.a & 1 != 0 {
                            // a negative lookaround whose body matched: it fails
                            _ = unwindToBarrier()
                            break execute
                        }
                        for k in 0..<caps.count { scratch[k] = caps[k] }
                        let newLast = lastIndex
                        let b = unwindToBarrier()
                        for k in 0..<caps.count where scratch[k] != caps[k] {
                            stack.append(RegexFrame(kind: .undoCapture, pc: Int32(k), pos: caps[k], a: lastIndex))
                            caps[k] = scratch[k]
                        }
                        if newLast != lastIndex {
                            stack.append(RegexFrame(kind: .undoCapture, pc: 0, pos: caps[0], a: lastIndex))
                            lastIndex = newLast
                        }
                        if i.op == .lookEnd { pos = b.pos }
                        pc = Int(begin.b)
                        continue
                    case .groupExists:
                        let g = Int(i.a)
                        pc = caps[2 * g] >= 0 && caps[2 * g + 1] >= 0 ? pc + 1 : Int(i.b)
                        continue
                    case .match:
                        if full && pos != end { break execute }
                        if mustAdvance && pos == start { break execute }
                        caps[0] = start
                        caps[1] = pos
                        return true
                    }
                    // failure: back to the latest choice
                    resume: while true {
                        guard let f = stack.popLast() else { return false }
                        switch f.kind {
                        case .undoCapture:
                            caps[Int(f.pc)] = f.pos
                            lastIndex = f.a
                        case .undoRepeat:
                            counts[Int(f.pc)] = f.a
                            lasts[Int(f.pc)] = f.b
                        case .choice:
                            pc = Int(f.pc); pos = f.pos
                            break resume
                        case .repeatGreedy:
                            // give back one code point (to one before the next literal, when the pattern goes on
                            // with one)
                            var n = f.a - 1
                            let next = code[Int(f.pc)]
                            if next.op == .literal {
                                let c = UInt32(bitPattern: next.a)
                                while n >= f.pos && (n >= end || ch(n) != c) { n -= 1 }
                            }
                            if n < f.pos { continue }
                            if n > f.pos { stack.append(RegexFrame(kind: .repeatGreedy, pc: f.pc, pos: f.pos, a: n)) }
                            pos = n; pc = Int(f.pc)
                            break resume
                        case .repeatLazy:
                            // take one more
                            let rep = code[Int(f.pc)]
                            guard f.pos < end && one(code[Int(f.pc) + 1], ch(f.pos)) else { continue }
                            let n = f.a + 1
                            if rep.c < 0 || n < rep.c {
                                stack.append(RegexFrame(kind: .repeatLazy, pc: f.pc, pos: f.pos + 1, a: n))
                            }
                            pos = f.pos + 1; pc = Int(f.pc) + 2
                            break resume
                        case .repeatLoopLazy:
                            // one more time through the body
                            let r = Int(code[Int(f.pc)].a)
                            stack.append(RegexFrame(kind: .undoRepeat, pc: Int32(r), pos: 0, a: counts[r], b: lasts[r]))
                            counts[r] += 1
                            lasts[r] = f.pos
                            pos = f.pos; pc = Int(f.pc) + 1
                            break resume
                        case .barrier:
                            barrier = f.a
                            let begin = code[Int(f.pc)]
                            if begin.op == .lookBegin && begin.a & 1 != 0 {
                                // a negative lookaround whose body failed: it succeeds
                                pos = f.pos; pc = Int(begin.b)
                                break resume
                            }
                        }
                    }
                }
            }
        }
    }
}
