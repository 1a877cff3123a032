// The `zlib` module over zlib itself, as CPython's `Modules/zlibmodule.c`: one-shot compress/decompress,
// streaming Compress/Decompress objects, crc32 and adler32.
import CModules

/// A stream in progress: zlib's state, ended with the object.
final class ZStream {
    var strm = z_stream()
    let deflating: Bool
    var ended = false
    var unusedData: [UInt8] = []
    var eof = false
    init(deflating: Bool) { self.deflating = deflating }
    deinit { end() }
    func end() {
        if ended { return }
        ended = true
        if deflating { deflateEnd(&strm) } else { inflateEnd(&strm) }
    }
}

extension Interpreter {
    func makeZlib() -> PyModule {
        let m = PyModule(name: "zlib")
        let errorClass = PyClass(name: "error", bases: [excClass("Exception")], dict: [:])
        errorClass.module = "zlib"
        excClasses["zlib.error"] = errorClass
        m.set("error", .obj(errorClass))
        for (n, v) in [("MAX_WBITS", 15), ("DEFLATED", 8), ("DEF_MEM_LEVEL", 8), ("DEF_BUF_SIZE", 16384),
                       ("Z_DEFAULT_COMPRESSION", -1), ("Z_NO_COMPRESSION", 0), ("Z_BEST_SPEED", 1),
                       ("Z_BEST_COMPRESSION", 9), ("Z_DEFAULT_STRATEGY", 0), ("Z_FILTERED", 1),
                       ("Z_HUFFMAN_ONLY", 2), ("Z_RLE", 3), ("Z_FIXED", 4), ("Z_NO_FLUSH", 0), ("Z_PARTIAL_FLUSH", 1),
                       ("Z_SYNC_FLUSH", 2), ("Z_FULL_FLUSH", 3), ("Z_FINISH", 4), ("Z_BLOCK", 5)] {
            m.set(n, .int(v))
        }
        let version = String(cString: zlibVersion())
        m.set("ZLIB_VERSION", .str(version))
        m.set("ZLIB_RUNTIME_VERSION", .str(version))

        /// zlib's message for code `rc`, as CPython's `zlib_error`.
        func zerror(_ i: Interpreter, _ s: ZStream, _ rc: Int32, _ what: String) -> PyException {
            var msg: String
            switch rc {
            case Z_VERSION_ERROR: msg = "library version mismatch"
            default:
                if let p = s.strm.msg { msg = String(cString: p) }
                else if rc == Z_BUF_ERROR { msg = "incomplete or truncated stream" }
                else if rc == Z_STREAM_ERROR { msg = "inconsistent stream state" }
                else if rc == Z_DATA_ERROR { msg = "invalid input data" }
                else { msg = "" }
            }
            return i.err("zlib.error", msg.isEmpty ? "Error \(rc) \(what)" : "Error \(rc) \(what): \(msg)")
        }
        /// Runs `deflate`/`inflate` over `input` with `flush`, collecting everything it writes.
        func run(_ i: Interpreter, _ s: ZStream, _ input: [UInt8], _ flush: Int32, maxLength: Int = 0) throws -> [UInt8] {
            var out: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 16384)
            try input.withUnsafeBufferPointer { inp in
                s.strm.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
                s.strm.avail_in = UInt32(inp.count)
                while true {
                    var want = chunk.count
                    if maxLength > 0 { want = min(want, maxLength - out.count) }
                    if want == 0 { break }
                    let rc: Int32 = chunk.withUnsafeMutableBufferPointer { c in
                        s.strm.next_out = c.baseAddress
                        s.strm.avail_out = UInt32(want)
                        return s.deflating ? deflate(&s.strm, flush) : inflate(&s.strm, flush)
                    }
                    let produced = want - Int(s.strm.avail_out)
                    out.append(contentsOf: chunk[0..<produced])
                    if rc == Z_STREAM_END {
                        if !s.deflating {
                            s.eof = true
                            if s.strm.avail_in > 0 {
                                s.unusedData = Array(UnsafeBufferPointer(start: s.strm.next_in, count: Int(s.strm.avail_in)))
                            }
                        }
                        break
                    }
                    if rc == Z_BUF_ERROR && produced == 0 { break }   // no progress possible: needs more input
                    if rc != Z_OK && rc != Z_BUF_ERROR {
                        throw zerror(i, s, rc, s.deflating ? "while compressing data" : "while decompressing data")
                    }
                    if s.strm.avail_out != 0 && s.strm.avail_in == 0 && flush != Z_FINISH { break }
                }
                s.strm.next_in = nil
            }
            return out
        }
        func newDeflate(_ i: Interpreter, level: Int, wbits: Int, memLevel: Int = 8, strategy: Int = 0) throws -> ZStream {
            let s = ZStream(deflating: true)
            let rc = cmodules_deflate_init(&s.strm, Int32(level), Z_DEFLATED, Int32(wbits), Int32(memLevel), Int32(strategy))
            if rc == Z_STREAM_ERROR { s.ended = true; throw i.err("ValueError", "Invalid initialization option") }
            if rc != Z_OK { s.ended = true; throw zerror(i, s, rc, "while creating compression object") }
            return s
        }
        func newInflate(_ i: Interpreter, wbits: Int) throws -> ZStream {
            let s = ZStream(deflating: false)
            let rc = cmodules_inflate_init(&s.strm, Int32(wbits))
            if rc == Z_STREAM_ERROR { s.ended = true; throw i.err("ValueError", "Invalid initialization option") }
            if rc != Z_OK { s.ended = true; throw zerror(i, s, rc, "while creating decompression object") }
            return s
        }
        func intKw(_ i: Interpreter, _ args: Args, _ at: Int, _ name: String, _ dflt: Int) throws -> Int {
            try args.get(at, name).map { try i.intArg($0) } ?? dflt
        }

