// The parser's expressions: precedence climbing from lambda and conditional expressions down to atoms, with
// targets, calls, subscripts, displays, comprehensions and f-strings (the statements are in Parser.swift).

extension Parser {
    /// A single assignment target for `for` / `with ... as`.
    mutating func target() throws(SyntaxError) -> Expr {
        let line = cur.line
        if eatOp("*") { return Starred(try bitOr(), line: line) }
        return try bitOr()
    }

    mutating func targetList() throws(SyntaxError) -> Expr {
        let t0 = cur
        let first = try target()
        var result = first
        if isOp(",") {
            var elts = [first]
            while eatOp(",") {
                if isKw("in") || isOp("=") { break }
                elts.append(try target())
            }
            result = TupleExpr(elts, line: t0.line)
        }
        try checkTarget(result, del: false, at: t0)
        return result
    }

    /// Comma-separated expressions forming a tuple when there is a comma.
    mutating func exprList() throws(SyntaxError) -> Expr {
        let line = cur.line
        let first = try starOrExpr()
        if !isOp(",") { return first }
        var elts = [first]
        while eatOp(",") {
            if atEndOfSimple() || isOp("=") || isOp(")") || isOp(":") { break }
            elts.append(try starOrExpr())
        }
        return TupleExpr(elts, line: line)
    }

    mutating func exprListStar() throws(SyntaxError) -> Expr { try exprList() }

    mutating func starOrExpr() throws(SyntaxError) -> Expr {
        let line = cur.line
        if eatOp("*") { return Starred(try bitOr(), line: line) }
        return try namedExpr()
    }

    mutating func namedExpr() throws(SyntaxError) -> Expr {
        if case .name(let n) = tok, case .op(":=") = peek(), !Parser.keywords.contains(n) {
            let line = cur.line
            p += 2
            var s = scope
            while s.kind == .comprehension, let par = s.parent { s = par }
            let saved = scope
            scope = s
            let t = nameRef(n, line: line, store: true)
            scope = saved
            return NamedExpr(t, try expr(), line: line)
        }
        return try expr()
    }

    mutating func yieldExpr() throws(SyntaxError) -> Expr {
        let line = cur.line
        try expectKw("yield")
        guard scope.kind == .function, let code = scope.code else { throw err("'yield' outside function") }
        code.isGenerator = true
        code.yieldCount += 1
        if eatKw("from") { return YieldExpr(try expr(), isFrom: true, line: line) }
        if atEndOfSimple() || isOp(")") { return YieldExpr(nil, isFrom: false, line: line) }
        return YieldExpr(try exprList(), isFrom: false, line: line)
    }

    mutating func expr() throws(SyntaxError) -> Expr {
        try enter(); defer { depth -= 1 }
        let line = cur.line
        if isKw("lambda") {
            p += 1
            let qual = localsPrefix + (classNames.isEmpty ? "" : classNames.joined(separator: ".") + ".") + "<lambda>"
            let code = FuncCode(name: "<lambda>", qualname: qual, file: file, line: line)
            code.isLambda = true
            let outer = scope
            let ls = Scope(.function, parent: outer, name: "<lambda>")
            ls.code = code
            scope = ls
            let (d, kd) = try params(code, close: ":", outer: outer)
            try expectOp(":")
            funcDepth += 1
            let savedLoop = loopDepth; loopDepth = 0
            let savedLoops = openLoops; openLoops = []
            let savedPrefix = localsPrefix; localsPrefix = qual + ".<locals>."
            let savedClasses = classNames; classNames = []
            // restored on a SyntaxError too: the enclosing loop's statement pops its entry of openLoops
            defer { funcDepth -= 1; loopDepth = savedLoop; openLoops = savedLoops; localsPrefix = savedPrefix; classNames = savedClasses }
            let body = try expr()
            scope = outer
            let r = ReturnStmt(body, line: line)
            code.body = [r]
            return Lambda(code, ls, d, kd, line: line)
        }
        if isKw("yield") { return try yieldExpr() }
        let a = try orExpr()
        if isKw("if") {
            // conditional expression, but not the `if` of a comprehension (handled because comprehensions use orExpr)
            p += 1
            let c = try orExpr()
            try expectKw("else")
            let b = try expr()
            return IfExp(c, a, b, line: line)
        }
        return a
    }

    mutating func orExpr() throws(SyntaxError) -> Expr {
        let line = cur.line
        let a = try andExpr()
        if !isKw("or") { return a }
        var vs = [a]
        while eatKw("or") { vs.append(try andExpr()) }
        return BoolOp(isAnd: false, vs, line: line)
    }

