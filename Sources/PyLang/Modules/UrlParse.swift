// `urllib.parse`. Mirrors CPython's `Lib/urllib/parse.py` for the everyday functions.
import Foundation

extension Interpreter {
    func makeUrlParse() -> PyModule {
        let m = PyModule(name: "urllib.parse")
        let fields = ["scheme", "netloc", "path", "params", "query", "fragment"]
        let prClass = nativeClass("ParseResult", module: "urllib.parse", methods: [
            "__repr__": { i, a, _ in try i.need(a, 1, "__repr__");
                guard case .obj(let inst as PyInstance) = a[0] else { return .str("") }
                return .str("ParseResult(" + (try fields.map { "\($0)=\(try i.repr(inst.dict[$0] ?? .str("")))" }).joined(separator: ", ") + ")")
            },
            "geturl": { i, a, _ in try i.need(a, 1, "geturl");
                guard case .obj(let inst as PyInstance) = a[0] else { return .str("") }
                func f(_ n: String) -> String { if case .str(let s)? = inst.dict[n] { return s.s }; return "" }
                var u = ""
                if !f("scheme").isEmpty { u += f("scheme") + ":" }
                if !f("netloc").isEmpty { u += "//" + f("netloc") }
                u += f("path")
                if !f("params").isEmpty { u += ";" + f("params") }
                if !f("query").isEmpty { u += "?" + f("query") }
                if !f("fragment").isEmpty { u += "#" + f("fragment") }
                _ = i
                return .str(u)
            },
            "__iter__": { i, a, _ in try i.need(a, 1, "__iter__");
                guard case .obj(let inst as PyInstance) = a[0] else { return .none }
                return .obj(try i.getIter(.tuple(PyTuple(fields.map { inst.dict[$0] ?? .str("") }))))
            },
            "__getitem__": { i, a, _ in try i.need(a, 2, "__getitem__");
                guard case .obj(let inst as PyInstance) = a[0] else { return .none }
                return try i.getItem(.tuple(PyTuple(fields.map { inst.dict[$0] ?? .str("") })), a[1])
            },
        ])
        func parse(_ url: String) -> PyInstance {
            var rest = Substring(url)
            var scheme = "", netloc = "", params = "", query = "", fragment = ""
            if let c = rest.firstIndex(of: ":"), rest[..<c].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }), !rest[..<c].isEmpty, rest[..<c].first!.isLetter {
                scheme = rest[..<c].lowercased(); rest = rest[rest.index(after: c)...]
            }
            if rest.hasPrefix("//") {
                rest = rest.dropFirst(2)
                let end = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
                netloc = String(rest[..<end]); rest = rest[end...]
            }
            if let h = rest.firstIndex(of: "#") { fragment = String(rest[rest.index(after: h)...]); rest = rest[..<h] }
            if let q = rest.firstIndex(of: "?") { query = String(rest[rest.index(after: q)...]); rest = rest[..<q] }
            if let sc = rest.lastIndex(of: ";"), !rest[sc...].contains("/") { params = String(rest[rest.index(after: sc)...]); rest = rest[..<sc] }
            let inst = PyInstance(prClass)
            for (k, v) in zip(fields, [scheme, netloc, String(rest), params, query, fragment]) { inst.dict[k] = .str(v) }
            let host = netloc.split(separator: "@").last.map { String($0) } ?? ""
            let hostOnly = host.split(separator: ":").first.map { String($0).lowercased() }
            inst.dict["hostname"] = hostOnly.map { .str($0) } ?? Value.none
            if let p = host.split(separator: ":").dropFirst().first, let n = Int(p) { inst.dict["port"] = .int(n) } else { inst.dict["port"] = Value.none }
            return inst
        }
        m.fn("urlparse") { i, a, _ in try i.need(a, 1, "urlparse"); return .obj(parse(try i.strArg(a[0], "urlparse"))) }
        m.fn("urljoin") { i, a, _ in try i.need(a, 2, "urljoin");
            let base = try i.strArg(a[0], "urljoin"), ref = try i.strArg(a[1], "urljoin")
            if ref.isEmpty { return .str(base) }
            if let u = URL(string: ref, relativeTo: URL(string: base)) { return .str(u.absoluteString) }
            return .str(ref)
        }
        m.fn("quote") { i, a, _ in try i.need(a, 1, "quote");
            let s = try i.strArg(a[0], "quote")
            var safe = "/"
            if a.count > 1, case .str(let sf) = a[1] { safe = sf.s }
            var out = ""
            for b in s.utf8 {
                let c = Character(UnicodeScalar(b))
                if (c.isASCII && (c.isLetter || c.isNumber)) || "_.-~".contains(c) || safe.contains(c) { out.append(c) }
                else { out += String(format: "%%%02X", b) }
            }
            return .str(out)
        }
        m.fn("unquote") { i, a, _ in try i.need(a, 1, "unquote"); return .str(try i.strArg(a[0], "unquote").removingPercentEncoding ?? "") }
        m.fn("urlencode") { i, a, _ in try i.need(a, 1, "urlencode");
            guard case .dict(let d) = a[0] else { throw i.typeError("not a valid non-string sequence or mapping object") }
            return .str(try d.items.map { try i.str($0.0) + "=" + (try i.str($0.1)).replacingOccurrences(of: " ", with: "+") }.joined(separator: "&"))
        }
        m.fn("parse_qs") { i, a, _ in try i.need(a, 1, "parse_qs");
            let d = PyDict()
            for pair in try i.strArg(a[0], "parse_qs").split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
                guard kv.count == 2 else { continue }
                if case .list(let l)? = d.get(.str(kv[0])) { l.items.append(.str(kv[1])) } else { d.set(.str(kv[0]), .list(PyList([.str(kv[1])]))) }
            }
            return .dict(d)
        }
        return m
    }
}