        m.fn("compress") { i, a, kw in
            let args = Args(a, kw, "compress")
            guard let d = args.get(0, "data") else { throw i.typeError("compress() missing required argument 'data' (pos 1)") }
            let level = try intKw(i, args, 1, "level", -1)
            if level < -1 || level > 9 { throw i.err("zlib.error", "Bad compression level") }
            let s = try newDeflate(i, level: level, wbits: try intKw(i, args, 2, "wbits", 15))
            return .obj(PyBytes(try run(i, s, try i.bytesArg(d), Z_FINISH)))
        }
        m.fn("decompress") { i, a, kw in
            let args = Args(a, kw, "decompress")
            guard let d = args.get(0, "data") else { throw i.typeError("decompress() missing required argument 'data' (pos 1)") }
            let s = try newInflate(i, wbits: try intKw(i, args, 1, "wbits", 15))
            let out = try run(i, s, try i.bytesArg(d), Z_FINISH)
            if !s.eof { throw i.err("zlib.error", "Error -5 while decompressing data: incomplete or truncated stream") }
            return .obj(PyBytes(out))
        }
        func checksum(_ name: String, _ f: @escaping (UInt, UnsafePointer<UInt8>?, UInt32) -> UInt, _ start: Int) {
            m.fn(name) { i, a, _ in
                try i.need(a, 1, name)
                let b = try i.bytesArg(a[0])
                let v = a.count > 1 ? UInt(UInt32(truncatingIfNeeded: try i.intArg(a[1]))) : UInt(start)
                return .int(Int(b.withUnsafeBufferPointer { f(v, $0.baseAddress, UInt32($0.count)) }))
            }
        }
        checksum("crc32", { crc32($0, $1, $2) }, 0)
        checksum("adler32", { adler32($0, $1, $2) }, 1)

