// A parsed pattern compiled to the backtracking matcher's program: a flat array of instructions (sre's opcodes,
// as CPython's `Lib/re/_compiler.py` emits them for `Modules/_sre/sre_lib.h`), plus what a search uses to skip
// positions where no match can start (the set of possible first code points, a literal first code point, an anchor
// at the start). Mirrors CPython's sre; written from its documented behaviour.

enum RegexOp: UInt8 {
    /// One code point: `a` itself; its lowered value (Unicode or ASCII case); `.` without and with DOTALL; a set.
    case literal, literalIgnore, literalIgnoreASCII, any, anyAll, set
    /// A zero-width test, `a` a `RegexAnchor`.
    case anchor
    /// Group boundary `a` (2 * group, + 1 for its end) takes the position.
    case save
    /// Tries `a`, and on failure `b`.
    case split
    case jump
    /// The single-code-point instruction after this one, `a` to `c` times (`c` -1: no limit), greedy or lazy;
    /// the rest of the pattern follows at +2 (sre's REPEAT_ONE, MIN_REPEAT_ONE).
    case repeatOne, repeatOneLazy
    /// A repeat of a longer piece (sre's REPEAT with MAX_UNTIL or MIN_UNTIL): `repeatInit` starts counter `a`;
    /// `repeatLoop` decides between one more time through the body (at +1) and leaving (to `b`).
    case repeatInit, repeatLoop, repeatLoopLazy
    /// The text of group `a` again.
    case backref, backrefIgnore, backrefIgnoreASCII
    /// Lookaround: `a` bit 0 negative, bit 1 behind; `b` where the pattern goes on; `c` a lookbehind's width.
    case lookBegin, lookEnd
    /// An atomic group (and a possessive repeat): `b` where the pattern goes on.
    case atomicBegin, atomicEnd
    /// `(?(a)...)`: on if group `a` matched, else to `b`.
    case groupExists
    case match
}

struct RegexInst {
    var op: RegexOp
    var a: Int32 = 0
    var b: Int32 = 0
    var c: Int = 0
}

/// A compiled pattern.
final class RegexProgram {
    let code: [RegexInst]
    let classes: [RegexClass]
    /// Each counted repeat's minimum and maximum (-1: no limit).
    let repeats: [(min: Int, max: Int)]
    /// The global flags set inside the pattern (`(?i)`), as re's flag bits.
    var inlineFlags = 0
    /// Capturing groups (not counting group 0).
    let groupCount: Int
    let names: [String: Int]
    /// Code points below 256 that can begin a match, and whether one above can; nil: any position may match.
    let first: (UInt64, UInt64, UInt64, UInt64)?
    let firstHigh: Bool
    /// The one code point every match begins with (case-sensitive), if there is one.
    let firstLiteral: UInt32?
    /// Every match begins at the start of the string (`\A`, or `^` without MULTILINE).
    let anchoredStart: Bool
    /// Code points every match contains in this order (case-sensitive): a search first checks that the text has
    /// them at all.
    let required: [UInt32]
    /// Code points every match begins with (case-sensitive; two or more): a search tries only where they occur.
    let prefix: [UInt32]

    /// `first` as one flag per code point below 256.
    let firstTable: UnsafeMutablePointer<Bool>
    /// `code` and `classes` where the matcher reads them (no array checks in its loop).
    let codePointer: UnsafeMutablePointer<RegexInst>
    let classPointer: UnsafeMutablePointer<RegexClass>

    deinit {
        second?.deallocate()
        prefixShift?.deallocate()
        firstTable.deallocate()
        codePointer.deallocate()
        classPointer.deinitialize(count: classes.count)
        classPointer.deallocate()
    }

    /// When every match begins with one case-sensitive literal: the code points that can follow it (below 256,
    /// and whether one above can), else nil.
    let second: UnsafeMutablePointer<Bool>?
    let secondHigh: Bool
    /// For `prefix`: Horspool's shift for each byte value at a window's last place.
    let prefixShift: UnsafeMutablePointer<Int>?

