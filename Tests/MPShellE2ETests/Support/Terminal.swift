// Driving the mpsh shell through a pseudo-terminal: the shell is a session leader whose controlling terminal is
// the pty, so Ctrl-C typed into it sends SIGINT as a real terminal does. No sleeps: every step reads until the
// text it expects, with a timeout.
import Foundation
import XCTest

// glibc declares these only under _XOPEN_SOURCE / _GNU_SOURCE, which the Glibc module is not built with
@_silgen_name("posix_openpt") private func posix_openpt(_ flags: Int32) -> Int32
@_silgen_name("grantpt") private func grantpt(_ fd: Int32) -> Int32
@_silgen_name("unlockpt") private func unlockpt(_ fd: Int32) -> Int32
@_silgen_name("ptsname") private func ptsname(_ fd: Int32) -> UnsafeMutablePointer<CChar>?
/// glibc's POSIX_SPAWN_SETSID (spawn.h, _GNU_SOURCE).
private let posixSpawnSetsid: Int32 = 0x80

final class TerminalSession {
    let master: Int32
    let pid: pid_t
    /// Everything the shell printed, escape sequences included.
    private(set) var transcript = ""
    /// Where the next `expect` starts looking in `transcript`.
    private var mark: String.Index
    private var exited = false

    /// Starts `mpsh ARGS` on a new pseudo-terminal, in its own session.
    init(_ args: [String] = [], environment: [String: String] = [:]) throws {
        let binary = try mpshBinary()
        master = posix_openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, grantpt(master) == 0, unlockpt(master) == 0, let name = ptsname(master) else {
            throw E2EError("cannot open a pseudo-terminal: errno \(errno)")
        }
        let slavePath = String(cString: name)
        var winsize = winsize(ws_row: 24, ws_col: 200, ws_xpixel: 0, ws_ypixel: 0)
        let slaveFD = open(slavePath, O_RDWR | O_NOCTTY)
        if slaveFD >= 0 { _ = ioctl(slaveFD, UInt(TIOCSWINSZ), &winsize); close(slaveFD) }

        var attrs = posix_spawnattr_t()
        posix_spawnattr_init(&attrs)
        defer { posix_spawnattr_destroy(&attrs) }
        // setsid happens before the file actions, so opening the pty makes it the controlling terminal
        posix_spawnattr_setflags(&attrs, Int16(posixSpawnSetsid))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, master)
        let argv = ([binary] + args).map { strdup($0) } + [nil]
        let envp = testEnvironment(["TERM": "xterm", "INPUTRC": "/dev/null"].merging(environment) { $1 })
            .map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, binary, &actions, &attrs, argv, envp)
        guard rc == 0 else { close(master); throw E2EError("posix_spawn: error \(rc)") }
        pid = child
        mark = transcript.startIndex
    }

    deinit {
        if !exited {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// Types `text` (a `\r` ends a line, as the Enter key does).
    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if n > 0 { off += n } else if errno != EINTR { break }
        }
    }

    /// Types a line and presses Enter.
    func type(_ line: String) { send(line + "\r") }

    /// Reads until `text` appears after the previous match; returns what came before it. Fails after `within` s.
    @discardableResult
    func expect(_ text: String, within: Double = 20, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let deadline = Date().addingTimeInterval(within)
        while true {
            if let r = transcript.range(of: text, range: mark..<transcript.endIndex) {
                let before = String(transcript[mark..<r.lowerBound])
                mark = r.upperBound
                return before
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else {
                let seen = String(transcript[mark...]).debugDescription
                XCTFail("expected \(text.debugDescription) within \(within) s; the shell printed \(seen)", file: file, line: line)
                throw E2EError("timed out waiting for \(text.debugDescription)")
            }
            var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            let n = poll(&pfd, 1, Int32(min(left, 1) * 1000) + 1)
            if n > 0 {
                var buf = [UInt8](repeating: 0, count: 4096)
                let got = read(master, &buf, buf.count)
                if got > 0 {
                    // the transcript keeps its place: append only
                    let offset = transcript.distance(from: transcript.startIndex, to: mark)
                    transcript += String(decoding: buf[..<got], as: UTF8.self)
                    mark = transcript.index(transcript.startIndex, offsetBy: offset)
                } else if got <= 0 && errno != EINTR && errno != EAGAIN {
                    let seen = String(transcript[mark...]).debugDescription
                    XCTFail("the shell closed the terminal before printing \(text.debugDescription); it printed \(seen)",
                            file: file, line: line)
                    throw E2EError("terminal closed")
                }
            }
        }
    }

    /// Waits for the primary prompt.
    @discardableResult
    func prompt(within: Double = 20, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try expect(">>> ", within: within, file: file, line: line)
    }

    /// Waits for the shell to exit (after Ctrl-D) and returns its status.
    func waitForExit(within: Double = 20) throws -> Int32 {
        // drain output so the shell never blocks on a full terminal while exiting
        let deadline = Date().addingTimeInterval(within)
        while Date() < deadline {
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                exited = true
                return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            }
            var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 50) > 0 {
                var buf = [UInt8](repeating: 0, count: 4096)
                let got = read(master, &buf, buf.count)
                if got > 0 { transcript += String(decoding: buf[..<got], as: UTF8.self) }
            }
        }
        throw E2EError("the shell did not exit within \(within) s")
    }
}
