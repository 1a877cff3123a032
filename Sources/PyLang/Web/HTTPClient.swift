// A plain HTTP/1.1 client over sockets, for mpsh's `requests` subset: GET (and the other methods without a
// body) to http:// URLs, redirects followed, `Connection: close` so a response ends at end-of-file. No TLS:
// an https:// URL whose server answers is refused with a clear error. Mirrors what `requests.get` does through urllib3.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a request failed; `kind` picks the Python exception the `requests` module raises.
struct HTTPFailure: Error {
    enum Kind { case invalidURL, missingSchema, invalidSchema, connection, timeout, tooManyRedirects }
    let kind: Kind
    let message: String
}

/// One response, after redirects. Mirrors `requests.Response`'s fields.
struct HTTPResponse {
    var status: Int
    var reason: String
    var headers: [(String, String)]
    var body: [UInt8]
    var url: String
    /// The URLs and statuses of the redirects that led here, oldest first (`Response.history`).
    var history: [(Int, String)]
}

/// The parts of an http:// URL that a request needs.
struct HTTPTarget {
    let host: String
    let port: Int
    /// Path and query, at least "/".
    let pathAndQuery: String
    /// The Host header: the host, with the port when it is not 80.
    let hostHeader: String
    /// An https:// URL: we connect (so a refused connection is the ConnectionError CPython reports), then
    /// refuse to go on, having no TLS.
    let tls: Bool

    /// Parses `url` as requests' `PreparedRequest.prepare_url` does, for http only.
    init(_ url: String) throws(HTTPFailure) {
        guard let colon = url.firstIndex(of: ":"), url[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }),
              !url[..<colon].isEmpty else {
            throw HTTPFailure(kind: .missingSchema, message: "Invalid URL '\(url)': No scheme supplied. Perhaps you meant https://\(url)?")
        }
        let scheme = url[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw HTTPFailure(kind: .invalidSchema, message: "No connection adapters were found for '\(url)'")
        }
        self.tls = scheme == "https"
        var rest = url[url.index(after: colon)...]
        guard rest.hasPrefix("//") else { throw HTTPFailure(kind: .invalidURL, message: "Invalid URL '\(url)': No host supplied") }
        rest = rest.dropFirst(2)
        let end = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        var authority = rest[..<end]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var path = String(rest[end...])
        if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        var host = String(authority)
        var port = tls ? 443 : 80
        if host.hasPrefix("[") {
            // [v6]:port
            guard let close = host.firstIndex(of: "]") else { throw HTTPFailure(kind: .invalidURL, message: "Invalid URL '\(url)': bad IPv6 host") }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (0...65535).contains(p) else {
                    throw HTTPFailure(kind: .invalidURL, message: "Failed to parse: \(url)")
                }
                port = p
            }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let c = host.lastIndex(of: ":") {
            let digits = host[host.index(after: c)...]
            if !digits.isEmpty {
                guard let p = Int(digits), (0...65535).contains(p) else { throw HTTPFailure(kind: .invalidURL, message: "Failed to parse: \(url)") }
                port = p
            }
            host = String(host[..<c])
        }
        guard !host.isEmpty else { throw HTTPFailure(kind: .invalidURL, message: "Invalid URL '\(url)': No host supplied") }
        self.host = host
        self.port = port
        self.pathAndQuery = path
        self.hostHeader = String(authority)
    }
}

enum HTTPClient {
    static let userAgent = "python-requests/2.34.2"

    /// Sends `method url` and follows redirects (at most 30, as requests), like `requests.request`.
    static func request(_ method: String, _ url: String, headers: [(String, String)], timeout: Double?,
                        allowRedirects: Bool) throws(HTTPFailure) -> HTTPResponse {
        var method = method.uppercased()
        var url = url
        var history: [(Int, String)] = []
        while true {
            var response = try once(method, url, headers: headers, timeout: timeout)
            let location = response.headers.first { $0.0.lowercased() == "location" }?.1
            guard allowRedirects, [301, 302, 303, 307, 308].contains(response.status), let location else {
                response.history = history
                return response
            }
            history.append((response.status, url))
            if history.count > 30 { throw HTTPFailure(kind: .tooManyRedirects, message: "Exceeded 30 redirects.") }
            // requests' rebuild_method: 303 (and 301/302 for POST) become GET
            if response.status == 303 && method != "HEAD" { method = "GET" }
            if (response.status == 301 || response.status == 302) && method == "POST" { method = "GET" }
            url = join(url, location)
        }
    }