    init(_ parsed: RegexNode, groups: Int, names: [String: Int]) {
        let node = RegexCompiler.factor(parsed)
        var c = RegexCompiler()
        c.emit(node)
        c.code.append(RegexInst(op: .match))
        code = c.code; classes = c.classes; repeats = c.repeats
        codePointer = .allocate(capacity: code.count)
        codePointer.initialize(from: code, count: code.count)
        classPointer = .allocate(capacity: max(classes.count, 1))
        classPointer.initialize(from: classes, count: classes.count)
        groupCount = groups; self.names = names
        let f = RegexFirst.of(node)
        var bits: [UInt64] = f.bits
        if f.nullable || (f.high && bits.allSatisfy { $0 == ~0 }) {
            first = nil; firstHigh = true; firstLiteral = nil
        } else {
            first = (bits[0], bits[1], bits[2], bits[3])
            firstHigh = f.high
            let n = bits.reduce(0) { $0 + $1.nonzeroBitCount }
            if n == 1 && !f.high, let k = bits.firstIndex(where: { $0 != 0 }) {
                firstLiteral = UInt32(k * 64 + bits[k].trailingZeroBitCount)
            } else {
                firstLiteral = nil
            }
            bits.removeAll()
        }
        anchoredStart = RegexFirst.anchored(node)
        required = RegexFirst.requiredLiteral(node)
        prefix = RegexFirst.prefixLiteral(node)
        if !prefix.isEmpty && prefix.allSatisfy({ $0 < 256 }) {
            let shift = UnsafeMutablePointer<Int>.allocate(capacity: 256)
            shift.initialize(repeating: prefix.count, count: 256)
            for (k, c) in prefix.dropLast().enumerated() { shift[Int(c)] = prefix.count - 1 - k }
            prefixShift = shift
        } else {
            prefixShift = nil
        }
        if let f1 = RegexFirst.afterFirstLiteral(node), !f1.nullable {
            let t = UnsafeMutablePointer<Bool>.allocate(capacity: 256)
            for x in 0..<256 { t[x] = f1.bits[x >> 6] & (1 << UInt64(x & 63)) != 0 }
            second = t
            secondHigh = f1.high
        } else {
            second = nil
            secondHigh = true
        }
        firstTable = .allocate(capacity: 256)
        for c in 0..<256 {
            let w: UInt64
            if let f = first { w = c < 64 ? f.0 : c < 128 ? f.1 : c < 192 ? f.2 : f.3 } else { w = ~0 }
            firstTable[c] = w & (1 << UInt64(c & 63)) != 0
        }
    }
}

struct RegexCompiler {
    var code: [RegexInst] = []
    var classes: [RegexClass] = []
    var repeats: [(min: Int, max: Int)] = []

    private var here: Int32 { Int32(code.count) }

    private mutating func addClass(_ c: RegexClass) -> Int32 {
        classes.append(c)
        return Int32(classes.count - 1)
    }

    /// The tree with alternatives that all begin with the same code point rewritten as that code point, then the
    /// alternatives' rests (CPython's parser factors the common prefix out the same way).
    static func factor(_ node: RegexNode) -> RegexNode {
        switch node {
        case .sequence(let xs): return .sequence(xs.map(factor))
        case .alternation(let ys):
            let xs = ys.map(factor)
            if xs.count > 1, let common = firstLiteral(xs[0]),
               xs.dropFirst().allSatisfy({ firstLiteral($0).map { same($0, common) } ?? false }) {
                return .sequence([common, factor(.alternation(xs.map(dropFirstLiteral)))])
            }
            return .alternation(xs)
        case .group(let n, let x): return .group(n, factor(x))
        case .repeated(let x, let lo, let hi, let lazy, let poss): return .repeated(factor(x), min: lo, max: hi, lazy: lazy, possessive: poss)
        case .atomic(let x): return .atomic(factor(x))
        case .look(let x, let b, let n, let w): return .look(factor(x), behind: b, negative: n, width: w)
        case .conditional(let g, let y, let n): return .conditional(g, factor(y), factor(n))
        default: return node
        }
    }

    /// The literal a sequence (or a lone literal) begins with.
    static func firstLiteral(_ node: RegexNode) -> RegexNode? {
        switch node {
        case .literal: return node
        case .sequence(let xs): return xs.first.flatMap { if case .literal = $0 { return $0 }; return nil }
        default: return nil
        }
    }

    static func same(_ a: RegexNode, _ b: RegexNode) -> Bool {
        if case .literal(let x, let i, let k) = a, case .literal(let y, let j, let l) = b { return x == y && i == j && k == l }
        return false
    }

    static func dropFirstLiteral(_ node: RegexNode) -> RegexNode {
        if case .sequence(let xs) = node { return xs.count == 2 ? xs[1] : .sequence(Array(xs.dropFirst())) }
        return .empty
    }

    static func isSingle(_ node: RegexNode) -> Bool {
        switch node {
        case .literal, .any, .set: return true
        default: return false
        }
    }

