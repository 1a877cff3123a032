// Ctrl-C reaches a program blocked in a socket Connection's recv(): the binding's receive blocks in recv(2) itself
// (SocketConnectionBinding.swift), and mpsh's SIGINT handler has no SA_RESTART, so the call returns EINTR and the
// KeyboardInterrupt ends the program (CPython: the same, its read(2) interrupted).
import Foundation
import TestSupport
import XCTest

final class ConnectionInterruptTests: XCTestCase {
    override class func tearDown() { removeTempPrograms() }

    func testCtrlCEndsARecvThatWaitsOnASocket() throws {
        for (family, address) in [("AF_INET", "('127.0.0.1', 0)"), ("AF_UNIX", "None")] {
            let path = try tempProgram("ctrl_c_recv.py", """
                import time
                from multiprocessing import Process
                from multiprocessing.connection import Listener, Client

                def peer(address):
                    with Client(address, family='\(family)', authkey=b'k') as c:
                        time.sleep(1000)

                if __name__ == '__main__':
                    with Listener(\(address), family='\(family)', authkey=b'k') as listener:
                        p = Process(target=peer, args=(listener.address,), daemon=True)
                        p.start()
                        with listener.accept() as conn:
                            print('waiting', flush=True)
                            conn.recv_bytes()

                """)
            let child = try ChildProgram([try mpshBinary(), path], environment: testEnvironment(), processGroup: true)
            let deadline = ContinuousClock.now + .seconds(30)
            while !child.outputSoFar.contains("waiting") && ContinuousClock.now < deadline { _ = poll(nil, 0, 20) }
            XCTAssertTrue(child.outputSoFar.contains("waiting"), "\(family): the program did not reach its recv")
            kill(child.pid, SIGINT)
            let run = try child.wait(limit: 60)
            XCTAssertEqual(run.status, 130, "\(family): \(run.error)")
            XCTAssertTrue(run.error.hasSuffix("KeyboardInterrupt\n"), "\(family): \(run.error)")
        }
    }
}
