// A recursive-descent parser for the mpsh language, building resolved-ready nodes and the scope tree.
// Mirrors the grammar of CPython's `Grammar/python.gram` (the subset the issue lists).

struct Parser {
    var toks: [Token]
    var p = 0
    let file: String
    let source: String
    var scope: Scope
    var depth = 0
    var classNames: [String] = []
    /// Inside a function: its qualified name and ".<locals>.", which starts the `__qualname__` of what it defines
    /// (CPython's `f.<locals>.g`); "" at the top level.
    var localsPrefix = ""
    var funcDepth = 0
    var loopDepth = 0
    /// The loops being parsed in the current function body, innermost last: each collects the names and the
    /// `name += ...` statements inside it (`LoopNames`). A nested def, lambda or class body starts an empty list.
    var openLoops: [LoopNames] = []
    static let maxDepth = 200
    /// The most operator and postfix nodes (`a + b`, `a.b`, `a[i]`, `f(x)`) one chain may build, its operands'
    /// included: a left-leaning chain is a tree as deep as it is long, and evaluating or freeing it recurses
    /// once per level (a 10^7-term `1+1+…` overflowed the stack). The count bounds the depth from above; CPython
    /// stops near 3,000 levels ("maximum recursion depth exceeded during compilation"), so every program it
    /// compiles still parses here.
    static let maxChain = 10_000
    /// Chain nodes built so far (only differences are used: see `chainStep`).
    var chainNodes = 0

    init(tokens: [Token], file: String, source: String, module: Scope) {
        toks = tokens; self.file = file; self.source = source; scope = module
    }

    // MARK: token helpers
    var tok: Tok { toks[p].tok }
    var cur: Token { toks[p] }
    func peek(_ n: Int = 1) -> Tok { p + n < toks.count ? toks[p + n].tok : .eof }

    func err(_ msg: String, _ t: Token? = nil) -> SyntaxError {
        let t = t ?? cur
        var e = SyntaxError(file: file, line: t.line, col: t.col, message: msg,
                            sourceLine: Lexer.lineText(Array(source.utf8), t.line))
        if t.tok == .eof { e.incomplete = true }
        return e
    }

    func isOp(_ s: String) -> Bool { if case .op(let o) = tok, o == s { return true }; return false }
    func isKw(_ s: String) -> Bool { if case .name(let o) = tok, o == s { return true }; return false }

    mutating func eatOp(_ s: String) -> Bool { if isOp(s) { p += 1; return true }; return false }
    mutating func eatKw(_ s: String) -> Bool { if isKw(s) { p += 1; return true }; return false }

    mutating func expectOp(_ s: String) throws(SyntaxError) {
        if !eatOp(s) {
            if tok == .eof || tok == .newline && s == ")" { throw err("'\(s)' was never closed or expected '\(s)'") }
            throw err("expected '\(s)'")
        }
    }
    mutating func expectKw(_ s: String) throws(SyntaxError) { if !eatKw(s) { throw err("expected '\(s)'") } }

    static let keywords: Set<String> = ["False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
        "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield"]

    mutating func ident() throws(SyntaxError) -> String {
        if case .name(let n) = tok, !Parser.keywords.contains(n) { p += 1; return n }
        if case .name(let n) = tok { throw err("invalid syntax: unexpected keyword '\(n)'") }
        throw err("invalid syntax: expected a name")
    }

    mutating func nameRef(_ n: String, line: Int, store: Bool) -> Name {
        let r = NameRef(n, line: line)
        scope.refs.append(r)
        for l in openLoops { l.refs.append(r) }
        if store { scope.bind(n) }
        return Name(r)
    }

    mutating func openLoop() -> LoopNames {
        let l = LoopNames()
        openLoops.append(l)
        return l
    }

    /// Counts one chain node; throws CPython's RecursionError once the chain begun at `start` holds too many.
    mutating func chainStep(since start: Int) throws(SyntaxError) {
        chainNodes += 1
        if chainNodes - start > Parser.maxChain {
            var e = err("maximum recursion depth exceeded during compilation (an expression chain of more than \(Parser.maxChain) operations; split it over several statements)")
            e.kind = "RecursionError"
            throw e
        }
    }