        func stream(_ i: Interpreter, _ a: [Value], _ fn: String) throws -> (PyInstance, ZStream) {
            guard case .obj(let inst as PyInstance)? = a.first, let s = inst.payload as? ZStream else {
                throw i.typeError("descriptor '\(fn)' requires a zlib stream object")
            }
            return (inst, s)
        }
        let compressClass = nativeClass("Compress", module: "zlib", methods: [
            "compress": { i, a, _ in let (_, s) = try stream(i, a, "compress"); try i.need(a, 2, "compress")
                if s.ended { throw i.err("ValueError", "Error -2 while compressing data: inconsistent stream state") }
                return .obj(PyBytes(try run(i, s, try i.bytesArg(a[1]), Z_NO_FLUSH)))
            },
            "flush": { i, a, _ in let (_, s) = try stream(i, a, "flush")
                let mode = a.count > 1 ? Int32(try i.intArg(a[1])) : Z_FINISH
                if mode == Z_NO_FLUSH { return .obj(PyBytes([])) }
                if s.ended { throw i.err("zlib.error", "Error -2 while flushing: inconsistent stream state") }
                let out = try run(i, s, [], mode)
                if mode == Z_FINISH { s.end() }
                return .obj(PyBytes(out))
            },
        ])
        let decompressClass = nativeClass("Decompress", module: "zlib", methods: [
            "decompress": { i, a, kw in let (inst, s) = try stream(i, a, "decompress"); try i.need(a, 2, "decompress")
                let maxLength = try kw.first { $0.0 == "max_length" }.map { try i.intArg($0.1) } ?? (a.count > 2 ? try i.intArg(a[2]) : 0)
                if maxLength < 0 { throw i.err("ValueError", "max_length must be non-negative") }
                let input = try i.bytesArg(a[1])
                if s.eof { s.unusedData += input; inst.dict["unused_data"] = .obj(PyBytes(s.unusedData)); return .obj(PyBytes([])) }
                let out = try run(i, s, input, Z_SYNC_FLUSH, maxLength: maxLength)
                let left = s.eof ? [] : Array(input.suffix(Int(s.strm.avail_in)))
                s.strm.avail_in = 0
                inst.dict["unconsumed_tail"] = .obj(PyBytes(left))
                inst.dict["unused_data"] = .obj(PyBytes(s.unusedData))
                inst.dict["eof"] = .bool(s.eof)
                return .obj(PyBytes(out))
            },
            "flush": { i, a, _ in let (inst, s) = try stream(i, a, "flush")
                guard case .obj(let tail as PyBytes)? = inst.dict["unconsumed_tail"], !tail.b.isEmpty, !s.eof else { return .obj(PyBytes([])) }
                inst.dict["unconsumed_tail"] = .obj(PyBytes([]))
                return .obj(PyBytes(try run(i, s, tail.b, Z_FINISH)))
            },
        ])
        m.set("Compress", .obj(compressClass))
        m.set("Decompress", .obj(decompressClass))
        m.fn("compressobj") { i, a, kw in
            let args = Args(a, kw, "compressobj")
            let level = try intKw(i, args, 0, "level", -1)
            let s = try newDeflate(i, level: level, wbits: try intKw(i, args, 2, "wbits", 15),
                                   memLevel: try intKw(i, args, 3, "memLevel", 8), strategy: try intKw(i, args, 4, "strategy", 0))
            let inst = PyInstance(compressClass)
            inst.payload = s
            return .obj(inst)
        }
        m.fn("decompressobj") { i, a, kw in
            let args = Args(a, kw, "decompressobj")
            let s = try newInflate(i, wbits: try intKw(i, args, 0, "wbits", 15))
            let inst = PyInstance(decompressClass)
            inst.payload = s
            inst.dict["unused_data"] = .obj(PyBytes([]))
            inst.dict["unconsumed_tail"] = .obj(PyBytes([]))
            inst.dict["eof"] = .bool(false)
            return .obj(inst)
        }
        return m
    }
}