    /// `location` resolved against `base` (RFC 3986, enough for redirects).
    static func join(_ base: String, _ location: String) -> String {
        if location.contains("://") { return location }
        guard let schemeEnd = base.range(of: "://") else { return location }
        let scheme = base[..<schemeEnd.lowerBound]
        if location.hasPrefix("//") { return scheme + ":" + location }
        let afterScheme = base[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { "/?#".contains($0) }) ?? afterScheme.endIndex
        let origin = String(base[..<authorityEnd])
        if location.hasPrefix("/") { return origin + location }
        var path = String(afterScheme[authorityEnd...])
        if let q = path.firstIndex(where: { "?#".contains($0) }) { path = String(path[..<q]) }
        if location.hasPrefix("?") { return origin + (path.isEmpty ? "/" : path) + location }
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "/"
        return origin + directory + location
    }

    /// One request and its response, on a connection of its own.
    static func once(_ method: String, _ url: String, headers: [(String, String)], timeout: Double?) throws(HTTPFailure) -> HTTPResponse {
        let target = try HTTPTarget(url)
        let fd = try connect(target, timeout: timeout, url: url)
        defer { close(fd) }
        if target.tls {
            throw HTTPFailure(kind: .invalidSchema, message: "mpsh's requests speaks plain HTTP only (no TLS): cannot fetch '\(url)'; use an http:// URL")
        }
        var head = "\(method) \(target.pathAndQuery) HTTP/1.1\r\n"
        var fields: [(String, String)] = [("Host", target.hostHeader), ("User-Agent", userAgent),
                                          ("Accept-Encoding", "identity"), ("Accept", "*/*"), ("Connection", "close")]
        for (k, v) in headers {
            if let i = fields.firstIndex(where: { $0.0.lowercased() == k.lowercased() }) { fields[i] = (k, v) } else { fields.append((k, v)) }
        }
        for (k, v) in fields { head += "\(k): \(v)\r\n" }
        head += "\r\n"
        try sendAll(fd, Array(head.utf8), target: target, url: url)
        let raw = try receiveAll(fd, target: target, url: url)
        return try parse(raw, method: method, url: url, target: target)
    }

    static func poolPrefix(_ t: HTTPTarget) -> String { "HTTPConnectionPool(host='\(t.host)', port=\(t.port))" }