    mutating func enter() throws(SyntaxError) {
        depth += 1
        if depth > Parser.maxDepth { throw err("too many nested parentheses or blocks (nesting limit \(Parser.maxDepth))") }
    }

    // MARK: module and blocks

    mutating func parseModule() throws(SyntaxError) -> [Stmt] {
        var out: [Stmt] = []
        while tok != .eof {
            if tok == .newline { p += 1; continue }
            if tok == .indent { var e = err("unexpected indent"); e.kind = "IndentationError"; throw e }
            out += try statement()
        }
        return out
    }

    mutating func block() throws(SyntaxError) -> [Stmt] {
        try expectOp(":")
        try enter(); defer { depth -= 1 }
        if tok != .newline {
            return try simpleStatements()
        }
        p += 1
        guard tok == .indent else {
            var e = err("expected an indented block")
            e.kind = "IndentationError"
            throw e
        }
        p += 1
        var out: [Stmt] = []
        while tok != .dedent && tok != .eof {
            if tok == .newline { p += 1; continue }
            if tok == .indent { throw err("unexpected indent") }
            out += try statement()
        }
        if tok == .dedent { p += 1 }
        return out
    }

    mutating func statement() throws(SyntaxError) -> [Stmt] {
        let line = cur.line
        if case .name(let kw) = tok {
            switch kw {
            case "if": p += 1; return [try ifStmt(line)]
            case "while":
                p += 1
                let names = openLoop()
                defer { openLoops.removeLast() }
                let c = try namedExpr()
                loopDepth += 1
                let b = try block()
                loopDepth -= 1
                var o: [Stmt] = []
                if eatKw("else") { o = try block() }
                return [WhileStmt(c, b, o, line: line, names: names.appends.isEmpty ? nil : names)]
            case "for":
                p += 1
                let names = openLoop()
                defer { openLoops.removeLast() }
                let t = try targetList()
                try expectKw("in")
                let it = try exprList()
                loopDepth += 1
                let b = try block()
                loopDepth -= 1
                var o: [Stmt] = []
                if eatKw("else") { o = try block() }
                return [ForStmt(t, it, b, o, line: line, names: names.appends.isEmpty ? nil : names)]
            case "try": p += 1; return [try tryStmt(line)]
            case "with": p += 1; return [try withStmt(line)]
            case "def": p += 1; return [try funcDef(line, decorators: [])]
            case "class": p += 1; return [try classDef(line, decorators: [])]
            case "async": throw err("async functions are not supported")
            case "match" :
                if case .name = peek(), toks.dropFirst(p).prefix(while: { $0.tok != .newline }).last?.tok == .op(":") {
                    throw err("the match statement is not supported")
                }
            default: break
            }
        }
        if isOp("@") {
            var decs: [Expr] = []
            while eatOp("@") {
                decs.append(try namedExpr())
                if tok != .newline { throw err("invalid syntax after decorator") }
                p += 1
            }
            let l = cur.line
            if eatKw("def") { return [try funcDef(l, decorators: decs)] }
            if eatKw("class") { return [try classDef(l, decorators: decs)] }
            throw err("expected 'def' or 'class' after decorator")
        }
        return try simpleStatements()
    }

    mutating func simpleStatements() throws(SyntaxError) -> [Stmt] {
        var out: [Stmt] = []
        while true {
            out.append(try simpleStatement())
            if eatOp(";") {
                if tok == .newline || tok == .eof { break }
                continue
            }
            break
        }
        if tok == .newline { p += 1 }
        else if tok != .eof && tok != .dedent { throw err("invalid syntax") }
        return out
    }