    /// The instruction matching one code point, for a node that matches exactly one; nil for any other node.
    mutating func single(_ node: RegexNode) -> RegexInst? {
        switch node {
        case .literal(let c, let ignore, let ascii):
            if !ignore { return RegexInst(op: .literal, a: Int32(bitPattern: c)) }
            if ascii { return RegexInst(op: .literalIgnoreASCII, a: Int32(bitPattern: RegexChars.asciiLower(c))) }
            let l = RegexChars.lower(c)
            if RegexChars.extraCases[l] == nil { return RegexInst(op: .literalIgnore, a: Int32(bitPattern: l)) }
            var cls = RegexClass()
            cls.singles = [c]
            cls.ignoreCase = true
            cls.finish()
            return RegexInst(op: .set, a: addClass(cls))
        case .any(let all): return RegexInst(op: all ? .anyAll : .any)
        case .set(let cls): return RegexInst(op: .set, a: addClass(cls))
        default: return nil
        }
    }

    mutating func emit(_ node: RegexNode) {
        if let s = single(node) { code.append(s); return }
        switch node {
        case .empty, .literal, .any, .set: break
        case .sequence(let xs): for x in xs { emit(x) }
        case .alternation(let xs):
            var jumps: [Int] = []
            for (k, x) in xs.enumerated() {
                if k < xs.count - 1 {
                    let split = code.count
                    code.append(RegexInst(op: .split, a: here + 1))
                    emit(x)
                    jumps.append(code.count)
                    code.append(RegexInst(op: .jump))
                    code[split].b = here
                } else {
                    emit(x)
                }
            }
            for j in jumps { code[j].a = here }
        case .group(let n, let x):
            code.append(RegexInst(op: .save, a: Int32(2 * n)))
            emit(x)
            code.append(RegexInst(op: .save, a: Int32(2 * n + 1)))
        case .repeated(let x, let lo, let hi, let lazy, let possessive):
            if possessive {
                // sre's POSSESSIVE_REPEAT: each iteration atomic, and the whole (not just `(?>x*)`)
                let body: RegexNode = RegexCompiler.isSingle(x) ? x : .atomic(x)
                emit(.atomic(.repeated(body, min: lo, max: hi, lazy: false, possessive: false)))
                return
            }
            if hi == 0 { return }
            if lo == 1 && hi == 1 { emit(x); return }
            if let s = single(x) {
                code.append(RegexInst(op: lazy ? .repeatOneLazy : .repeatOne, a: Int32(lo), c: hi))
                code.append(s)
                return
            }
            let r = Int32(repeats.count)
            repeats.append((lo, hi))
            code.append(RegexInst(op: .repeatInit, a: r))
            let loop = code.count
            code.append(RegexInst(op: lazy ? .repeatLoopLazy : .repeatLoop, a: r))
            emit(x)
            code.append(RegexInst(op: .jump, a: Int32(loop)))
            code[loop].b = here
        case .atomic(let x):
            let begin = code.count
            code.append(RegexInst(op: .atomicBegin))
            emit(x)
            code.append(RegexInst(op: .atomicEnd))
            code[begin].b = here
        case .look(let x, let behind, let negative, let width):
            let begin = code.count
            code.append(RegexInst(op: .lookBegin, a: (negative ? 1 : 0) | (behind ? 2 : 0), c: width))
            emit(x)
            code.append(RegexInst(op: .lookEnd))
            code[begin].b = here
        case .backref(let g, let ignore, let ascii):
            code.append(RegexInst(op: !ignore ? .backref : ascii ? .backrefIgnoreASCII : .backrefIgnore, a: Int32(g)))
        case .anchor(let k):
            code.append(RegexInst(op: .anchor, a: Int32(k.rawValue)))
        case .conditional(let g, let yes, let no):
            let test = code.count
            code.append(RegexInst(op: .groupExists, a: Int32(g)))
            emit(yes)
            let j = code.count
            code.append(RegexInst(op: .jump))
            code[test].b = here
            emit(no)
            code[j].a = here
        }
    }
}

/// The code points a match can begin with (sre's `_get_charset_prefix` and `_compile_info`, simplified).
struct RegexFirst {
    var bits: [UInt64] = [0, 0, 0, 0]
    var high = false
    var nullable = true

    static var everything: RegexFirst { RegexFirst(bits: [~0, ~0, ~0, ~0], high: true, nullable: true) }

    mutating func add(_ o: RegexFirst) {
        for k in 0..<4 { bits[k] |= o.bits[k] }
        high = high || o.high
    }

