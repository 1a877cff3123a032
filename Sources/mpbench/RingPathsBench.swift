import ArgumentParser
import CRingBench
import CShim
import Multiprocessing

#if canImport(Glibc)
import Glibc
#endif

/// `mpbench ring-paths`: the ring's ways of moving a message, between two processes, beside a C SPSC ring with
/// batched publishing (Sources/CRingBench) and a pipe with CPython's framing, in one run.
///
/// - raw: `write(UnsafeRawBufferPointer)` of a prepared buffer, `read(into:)` a buffer (one copy in, one out);
/// - raw, publish each: the same with the writer's deferred publication off (`defersPublication = false`: the
///   shared position stored after every message, as before layout 4), for the A/B in the same run;
/// - typed: `write(value:)` / `read(into: &value)` of a BitwiseCopyable value of the record's size;
/// - zero-copy: `withWriteReservation` writing the sequence number in place / `withNextRecord` reading it in
///   place (the rest of the record is neither written nor read: what a producer that builds its message inside
///   the ring costs);
/// - batch: `write(batch:)` of 64 prepared buffers / `drain(max: 64)` copying each record out;
/// - C ring: the C writer and reader loops (a copy in and a copy out, as raw), publishing every 64 records;
/// - pipe: pipe(2) with CPython's Connection framing (4-byte length, then the payload).
///
/// The C ring never sleeps: it spins, giving the CPU away every 64 turns. The Swift ring's sides are set the
/// same way for the comparison (`setSpin(_:yielding: true)` with a 10 ms budget before sleeping), unless
/// `--default-spin` (50 µs, not yielding, then sleep on the futex: what a ring does out of the box).
struct RingPathsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ring-paths",
        abstract: "Ring paths (raw, typed, zero-copy, batch) vs a C SPSC ring and a framed pipe: messages/s and GB/s.")

    @Option(help: "Rounds; the variants are interleaved round by round and medians reported.")
    var rounds = 5

    @Option(help: "Scale the message counts (0.05 for a quick smoke run).")
    var scale = 1.0

    @Flag(help: "Also print one JSON line per figure.")
    var json = false

    // Unpinned, a loaded machine sometimes runs the two sides by turns on one CPU, where a ring that fits the
    // cache looks faster: the medians then mix two regimes.
    @Flag(help: "Pin the writer to CPU 0 and the reader to CPU 1 (both sides in parallel, every variant alike).")
    var pin = false

    @Flag(help: "Skip the second table (CPU time per message in one process).")
    var noCost = false

    @Flag(help: "Leave the Swift ring's spin at its default (50 µs, then sleep) instead of matching the C ring's.")
    var defaultSpin = false

    enum Path: String, CaseIterable {
        case raw = "raw", rawEager = "raw, publish each", typed = "typed", zeroCopy = "zero-copy", batch = "batch"
        case cRing = "C SPSC ring"
        case pipe = "pipe, CPython framing"
    }

    struct Variant: Hashable { let size: Int; let path: Path }

    @Option(help: "Record sizes in bytes, comma-separated (default 8,64,4096,65536).")
    var sizes = "8,64,4096,65536"

    var sizeList: [Int] { sizes.split(separator: ",").compactMap { Int($0) } }

    @Option(help: "Ring paths besides raw, the C ring and the pipe, comma-separated: raw-each, typed, zero-copy, batch.")
    var paths = "raw,raw-each,typed,zero-copy,batch"

    var pathList: [Path] {
        let names: [String: Path] = ["raw": .raw, "raw-each": .rawEager, "typed": .typed, "zero-copy": .zeroCopy,
                                     "batch": .batch]
        let chosen = Set(paths.split(separator: ",").compactMap { names[String($0)] })
        return Path.allCases.filter { chosen.contains($0) || $0 == .raw || $0 == .cRing || $0 == .pipe }
    }

    func run() throws {
        precondition(MemoryLayout<Record64>.size == 64 && MemoryLayout<Record4K>.size == 4096 &&
                     MemoryLayout<Record64K>.size == 65536, "typed records have the benchmark's sizes")
        for size in sizeList where ![8, 64, 4096, 65536].contains(size) {
            throw ValidationError("--sizes: \(size) is not one of 8, 64, 4096, 65536 (the typed records' sizes)")
        }
        for name in paths.split(separator: ",")
        where !["raw", "raw-each", "typed", "zero-copy", "batch"].contains(String(name)) {
            throw ValidationError("--paths: '\(name)' is not one of raw, raw-each, typed, zero-copy, batch")
        }
        let variants = sizeList.flatMap { size in pathList.map { Variant(size: size, path: $0) } }
        var results: [Variant: Sample] = [:]
        let cpus = Int(cshim_usable_cpu_count())  // before any pinning
        if pin && cshim_usable_cpu_count() < 2 { throw ValidationError("--pin needs 2 CPUs") }
        if pin { precondition(cringbench_pin(1) == 0, "pinning the reader to CPU 1") }
        defer { if pin { _ = cringbench_pin(-1) } }
        for round in 1...rounds {
            for variant in variants { results[variant, default: Sample()].add(try measure(variant)) }
            printErr("round \(round)/\(rounds) done")
        }
        report(results, cpus: cpus)
        if !noCost { try reportCost() }
    }

    func count(_ v: Variant) -> Int {
        let bytes: Double = v.path == .pipe ? 400e6 : 2e9  // about 0.1–0.3 s each
        let byCount: Double = v.path == .pipe ? 300_000 : 4_000_000
        return max(1000, Int(min(byCount, bytes / Double(v.size)) * scale))
    }

    /// Messages per second from the writer's start to the reader's last message.
    func measure(_ v: Variant) throws -> Double {
        let n = count(v)
        var go: [Int32] = [0, 0]
        precondition(pipe(&go) == 0)
        defer { close(go[0]); close(go[1]) }
        let pinned = pin
        func waitForGo() {
            if pinned { precondition(cringbench_pin(0) == 0, "pinning the writer to CPU 0") }
            var b: UInt8 = 0
            _ = read(go[0], &b, 1)
        }
        func startClock() -> Int64 { var b: UInt8 = 1; _ = write(go[1], &b, 1); return now() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: v.size + 8, alignment: 64)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0x5a)
        let message = UnsafeMutableRawBufferPointer(rebasing: buffer[..<v.size])
        let elapsed: Int64

        switch v.path {
        case .raw, .rawEager, .typed, .zeroCopy, .batch:
            let ring = try RingBuffer(capacity: 1 << 20)
            if !defaultSpin { ring.setSpin(.milliseconds(10), yielding: true) }  // both sides: set before the fork
            if v.path == .rawEager { ring.defersPublication = false }
            let writer = forkChild {
                waitForGo()
                try writeLoop(ring, v, n, message)
            }
            let t0 = startClock()
            try readLoop(ring, v, n, message)
            elapsed = now() - t0
            reap(writer)
        case .cRing:
            let size = cringbench_size(1 << 20)
            let memory = try SharedMemory(anonymousSize: size)
            cringbench_init(memory.buffer.baseAddress!, 1 << 20)
            let writer = forkChild {
                waitForGo()
                cringbench_write(memory.buffer.baseAddress!, UInt64(n), v.size, 64)
            }
            let t0 = startClock()
            precondition(cringbench_read(memory.buffer.baseAddress!, UInt64(n), v.size, 64) == 0, "C ring out of order")
            elapsed = now() - t0
            reap(writer)
        case .pipe:
            let p = FramedStream.pipe()
            let frame = UnsafeMutableRawBufferPointer.allocate(byteCount: v.size + 8, alignment: 16)
            defer { frame.deallocate() }
            frame.initializeMemory(as: UInt8.self, repeating: 0x5a)
            let writer = forkChild {
                waitForGo()
                for seq in 0..<n {
                    frame.storeBytes(of: seq, toByteOffset: 4, as: Int.self)
                    p.send(frame, payloadLength: v.size)
                }
            }
            let t0 = startClock()
            for seq in 0..<n {
                precondition(p.receive(into: frame) == v.size && frame.load(as: Int.self) == seq, "pipe out of order")
            }
            elapsed = now() - t0
            reap(writer)
            p.close()
        }
        return Double(n) / (Double(elapsed) / 1e9)
    }

    func writeLoop(_ ring: RingBuffer, _ v: Variant, _ n: Int, _ message: UnsafeMutableRawBufferPointer) throws {
        switch v.path {
        case .raw, .rawEager:
            for seq in 0..<n {
                message.storeBytes(of: seq, as: Int.self)
                try ring.write(UnsafeRawBufferPointer(message))
            }
        case .typed:
            switch v.size {
            case 8: for seq in 0..<n { try ring.write(value: seq) }
            case 64: try typedWrites(ring, n, Record64.self, filling: UnsafeRawBufferPointer(message))
            case 4096: try typedWrites(ring, n, Record4K.self, filling: UnsafeRawBufferPointer(message))
            default: try typedWrites(ring, n, Record64K.self, filling: UnsafeRawBufferPointer(message))
            }
        case .zeroCopy:
            for seq in 0..<n {
                try ring.withWriteReservation(maxBytes: v.size) { room in
                    room.storeBytes(of: seq, as: Int.self)
                    return v.size
                }
            }
        case .batch:
            let batch = 64
            let stride = (v.size + 7) & ~7
            let block = UnsafeMutableRawBufferPointer.allocate(byteCount: stride * batch, alignment: 64)
            defer { block.deallocate() }
            block.initializeMemory(as: UInt8.self, repeating: 0x5a)
            let parts = (0..<batch).map { UnsafeRawBufferPointer(rebasing: block[$0 * stride..<$0 * stride + v.size]) }
            var seq = 0
            while seq < n {
                let k = min(batch, n - seq)
                for i in 0..<k { block.storeBytes(of: seq + i, toByteOffset: i * stride, as: Int.self) }
                try ring.write(batch: k == batch ? parts : Array(parts[..<k]))
                seq += k
            }
        case .cRing, .pipe:
            fatalError("not a ring path")
        }
    }

    func readLoop(_ ring: RingBuffer, _ v: Variant, _ n: Int, _ message: UnsafeMutableRawBufferPointer) throws {
        switch v.path {
        case .raw, .rawEager:
            for seq in 0..<n {
                let got = try ring.read(into: message)
                precondition(got == v.size && message.load(as: Int.self) == seq, "raw: out of order")
            }
        case .typed:
            switch v.size {
            case 8:
                for seq in 0..<n {
                    let got = try ring.read(as: Int.self)
                    precondition(got == seq, "typed: out of order")
                }
            case 64: try typedReads(ring, n, Record64())
            case 4096: try typedReads(ring, n, Record4K())
            default: try typedReads(ring, n, Record64K())
            }
        case .zeroCopy:
            for seq in 0..<n {
                let got = try ring.withNextRecord { $0.count == v.size ? $0.load(as: Int.self) : -1 }
                precondition(got == seq, "zero-copy: out of order")
            }
        case .batch:
            var seq = 0
            while seq < n {
                _ = try ring.drain(max: 64) { record in
                    message.copyMemory(from: record)
                    precondition(record.count == v.size && message.load(as: Int.self) == seq, "batch: out of order")
                    seq += 1
                }
            }
        case .cRing, .pipe:
            fatalError("not a ring path")
        }
    }

    func report(_ results: [Variant: Sample], cpus: Int) {
        print("mpbench ring-paths — 2 processes, \(rounds) interleaved rounds; median [min – max]; " +
              "\(cpus) CPUs\(pin ? ", writer and reader pinned to CPUs 0 and 1" : ""); " +
              "Swift ring spin: " +
              (defaultSpin ? "default (50 µs, then futex)" : "10 ms yielding, as the C ring"))
        print(pad("record", 8) + pad("path", 24) + padLeft("messages/s", 12) + "  " + pad("[min – max]", 22)
              + padLeft("GB/s", 8) + padLeft("vs C ring", 11) + padLeft("vs raw", 9) + padLeft("vs pipe", 10))
        for size in sizeList {
            let c = results[Variant(size: size, path: .cRing)]!.median
            let raw = results[Variant(size: size, path: .raw)]!.median
            let pipe = results[Variant(size: size, path: .pipe)]!.median
            for path in pathList {
                let s = results[Variant(size: size, path: path)]!
                let label = size >= 1024 ? "\(size / 1024) KiB" : "\(size) B"
                print(pad(label, 8) + pad(path.rawValue, 24) + padLeft(rate(s.median), 12) + "  "
                      + pad("[\(rate(s.min)) – \(rate(s.max))]", 22)
                      + padLeft(format2(s.median * Double(size) / 1e9), 8)
                      + padLeft(format2(s.median / c) + "×", 11) + padLeft(format2(s.median / raw) + "×", 9)
                      + padLeft(format2(s.median / pipe) + "×", 10))
                if json {
                    print(jsonLine([("workload", jsonString("ring_paths")), ("path", jsonString(path.rawValue)),
                                    ("param", "\(size)"), ("ops_per_s", format2(s.median)), ("min", format2(s.min)),
                                    ("max", format2(s.max)), ("vs_c_ring", format2(s.median / c)),
                                    ("rounds", "\(rounds)")]))
                }
            }
        }
    }
}

