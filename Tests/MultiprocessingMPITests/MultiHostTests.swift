// The executor across hosts, on one machine: two network namespaces joined by a veth pair play two hosts (each
// its own address and host name); Open MPI starts the second host's daemon through scripts/mpi/netns-rsh (its
// plm_rsh_agent, in place of ssh), so ranks on different hosts talk over TCP, not shared memory.
// Needs root and `ip netns` (iproute2); skipped, with the reason, where the machine refuses them.

import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class MultiHostTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let hosts = ["mpsh-h\(getpid())a", "mpsh-h\(getpid())b"]
    lazy var subnet = "10.\(77 + Int(getpid()) % 100).\(Int(getpid()) / 100 % 250).0"
    var made: [String] = []

    func ip(_ arguments: [String]) throws -> ChildRun {
        try runChild(["/usr/sbin/ip"] + arguments, limit: 30)
    }

    func address(_ index: Int) -> String { subnet.replacingOccurrences(of: ".0", with: ".\(index + 1)", options: .backwards, range: subnet.range(of: ".0", options: .backwards)) }

    override func setUpWithError() throws {
        _ = try MPIExecutorTests.mpirun()
        guard geteuid() == 0 else { throw XCTSkip("network namespaces need root") }
        guard access("/usr/sbin/ip", X_OK) == 0 else { throw XCTSkip("no /usr/sbin/ip (iproute2)") }
        for host in hosts {
            let run = try ip(["netns", "add", host])
            guard run.status == 0 else { throw XCTSkip("ip netns add refused here: \(run.error)") }
            made.append(host)
        }
        let (a, b) = ("\(hosts[0].suffix(8))v0", "\(hosts[1].suffix(8))v1")
        for command in [["link", "add", a, "type", "veth", "peer", "name", b],
                        ["link", "set", a, "netns", hosts[0]], ["link", "set", b, "netns", hosts[1]],
                        ["-n", hosts[0], "addr", "add", "\(address(0))/24", "dev", a],
                        ["-n", hosts[1], "addr", "add", "\(address(1))/24", "dev", b],
                        ["-n", hosts[0], "link", "set", a, "up"], ["-n", hosts[1], "link", "set", b, "up"],
                        ["-n", hosts[0], "link", "set", "lo", "up"], ["-n", hosts[1], "link", "set", "lo", "up"]] {
            let run = try ip(command)
            guard run.status == 0 else { throw XCTSkip("ip \(command.joined(separator: " ")) refused here: \(run.error)") }
        }
    }

    override func tearDownWithError() throws {
        for host in made { _ = try ip(["netns", "delete", host]) }  // deletes its end of the veth pair, and so both
    }

    /// Runs `program` on 4 ranks, 2 per host, mpirun on the first host.
    func runAcrossHosts(_ program: [String]) throws -> ChildRun {
        let hostfile = NSTemporaryDirectory() + "mpsh-hosts-\(getpid())"
        try "\(address(0)) slots=2\n\(address(1)) slots=2\n".write(toFile: hostfile, atomically: true, encoding: .utf8)
        defer { unlink(hostfile) }
        let mpirun = [try MPIExecutorTests.mpirun(), "--hostfile", hostfile, "-n", "4",
                      "--mca", "plm_rsh_agent", Self.root.appendingPathComponent("scripts/mpi/netns-rsh").path,
                      "--mca", "btl", "tcp,vader,self", "--mca", "btl_tcp_if_include", "\(subnet)/24",
                      "--mca", "oob_tcp_if_include", "\(subnet)/24"] + program
        let command = "hostname \(hosts[0]) && exec " + mpirun.map { "'\($0)'" }.joined(separator: " ")
        return try runChild(["/usr/sbin/ip", "netns", "exec", hosts[0], "unshare", "--uts", "sh", "-c", command],
                            environment: MPIExecutorTests.environment +
                                ["MPSH_NETNS_MAP=\(address(0))=\(hosts[0]),\(address(1))=\(hosts[1])"],
                            limit: 120)
    }

    func testExecutorAcrossTwoHosts() throws {
        let run = try runAcrossHosts([try builtExecutable("mpi-selftest"), "hosts"])
        XCTAssertEqual(run.status, 0, run.output + run.error)
        XCTAssertTrue(run.output.contains("workers: 3\n"), run.output)
        // tasks ran on both hosts
        XCTAssertTrue(run.output.contains("hosts: [\"\(hosts[0])\", \"\(hosts[1])\"]\n"), run.output)
        XCTAssertTrue(run.output.contains("16 MiB results: " + Array(repeating: "16777216 100", count: 6)
            .joined(separator: ", ")), run.output)
        XCTAssertTrue(run.output.contains("segfaults: true\n"), run.output)
        XCTAssertTrue(run.output.contains("after segfaults: 2\n"), run.output)
    }

    func testMpshProgramAcrossTwoHosts() throws {
        let program = try privateProgram("mpsh_hosts.py", """
            from mpi4py import MPI
            from mpi4py.futures import MPIPoolExecutor

            def host(x):
                return MPI.Get_processor_name()

            if __name__ == '__main__':
                with MPIPoolExecutor() as executor:
                    executor.bootup()
                    print(sorted(set(executor.map(host, range(24)))))
                    print(sum(executor.map(len, [bytes(1 << 20)] * 8)))

            """)
        defer { removePrivateProgram(program) }
        let run = try runAcrossHosts([try builtExecutable("mpsh-mpi"), "-m", "mpi4py.futures", program])
        XCTAssertEqual(run.status, 0, run.output + run.error)
        XCTAssertEqual(run.output, "['\(hosts[0])', '\(hosts[1])']\n\(8 << 20)\n")
    }
}