    static func connect(_ target: HTTPTarget, timeout: Double?, url: String) throws(HTTPFailure) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(target.host, String(target.port), &hints, &list)
        guard rc == 0, let first = list else {
            let why = String(cString: gai_strerror(rc))
            throw HTTPFailure(kind: .connection, message: "\(poolPrefix(target)): Max retries exceeded with url: \(target.pathAndQuery) (Caused by NameResolutionError(\"Failed to resolve '\(target.host)' (\(why))\"))")
        }
        defer { freeaddrinfo(list) }
        var lastErrno: Int32 = ECONNREFUSED
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let a = node {
            node = a.pointee.ai_next
            let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), a.pointee.ai_protocol)
            if fd < 0 { lastErrno = errno; continue }
            if let timeout { setTimeout(fd, timeout) }
            var r: Int32
            repeat { r = Glibc.connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen) } while r != 0 && errno == EINTR
            if r == 0 { return fd }
            lastErrno = errno
            close(fd)
        }
        if lastErrno == EAGAIN || lastErrno == EINPROGRESS || lastErrno == ETIMEDOUT {
            throw HTTPFailure(kind: .timeout, message: "\(poolPrefix(target)): Max retries exceeded with url: \(target.pathAndQuery) (Caused by ConnectTimeoutError(connection timed out))")
        }
        throw HTTPFailure(kind: .connection, message: "\(poolPrefix(target)): Max retries exceeded with url: \(target.pathAndQuery) (Caused by NewConnectionError('Failed to establish a new connection: [Errno \(lastErrno)] \(String(cString: strerror(lastErrno)))'))")
    }

    static func setTimeout(_ fd: Int32, _ seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8], target: HTTPTarget, url: String) throws(HTTPFailure) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioFailure(errno, target)
            }
            sent += n
        }
    }

    /// The response's bytes: up to end-of-file (we asked for `Connection: close`), or, from a server that keeps
    /// the connection open anyway, up to the end of a body whose Content-Length it sent.
    static func receiveAll(_ fd: Int32, target: HTTPTarget, url: String) throws(HTTPFailure) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var expected: Int?
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n == 0 { return out }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioFailure(errno, target)
            }
            out += chunk[..<n]
            if expected == nil, let end = headEnd(out) {
                let head = String(decoding: out[..<end], as: UTF8.self).lowercased()
                if !head.contains("transfer-encoding"), let line = head.components(separatedBy: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                   let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) {
                    expected = end + 4 + length
                }
            }
            if let expected, out.count >= expected { return out }
        }
    }

    /// Where the blank line after the headers starts, if it has arrived.
    static func headEnd(_ raw: [UInt8]) -> Int? {
        guard raw.count >= 4 else { return nil }
        for i in 0...(raw.count - 4) where raw[i] == 13 && raw[i + 1] == 10 && raw[i + 2] == 13 && raw[i + 3] == 10 {
            return i
        }
        return nil
    }

    static func ioFailure(_ e: Int32, _ target: HTTPTarget) -> HTTPFailure {
        if e == EAGAIN || e == EWOULDBLOCK {
            return HTTPFailure(kind: .timeout, message: "\(poolPrefix(target)): Read timed out.")
        }
        return HTTPFailure(kind: .connection, message: "('Connection aborted.', \(String(cString: strerror(e))))")
    }

    /// Status line, headers, and the body (chunked, Content-Length, or up to end-of-file).
    static func parse(_ raw: [UInt8], method: String, url: String, target: HTTPTarget) throws(HTTPFailure) -> HTTPResponse {
        guard let headEnd = headEnd(raw) else {
            throw HTTPFailure(kind: .connection, message: "('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))")
        }
        let head = String(decoding: raw[..<headEnd], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw HTTPFailure(kind: .connection, message: "('Connection aborted.', BadStatusLine('\(statusLine)'))")
        }
        let reason = parts.count > 2 ? String(parts[2]) : ""
        var headers: [(String, String)] = []
        for line in lines {
            guard let c = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<c]), line[line.index(after: c)...].trimmingCharacters(in: .whitespaces)))
        }
        func header(_ name: String) -> String? { headers.last { $0.0.lowercased() == name }?.1 }
        var body = Array(raw[(headEnd + 4)...])
        if method == "HEAD" || status == 204 || status == 304 || (100..<200).contains(status) {
            body = []
        } else if header("transfer-encoding")?.lowercased().contains("chunked") == true {
            body = dechunk(body)
        } else if let n = header("content-length").flatMap({ Int($0) }), n >= 0, n < body.count {
            body = Array(body[..<n])
        }
        return HTTPResponse(status: status, reason: reason, headers: headers, body: body, url: url, history: [])
    }

    static func dechunk(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            var j = i
            while j + 1 < b.count && !(b[j] == 13 && b[j + 1] == 10) { j += 1 }
            let sizeText = String(decoding: b[i..<j], as: UTF8.self).split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = j + 2
            let end = min(start + size, b.count)
            out += b[start..<end]
            i = end + 2
        }
        return out
    }

    /// `bytes.decode(encoding, 'replace')` for the encodings a web page names.
    static func decode(_ bytes: [UInt8], _ encoding: String) -> String {
        switch encoding.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "iso-8859-1", "latin-1", "latin1", "iso8859-1", "l1":
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        case "ascii", "us-ascii":
            return String(String.UnicodeScalarView(bytes.map { $0 < 128 ? Unicode.Scalar($0) : "\u{FFFD}" }))
        case "windows-1252", "cp1252":
            if let s = String(data: Data(bytes), encoding: .windowsCP1252) { return s }
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        default:
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
