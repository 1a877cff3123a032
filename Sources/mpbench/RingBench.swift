import ArgumentParser
import CShim
import Multiprocessing

#if canImport(Glibc)
import Glibc
#endif

/// `mpbench ring`: the shared-memory ring against pipe(2) and socketpair with CPython's framing, between two
/// processes, and the one-way hand-off latency with the reader spinning and asleep.
struct RingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ring",
        abstract: "Ring buffer vs pipe(2) and socketpair (CPython framing): messages/s and hand-off latency.")

    @Option(help: "Rounds; the variants are interleaved round by round and medians reported.")
    var rounds = 7

    @Option(help: "Scale the message counts (0.05 for a quick smoke run).")
    var scale = 1.0

    @Flag(help: "Also print one JSON line per figure.")
    var json = false

    enum Transport: String, CaseIterable { case ring = "ring (SPSC)", pipe = "pipe(2), CPython framing", socket = "socketpair, CPython framing" }

    struct Variant: Hashable { let size: Int; let transport: Transport }

    func run() throws {
        let sizes = [8, 64, 4096]
        let variants = sizes.flatMap { size in Transport.allCases.map { Variant(size: size, transport: $0) } }
        var throughput: [Variant: Sample] = [:]
        var spinning = Sample(), asleep = Sample(), pipeAsleep = Sample()
        for round in 1...rounds {
            for variant in variants {
                throughput[variant, default: Sample()].add(try measureThroughput(variant))
            }
            try measureHandoff(spinning: true, samples: Int(2000 * scale) + 50, gap: 20_000, into: &spinning)
            try measureHandoff(spinning: false, samples: Int(200 * scale) + 20, gap: 1_000_000, into: &asleep)
            measurePipeHandoff(samples: Int(200 * scale) + 20, gap: 1_000_000, into: &pipeAsleep)
            printErr("round \(round)/\(rounds) done")
        }
        report(sizes: sizes, throughput: throughput, spinning: spinning, asleep: asleep, pipeAsleep: pipeAsleep)
    }

    // MARK: Throughput

    /// How many messages a run sends: about 0.1–0.3 s on this machine for each variant.
    func messageCount(_ v: Variant) -> Int {
        let base: Int
        switch (v.transport, v.size) {
        case (.ring, 8), (.ring, 64): base = 4_000_000
        case (.ring, _): base = 300_000
        case (_, 4096): base = 60_000
        default: base = 200_000
        }
        return max(1000, Int(Double(base) * scale))
    }

    /// Messages per second from the writer's first message to the reader's last.
    func measureThroughput(_ v: Variant) throws -> Double {
        let count = messageCount(v)
        var go: [Int32] = [0, 0]
        precondition(pipe(&go) == 0)
        let frame = UnsafeMutableRawBufferPointer.allocate(byteCount: v.size + 8, alignment: 16)
        defer { frame.deallocate() }
        frame.initializeMemory(as: UInt8.self, repeating: 0x5a)
        var elapsed: Int64 = 0
        var lastSeq = -1

        func waitForGo() { var b: UInt8 = 0; _ = read(go[0], &b, 1) }
        func startClock() -> Int64 { var b: UInt8 = 1; _ = write(go[1], &b, 1); return now() }

        switch v.transport {
        case .ring:
            let ring = try RingBuffer(capacity: 1 << 20)
            let writer = forkChild {
                waitForGo()
                let message = UnsafeMutableRawBufferPointer(rebasing: frame[..<v.size])
                for seq in 0..<count {
                    message.storeBytes(of: seq, as: Int.self)
                    try ring.write(UnsafeRawBufferPointer(message))
                }
            }
            let t0 = startClock()
            for _ in 0..<count {
                let n = try ring.read(into: frame)
                precondition(n == v.size)
                let seq = frame.load(as: Int.self)
                precondition(seq == lastSeq + 1, "ring delivered out of order")
                lastSeq = seq
            }
            elapsed = now() - t0
            reap(writer)
        case .pipe, .socket:
            let (reader, writerEnd): (FramedStream, FramedStream)
            if v.transport == .pipe {
                let p = FramedStream.pipe()
                (reader, writerEnd) = (p, p)
            } else {
                (reader, writerEnd) = FramedStream.socketPair()
            }
            let writer = forkChild {
                waitForGo()
                for seq in 0..<count {
                    frame.storeBytes(of: seq, toByteOffset: 4, as: Int.self)
                    writerEnd.send(frame, payloadLength: v.size)
                }
            }
            let t0 = startClock()
            for _ in 0..<count {
                let n = reader.receive(into: frame)
                precondition(n == v.size)
                let seq = frame.load(as: Int.self)
                precondition(seq == lastSeq + 1, "stream delivered out of order")
                lastSeq = seq
            }
            elapsed = now() - t0
            reap(writer)
            reader.close()
            if v.transport == .socket { writerEnd.close() }
        }
        close(go[0])
        close(go[1])
        precondition(lastSeq == count - 1)
        return Double(count) / (Double(elapsed) / 1e9)
    }

    // MARK: Hand-off latency

    /// The writer stamps each message with CLOCK_MONOTONIC (shared by all processes) just before writing it,
    /// every `gap` ns; the reader subtracts the stamp from its clock on receipt.
    func measureHandoff(spinning: Bool, samples: Int, gap: Int64, into sample: inout Sample) throws {
        let ring = try RingBuffer(capacity: 1 << 16)
        let writer = forkChild {
            ring.setSpin(.zero)
            var next = now() + 5_000_000  // let the reader settle into its wait
            for _ in 0..<samples {
                pace(until: next)
                try ring.write(value: now())
                next += gap
            }
        }
        // Spinning: a budget far longer than the gap, so the reader is always spinning when a message lands.
        ring.setSpin(spinning ? .seconds(1) : .zero)
        for _ in 0..<samples {
            let stamp = try ring.read(as: Int64.self)
            sample.add(Double(now() - stamp))
        }
        reap(writer)
    }

    /// The same with a pipe and a reader blocked in read(2), for comparison.
    func measurePipeHandoff(samples: Int, gap: Int64, into sample: inout Sample) {
        let p = FramedStream.pipe()
        let frame = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 16)
        defer { frame.deallocate() }
        let writer = forkChild {
            var next = now() + 5_000_000
            for _ in 0..<samples {
                pace(until: next)
                frame.storeBytes(of: now(), toByteOffset: 4, as: Int64.self)
                p.send(frame, payloadLength: 8)
                next += gap
            }
        }
        for _ in 0..<samples {
            _ = p.receive(into: frame)
            sample.add(Double(now() - frame.load(as: Int64.self)))
        }
        reap(writer)
        p.close()
    }

    // MARK: Report

    func report(sizes: [Int], throughput: [Variant: Sample], spinning: Sample, asleep: Sample, pipeAsleep: Sample) {
        print("mpbench ring — 2 processes, \(rounds) interleaved rounds; median [min – max]; \(cshim_usable_cpu_count()) CPUs")
        print(pad("record", 8) + pad("transport", 30) + padLeft("messages/s", 12) + "  " + pad("[min – max]", 22)
              + padLeft("MB/s", 9) + padLeft("vs pipe", 10))
        for size in sizes {
            let pipeMedian = throughput[Variant(size: size, transport: .pipe)]!.median
            for transport in Transport.allCases {
                let s = throughput[Variant(size: size, transport: transport)]!
                let label = size >= 1024 ? "\(size / 1024) KiB" : "\(size) B"
                print(pad(label, 8) + pad(transport.rawValue, 30) + padLeft(rate(s.median), 12) + "  "
                      + pad("[\(rate(s.min)) – \(rate(s.max))]", 22)
                      + padLeft(format2(s.median * Double(size) / 1e6), 9)
                      + padLeft(format2(s.median / pipeMedian) + "×", 10))
                if json {
                    print(jsonLine([("workload", jsonString("transport_throughput")), ("transport", jsonString(transport.rawValue)),
                                    ("param", "\(size)"), ("ops_per_s", format2(s.median)), ("min", format2(s.min)),
                                    ("max", format2(s.max)), ("rounds", "\(rounds)")]))
                }
            }
        }
        print("one-way hand-off latency (writer's clock before write → reader's clock after read)")
        for (label, s) in [("ring, reader spinning", spinning), ("ring, reader asleep (futex)", asleep),
                           ("pipe, reader asleep in read(2)", pipeAsleep)] {
            print("  " + pad(label, 32) + "median " + padLeft(format2(s.median / 1000), 8) + " µs   p99 "
                  + padLeft(format2(s.percentile(0.99) / 1000), 8) + " µs   [" + format2(s.min / 1000) + " – "
                  + format2(s.max / 1000) + "] µs, \(s.values.count) samples")
            if json {
                print(jsonLine([("workload", jsonString("handoff")), ("param", jsonString(label)),
                                ("median_us", format2(s.median / 1000)), ("p99_us", format2(s.percentile(0.99) / 1000))]))
            }
        }
    }
}

/// Waits until `deadline` (monotonic ns): sleeps most of the way, spins the last 50 µs for precision.
func pace(until deadline: Int64) {
    let sleepFor = deadline - now() - 50_000
    if sleepFor > 0 {
        var ts = timespec(tv_sec: Int(sleepFor / 1_000_000_000), tv_nsec: Int(sleepFor % 1_000_000_000))
        nanosleep(&ts, nil)
    }
    while now() < deadline {}
}

func printErr(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