extension RingPathsCommand {
    /// The second table: what each path costs the CPU per message, measured in one process that writes `n`
    /// messages into a ring that holds them all and then reads them back, each side timed on its own. No other
    /// core, no waiting, no scheduling: the figure the first table's ratios vary around on a loaded machine, and
    /// the one the inlined fast paths are judged by (the C ring's loops are the limit).
    /// One measurement of the cost table: nanoseconds to write `n` messages, and to read them back.
    func costOnce(_ path: Path, _ v: Variant, _ n: Int, _ message: UnsafeMutableRawBufferPointer, capacity: Int) throws
        -> (Int64, Int64) {
        let t0: Int64, t1: Int64, t2: Int64
        // Every page touched first: the figures are the paths', not the kernel's first-touch faults.
        if path == .cRing {
            let memory = try SharedMemory(anonymousSize: cringbench_size(UInt64(capacity)))
            memory.buffer.initializeMemory(as: UInt8.self, repeating: 0)
            cringbench_init(memory.buffer.baseAddress!, UInt64(capacity))
            t0 = now()
            cringbench_write(memory.buffer.baseAddress!, UInt64(n), v.size, 64)
            t1 = now()
            precondition(cringbench_read(memory.buffer.baseAddress!, UInt64(n), v.size, 64) == 0)
            t2 = now()
        } else {
            let memory = try SharedMemory(anonymousSize: RingBuffer.requiredMemory(capacity: capacity)!)
            memory.buffer.initializeMemory(as: UInt8.self, repeating: 0)
            let ring = try RingBuffer(placedIn: memory, offset: 0, initialize: true, capacity: capacity)
            try ring.claimWriting()
            try ring.claimReading()
            t0 = now()
            try writeLoop(ring, v, n, message)
            ring.flush()
            t1 = now()
            try readLoop(ring, v, n, message)
            t2 = now()
        }
        return (t1 - t0, t2 - t1)
    }