    mutating func andExpr() throws(SyntaxError) -> Expr {
        let line = cur.line
        let a = try notExpr()
        if !isKw("and") { return a }
        var vs = [a]
        while eatKw("and") { vs.append(try notExpr()) }
        return BoolOp(isAnd: true, vs, line: line)
    }

    mutating func notExpr() throws(SyntaxError) -> Expr {
        let line = cur.line
        if eatKw("not") {
            try enter(); defer { depth -= 1 }
            return UnaryOp(.not, try notExpr(), line: line)
        }
        return try comparison()
    }

    mutating func compOp() -> CmpKind? {
        switch tok {
        case .op("=="): p += 1; return .eq
        case .op("!="): p += 1; return .ne
        case .op("<"): p += 1; return .lt
        case .op("<="): p += 1; return .le
        case .op(">"): p += 1; return .gt
        case .op(">="): p += 1; return .ge
        case .name("in"): p += 1; return .inOp
        case .name("not"):
            if case .name("in") = peek() { p += 2; return .notIn }
            return nil
        case .name("is"):
            p += 1
            if eatKw("not") { return .isNot }
            return .isOp
        default: return nil
        }
    }

    mutating func comparison() throws(SyntaxError) -> Expr {
        let line = cur.line
        let a = try bitOr()
        var ops: [CmpKind] = []
        var rest: [Expr] = []
        while let o = compOp() {
            ops.append(o)
            rest.append(try bitOr())
        }
        if ops.isEmpty { return a }
        return Compare(a, ops, rest, line: line)
    }

    mutating func binLevel(_ ops: [String: BinOpKind], _ next: (inout Parser) throws(SyntaxError) -> Expr) throws(SyntaxError) -> Expr {
        let start = chainNodes
        var a = try next(&self)
        while case .op(let o) = tok, let k = ops[o] {
            let line = cur.line
            try chainStep(since: start)
            p += 1
            let b = try next(&self)
            a = BinOp(k, a, b, line: line)
        }
        return a
    }

    mutating func bitOr() throws(SyntaxError) -> Expr { try binLevel(["|": .bor]) { (p: inout Parser) throws(SyntaxError) in try p.bitXor() } }
    mutating func bitXor() throws(SyntaxError) -> Expr { try binLevel(["^": .bxor]) { (p: inout Parser) throws(SyntaxError) in try p.bitAnd() } }
    mutating func bitAnd() throws(SyntaxError) -> Expr { try binLevel(["&": .band]) { (p: inout Parser) throws(SyntaxError) in try p.shift() } }
    mutating func shift() throws(SyntaxError) -> Expr { try binLevel(["<<": .lshift, ">>": .rshift]) { (p: inout Parser) throws(SyntaxError) in try p.arith() } }
    mutating func arith() throws(SyntaxError) -> Expr { try binLevel(["+": .add, "-": .sub]) { (p: inout Parser) throws(SyntaxError) in try p.term() } }
    mutating func term() throws(SyntaxError) -> Expr {
        try binLevel(["*": .mul, "/": .div, "//": .floordiv, "%": .mod, "@": .matmul]) { (p: inout Parser) throws(SyntaxError) in try p.factor() }
    }

    mutating func factor() throws(SyntaxError) -> Expr {
        let line = cur.line
        try enter(); defer { depth -= 1 }
        if eatOp("-") {
            let e = try factor()
            if let c = e as? Const, case .int(let i) = c.value, i != Int.min { return Const(.int(-i), line: line) }
            if let c = e as? Const, case .float(let d) = c.value { return Const(.float(-d), line: line) }
            return UnaryOp(.neg, e, line: line)
        }
        if eatOp("+") { return UnaryOp(.pos, try factor(), line: line) }
        if eatOp("~") { return UnaryOp(.inv, try factor(), line: line) }
        return try power()
    }

    mutating func power() throws(SyntaxError) -> Expr {
        let line = cur.line
        if isKw("await") { throw err("await is not supported") }
        let a = try primary()
        if eatOp("**") {
            let b = try factor()
            return BinOp(.pow, a, b, line: line)
        }
        return a
    }

    mutating func primary() throws(SyntaxError) -> Expr {
        let start = chainNodes
        var e = try atom()
        while true {
            let line = cur.line
            if isOp(".") || isOp("(") || isOp("[") { try chainStep(since: start) }
            if eatOp(".") {
                e = Attribute(e, try ident(), line: line)
            } else if isOp("(") {
                p += 1
                e = try call(e, line: line)
            } else if eatOp("[") {
                let idx = try subscriptList()
                try expectOp("]")
                e = Subscript(e, idx, line: line)
            } else { break }
        }
        return e
    }

