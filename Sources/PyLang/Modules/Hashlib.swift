// The `hashlib` module over OpenSSL's libcrypto (EVP digests), as CPython's `Modules/_hashopenssl.c`.
import CModules

/// A digest in progress: libcrypto's context, freed with the object.
final class HashState {
    let ctx: OpaquePointer
    let name: String
    init(ctx: OpaquePointer, name: String) { self.ctx = ctx; self.name = name }
    deinit { EVP_MD_CTX_free(ctx) }
}

/// SHA-512 of `data` (for `random.seed(str)`, which CPython seeds with the string's bytes and their SHA-512).
func sha512(_ data: [UInt8]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 64)
    var n: UInt32 = 0
    _ = data.withUnsafeBytes { d in out.withUnsafeMutableBufferPointer { o in
        EVP_Digest(d.baseAddress, d.count, o.baseAddress, &n, EVP_sha512(), nil)
    } }
    return out
}

extension Interpreter {
    func makeHashlib() -> PyModule {
        let m = PyModule(name: "hashlib")
        let guaranteed = ["blake2b", "blake2s", "md5", "sha1", "sha224", "sha256", "sha384", "sha3_224", "sha3_256",
                          "sha3_384", "sha3_512", "sha512", "shake_128", "shake_256"]
        func state(_ i: Interpreter, _ a: [Value], _ fn: String) throws -> (PyInstance, HashState) {
            guard case .obj(let inst as PyInstance)? = a.first, let st = inst.payload as? HashState else {
                throw i.typeError("descriptor '\(fn)' for '_hashlib.HASH' objects doesn't apply to this object")
            }
            return (inst, st)
        }
        func update(_ i: Interpreter, _ st: HashState, _ v: Value) throws {
            if case .str = v { throw i.typeError("Strings must be encoded before hashing") }
            guard let b = try? i.bytesArg(v) else { throw i.typeError("object supporting the buffer API required") }
            _ = b.withUnsafeBytes { EVP_DigestUpdate(st.ctx, $0.baseAddress, $0.count) }
        }
        func final(_ i: Interpreter, _ st: HashState, _ a: [Value], _ kw: [(String, Value)]) throws -> [UInt8] {
            let copy = EVP_MD_CTX_new()!
            defer { EVP_MD_CTX_free(copy) }
            EVP_MD_CTX_copy_ex(copy, st.ctx)
            let md = EVP_MD_CTX_get0_md(st.ctx)
            if st.name.hasPrefix("shake_") {
                guard let lv = a.dropFirst().first ?? kw.first(where: { $0.0 == "length" })?.1 else {
                    throw i.typeError("digest() missing required argument 'length' (pos 1)")
                }
                let n = try i.intArg(lv)
                if n < 0 { throw i.err("ValueError", "negative digest length") }
                var out = [UInt8](repeating: 0, count: max(n, 1))
                EVP_DigestFinalXOF(copy, &out, n)
                return Array(out.prefix(n))
            }
            var out = [UInt8](repeating: 0, count: Int(EVP_MD_get_size(md)))
            var n: UInt32 = 0
            EVP_DigestFinal_ex(copy, &out, &n)
            return Array(out.prefix(Int(n)))
        }
        var hashClass: PyClass! = nil
        func make(_ i: Interpreter, _ name: String, _ data: Value?) throws -> Value {
            guard let md = cmodules_digest_named(name.lowercased()) else {
                throw i.err("ValueError", "unsupported hash type \(name)")
            }
            let ctx = EVP_MD_CTX_new()!
            EVP_DigestInit_ex(ctx, md, nil)
            let st = HashState(ctx: ctx, name: name.lowercased())
            let inst = PyInstance(hashClass)
            inst.payload = st
            inst.dict["name"] = .str(st.name)
            inst.dict["digest_size"] = .int(st.name.hasPrefix("shake_") ? 0 : Int(EVP_MD_get_size(md)))
            inst.dict["block_size"] = .int(Int(EVP_MD_get_block_size(md)))
            if let d = data, !d.isNone { try update(i, st, d) }
            return .obj(inst)
        }
        hashClass = nativeClass("HASH", module: "_hashlib", methods: [
            "update": { i, a, _ in let (_, st) = try state(i, a, "update"); try i.need(a, 2, "update"); try update(i, st, a[1]); return .none },
            "digest": { i, a, kw in let (_, st) = try state(i, a, "digest"); return .obj(PyBytes(try final(i, st, a, kw))) },
            "hexdigest": { i, a, kw in let (_, st) = try state(i, a, "hexdigest")
                return .str(try final(i, st, a, kw).map { hex2(Int($0)) }.joined())
            },
            "copy": { i, a, _ in let (_, st) = try state(i, a, "copy")
                let r = try make(i, st.name, nil)
                if case .obj(let inst as PyInstance) = r, let nst = inst.payload as? HashState { EVP_MD_CTX_copy_ex(nst.ctx, st.ctx) }
                return r
            },
            "__repr__": { i, a, _ in let (inst, st) = try state(i, a, "__repr__")
                return .str("<\(st.name) _hashlib.HASH object @ 0x\(String(UInt(bitPattern: ObjectIdentifier(inst)), radix: 16))>")
            },
        ])
        func dataArg(_ a: [Value], _ kw: [(String, Value)]) -> Value? {
            a.first ?? kw.first { $0.0 == "data" || $0.0 == "string" }?.1
        }
        for name in guaranteed {
            m.fn(name) { i, a, kw in try make(i, name, dataArg(a, kw)) }
        }
        m.fn("new") { i, a, kw in
            guard let nv = a.first ?? kw.first(where: { $0.0 == "name" })?.1 else { throw i.typeError("new() missing required argument 'name' (pos 1)") }
            let name = try i.strArg(nv, "new")
            return try make(i, name, a.count > 1 ? a[1] : kw.first { $0.0 == "data" || $0.0 == "string" }?.1)
        }
        m.fn("pbkdf2_hmac") { i, a, kw in
            let args = Args(a, kw, "pbkdf2_hmac")
            guard let nv = args.get(0, "hash_name"), let pv = args.get(1, "password"), let sv = args.get(2, "salt"), let iv = args.get(3, "iterations") else {
                throw i.typeError("pbkdf2_hmac() missing required arguments")
            }
            let name = try i.strArg(nv, "pbkdf2_hmac")
            guard let md = cmodules_digest_named(name.lowercased()) else { throw i.err("ValueError", "unsupported hash type \(name)") }
            let password = try i.bytesArg(pv), salt = try i.bytesArg(sv), iterations = try i.intArg(iv)
            if iterations < 1 { throw i.err("ValueError", "iteration value must be greater than 0.") }
            let dk = try args.get(4, "dklen").flatMap { $0.isNone ? nil : try i.intArg($0) } ?? Int(EVP_MD_get_size(md))
            var out = [UInt8](repeating: 0, count: max(dk, 1))
            _ = password.withUnsafeBufferPointer { p in salt.withUnsafeBufferPointer { s in
                p.withMemoryRebound(to: CChar.self) { pc in
                    PKCS5_PBKDF2_HMAC(pc.baseAddress, Int32(p.count), s.baseAddress, Int32(s.count), Int32(iterations), md, Int32(dk), &out)
                }
            } }
            return .obj(PyBytes(Array(out.prefix(dk))))
        }
        for setName in ["algorithms_guaranteed", "algorithms_available"] {
            let set = PySet()
            for n in guaranteed { set.add(.str(n)) }
            m.set(setName, .obj(set))
        }
        return m
    }
}