    func reportCost() throws {
        let capacity = 1 << 26
        let costPaths: [Path] = [.raw, .typed, .zeroCopy, .cRing]
        var writes: [Variant: Sample] = [:], reads: [Variant: Sample] = [:]
        for _ in 1...rounds {
            for size in sizeList {
                let n = max(100, Int(min(200_000, Double(capacity / 2) / Double(size + 8)) * Swift.min(1, scale * 4)))
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size + 8, alignment: 64)
                defer { buffer.deallocate() }
                buffer.initializeMemory(as: UInt8.self, repeating: 0x5a)
                let message = UnsafeMutableRawBufferPointer(rebasing: buffer[..<size])
                for path in costPaths {
                    let v = Variant(size: size, path: path)
                    // The least of three tries per round: on a shared machine, preemption only ever adds.
                    var best = (write: Int64.max, read: Int64.max)
                    for _ in 0..<3 {
                        let (w, r) = try costOnce(path, v, n, message, capacity: capacity)
                        best = (Swift.min(best.write, w), Swift.min(best.read, r))
                    }
                    writes[v, default: Sample()].add(Double(best.write) / Double(n))
                    reads[v, default: Sample()].add(Double(best.read) / Double(n))
                }
            }
        }
        print("")
        print("CPU time per message in one process (write all, then read all; no other core): median of " +
              "\(rounds) rounds of the least of 3 tries, ns")
        print(pad("record", 8) + pad("path", 24) + padLeft("write ns", 10) + padLeft("read ns", 10)
              + padLeft("w+r vs C", 10) + padLeft("w+r vs raw", 12))
        for size in sizeList {
            let c = Variant(size: size, path: .cRing), raw = Variant(size: size, path: .raw)
            let cTotal = writes[c]!.median + reads[c]!.median, rawTotal = writes[raw]!.median + reads[raw]!.median
            for path in costPaths {
                let v = Variant(size: size, path: path)
                let total = writes[v]!.median + reads[v]!.median
                let label = size >= 1024 ? "\(size / 1024) KiB" : "\(size) B"
                // A ratio of speeds, as in the first table: the C ring's time over this path's.
                print(pad(label, 8) + pad(path.rawValue, 24) + padLeft(format2(writes[v]!.median), 10)
                      + padLeft(format2(reads[v]!.median), 10) + padLeft(format2(cTotal / total) + "×", 10)
                      + padLeft(format2(rawTotal / total) + "×", 12))
                if json {
                    print(jsonLine([("workload", jsonString("ring_paths_cost")), ("path", jsonString(path.rawValue)),
                                    ("param", "\(size)"), ("write_ns", format2(writes[v]!.median)),
                                    ("read_ns", format2(reads[v]!.median)), ("vs_c_ring", format2(cTotal / total)),
                                    ("rounds", "\(rounds)")]))
                }
            }
        }
    }
}

