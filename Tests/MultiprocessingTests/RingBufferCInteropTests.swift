import Multiprocessing
import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// A C process and a Swift process on one ring, through CShim's C ABI (CShim/include/cshim_ring.h): the example
/// Examples/ring-c/ring_peer.c, built here with gcc against CShim's sources, reads a ring Swift writes, writes one
/// Swift reads, and creates one that Swift attaches to by name.
final class RingBufferCInteropTests: ProcessTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Builds ring_peer once (gcc, as CI's C tests do).
    static let peer: Result<String, ChildProgramError> = {
        let output = root + "/.build-ctests/ring_peer"
        mkdir(root + "/.build-ctests", 0o755)
        let sources = (try? FileManager.default.contentsOfDirectory(atPath: root + "/CShim"))?
            .filter { $0.hasSuffix(".c") }.map { root + "/CShim/" + $0 } ?? []
        let arguments = ["/usr/bin/env", "gcc", "-std=gnu11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror", "-O1",
                         "-I" + root + "/CShim/include", "-I" + root + "/CShim", root + "/Examples/ring-c/ring_peer.c"]
            + sources + ["-o", output, "-lpthread"]
        do {
            let run = try TestSupport.runChild(arguments, limit: 300)
            if run.status != 0 { return .failure(ChildProgramError("gcc failed:\n\(run.error)")) }
        } catch {
            return .failure(ChildProgramError("gcc could not run: \(error)"))
        }
        return .success(output)
    }()

    func testCProcessReadsARingSwiftWrites() throws {
        let peer = try Self.peer.get()
        let name = "mpsh-test-c-read-\(getpid())"
        let ring = try RingBuffer(creatingName: name, capacity: 4096)
        let reader = try ChildProgram([peer, "read", name, "5000"], environment: currentEnvironment())
        for i in 0..<5000 { try ring.write(value: Int64(i), timeout: .seconds(30)) }
        ring.closeWriting()
        let run = try reader.wait(limit: 60)
        XCTAssertEqual(run.status, 0, run.error)
    }

    func testSwiftReadsARingACProcessWrites() throws {
        let peer = try Self.peer.get()
        let name = "mpsh-test-c-write-\(getpid())"
        let ring = try RingBuffer(creatingName: name, capacity: 4096)
        let writer = try ChildProgram([peer, "write", name, "5000"], environment: currentEnvironment())
        for i in 0..<5000 { XCTAssertEqual(try ring.read(as: Int64.self, timeout: .seconds(30)), Int64(i)) }
        XCTAssertThrowsError(try ring.read(timeout: .seconds(30))) { XCTAssertEqual($0 as? RingBuffer.Error, .endOfStream) }
        XCTAssertEqual(try writer.wait(limit: 60).status, 0)
    }

    func testSwiftAttachesToARingACProcessCreated() throws {
        let peer = try Self.peer.get()
        let name = "mpsh-test-c-create-\(getpid())"
        let run = try TestSupport.runChild([peer, "create", name, "100"], limit: 60)
        XCTAssertEqual(run.status, 0, run.error)
        defer { _ = try? RingBuffer.remove(name: name) }
        let ring = try RingBuffer(attachingName: name)
        XCTAssertEqual(ring.capacity, 1 << 16)
        XCTAssertEqual(ring.mode, .singleProducerSingleConsumer)
        for i in 0..<100 { XCTAssertEqual(try ring.read(as: Int64.self, timeout: .seconds(30)), Int64(i)) }
        XCTAssertThrowsError(try ring.read(timeout: .seconds(30))) { XCTAssertEqual($0 as? RingBuffer.Error, .endOfStream) }
    }
}
