// The `socket` module for what programs beside multiprocessing use: TCP and UDP over IPv4/IPv6 and Unix
// sockets (socket, socketpair, bind, listen, accept, connect, send/sendall/sendto, recv/recvfrom, shutdown,
// setsockopt, timeouts, makefile-free), gethostname and getaddrinfo-backed name lookups. Blocking calls retry
// EINTR and check for Ctrl-C; a timeout waits with poll(2). Mirrors CPython's `Modules/socketmodule.c`.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A NUL-terminated C buffer as a String.
func cText(_ buf: [CChar]) -> String { String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }

/// A socket's descriptor, closed with the object.
final class SocketBox {
    var fd: Int32
    let family: Int32, type: Int32, proto: Int32
    var timeout: Double? = nil
    init(fd: Int32, family: Int32, type: Int32, proto: Int32) { self.fd = fd; self.family = family; self.type = type; self.proto = proto }
    deinit { if fd >= 0 { close(fd) } }
}

extension Interpreter {
    func makeSocket() -> PyModule {
        let m = PyModule(name: "socket")
        for (n, v) in [("AF_INET", AF_INET), ("AF_INET6", AF_INET6), ("AF_UNIX", AF_UNIX), ("AF_UNSPEC", AF_UNSPEC),
                       ("SOCK_STREAM", Int32(SOCK_STREAM.rawValue)), ("SOCK_DGRAM", Int32(SOCK_DGRAM.rawValue)),
                       ("SOL_SOCKET", SOL_SOCKET), ("SO_REUSEADDR", SO_REUSEADDR), ("SO_KEEPALIVE", SO_KEEPALIVE),
                       ("SO_BROADCAST", SO_BROADCAST), ("SO_RCVBUF", SO_RCVBUF), ("SO_SNDBUF", SO_SNDBUF),
                       ("IPPROTO_TCP", Int32(IPPROTO_TCP)), ("IPPROTO_UDP", Int32(IPPROTO_UDP)), ("TCP_NODELAY", TCP_NODELAY),
                       ("SHUT_RD", Int32(SHUT_RD)), ("SHUT_WR", Int32(SHUT_WR)), ("SHUT_RDWR", Int32(SHUT_RDWR)),
                       ("SOMAXCONN", SOMAXCONN), ("MSG_PEEK", Int32(MSG_PEEK)), ("AI_PASSIVE", AI_PASSIVE)] {
            m.set(n, .int(Int(v)))
        }
        m.set("error", .obj(excClass("OSError")))
        let timeoutClass = PyClass(name: "timeout", bases: [excClass("TimeoutError")], dict: [:])
        timeoutClass.module = "socket"
        m.set("timeout", .obj(excClass("TimeoutError")))
        let gaierror = PyClass(name: "gaierror", bases: [excClass("OSError")], dict: [:])
        gaierror.module = "socket"
        excClasses["socket.gaierror"] = gaierror
        m.set("gaierror", .obj(gaierror))
        m.set("herror", .obj(excClass("OSError")))

        /// The sockaddr for `address` in `family`: (host, port) for IPv4/IPv6, a path for Unix sockets.
        func withAddress<R>(_ i: Interpreter, _ family: Int32, _ address: Value, _ fn: String = "connect", _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) throws -> R {
            if family == AF_UNIX {
                let path = try i.pathArg(address, "socket")
                var sa = sockaddr_un()
                sa.sun_family = sa_family_t(AF_UNIX)
                let bytes = Array(path.utf8)
                if bytes.count >= MemoryLayout.size(ofValue: sa.sun_path) { throw i.err("OSError", "AF_UNIX path too long") }
                withUnsafeMutableBytes(of: &sa.sun_path) { p in for (k, b) in bytes.enumerated() { p[k] = b } }
                return try withUnsafePointer(to: &sa) { try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
            }
            guard case .tuple(let t) = address, t.items.count >= 2 else {
                throw i.typeError("\(fn)(): \(family == AF_INET6 ? "AF_INET6" : "AF_INET") address must be tuple, not \(i.typeName(address))")
            }
            let host = try i.strArg(t.items[0], "socket")
            let port = try i.intArg(t.items[1])
            if port < 0 || port > 65535 { throw i.err("OverflowError", "connect(): port must be 0-65535.") }
            var hints = addrinfo()
            hints.ai_family = family
            hints.ai_flags = AI_NUMERICSERV | (host.isEmpty ? AI_PASSIVE : 0)
            var res: UnsafeMutablePointer<addrinfo>? = nil
            let rc = getaddrinfo(host.isEmpty ? nil : (host == "<broadcast>" ? "255.255.255.255" : host), String(port), &hints, &res)
            if rc != 0 { throw i.err("socket.gaierror", "[Errno \(rc)] \(String(cString: gai_strerror(rc)))") }
            defer { freeaddrinfo(res) }
            return try body(res!.pointee.ai_addr, res!.pointee.ai_addrlen)
        }
        func addressValue(_ sa: UnsafePointer<sockaddr>, _ len: socklen_t) -> Value {
            switch Int32(sa.pointee.sa_family) {
            case AF_INET:
                return sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { p in
                    var a = p.pointee.sin_addr
                    var buf = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                    inet_ntop(AF_INET, &a, &buf, socklen_t(buf.count))
                    return .tuple(PyTuple([.str(cText(buf)), .int(Int(UInt16(bigEndian: p.pointee.sin_port)))]))
                }
            case AF_INET6:
                return sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in
                    var a = p.pointee.sin6_addr
                    var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                    inet_ntop(AF_INET6, &a, &buf, socklen_t(buf.count))
                    return .tuple(PyTuple([.str(cText(buf)), .int(Int(UInt16(bigEndian: p.pointee.sin6_port))),
                                           .int(Int(p.pointee.sin6_flowinfo)), .int(Int(p.pointee.sin6_scope_id))]))
                }
            case AF_UNIX:
                return sa.withMemoryRebound(to: sockaddr_un.self, capacity: 1) { p in
                    var path = p.pointee.sun_path
                    let n = Int(len) - MemoryLayout<sa_family_t>.size
                    if n <= 0 { return .str("") }
                    return .str(withUnsafeBytes(of: &path) { String(decoding: $0.prefix(n).prefix { $0 != 0 }, as: UTF8.self) })
                }
            default: return .none
            }
        }
        var socketClass: PyClass! = nil
        func box(_ i: Interpreter, _ a: [Value], _ fn: String) throws -> SocketBox {
            guard case .obj(let inst as PyInstance)? = a.first, let b = inst.payload as? SocketBox else {
                throw i.typeError("descriptor '\(fn)' requires a 'socket' object")
            }
            if b.fd < 0 { throw i.osErrorNamed(EBADF, nil) }
            return b
        }
        func wrap(_ b: SocketBox) -> Value {
            let inst = PyInstance(socketClass)
            inst.payload = b
            inst.dict["family"] = .int(Int(b.family))
            inst.dict["type"] = .int(Int(b.type))
            inst.dict["proto"] = .int(Int(b.proto))
            return .obj(inst)
        }
        /// Waits until `fd` is ready for `events` within the socket's timeout; raises TimeoutError("timed out").
        /// (A blocking socket waits the same way, in slices, so Ctrl-C and a loop budget reach it.)
        func ready(_ i: Interpreter, _ b: SocketBox, _ events: Int32) throws {
            let deadline = b.timeout.map { i.monoSeconds(CLOCK_MONOTONIC) + $0 }
            if try !i.waitReady(b.fd, events, deadline: deadline) { throw i.err("TimeoutError", "timed out") }
        }
        func io(_ i: Interpreter, _ b: SocketBox, _ events: Int32, _ op: () -> Int) throws -> Int {
            while true {
                try ready(i, b, events)
                let r = op()
                if r >= 0 { return r }
                let e = errno
                if e == EINTR { try i.checkInterrupt(); continue }
                if (e == EAGAIN || e == EWOULDBLOCK) && b.timeout != nil { continue }
                throw i.osErrorNamed(e, nil)
            }
        }
        socketClass = nativeClass("socket", module: "socket", methods: [
            "__init__": { i, a, kw in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                let args = Args(Array(a.dropFirst()), kw, "socket")
                let family = Int32(try args.get(0, "family").map { try i.intArg($0) } ?? Int(AF_INET))
                let type = Int32(try args.get(1, "type").map { try i.intArg($0) } ?? Int(SOCK_STREAM.rawValue))
                let proto = Int32(try args.get(2, "proto").map { try i.intArg($0) } ?? 0)
                let fd: Int32
                if let f = args.get(3, "fileno"), !f.isNone { fd = Int32(try i.intArg(f)) }
                else { fd = try i.sys(nil) { Glibc.socket(family, type | Int32(SOCK_CLOEXEC.rawValue), proto) } }
                let b = SocketBox(fd: fd, family: family, type: type, proto: proto)
                inst.payload = b
                inst.dict["family"] = .int(Int(family)); inst.dict["type"] = .int(Int(type)); inst.dict["proto"] = .int(Int(proto))
                return .none
            },
            "fileno": { i, a, _ in
                guard case .obj(let inst as PyInstance)? = a.first, let b = inst.payload as? SocketBox else {
                    throw i.typeError("descriptor 'fileno' requires a 'socket' object")
                }
                return .int(Int(b.fd))   // -1 once closed, as CPython's
            },
            "close": { i, a, _ in
                guard case .obj(let inst as PyInstance)? = a.first, let b = inst.payload as? SocketBox else { return .none }
                _ = i
                if b.fd >= 0 { Glibc.close(b.fd); b.fd = -1 }
                return .none
            },
            "detach": { i, a, _ in let b = try box(i, a, "detach"); let fd = b.fd; b.fd = -1; return .int(Int(fd)) },
            "__enter__": { _, a, _ in a[0] },
            "__exit__": { i, a, _ in
                if case .obj(let inst as PyInstance)? = a.first, let b = inst.payload as? SocketBox, b.fd >= 0 { Glibc.close(b.fd); b.fd = -1 }
                _ = i
                return .bool(false)
            },
            "bind": { i, a, _ in
                let b = try box(i, a, "bind"); try i.need(a, 2, "bind")
                try withAddress(i, b.family, a[1], "bind") { sa, len in _ = try i.sys(nil) { Glibc.bind(b.fd, sa, len) } }
                return .none
            },
            "listen": { i, a, _ in
                let b = try box(i, a, "listen")
                let backlog = a.count > 1 ? Int32(try i.intArg(a[1])) : min(SOMAXCONN, 128)
                try i.sys(nil) { Glibc.listen(b.fd, backlog) }
                return .none
            },
            "accept": { i, a, _ in
                let b = try box(i, a, "accept")
                var storage = sockaddr_storage()
                var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let fd = try io(i, b, Int32(POLLIN)) {
                    withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        Int(Glibc.accept(b.fd, $0, &len)) } }
                }
                _ = fcntl(Int32(fd), F_SETFD, FD_CLOEXEC)   // single-threaded: no fork can come between
                let conn = SocketBox(fd: Int32(fd), family: b.family, type: b.type, proto: b.proto)
                let addr = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { addressValue($0, len) } }
                return .tuple(PyTuple([wrap(conn), addr]))
            },
            "connect": { i, a, _ in
                let b = try box(i, a, "connect"); try i.need(a, 2, "connect")
                try withAddress(i, b.family, a[1]) { sa, len in
                    while Glibc.connect(b.fd, sa, len) != 0 {
                        let e = errno
                        if e == EINTR { try i.checkInterrupt(); continue }
                        if e == EINPROGRESS && b.timeout != nil {
                            // a socket with a timeout connects without blocking: wait for it, then read the outcome
                            try ready(i, b, Int32(POLLOUT))
                            var soErr: Int32 = 0
                            var l = socklen_t(MemoryLayout<Int32>.size)
                            _ = Glibc.getsockopt(b.fd, SOL_SOCKET, SO_ERROR, &soErr, &l)
                            if soErr != 0 { throw i.osErrorNamed(soErr, nil) }
                            return
                        }
                        throw i.osErrorNamed(e, nil)
                    }
                }
                return .none
            },
            "connect_ex": { i, a, _ in
                let b = try box(i, a, "connect_ex"); try i.need(a, 2, "connect_ex")
                return .int(Int(try withAddress(i, b.family, a[1]) { sa, len in Glibc.connect(b.fd, sa, len) == 0 ? 0 : errno }))
            },
            "send": { i, a, _ in
                let b = try box(i, a, "send"); try i.need(a, 2, "send")
                let data = try i.bytesArg(a[1])
                return .int(try io(i, b, Int32(POLLOUT)) { data.withUnsafeBytes { Glibc.send(b.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } })
            },
            "sendall": { i, a, _ in
                let b = try box(i, a, "sendall"); try i.need(a, 2, "sendall")
                let data = try i.bytesArg(a[1])
                var off = 0
                while off < data.count {
                    off += try io(i, b, Int32(POLLOUT)) { data.withUnsafeBytes { Glibc.send(b.fd, $0.baseAddress! + off, $0.count - off, Int32(MSG_NOSIGNAL)) } }
                }
                return .none
            },
            "sendto": { i, a, _ in
                let b = try box(i, a, "sendto"); try i.need(a, 3, "sendto")
                let data = try i.bytesArg(a[1])
                return .int(try withAddress(i, b.family, a[a.count - 1]) { sa, len in
                    try io(i, b, Int32(POLLOUT)) { data.withUnsafeBytes { Glibc.sendto(b.fd, $0.baseAddress, $0.count, 0, sa, len) } }
                })
            },
            "recv": { i, a, _ in
                let b = try box(i, a, "recv"); try i.need(a, 2, "recv")
                let n = try i.intArg(a[1])
                if n < 0 { throw i.err("ValueError", "negative buffersize in recv") }
                let flags = a.count > 2 ? Int32(try i.intArg(a[2])) : 0
                var buf = [UInt8](repeating: 0, count: n)
                let got = try io(i, b, Int32(POLLIN)) { buf.withUnsafeMutableBytes { Glibc.recv(b.fd, $0.baseAddress, n, flags) } }
                return .obj(PyBytes(Array(buf.prefix(got))))
            },
            "recvfrom": { i, a, _ in
                let b = try box(i, a, "recvfrom"); try i.need(a, 2, "recvfrom")
                let n = try i.intArg(a[1])
                var buf = [UInt8](repeating: 0, count: n)
                var storage = sockaddr_storage()
                var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let got = try io(i, b, Int32(POLLIN)) {
                    buf.withUnsafeMutableBytes { bp in withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        Glibc.recvfrom(b.fd, bp.baseAddress, n, 0, $0, &len) } } }
                }
                let addr = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { addressValue($0, len) } }
                return .tuple(PyTuple([.obj(PyBytes(Array(buf.prefix(got)))), addr]))
            },
            "shutdown": { i, a, _ in
                let b = try box(i, a, "shutdown"); try i.need(a, 2, "shutdown")
                let how = Int32(try i.intArg(a[1]))
                try i.sys(nil) { Glibc.shutdown(b.fd, how) }
                return .none
            },
            "setsockopt": { i, a, _ in
                let b = try box(i, a, "setsockopt"); try i.need(a, 4, "setsockopt")
                let level = Int32(try i.intArg(a[1])), opt = Int32(try i.intArg(a[2]))
                var v = Int32(try i.intArg(a[3]))
                try i.sys(nil) { Glibc.setsockopt(b.fd, level, opt, &v, socklen_t(MemoryLayout<Int32>.size)) }
                return .none
            },
            "getsockopt": { i, a, _ in
                let b = try box(i, a, "getsockopt"); try i.need(a, 3, "getsockopt")
                var v: Int32 = 0
                var len = socklen_t(MemoryLayout<Int32>.size)
                let level = Int32(try i.intArg(a[1])), opt = Int32(try i.intArg(a[2]))
                try i.sys(nil) { Glibc.getsockopt(b.fd, level, opt, &v, &len) }
                return .int(Int(v))
            },
            "getsockname": { i, a, _ in
                let b = try box(i, a, "getsockname")
                var storage = sockaddr_storage()
                var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
                try i.sys(nil) { withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(b.fd, $0, &len) } } }
                return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { addressValue($0, len) } }
            },
            "getpeername": { i, a, _ in
                let b = try box(i, a, "getpeername")
                var storage = sockaddr_storage()
                var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
                try i.sys(nil) { withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(b.fd, $0, &len) } } }
                return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { addressValue($0, len) } }
            },
            "settimeout": { i, a, _ in
                let b = try box(i, a, "settimeout"); try i.need(a, 2, "settimeout")
                if a[1].isNone { b.timeout = nil } else {
                    let t = try i.toDouble(a[1])
                    if t < 0 { throw i.err("ValueError", "Timeout value out of range") }
                    b.timeout = t
                }
                let flags = fcntl(b.fd, F_GETFL)
                _ = fcntl(b.fd, F_SETFL, b.timeout == nil ? flags & ~O_NONBLOCK : flags | O_NONBLOCK)
                return .none
            },
            "gettimeout": { i, a, _ in let b = try box(i, a, "gettimeout"); return b.timeout.map { .float($0) } ?? .none },
            "setblocking": { i, a, _ in
                let b = try box(i, a, "setblocking"); try i.need(a, 2, "setblocking")
                b.timeout = try i.truthy(a[1]) ? nil : 0
                let flags = fcntl(b.fd, F_GETFL)
                _ = fcntl(b.fd, F_SETFL, b.timeout == nil ? flags & ~O_NONBLOCK : flags | O_NONBLOCK)
                return .none
            },
            "__repr__": { i, a, _ in
                guard case .obj(let inst as PyInstance)? = a.first, let b = inst.payload as? SocketBox else { return .str("<socket>") }
                _ = i
                return .str("<socket.socket fd=\(b.fd), family=\(b.family), type=\(b.type), proto=\(b.proto)>")
            },
        ])
        m.set("socket", .obj(socketClass))
        m.set("SocketType", .obj(socketClass))
        m.fn("socketpair") { i, a, _ in
            let family = a.count > 0 ? Int32(try i.intArg(a[0])) : AF_UNIX
            let type = a.count > 1 ? Int32(try i.intArg(a[1])) : Int32(SOCK_STREAM.rawValue)
            var fds: [Int32] = [0, 0]
            try i.sys(nil) { Glibc.socketpair(family, type | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) }
            return .tuple(PyTuple(fds.map { wrap(SocketBox(fd: $0, family: family, type: type, proto: 0)) }))
        }
        m.fn("gethostname") { i, _, _ in
            var buf = [CChar](repeating: 0, count: 256)
            try i.sys(nil) { Glibc.gethostname(&buf, 255) }
            return .str(String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        m.fn("gethostbyname") { i, a, _ in
            try i.need(a, 1, "gethostbyname")
            let host = try i.strArg(a[0], "gethostbyname")
            return try withAddress(i, AF_INET, .tuple(PyTuple([.str(host), .int(0)]))) { sa, len in
                if case .tuple(let t) = addressValue(sa, len) { return t.items[0] }
                return .none
            }
        }
        m.fn("getaddrinfo") { i, a, kw in
            let args = Args(a, kw, "getaddrinfo")
            let host = try args.get(0, "host").map { $0.isNone ? nil : try i.strArg($0, "getaddrinfo") } ?? nil
            let port = try args.get(1, "port").map { v -> String? in
                if v.isNone { return nil }
                if case .int(let n) = v { return String(n) }
                return try i.strArg(v, "getaddrinfo")
            } ?? nil
            var hints = addrinfo()
            hints.ai_family = Int32(try args.get(2, "family").map { try i.intArg($0) } ?? 0)
            hints.ai_socktype = Int32(try args.get(3, "type").map { try i.intArg($0) } ?? 0)
            hints.ai_protocol = Int32(try args.get(4, "proto").map { try i.intArg($0) } ?? 0)
            hints.ai_flags = Int32(try args.get(5, "flags").map { try i.intArg($0) } ?? 0)
            var res: UnsafeMutablePointer<addrinfo>? = nil
            let rc = getaddrinfo(host, port, &hints, &res)
            if rc != 0 { throw i.err("socket.gaierror", "[Errno \(rc)] \(String(cString: gai_strerror(rc)))") }
            defer { freeaddrinfo(res) }
            var out: [Value] = []
            var p = res
            while let ai = p {
                out.append(.tuple(PyTuple([.int(Int(ai.pointee.ai_family)), .int(Int(ai.pointee.ai_socktype)), .int(Int(ai.pointee.ai_protocol)),
                                           .str(""), addressValue(ai.pointee.ai_addr, ai.pointee.ai_addrlen)])))
                p = ai.pointee.ai_next
            }
            return .list(PyList(out))
        }
        m.fn("create_connection") { i, a, kw in
            let args = Args(a, kw, "create_connection")
            guard let address = args.get(0, "address"), case .tuple(let t) = address else { throw i.typeError("create_connection() needs an address tuple") }
            let s = try i.call(.obj(socketClass), [.int(Int(AF_INET)), .int(Int(SOCK_STREAM.rawValue))])
            if let tv = args.get(1, "timeout"), !tv.isNone { _ = try i.callMethod(s, "settimeout", [tv], []) }
            _ = try i.callMethod(s, "connect", [.tuple(t)], [])
            return s
        }
        m.fn("htons") { i, a, _ in try i.need(a, 1, "htons"); return .int(Int(UInt16(truncatingIfNeeded: try i.intArg(a[0])).bigEndian)) }
        m.fn("ntohs") { i, a, _ in try i.need(a, 1, "ntohs"); return .int(Int(UInt16(bigEndian: UInt16(truncatingIfNeeded: try i.intArg(a[0]))))) }
        m.fn("htonl") { i, a, _ in try i.need(a, 1, "htonl"); return .int(Int(UInt32(truncatingIfNeeded: try i.intArg(a[0])).bigEndian)) }
        m.fn("ntohl") { i, a, _ in try i.need(a, 1, "ntohl"); return .int(Int(UInt32(bigEndian: UInt32(truncatingIfNeeded: try i.intArg(a[0]))))) }
        return m
    }
}
