import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class WakeUpTests: ProcessTestCase {
    /// A process asleep on an event count is woken by a signal from another process; a wait with nobody to
    /// signal times out on time.
    func testEventCountWakesAnotherProcess() throws {
        let memory = try SharedMemory(anonymousSize: 4096)
        let event = EventCount(placedIn: memory, offset: 0, initialize: true)
        let flag = memory.buffer.baseAddress! + 128
        let start = nowNanoseconds()
        XCTAssertFalse(event.wait(event.prepareWait(), timeout: .milliseconds(100)), "timed out")
        let waited = nowNanoseconds() - start
        XCTAssertTrue(waited >= 100_000_000 && waited < 150_000_000, "\(Double(waited) / 1e6) ms")
        let child = forkChild {
            while flag.load(as: Int64.self) == 0 {
                let token = event.prepareWait()
                if flag.load(as: Int64.self) != 0 { event.cancelWait(); break }
                event.wait(token, timeout: .seconds(10))
            }
            return 0
        }
        flag.storeBytes(of: 1, as: Int64.self)
        event.signal()
        XCTAssertEqual(waitExitCode(child), 0)
        XCTAssertEqual(event.signal(), 0, "nobody asleep: no wake-up, no syscall")
    }

    func testEventFDSemaphoreAcrossFork() throws {
        let fd = try EventFD(semaphore: true)
        XCTAssertNil(try fd.wait(timeout: .milliseconds(20)), "empty: times out")
        let child = forkChild { try fd.signal(3); return 0 }
        XCTAssertEqual(waitExitCode(child), 0)
        XCTAssertEqual(try fd.wait(timeout: .seconds(1)), 1)
        XCTAssertEqual(try fd.wait(timeout: .seconds(1)), 1)
        XCTAssertEqual(try fd.wait(timeout: .seconds(1)), 1)
        XCTAssertNil(try fd.wait(timeout: .zero))
    }
}

// MARK: - Under every start method

extension WakeUpTests {
    /// A signal from a child after the parent's prepareWait wakes the parent's wait.
    func testEventCountSignalledByChildUnderEveryStartMethod() {
        forEachStartMethod { method in
            let events = try EventCount()
            let token = events.prepareWait()
            let process = try startChild(method, ChildFunctions.signalEvents, SignalWork(events: events))
            XCTAssertTrue(events.wait(token, timeout: .seconds(60)), "under \(method)")
            XCTAssertTrue(try process.join(timeout: .seconds(60)))
        }
    }
}