// Typed records of the benchmark's sizes: plain data (8-byte words, no padding) whose first word is the
// sequence number.
typealias Words8 = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
typealias Words64 = (Words8, Words8, Words8, Words8, Words8, Words8, Words8, Words8)
let words8: Words8 = (0, 0, 0, 0, 0, 0, 0, 0)
let words64: Words64 = (words8, words8, words8, words8, words8, words8, words8, words8)

struct Record64: BitwiseCopyable { var seq = 0; var rest: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0) }
struct Record4K: BitwiseCopyable {
    var seq = 0
    var big: (Words64, Words64, Words64, Words64, Words64, Words64, Words64) =
        (words64, words64, words64, words64, words64, words64, words64)
    var small: (Words8, Words8, Words8, Words8, Words8, Words8, Words8) =
        (words8, words8, words8, words8, words8, words8, words8)
    var rest: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0)
}
struct Record64K: BitwiseCopyable {
    var head = Record4K()
    var rest: (Record4K, Record4K, Record4K, Record4K, Record4K, Record4K, Record4K, Record4K, Record4K, Record4K,
               Record4K, Record4K, Record4K, Record4K, Record4K) =
        (Record4K(), Record4K(), Record4K(), Record4K(), Record4K(), Record4K(), Record4K(), Record4K(), Record4K(),
         Record4K(), Record4K(), Record4K(), Record4K(), Record4K(), Record4K())
    var seq: Int { get { head.seq } set { head.seq = newValue } }
}