    mutating func simpleStatement() throws(SyntaxError) -> Stmt {
        let line = cur.line
        if case .name(let kw) = tok {
            switch kw {
            case "pass": p += 1; return PassStmt(line: line)
            case "break":
                if loopDepth == 0 { throw err("'break' outside loop") }
                p += 1; return BreakStmt(line: line)
            case "continue":
                if loopDepth == 0 { throw err("'continue' not properly in loop") }
                p += 1; return ContinueStmt(line: line)
            case "return":
                if funcDepth == 0 || scope.kind != .function { throw err("'return' outside function") }
                p += 1
                if atEndOfSimple() { return ReturnStmt(nil, line: line) }
                return ReturnStmt(try exprList(), line: line)
            case "raise":
                p += 1
                if atEndOfSimple() { return RaiseStmt(nil, nil, line: line) }
                let e = try expr()
                var c: Expr? = nil
                if eatKw("from") { c = try expr() }
                return RaiseStmt(e, c, line: line)
            case "global", "nonlocal":
                p += 1
                repeat {
                    let n = try ident()
                    if scope.kind == .module && kw == "nonlocal" { throw err("nonlocal declaration not allowed at module level") }
                    if kw == "global" { scope.globals.insert(n) } else { scope.nonlocals.insert(n) }
                } while eatOp(",")
                return GlobalStmt(line: line)
            case "assert":
                p += 1
                let t = try expr()
                var m: Expr? = nil
                if eatOp(",") { m = try expr() }
                return AssertStmt(t, m, line: line)
            case "del":
                p += 1
                var ts: [Expr] = []
                repeat {
                    if atEndOfSimple() { break }
                    ts.append(try bitOr())
                    try checkTarget(ts.last!, del: true)
                } while eatOp(",")
                return DelStmt(ts, line: line)
            case "import":
                p += 1
                var names: [(String, Name)] = []
                var asn: [Bool] = []
                repeat {
                    let t = cur
                    let m = try dottedName()
                    if eatKw("as") {
                        names.append((m, nameRef(try ident(), line: t.line, store: true))); asn.append(true)
                    } else {
                        names.append((m, nameRef(String(m.split(separator: ".")[0]), line: t.line, store: true))); asn.append(false)
                    }
                } while eatOp(",")
                return ImportStmt(names, asn, line: line)
            case "from":
                p += 1
                if isOp(".") { throw err("relative imports are not supported") }
                let m = try dottedName()
                try expectKw("import")
                if eatOp("*") { return ImportFrom(m, [], star: true, line: line) }
                let paren = eatOp("(")
                var names: [(String, Name)] = []
                repeat {
                    if paren && isOp(")") { break }
                    let n = try ident()
                    let bound = eatKw("as") ? try ident() : n
                    names.append((n, nameRef(bound, line: line, store: true)))
                } while eatOp(",")
                if paren { try expectOp(")") }
                return ImportFrom(m, names, star: false, line: line)
            default: break
            }
        }
        // expression, assignment, augmented assignment, annotated assignment
        let startTok = cur
        let first = try exprListStar()
        if isOp("=") {
            var targets = [first]
            var value: Expr = first
            while eatOp("=") {
                if isKw("yield") { value = try yieldExpr() } else { value = try exprListStar() }
                targets.append(value)
            }
            targets.removeLast()
            for t in targets { try checkTarget(t, del: false, at: startTok) }
            return Assign(targets, value, line: line)
        }
        if case .op(let o) = tok, o.count >= 2, o.hasSuffix("="), !["==", "!=", "<=", ">="].contains(o),
           let k = BinOpKind(rawValue: String(o.dropLast())) {
            p += 1
            if !(first is Name || first is Attribute || first is Subscript) {
                throw err("'\(describe(first))' is an illegal expression for augmented assignment", startTok)
            }
            try checkTarget(first, del: false, at: startTok)
            let v = isKw("yield") ? try yieldExpr() : try exprList()
            let a = AugAssign(first, k, v, line: line)
            if k == .add && first is Name { for l in openLoops { l.appends.append(a) } }
            return a
        }
        if eatOp(":") {
            // annotation: evaluate nothing, assign if there is a value
            _ = try expr()
            try checkTarget(first, del: false, at: startTok)
            var v: Expr? = nil
            if eatOp("=") { v = try exprList() }
            return AnnAssign(first, v, line: line)
        }
        if first.isStarred { throw err("can't use starred expression here", startTok) }
        return ExprStmt(first, line: line)
    }

    func describe(_ e: Expr) -> String {
        if e is TupleExpr { return "tuple" }
        if e is ListExpr { return "list" }
        if e is CallExpr { return "function call" }
        if e is Const { return "literal" }
        return "expression"
    }