    static func of(_ node: RegexNode) -> RegexFirst {
        var r = RegexFirst()
        switch node {
        case .empty, .anchor, .look: break
        case .literal(let c, let ignore, _):
            r.nullable = false
            if !ignore {
                if c < 256 { r.bits[Int(c >> 6)] |= 1 << UInt64(c & 63) } else { r.high = true }
            } else {
                var comp = RegexCompiler()
                guard let inst = comp.single(node) else { return everything }
                for x in 0..<256 where RegexFirst.test(inst, comp.classes, UInt32(x)) { r.bits[x >> 6] |= 1 << UInt64(x & 63) }
                r.high = true
            }
        case .any(let all):
            r.nullable = false
            r.bits = [all ? ~0 : ~(1 << 10), ~0, ~0, ~0]
            r.high = true
        case .set(let cls):
            r.nullable = false
            r.bits = [cls.bitmap.0, cls.bitmap.1, cls.bitmap.2, cls.bitmap.3]
            r.high = cls.negated || !cls.categories.isEmpty || (cls.ignoreCase && !cls.asciiCase)
                || cls.ranges.contains { $0.1 >= 256 } || cls.singles.contains { $0 >= 256 }
        case .sequence(let xs):
            for x in xs {
                let f = of(x)
                r.add(f)
                if !f.nullable { r.nullable = false; break }
            }
        case .alternation(let xs):
            r.nullable = false
            for x in xs { let f = of(x); r.add(f); if f.nullable { r.nullable = true } }
        case .group(_, let x), .atomic(let x): return of(x)
        case .repeated(let x, let lo, let hi, _, _):
            if hi == 0 { return r }
            r = of(x)
            if lo == 0 { r.nullable = true }
        case .backref: return everything
        case .conditional(_, let y, let n):
            r = of(y)
            let f = of(n)
            r.add(f)
            r.nullable = r.nullable || f.nullable
        }
        return r
    }

    static func test(_ inst: RegexInst, _ classes: [RegexClass], _ c: UInt32) -> Bool {
        switch inst.op {
        case .literal: return c == UInt32(bitPattern: inst.a)
        case .literalIgnore: return RegexChars.lower(c) == UInt32(bitPattern: inst.a)
        case .literalIgnoreASCII: return RegexChars.asciiLower(c) == UInt32(bitPattern: inst.a)
        case .set: return classes[Int(inst.a)].test(c)
        default: return true
        }
    }

    /// The longest run of case-sensitive literals that every match contains (two or more, or one that is not
    /// the first item: the first-code-point filter covers that one).
    static func requiredLiteral(_ node: RegexNode) -> [UInt32] {
        var best: [UInt32] = [], run: [UInt32] = []
        var bestAt = 0, runAt = 0
        for (k, x) in items(node).enumerated() {
            if case .literal(let c, false, _) = x {
                if run.isEmpty { runAt = k }
                run.append(c)
                if run.count > best.count { best = run; bestAt = runAt }
            } else if case .anchor = x {
                continue   // zero width: the literals on either side are adjacent in the text
            } else {
                run = []
            }
        }
        if best.count < 2 && bestAt == 0 { return [] }
        return best
    }

    /// The pieces of a pattern in order, sequences and groups opened up (what the literal analyses read).
    static func items(_ node: RegexNode) -> [RegexNode] {
        var items: [RegexNode] = []
        func flatten(_ n: RegexNode) {
            switch n {
            case .sequence(let xs): for x in xs { flatten(x) }
            case .group(_, let x), .atomic(let x): flatten(x)
            default: items.append(n)
            }
        }
        flatten(node)
        return items
    }

    /// When the pattern begins with a case-sensitive literal: the first code points of what follows it.
    static func afterFirstLiteral(_ node: RegexNode) -> RegexFirst? {
        let xs = items(node)
        guard let x = xs.first, case .literal(_, false, _) = x else { return nil }
        return of(.sequence(Array(xs.dropFirst())))
    }

    /// The case-sensitive literals every match begins with (through the groups that open before them).
    static func prefixLiteral(_ node: RegexNode) -> [UInt32] {
        var out: [UInt32] = []
        func walk(_ n: RegexNode) -> Bool {
            switch n {
            case .literal(let c, false, _): out.append(c); return true
            case .sequence(let xs):
                for x in xs where !walk(x) { return false }
                return true
            case .group(_, let x), .atomic(let x): return walk(x)
            default: return false
            }
        }
        _ = walk(node)
        return out.count >= 2 ? out : []
    }

    /// Whether every match must begin at the start of the string.
    static func anchored(_ node: RegexNode) -> Bool {
        switch node {
        case .anchor(let k): return k == .beginning || k == .beginningString
        case .sequence(let xs): return xs.first.map(anchored) ?? false
        case .alternation(let xs): return !xs.isEmpty && xs.allSatisfy(anchored)
        case .group(_, let x), .atomic(let x): return anchored(x)
        default: return false
        }
    }
}