protocol Sequenced: BitwiseCopyable { var seq: Int { get set } }
extension Record64: Sequenced {}
extension Record4K: Sequenced {}
extension Record64K: Sequenced {}

// The record lives in the writer's storage, as a producer's message buffer would, filled with bytes the optimiser
// cannot see (with a known value it rebuilt the 4 KiB before every write), and is written with
// `write(value: &record)`: the borrowing `write(value: record)` of a `var` or a `pointee` is given a copy of the
// value first (seen in the disassembly: a 4 KiB memcpy per write).
@_specialize(where R == Record64) @_specialize(where R == Record4K) @_specialize(where R == Record64K)
func typedWrites<R: Sequenced>(_ ring: RingBuffer, _ n: Int, _ type: R.Type, filling pattern: UnsafeRawBufferPointer)
    throws {
    let size = MemoryLayout<R>.size
    let record = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<R>.alignment)
    defer { record.deallocate() }
    for offset in 0..<size { record.storeBytes(of: pattern[offset % pattern.count], toByteOffset: offset, as: UInt8.self) }
    let typed = record.assumingMemoryBound(to: R.self)
    for seq in 0..<n {
        typed.pointee.seq = seq
        try ring.write(value: &typed.pointee)
    }
}

@_specialize(where R == Record64) @_specialize(where R == Record4K) @_specialize(where R == Record64K)
func typedReads<R: Sequenced>(_ ring: RingBuffer, _ n: Int, _ initial: R) throws {
    var record = initial
    for seq in 0..<n {
        try ring.read(into: &record)
        precondition(record.seq == seq, "typed: out of order")
    }
}