    /// Checks an assignment target and marks its names as stores in the current scope.
    mutating func checkTarget(_ e: Expr, del: Bool, at t: Token? = nil) throws(SyntaxError) {
        if let n = e as? Name { scope.bind(n.ref.name); return }
        if e is Attribute || e is Subscript { return }
        if let s = e as? Starred { try checkTarget(s.value, del: del, at: t); return }
        if let tu = e as? TupleExpr { for x in tu.elts { try checkTarget(x, del: del, at: t) }; return }
        if let l = e as? ListExpr { for x in l.elts { try checkTarget(x, del: del, at: t) }; return }
        let what = e is CallExpr ? "function call" : e is Const ? "literal" : "expression"
        throw err("cannot \(del ? "delete" : "assign to") \(what)\(del ? "" : " here. Maybe you meant '==' instead of '='?")", t)
    }

    func atEndOfSimple() -> Bool { tok == .newline || tok == .eof || isOp(";") || tok == .dedent }

    mutating func dottedName() throws(SyntaxError) -> String {
        var n = try ident()
        while eatOp(".") { n += "." + (try ident()) }
        return n
    }

    mutating func ifStmt(_ line: Int) throws(SyntaxError) -> Stmt {
        let c = try namedExpr()
        let b = try block()
        var o: [Stmt] = []
        let l2 = cur.line
        if eatKw("elif") { o = [try ifStmt(l2)] }
        else if eatKw("else") { o = try block() }
        return IfStmt(c, b, o, line: line)
    }

    mutating func tryStmt(_ line: Int) throws(SyntaxError) -> Stmt {
        let body = try block()
        var handlers: [ExceptClause] = []
        while isKw("except") {
            let hl = cur.line
            p += 1
            if eatOp("*") { throw err("except* is not supported") }
            var t: Expr? = nil
            var n: Name? = nil
            if !isOp(":") {
                t = try expr()
                if eatOp(",") {
                    var elts = [t!]
                    repeat { elts.append(try expr()) } while eatOp(",")
                    t = TupleExpr(elts, line: hl)
                }
                if eatKw("as") { n = nameRef(try ident(), line: hl, store: true) }
            }
            handlers.append(ExceptClause(type: t, name: n, body: try block(), line: hl))
        }
        var orelse: [Stmt] = []
        if !handlers.isEmpty && eatKw("else") { orelse = try block() }
        var fin: [Stmt] = []
        if eatKw("finally") { fin = try block() }
        if handlers.isEmpty && fin.isEmpty { throw err("expected 'except' or 'finally' block") }
        return TryStmt(body, handlers, orelse, fin, line: line)
    }

    mutating func withStmt(_ line: Int) throws(SyntaxError) -> Stmt {
        var items: [(Expr, Expr?)] = []
        let paren = isOp("(") && hasWithParen()
        if paren { p += 1 }
        repeat {
            if paren && isOp(")") { break }
            let e = try expr()
            var t: Expr? = nil
            if eatKw("as") {
                let tt = cur
                t = try target()
                try checkTarget(t!, del: false, at: tt)
            }
            items.append((e, t))
        } while eatOp(",")
        if paren { try expectOp(")") }
        return WithStmt(items, try block(), line: line)
    }

    func hasWithParen() -> Bool {
        // `with (a as b, c):` — look for `as` at depth 1 before the matching paren
        var d = 0
        var i = p
        while i < toks.count {
            switch toks[i].tok {
            case .op("("), .op("["), .op("{"): d += 1
            case .op(")"), .op("]"), .op("}"):
                d -= 1
                if d == 0 { if case .op(":") = toks[i + 1].tok { return true }; return false }
            case .name("as"): if d == 1 { return true }
            case .newline, .eof: return false
            default: break
            }
            i += 1
        }
        return false
    }