    mutating func subscriptList() throws(SyntaxError) -> Expr {
        let line = cur.line
        let first = try sliceItem()
        if !isOp(",") { return first }
        var elts = [first]
        while eatOp(",") {
            if isOp("]") { break }
            elts.append(try sliceItem())
        }
        return TupleExpr(elts, line: line)
    }

    mutating func sliceItem() throws(SyntaxError) -> Expr {
        let line = cur.line
        var a: Expr? = nil
        if !isOp(":") { a = try namedExpr() ; if !isOp(":") { return a! } }
        try expectOp(":")
        var b: Expr? = nil, c: Expr? = nil
        if !isOp("]") && !isOp(":") && !isOp(",") { b = try expr() }
        if eatOp(":") { if !isOp("]") && !isOp(",") { c = try expr() } }
        return SliceExpr(a, b, c, line: line)
    }

    mutating func call(_ fn: Expr, line: Int) throws(SyntaxError) -> Expr {
        var args: [Expr] = []
        var kn: [String?] = [], kv: [Expr] = []
        try enter(); defer { depth -= 1 }
        while !isOp(")") {
            let argLine = cur.line
            if eatOp("**") { kn.append(nil); kv.append(try expr()) }
            else if eatOp("*") { args.append(Starred(try expr(), line: argLine)) }
            else if case .name(let n) = tok, case .op("=") = peek() {
                if Parser.keywords.contains(n) { throw err("expression cannot contain assignment, perhaps you meant \"==\"?") }
                p += 2
                if kn.contains(where: { $0 == n }) { throw err("keyword argument repeated: \(n)") }
                kn.append(n); kv.append(try expr())
            } else {
                if !kn.isEmpty { throw err("positional argument follows keyword argument") }
                let m = mark
                let e = try namedExpr()
                if isKw("for") {
                    args.append(try comprehension(.gen, e, nil, mark: m, line: argLine))
                } else { args.append(e) }
            }
            if !eatOp(",") { break }
        }
        if tok == .eof { throw err("'(' was never closed") }
        try expectOp(")")
        if let n = fn as? Name, n.ref.name == "super", args.isEmpty, kn.isEmpty {
            return SuperExpr(line: line)
        }
        if let n = fn as? Name, n.ref.name == "super", args.count == 2, kn.isEmpty, args[0] is Name, args[1] is Name {
            return SuperExpr(line: line, explicitClass: args[0], explicitObject: args[1])
        }
        return CallExpr(fn, args, kn, kv, line: line)
    }

    /// Parses the `for ... in ... if ...` clauses after `elt` in a new comprehension scope.
    mutating func comprehension(_ kind: CompKind, _ elt: Expr, _ value: Expr?, mark: (Int, Int), line: Int) throws(SyntaxError) -> Expr {
        // The element was parsed in the enclosing scope before we knew it was a comprehension: move its name
        // references and nested scopes (lambdas, inner comprehensions) into the comprehension scope.
        let outer = scope
        let cs = Scope(.comprehension, parent: outer, name: "<comp>")
        outer.children.removeLast()
        let movedRefs = Array(outer.refs[mark.0...])
        outer.refs.removeSubrange(mark.0...)
        let movedChildren = Array(outer.children[mark.1...])
        outer.children.removeSubrange(mark.1...)
        outer.children.append(cs)
        for c in movedChildren { c.parent = cs; cs.children.append(c) }
        cs.refs.append(contentsOf: movedRefs)
        var gens: [CompFor] = []
        var first = true
        while eatKw("for") {
            scope = cs
            let t = try targetList()
            try expectKw("in")
            // the first iterable is evaluated in the enclosing scope
            if first { scope = outer }
            let it = try orExpr()
            scope = cs
            first = false
            var conds: [Expr] = []
            while eatKw("if") { conds.append(try orExpr()) }
            gens.append(CompFor(target: t, iter: it, conds: conds))
        }
        scope = outer
        return Comprehension(kind, elt, value, gens, line: line)
    }

    var mark: (Int, Int) { (scope.refs.count, scope.children.count) }


