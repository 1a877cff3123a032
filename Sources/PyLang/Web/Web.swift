// The web subset the seed tutorials' crawlers use: `requests` (GET over plain HTTP/1.1, `Response.text`,
// `.status_code`, `.content`, `.headers`, redirects, the exception classes) and `bs4` (BeautifulSoup with the
// "html.parser" features: `find_all`, `find`, `get`, `.text`, `.string`, `.attrs`). Sockets and tokenising are
// Swift (`_mpsh_web`, over HTTPClient.swift and HTMLTokenizer.swift); the classes are Python, compiled into
// their modules on first import (Requests.swift, BeautifulSoup.swift).
// Mirrors the `requests` and `beautifulsoup4` packages' public API, for what a crawler needs.

extension Interpreter {
    /// Registers `requests`, `requests.exceptions`, `bs4` and their native helper `_mpsh_web`.
    func registerWebModules() {
        registerModule("_mpsh_web") { i in i.makeWebNative() }
        registerModule("requests") { i in
            let m = try i.sourceModule("requests", requestsSource)
            let exceptions = PyModule(name: "requests.exceptions")
            for name in requestsExceptionNames { if let v = m.get(name) { exceptions.set(name, v) } }
            m.set("exceptions", .obj(exceptions))
            return m
        }
        registerModule("requests.exceptions") { i in
            guard case .obj(let m as PyModule) = try i.importModule("requests"), case .obj(let e as PyModule)? = m.get("exceptions") else {
                throw i.err("ImportError", "cannot import requests.exceptions")
            }
            return e
        }
        registerModule("bs4") { i in try i.sourceModule("bs4", beautifulSoupSource) }
    }

    /// A module whose code is Python text: compiled and run once, on first import, like a .py file.
    func sourceModule(_ name: String, _ source: String) throws -> PyModule {
        let m = PyModule(name: name)
        m.set("__name__", .str(name))
        m.set("__file__", .str("<\(name)>"))
        m.set("__doc__", .none)
        let program: CompiledProgram
        do { program = try compile(source, file: "<\(name)>", module: m) } catch {
            throw err("SyntaxError", "in the built-in module \(name): \(error.message)")
        }
        try run(program, in: m)
        return m
    }

    func makeWebNative() -> PyModule {
        let m = PyModule(name: "_mpsh_web")
        // request(method, url, headers, timeout, allow_redirects) -> (status, reason, headers, content, url, history)
        // or (-1, kind, message): the Python side raises the requests exception that `kind` names.
        m.fn("request") { i, a, _ in
            try i.need(a, 5, "request")
            let method = try i.strArg(a[0], "request")
            let url = try i.strArg(a[1], "request")
            var headers: [(String, String)] = []
            if case .list(let l) = a[2] {
                for item in l.items {
                    guard case .tuple(let t) = item, t.items.count == 2 else { continue }
                    headers.append((try i.str(t.items[0]), try i.str(t.items[1])))
                }
            }
            var timeout: Double?
            switch a[3] {
            case .int(let n): timeout = Double(n)
            case .float(let d): timeout = d
            case .none: timeout = nil
            default: throw i.typeError("timeout must be a number or None, not '\(i.typeName(a[3]))'")
            }
            if let t = timeout, !(t > 0) {
                throw i.err("ValueError", "Attempted to set connect timeout to \(t), but the timeout cannot be set to a value less than or equal to 0.")
            }
            let allowRedirects = try i.truthy(a[4])
            do throws(HTTPFailure) {
                let r = try HTTPClient.request(method, url, headers: headers, timeout: timeout, allowRedirects: allowRedirects)
                let headerList = Value.list(PyList(r.headers.map { .tuple(PyTuple([.str($0.0), .str($0.1)])) }))
                let history = Value.list(PyList(r.history.map { .tuple(PyTuple([.int($0.0), .str($0.1)])) }))
                return .tuple(PyTuple([.int(r.status), .str(r.reason), headerList, .obj(PyBytes(r.body)), .str(r.url), history]))
            } catch {
                let kind: String
                switch error.kind {
                case .invalidURL: kind = "InvalidURL"
                case .missingSchema: kind = "MissingSchema"
                case .invalidSchema: kind = "InvalidSchema"
                case .connection: kind = "ConnectionError"
                case .timeout: kind = "Timeout"
                case .tooManyRedirects: kind = "TooManyRedirects"
                }
                return .tuple(PyTuple([.int(-1), .str(kind), .str(error.message)]))
            }
        }
        // decode(content, encoding) -> str, undecodable bytes replaced (requests' Response.text).
        m.fn("decode") { i, a, _ in
            try i.need(a, 2, "decode")
            guard case .obj(let b as PyBytes) = a[0] else { throw i.typeError("decode() argument 1 must be bytes, not '\(i.typeName(a[0]))'") }
            return .str(HTTPClient.decode(b.b, try i.strArg(a[1], "decode")))
        }
        // tokenize(html) -> [('start', name, [(attr, value or None)], self_closing) | ('end', name) | ('data', text)
        //                    | ('comment', text) | ('decl', text) | ('pi', text)]
        m.fn("tokenize") { i, a, _ in
            try i.need(a, 1, "tokenize")
            let events = HTMLTokenizer.tokenize(try i.strArg(a[0], "tokenize")).map { event -> Value in
                switch event {
                case .start(let name, let attributes, let selfClosing):
                    let list = PyList(attributes.map { .tuple(PyTuple([.str($0.0), $0.1.map { .str($0) } ?? .none])) })
                    return .tuple(PyTuple([.str("start"), .str(name), .list(list), .bool(selfClosing)]))
                case .end(let name): return .tuple(PyTuple([.str("end"), .str(name)]))
                case .text(let t): return .tuple(PyTuple([.str("data"), .str(t)]))
                case .comment(let t): return .tuple(PyTuple([.str("comment"), .str(t)]))
                case .declaration(let t): return .tuple(PyTuple([.str("decl"), .str(t)]))
                case .instruction(let t): return .tuple(PyTuple([.str("pi"), .str(t)]))
                }
            }
            return .list(PyList(events))
        }
        return m
    }
}

let requestsExceptionNames = ["RequestException", "HTTPError", "ConnectionError", "Timeout", "ConnectTimeout",
                              "ReadTimeout", "URLRequired", "TooManyRedirects", "MissingSchema", "InvalidSchema",
                              "InvalidURL"]