    /// Parses parameters up to `close`, filling the code object. Defaults are evaluated in the enclosing scope.
    mutating func params(_ code: FuncCode, close: String, outer: Scope) throws(SyntaxError) -> ([Expr], [(String, Expr)]) {
        var defaults: [Expr] = []
        var kwDefaults: [(String, Expr)] = []
        var kwOnly = false
        var seen = Set<String>()
        func check(_ n: String, _ pr: Parser) throws(SyntaxError) {
            if seen.contains(n) { throw pr.err("duplicate argument '\(n)' in function definition") }
            seen.insert(n)
        }
        while !isOp(close) {
            if eatOp("**") {
                let n = try ident(); try check(n, self)
                if close == ")" && eatOp(":") { let s = scope; scope = outer; _ = try expr(); scope = s }
                code.kwargs = n
                _ = eatOp(",")
                break
            }
            if eatOp("*") {
                kwOnly = true
                if case .name = tok {
                    let n = try ident(); try check(n, self)
                    if close == ")" && eatOp(":") { let s = scope; scope = outer; _ = try expr(); scope = s }
                    code.varargs = n
                }
                if !eatOp(",") { break }
                continue
            }
            if eatOp("/") { if !eatOp(",") { break }; continue }
            let n = try ident(); try check(n, self)
            if close == ")" && eatOp(":") { let s = scope; scope = outer; _ = try expr(); scope = s }
            if eatOp("=") {
                let s = scope; scope = outer
                let d = try expr()
                scope = s
                if kwOnly { kwDefaults.append((n, d)) } else { defaults.append(d) }
            } else if !kwOnly && !defaults.isEmpty {
                throw err("non-default argument follows default argument")
            }
            if kwOnly { code.kwOnly.append(n) } else { code.params.append(n) }
            if !eatOp(",") { break }
        }
        return (defaults, kwDefaults)
    }

    mutating func funcDef(_ line: Int, decorators: [Expr]) throws(SyntaxError) -> Stmt {
        let nameTok = cur
        let name = try ident()
        let target = nameRef(name, line: nameTok.line, store: true)
        let qual = localsPrefix + (classNames.isEmpty ? "" : classNames.joined(separator: ".") + ".") + name
        let code = FuncCode(name: name, qualname: qual, file: file, line: line)
        let outer = scope
        let fs = Scope(.function, parent: outer, name: name)
        fs.code = code
        try expectOp("(")
        scope = fs
        let (d, kd) = try params(code, close: ")", outer: outer)
        try expectOp(")")
        if eatOp("->") { scope = outer; _ = try expr(); scope = fs }
        funcDepth += 1
        let savedLoop = loopDepth; loopDepth = 0
        let savedClasses = classNames; classNames = []
        let savedLoops = openLoops; openLoops = []
        let savedPrefix = localsPrefix; localsPrefix = qual + ".<locals>."
        defer {
            funcDepth -= 1; loopDepth = savedLoop; classNames = savedClasses; scope = outer; openLoops = savedLoops
            localsPrefix = savedPrefix
        }
        code.body = try block()
        if let first = code.body.first as? ExprStmt, let c = first.e as? Const, case .str(let s) = c.value { code.docstring = s.s }
        if code.isGenerator { ResumableLowering.lower(code) }
        scope = outer
        return FunctionDef(Lambda(code, fs, d, kd, line: line), target, decorators, line: line)
    }

    mutating func classDef(_ line: Int, decorators: [Expr]) throws(SyntaxError) -> Stmt {
        let name = try ident()
        let target = nameRef(name, line: line, store: true)
        var bases: [Expr] = []
        var kn: [String] = [], kv: [Expr] = []
        if eatOp("(") {
            while !isOp(")") {
                if case .name(let n) = tok, case .op("=") = peek() { p += 2; kn.append(n); kv.append(try expr()) }
                else { bases.append(try expr()) }
                if !eatOp(",") { break }
            }
            try expectOp(")")
        }
        let outer = scope
        let cs = Scope(.classBody, parent: outer, name: name)
        scope = cs
        classNames.append(name)
        let qual = localsPrefix + classNames.joined(separator: ".")
        let savedLoop = loopDepth; loopDepth = 0
        let savedLoops = openLoops; openLoops = []
        defer { scope = outer; classNames.removeLast(); loopDepth = savedLoop; openLoops = savedLoops }
        let body = try block()
        return ClassDef(name, qual, bases, kn, kv, body, cs, target, decorators, line: line)
    }
}

nonisolated(unsafe) let ellipsisObject = PyObject()

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