    mutating func atom() throws(SyntaxError) -> Expr {
        let t = cur
        let line = t.line
        switch t.tok {
        case .name(let n):
            switch n {
            case "None": p += 1; return Const(.none, line: line)
            case "True": p += 1; return Const(.bool(true), line: line)
            case "False": p += 1; return Const(.bool(false), line: line)
            default:
                if Parser.keywords.contains(n) { throw err("invalid syntax") }
                p += 1
                return nameRef(n, line: line, store: false)
            }
        case .int(let i): p += 1; return Const(.int(i), line: line)
        case .bigInt(let s): p += 1; return Const(parseBigLiteral(s), line: line)
        case .float(let d): p += 1; return Const(.float(d), line: line)
        case .bytes(var b):
            p += 1
            while case .bytes(let b2) = tok { b += b2; p += 1 }
            return Const(.obj(PyBytes(b)), line: line)
        case .str:
            var parts: [FStringExpr.Part] = []
            var wide: [(Int, [UInt32])] = []
            var anyF = false
            while case .str(let s, let k) = tok {
                let st = cur
                p += 1
                if k == .fstring { anyF = true; parts += try fstringParts(s, st) } else { parts.append(.lit(s)) }
                if case .wide(let w) = k { wide.append((parts.count - 1, w)) }
            }
            if !anyF {
                var s = ""
                for case .lit(let x) in parts { s += x }
                if !wide.isEmpty {
                    // lone surrogates: the code points of each literal, in order
                    var cps: [UInt32] = []
                    var next = 0
                    for (k, part) in parts.enumerated() {
                        guard case .lit(let x) = part else { continue }
                        if next < wide.count && wide[next].0 == k { cps += wide[next].1; next += 1 }
                        else { cps += x.unicodeScalars.map(\.value) }
                    }
                    return Const(.str(PyStr.of(cps)), line: line)
                }
                return Const(.str(s), line: line)
            }
            return FStringExpr(parts, line: line)
        case .op("("):
            p += 1
            try enter(); defer { depth -= 1 }
            if eatOp(")") { return TupleExpr([], line: line) }
            if isKw("yield") { let y = try yieldExpr(); try expectOp(")"); return y }
            let m = mark
            let first = try starOrExpr()
            if isKw("for") {
                let c = try comprehension(.gen, first, nil, mark: m, line: line)
                try expectOp(")")
                return c
            }
            if eatOp(")") {
                if first.isStarred { throw err("cannot use starred expression here") }
                return first
            }
            var elts = [first]
            while eatOp(",") {
                if isOp(")") { break }
                elts.append(try starOrExpr())
            }
            if tok == .eof { throw err("'(' was never closed", t) }
            try expectOp(")")
            return TupleExpr(elts, line: line)
        case .op("["):
            p += 1
            try enter(); defer { depth -= 1 }
            if eatOp("]") { return ListExpr([], line: line) }
            let m = mark
            let first = try starOrExpr()
            if isKw("for") {
                let c = try comprehension(.list, first, nil, mark: m, line: line)
                try expectOp("]")
                return c
            }
            var elts = [first]
            while eatOp(",") {
                if isOp("]") { break }
                elts.append(try starOrExpr())
            }
            if tok == .eof { throw err("'[' was never closed", t) }
            try expectOp("]")
            return ListExpr(elts, line: line)
        case .op("{"):
            p += 1
            try enter(); defer { depth -= 1 }
            if eatOp("}") { return DictExpr([], [], line: line) }
            if eatOp("**") {
                var keys: [Expr?] = [nil], vals: [Expr] = [try bitOr()]
                try dictRest(&keys, &vals)
                return DictExpr(keys, vals, line: line)
            }
            let m = mark
            let first = try starOrExpr()
            if eatOp(":") {
                let v = try expr()
                if isKw("for") {
                    let c = try comprehension(.dict, first, v, mark: m, line: line)
                    try expectOp("}")
                    return c
                }
                var keys: [Expr?] = [first], vals: [Expr] = [v]
                try dictRest(&keys, &vals)
                return DictExpr(keys, vals, line: line)
            }
            if isKw("for") {
                let c = try comprehension(.set, first, nil, mark: m, line: line)
                try expectOp("}")
                return c
            }
            var elts = [first]
            while eatOp(",") {
                if isOp("}") { break }
                elts.append(try starOrExpr())
            }
            try expectOp("}")
            return SetExpr(elts, line: line)
        case .op("..."): p += 1; return Const(.obj(ellipsisObject), line: line)
        case .eof: throw err("unexpected end of input")
        case .newline: throw err("invalid syntax")
        case .indent: throw err("unexpected indent")
        case .dedent: throw err("unexpected dedent")
        case .op(let o): throw err(o == ")" || o == "]" || o == "}" ? "unmatched '\(o)'" : "invalid syntax")
        }
    }

