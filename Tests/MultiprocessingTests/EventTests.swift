import CShim
import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class EventTests: ProcessTestCase {
    /// _TestEvent.test_event: unset; wait(0) False at once; wait(TIMEOUT1) False on time; after set, wait() and
    /// wait(TIMEOUT1) True at once; after clear, a child's set wakes wait().
    func testEvent() throws {
        let event = try Multiprocessing.Event()
        XCTAssertFalse(event.isSet)
        var (result, elapsed) = timed { event.wait(timeout: .zero) }
        XCTAssertFalse(result)
        XCTAssertLessThan(elapsed, 0.010)
        (result, elapsed) = timed { event.wait(timeout: .milliseconds(100)) }
        XCTAssertFalse(result)
        assertOnTime(elapsed, 0.100)
        event.set()
        XCTAssertTrue(event.isSet)
        (result, elapsed) = timed { event.wait() }
        XCTAssertTrue(result)
        XCTAssertLessThan(elapsed, 0.010)
        (result, elapsed) = timed { event.wait(timeout: .milliseconds(100)) }
        XCTAssertTrue(result)
        XCTAssertLessThan(elapsed, 0.010)
        event.clear()
        XCTAssertFalse(event.isSet)
        // The child is late on purpose (CPython sleeps TIMEOUT2): it waits out a timeout on an event nobody sets.
        let never = try Multiprocessing.Event()
        let child = forkChild {
            never.wait(timeout: .milliseconds(100))
            event.set()
            return 0
        }
        (result, elapsed) = timed { event.wait() }
        XCTAssertTrue(result)
        XCTAssertGreaterThanOrEqual(elapsed, 0.090)
        XCTAssertEqual(waitExitCode(child), 0)
    }

    /// _TestEvent.test_repr: `<Event at … unset>`, `set`, `unset`.
    func testRepr() throws {
        let event = try Multiprocessing.Event()
        XCTAssertEqual("\(event)", "<Event unset>")
        event.set()
        XCTAssertEqual("\(event)", "<Event set>")
        event.clear()
        XCTAssertEqual("\(event)", "<Event unset>")
    }

    /// One set wakes every waiting process (threading.Event: "all threads waiting for it to become true are
    /// awakened").
    func testSetWakesEveryWaitingProcess() throws {
        let event = try Multiprocessing.Event()
        let ready = try Multiprocessing.Semaphore(value: 0)
        let children = (0..<4).map { _ in
            forkChild {
                try ready.release()
                return event.wait(timeout: .seconds(10)) ? 0 : 1
            }
        }
        for _ in 0..<4 { XCTAssertTrue(ready.acquire(timeout: .seconds(10))) }
        event.set()
        for child in children { XCTAssertEqual(waitExitCode(child), 0) }
    }

    /// A child's clear is seen by the parent, and a wait after it times out on time.
    func testClearInChildIsSeenAndWaitTimesOutOnTime() throws {
        let event = try Multiprocessing.Event()
        event.set()
        let child = forkChild {
            event.clear()
            return 0
        }
        XCTAssertEqual(waitExitCode(child), 0)
        XCTAssertFalse(event.isSet)
        let (result, elapsed) = timed { event.wait(timeout: .milliseconds(150)) }
        XCTAssertFalse(result)
        assertOnTime(elapsed, 0.150)
    }

    /// Ping-pong between two processes through two events, 1,000 round trips: no wake-up is lost.
    func testPingPongLosesNoWakeUp() throws {
        let ping = try Multiprocessing.Event(), pong = try Multiprocessing.Event()
        let child = forkChild {
            for _ in 0..<1_000 {
                guard ping.wait(timeout: .seconds(10)) else { return 1 }
                ping.clear()
                pong.set()
            }
            return 0
        }
        for _ in 0..<1_000 {
            ping.set()
            XCTAssertTrue(pong.wait(timeout: .seconds(10)))
            pong.clear()
        }
        XCTAssertEqual(waitExitCode(child), 0)
    }
}

// MARK: - Under every start method

extension EventTests {
    /// set() in a child wakes wait() in the parent, and the other way round. (CPython: `_TestEvent.test_event`.)
    func testEventBothWaysUnderEveryStartMethod() {
        forEachStartMethod { method in
            let argument = EventWork(event: try Event(), seen: try Event())
            let process = try startChild(method, ChildFunctions.eventSetAndWait, argument)
            XCTAssertTrue(argument.event.wait(timeout: .seconds(60)), "under \(method)")
            argument.seen.set()
            XCTAssertTrue(try process.join(timeout: .seconds(60)))
            XCTAssertEqual(process.exitCode, 0, "under \(method): the child saw the parent's set()")
        }
    }
}
