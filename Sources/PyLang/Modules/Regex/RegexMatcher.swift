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

/// The state of one match attempt; reused across the attempts of a search and across searches. Its registers and
/// stack are raw memory, read and written without array checks in the matcher's loop.
final class RegexMatcher {
    let prog: RegexProgram
    let capCount: Int
    /// Group boundaries: 2 * group and 2 * group + 1; -1 when unset.
    let caps: UnsafeMutablePointer<Int>
    let scratch: UnsafeMutablePointer<Int>
    /// Counted repeats: iterations so far, and where the current one began.
    let counts: UnsafeMutablePointer<Int>
    let lasts: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) var frames: UnsafeMutablePointer<RegexFrame>
    @exclusivity(unchecked) var frameCapacity: Int
    @exclusivity(unchecked) var lastIndex = -1
    /// In use by a search (a callback run by `sub` may search with the same pattern: it gets a new matcher).
    @exclusivity(unchecked) var busy = false
    /// The program's required literal, looked for from `requiredFrom` (-1: not yet, in this text): first found at
    /// `requiredAt`, or -2 for nowhere.
    @exclusivity(unchecked) var requiredFrom = -1
    @exclusivity(unchecked) var requiredAt = -1

    init(_ p: RegexProgram) {
        prog = p
        capCount = 2 * (p.groupCount + 1)
        caps = .allocate(capacity: capCount)
        caps.initialize(repeating: -1, count: capCount)
        scratch = .allocate(capacity: capCount)
        scratch.initialize(repeating: -1, count: capCount)
        counts = .allocate(capacity: max(p.repeats.count, 1))
        counts.initialize(repeating: 0, count: max(p.repeats.count, 1))
        lasts = .allocate(capacity: max(p.repeats.count, 1))
        lasts.initialize(repeating: 0, count: max(p.repeats.count, 1))
        frameCapacity = 64
        frames = .allocate(capacity: frameCapacity)
    }

    deinit {
        caps.deallocate(); scratch.deallocate(); counts.deallocate(); lasts.deallocate(); frames.deallocate()
    }

    /// The groups found by the last successful attempt.
    var spans: RegexSpans { RegexSpans(caps: Array(UnsafeBufferPointer(start: caps, count: capCount)), lastIndex: lastIndex) }

    /// The first match in `t[from..<end]` (only at `from` when `anchored`; reaching `end` when `full`); a match
    /// that is empty at `from` is refused when `mustAdvance` (after an empty match, as sre's must_advance). On
    /// success `caps` holds the groups, group 0 included.
    func search<T: FixedWidthInteger & UnsignedInteger>(_ t: UnsafeBufferPointer<T>, from: Int, end: Int,
                                                        anchored: Bool, full: Bool, mustAdvance: Bool) -> Bool {
        if from > end { return false }
        // a failed attempt leaves the registers as it found them (every change is undone on the way back), so
        // they are reset once per search, not once per attempt
        for k in 0..<capCount { caps[k] = -1 }
        if !prog.required.isEmpty {
            if requiredFrom < 0 || from < requiredFrom || (requiredAt >= 0 && requiredAt < from) {
                requiredFrom = from
                requiredAt = RegexMatcher.find(prog.required, t, from, end) ?? -2
            }
            if requiredAt == -2 { return false }
        }
        if anchored || full { return attempt(t, at: from, end: end, full: full, mustAdvance: mustAdvance) }
        if prog.anchoredStart {
            return from == 0 && attempt(t, at: 0, end: end, full: false, mustAdvance: mustAdvance)
        }
        var start = from
        if !prog.prefix.isEmpty {
            // try only where the literal prefix occurs
            let lit = prog.prefix
            if T.bitWidth == 8, let shift = prog.prefixShift {
                // Horspool: compare a window from its end, shift by the last byte's place in the prefix
                let m = lit.count, last = lit[m - 1]
                while start + m <= end {
                    let c = UInt32(truncatingIfNeeded: t[start + m - 1])
                    if c == last {
                        var j = 0
                        while j < m - 1 && UInt32(truncatingIfNeeded: t[start + j]) == lit[j] { j += 1 }
                        if j == m - 1
                            && attempt(t, at: start, end: end, full: false, mustAdvance: mustAdvance && start == from) {
                            return true
                        }
                    }
                    start += shift[Int(c)]
                }
                return false
            }
            while start < end {
                guard let k = RegexMatcher.find(lit, t, start, end) else { return false }
                if attempt(t, at: k, end: end, full: false, mustAdvance: mustAdvance && k == from) { return true }
                start = k + 1
            }
            return false
        }
        if prog.first != nil {
            let high = prog.firstHigh
            if let lit = prog.firstLiteral {
                guard UInt64(lit) <= UInt64(T.max) else { return false }
                let c = T(truncatingIfNeeded: lit)
                let second = prog.second, secondHigh = prog.secondHigh
                while start < end {
                    guard let k = RegexMatcher.find(c, t, start, end) else { return false }
                    start = k + 1
                    if let second, k + 1 < end {
                        // the code point after it must be one that can follow
                        let d = UInt32(truncatingIfNeeded: t[k + 1])
                        if d < 256 ? !second[Int(d)] : !secondHigh { continue }
                    } else if second != nil {
                        continue   // nothing follows, and something must
                    }
                    if attempt(t, at: k, end: end, full: false, mustAdvance: mustAdvance && k == from) { return true }
                }
                return false
            }
            let table = prog.firstTable
            while start < end {
                while start < end {
                    let c = UInt32(truncatingIfNeeded: t[start])
                    if c >= 256 ? high : table[Int(c)] { break }
                    start += 1
                }
                if start >= end { return false }
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

    /// The first index of the code points `lit` in `t[from..<end]`.
    static func find<T: FixedWidthInteger>(_ lit: [UInt32], _ t: UnsafeBufferPointer<T>, _ from: Int, _ end: Int) -> Int? {
        guard let c0 = lit.first, UInt64(c0) <= UInt64(T.max) else { return nil }
        var k = from
        while k + lit.count <= end {
            guard let at = find(T(truncatingIfNeeded: c0), t, k, end - lit.count + 1) else { return nil }
            var j = 1
            while j < lit.count && UInt32(truncatingIfNeeded: t[at + j]) == lit[j] { j += 1 }
            if j == lit.count { return at }
            k = at + 1
        }
        return nil
    }

    /// Whether the single-code-point instruction `i` takes `c`.
    @inline(__always)
    static func one(_ i: RegexInst, _ c: UInt32, _ classes: UnsafeMutablePointer<RegexClass>) -> Bool {
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

    /// Doubles the stack.
    @inline(never)
    static func grow(_ frames: inout UnsafeMutablePointer<RegexFrame>, _ capacity: inout Int) {
        let bigger = UnsafeMutablePointer<RegexFrame>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: frames, count: capacity)
        frames.deallocate()
        frames = bigger
        capacity *= 2
    }

    /// One match attempt at `start`.
    func attempt<T: FixedWidthInteger & UnsignedInteger>(_ t: UnsafeBufferPointer<T>, at start: Int, end: Int,
                                                         full: Bool, mustAdvance: Bool) -> Bool {
        guard let text = t.baseAddress else {
            // an empty subject may have no storage: a pointer to read nothing from
            var zero: T = 0
            return withUnsafePointer(to: &zero) {
                attempt(UnsafeBufferPointer(start: $0, count: 0), at: start, end: end, full: full, mustAdvance: mustAdvance)
            }
        }
        let code = prog.codePointer, classes = prog.classPointer
        let caps = self.caps, counts = self.counts, lasts = self.lasts
        var frames = self.frames, capacity = frameCapacity, sp = 0
        defer { self.frames = frames; frameCapacity = capacity }
        var lastIndex = -1
        var barrier = -1
        var pc = 0
        var pos = start
        while true {
            let i = code[pc]
            execute: switch i.op {
            case .literal:
                if pos < end && UInt32(truncatingIfNeeded: text[pos]) == UInt32(bitPattern: i.a) { pos += 1; pc += 1; continue }
            case .any, .anyAll, .set, .literalIgnore, .literalIgnoreASCII:
                if pos < end && RegexMatcher.one(i, UInt32(truncatingIfNeeded: text[pos]), classes) { pos += 1; pc += 1; continue }
            case .anchor:
                let ok: Bool
                let k = RegexAnchor(rawValue: UInt8(truncatingIfNeeded: i.a)) ?? .beginning
                switch k {
                case .beginning, .beginningString: ok = pos == 0
                case .beginningLine: ok = pos == 0 || text[pos - 1] == 10
                case .end: ok = pos == end || (pos == end - 1 && text[pos] == 10)
                case .endLine: ok = pos == end || text[pos] == 10
                case .endString: ok = pos == end
                case .boundary, .asciiBoundary, .nonBoundary, .asciiNonBoundary:
                    if end == 0 { ok = false; break }
                    let ascii = k == .asciiBoundary || k == .asciiNonBoundary
                    let before = pos > 0 && RegexChars.isWord(UInt32(truncatingIfNeeded: text[pos - 1]), ascii: ascii)
                    let after = pos < end && RegexChars.isWord(UInt32(truncatingIfNeeded: text[pos]), ascii: ascii)
                    ok = (before != after) == (k == .boundary || k == .asciiBoundary)
                }
                if ok { pc += 1; continue }
            case .save:
                let s = Int(i.a)
                if sp == capacity { RegexMatcher.grow(&frames, &capacity) }
                frames[sp] = RegexFrame(kind: .undoCapture, pc: i.a, pos: caps[s], a: lastIndex); sp += 1
                caps[s] = pos
                if s & 1 == 1 { lastIndex = s >> 1 }
                pc += 1
                continue
            case .split:
                // an alternative that begins with a code point the text does not have here is not tried (nor kept)
                let x = code[Int(i.a)]
                if x.op.rawValue <= RegexOp.set.rawValue
                    && (pos >= end || !RegexMatcher.one(x, UInt32(truncatingIfNeeded: text[pos]), classes)) {
                    pc = Int(i.b)
                    continue
                }
                let y = code[Int(i.b)]
                if y.op.rawValue <= RegexOp.set.rawValue
                    && (pos >= end || !RegexMatcher.one(y, UInt32(truncatingIfNeeded: text[pos]), classes)) {
                    pc = Int(i.a)
                    continue
                }
                if sp == capacity { RegexMatcher.grow(&frames, &capacity) }
                frames[sp] = RegexFrame(kind: .choice, pc: i.b, pos: pos, a: 0); sp += 1
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
                case .any: while n < limit && text[n] != 10 { n += 1 }
                case .literal:
                    let c = UInt32(bitPattern: item.a)
                    while n < limit && UInt32(truncatingIfNeeded: text[n]) == c { n += 1 }
                case .set:
                    let cls = classes + Int(item.a)
                    while n < limit && cls.pointee.test(UInt32(truncatingIfNeeded: text[n])) { n += 1 }
                default: while n < limit && RegexMatcher.one(item, UInt32(truncatingIfNeeded: text[n]), classes) { n += 1 }
                }
                let least = pos + Int(i.a)
                if n < least { break execute }
                if n > least {
                    if sp == capacity { RegexMatcher.grow(&frames, &capacity) }
                    frames[sp] = RegexFrame(kind: .repeatGreedy, pc: Int32(pc + 2), pos: least, a: n); sp += 1
                }
                pos = n
                pc += 2
                continue
            case .repeatOneLazy:
                let item = code[pc + 1]
                var n = 0
                while n < Int(i.a) {
                    guard pos < end && RegexMatcher.one(item, UInt32(truncatingIfNeeded: text[pos]), classes) else { break execute }
                    pos += 1; n += 1
                }
                if i.c < 0 || n < i.c {
                    if sp == capacity { RegexMatcher.grow(&frames, &capacity) }
                    frames[sp] = RegexFrame(kind: .repeatLazy, pc: Int32(pc), pos: pos, a: n); sp += 1
                }
                pc += 2
                continue
            case .repeatInit:
                let r = Int(i.a)
                if sp == capacity { RegexMatcher.grow(&frames, &capacity) }
                frames[sp] = RegexFrame(kind: .undoRepeat, pc: i.a, pos: 0, a: counts[r], b: lasts[r]); sp += 1
                counts[r] = 0
                lasts[r] = -1
                pc += 1
                continue
            case .repeatLoop, .repeatLoopLazy:
                let r = Int(i.a)
                let c = counts[r]
                let (lo, hi) = prog.repeats[r]
                if sp + 2 > capacity { RegexMatcher.grow(&frames, &capacity) }
                if c < lo {
                    frames[sp] = RegexFrame(kind: .undoRepeat, pc: i.a, pos: 0, a: c, b: lasts[r]); sp += 1
                    counts[r] = c + 1
                    pc += 1
                    continue
                }
                let more = (hi < 0 || c < hi) && pos != lasts[r]
                if i.op == .repeatLoop {
                    if more {
                        frames[sp] = RegexFrame(kind: .choice, pc: i.b, pos: pos, a: 0); sp += 1
                        frames[sp] = RegexFrame(kind: .undoRepeat, pc: i.a, pos: 0, a: c, b: lasts[r]); sp += 1
                        counts[r] = c + 1
                        lasts[r] = pos
                        pc += 1
                    } else {
                        pc = Int(i.b)
                    }
                } else {
                    if more { frames[sp] = RegexFrame(kind: .repeatLoopLazy, pc: Int32(pc), pos: pos, a: 0); sp += 1 }
                    pc = Int(i.b)
                }
                continue
            case .backref, .backrefIgnore, .backrefIgnoreASCII:
                let g = Int(i.a)
                let s = caps[2 * g], e = caps[2 * g + 1]
                if s < 0 || e < 0 || e - s > end - pos { break execute }
                var k = 0
                while k < e - s {
                    let x = UInt32(truncatingIfNeeded: text[s + k]), y = UInt32(truncatingIfNeeded: text[pos + k])
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
            case .lookBegin, .atomicBegin:
                if i.op == .lookBegin && i.a & 2 != 0 && pos < i.c {
                    // a lookbehind before the start of the string
                    if i.a & 1 != 0 { pc = Int(i.b); continue }
                    break execute
                }
                if sp == capacity { RegexMatcher.grow(&frames, &capacity) }
                frames[sp] = RegexFrame(kind: .barrier, pc: Int32(pc), pos: pos, a: barrier); sp += 1
                barrier = sp - 1
                if i.op == .lookBegin && i.a & 2 != 0 { pos -= i.c }
                pc += 1
                continue
            case .lookEnd, .atomicEnd:
                let b = frames[barrier]
                let begin = code[Int(b.pc)]
                let negative = i.op == .lookEnd && begin.a & 1 != 0
                if !negative { for k in 0..<capCount { scratch[k] = caps[k] } }
                let newLast = lastIndex
                // back to the barrier, restoring what the body changed, dropping its choices
                while sp > barrier + 1 {
                    sp -= 1
                    let f = frames[sp]
                    if f.kind == .undoCapture { caps[Int(f.pc)] = f.pos; lastIndex = f.a }
                    else if f.kind == .undoRepeat { counts[Int(f.pc)] = f.a; lasts[Int(f.pc)] = f.b }
                }
                sp -= 1
                barrier = b.a
                if negative { break execute }   // a negative lookaround whose body matched fails
                // keep the groups the body set (undone if the match backtracks past here)
                for k in 0..<capCount where scratch[k] != caps[k] {
                    if sp == capacity { RegexMatcher.grow(&frames, &capacity) }
                    frames[sp] = RegexFrame(kind: .undoCapture, pc: Int32(k), pos: caps[k], a: lastIndex); sp += 1
                    caps[k] = scratch[k]
                }
                if newLast != lastIndex {
                    if sp == capacity { RegexMatcher.grow(&frames, &capacity) }
                    frames[sp] = RegexFrame(kind: .undoCapture, pc: 0, pos: caps[0], a: lastIndex); sp += 1
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
                self.lastIndex = lastIndex
                return true
            }
            // failure: back to the latest choice
            resume: while true {
                if sp == 0 { return false }
                sp -= 1
                let f = frames[sp]
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
                    // give back one code point (back to the next literal, when the pattern goes on with one)
                    var n = f.a - 1
                    let next = code[Int(f.pc)]
                    if next.op == .literal {
                        let c = UInt32(bitPattern: next.a)
                        while n >= f.pos && UInt32(truncatingIfNeeded: text[n]) != c { n -= 1 }
                    }
                    if n < f.pos { continue }
                    if n > f.pos { frames[sp] = RegexFrame(kind: .repeatGreedy, pc: f.pc, pos: f.pos, a: n); sp += 1 }
                    pos = n; pc = Int(f.pc)
                    break resume
                case .repeatLazy:
                    // take one more
                    let rep = code[Int(f.pc)]
                    guard f.pos < end && RegexMatcher.one(code[Int(f.pc) + 1], UInt32(truncatingIfNeeded: text[f.pos]), classes) else { continue }
                    let n = f.a + 1
                    if rep.c < 0 || n < rep.c {
                        frames[sp] = RegexFrame(kind: .repeatLazy, pc: f.pc, pos: f.pos + 1, a: n); sp += 1
                    }
                    pos = f.pos + 1; pc = Int(f.pc) + 2
                    break resume
                case .repeatLoopLazy:
                    // one more time through the body
                    let r = Int(code[Int(f.pc)].a)
                    frames[sp] = RegexFrame(kind: .undoRepeat, pc: Int32(r), pos: 0, a: counts[r], b: lasts[r]); sp += 1
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