    mutating func dictRest(_ keys: inout [Expr?], _ vals: inout [Expr]) throws(SyntaxError) {
        while eatOp(",") {
            if isOp("}") { break }
            if eatOp("**") { keys.append(nil); vals.append(try bitOr()); continue }
            keys.append(try expr())
            try expectOp(":")
            vals.append(try expr())
        }
        try expectOp("}")
    }

    /// Splits an f-string into literal parts and expressions, parsing each expression with a sub-parser
    /// that shares this parser's scope.
    mutating func fstringParts(_ s: String, _ t: Token) throws(SyntaxError) -> [FStringExpr.Part] {
        var parts: [FStringExpr.Part] = []
        let chars = Array(s)
        var i = 0
        var lit = ""
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count && chars[i + 1] == "{" { lit.append("{"); i += 2; continue }
                if !lit.isEmpty { parts.append(.lit(lit)); lit = "" }
                // find the end of the expression: matching brace, stop at top-level ! or :
                var depth = 0
                var j = i + 1
                var quote: Character? = nil
                var exprEnd = -1
                var conv: Character? = nil
                var specStart = -1
                while j < chars.count {
                    let d = chars[j]
                    if let q = quote { if d == q { quote = nil }; j += 1; continue }
                    if d == "'" || d == "\"" { quote = d; j += 1; continue }
                    if d == "(" || d == "[" || d == "{" { depth += 1 }
                    else if d == ")" || d == "]" { depth -= 1 }
                    else if d == "}" {
                        if depth == 0 { break }
                        depth -= 1
                    } else if depth == 0 && d == "!" && j + 1 < chars.count && chars[j + 1] != "=" && exprEnd < 0 {
                        exprEnd = j; conv = j + 1 < chars.count ? chars[j + 1] : nil; j += 2; continue
                    } else if depth == 0 && d == ":" && specStart < 0 {
                        if exprEnd < 0 { exprEnd = j }
                        specStart = j + 1
                        // the spec runs to the matching close brace (may contain nested {})
                        var d2 = 0
                        j += 1
                        while j < chars.count {
                            if chars[j] == "{" { d2 += 1 } else if chars[j] == "}" { if d2 == 0 { break }; d2 -= 1 }
                            j += 1
                        }
                        break
                    }
                    j += 1
                }
                if j >= chars.count { throw err("f-string: expecting '}'", t) }
                if exprEnd < 0 { exprEnd = j }
                var exprText = String(chars[(i + 1)..<exprEnd])
                var selfDoc = false
                if exprText.hasSuffix("=") && !exprText.hasSuffix("==") && !exprText.hasSuffix("!=") && !exprText.hasSuffix("<=") && !exprText.hasSuffix(">=") {
                    selfDoc = true
                    exprText.removeLast()
                }
                if exprText.trimmingCharacters(in: " ").isEmpty { throw err("f-string: empty expression not allowed", t) }
                let e = try subExpr(exprText, t)
                var spec: FStringExpr? = nil
                if specStart >= 0 {
                    spec = FStringExpr(try fstringParts(String(chars[specStart..<j]), t), line: t.line)
                }
                if selfDoc {
                    parts.append(.lit(exprText + "="))
                    if conv == nil && spec == nil { conv = "r" }
                }
                if let c = conv, !"rsa".contains(c) { throw err("f-string: invalid conversion character '\(c)': expected 's', 'r', or 'a'", t) }
                parts.append(.expr(e, conv: conv, spec: spec))
                i = j + 1
            } else if c == "}" {
                if i + 1 < chars.count && chars[i + 1] == "}" { lit.append("}"); i += 2; continue }
                throw err("f-string: single '}' is not allowed", t)
            } else { lit.append(c); i += 1 }
        }
        if !lit.isEmpty { parts.append(.lit(lit)) }
        return parts
    }

    mutating func subExpr(_ text: String, _ t: Token) throws(SyntaxError) -> Expr {
        var toks: [Token]
        do { toks = try Lexer.tokenize("(" + text + ")", file: file) } catch {
            throw err("f-string: \(error.message)", t)
        }
        for i in toks.indices { toks[i].line = t.line; toks[i].col = t.col }
        var sub = Parser(tokens: toks, file: file, source: source, module: scope)
        sub.depth = depth + 1
        sub.funcDepth = funcDepth
        sub.openLoops = openLoops
        let e = try sub.expr()
        if sub.tok != .newline && sub.tok != .eof { throw err("f-string: invalid syntax", t) }
        return e
    }
}
