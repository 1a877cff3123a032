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
        let qual = (classNames.isEmpty ? "" : classNames.joined(separator: ".") + ".") + name
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
        defer { funcDepth -= 1; loopDepth = savedLoop; classNames = savedClasses; scope = outer; openLoops = savedLoops }
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
        let qual = classNames.joined(separator: ".")
        let savedLoop = loopDepth; loopDepth = 0
        let savedLoops = openLoops; openLoops = []
        defer { scope = outer; classNames.removeLast(); loopDepth = savedLoop; openLoops = savedLoops }
        let body = try block()
        return ClassDef(name, qual, bases, kn, kv, body, cs, target, decorators, line: line)
    }

    // MARK: expressions

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
            let code = FuncCode(name: "<lambda>", qualname: "<lambda>", file: file, line: line)
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
            // restored on a SyntaxError too: the enclosing loop's statement pops its entry of openLoops
            defer { funcDepth -= 1; loopDepth = savedLoop; openLoops = savedLoops }
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

nonisolated(unsafe) let ellipsisObject = PyObject()

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
