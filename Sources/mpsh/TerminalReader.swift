// The terminal line reader: GNU readline through its callback interface, so that a Ctrl-C at the prompt (the
// SIGINT handler only sets `mpshInterruptPending`) ends the wait in select() and gives a fresh prompt.
// History persists in ~/.mpsh_history (or $MPSH_HISTORY), one line appended as soon as it is entered.
@preconcurrency import CReadline
import Foundation
import PyLang

/// The line readline handed back (set by the C callback, read by `readLine`).
nonisolated(unsafe) private var completedLine: String?
nonisolated(unsafe) private var lineDone = false
/// The shell that completes names; candidates of the current completion, handed out by `generateCompletion`.
nonisolated(unsafe) private var completingShell: Shell?
nonisolated(unsafe) private var candidates: [String] = []
nonisolated(unsafe) private var candidateIndex = 0

private let lineHandler: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { text in
    if let text {
        completedLine = String(cString: text)
        free(text)
    } else {
        completedLine = nil
    }
    lineDone = true
    // stop readline from printing the next prompt before the shell has run this line
    rl_callback_handler_remove()
}

private let generateCompletion: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, state in
    if state == 0 { candidateIndex = 0 }
    guard candidateIndex < candidates.count else { return nil }
    defer { candidateIndex += 1 }
    return strdup(candidates[candidateIndex])
}

private let attemptCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, start, _ in
    rl_attempted_completion_over = 1  // never fall back to file names
    guard let text, let shell = completingShell else { return nil }
    let word = String(cString: text)
    let line = rl_line_buffer.map { String(cString: $0) } ?? ""
    let before = String(line.utf8.prefix(Int(start))) ?? ""
    candidates = shell.completions(of: word, before: before)
    // a single attribute or name: no space after it (the user may go on with '.' or '(')
    rl_completion_append_character = 0
    return rl_completion_matches(text, generateCompletion)
}

/// A key readline is handed when a Ctrl-C lands while it waits inside a key sequence; bound to nothing, so the
/// reader's loop sees the interrupt flag as soon as readline returns.
private let interruptKey: Int32 = 0x1e
private let ignoreKey: @convention(c) (Int32, Int32) -> Int32 = { _, _ in 0 }

/// readline's getc: waits on stdin and on the SIGINT self-pipe, so an interrupt never leaves readline blocked
/// (its own getc retries after EINTR, and a Ctrl-C flushes the terminal's input under it).
private let readKey: @convention(c) (UnsafeMutablePointer<FILE>?) -> Int32 = { _ in
    while true {
        if mpshInterruptPending != 0 { return interruptKey }
        switch waitForInput() {
        case .interrupt, .timedOut: continue
        case .input:
            // a Ctrl-C flushes the terminal's input: what select saw may be gone, and a read would block
            var available: Int32 = 0
            if ioctl(0, UInt(FIONREAD), &available) == 0 && available == 0 && isatty(0) != 0 {
                var pfd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
                if poll(&pfd, 1, 0) > 0 && pfd.revents & Int16(POLLHUP | POLLERR) != 0 { return EOF }  // hung up
                continue
            }
            var c: UInt8 = 0
            let n = read(0, &c, 1)
            if n == 1 { return Int32(c) }
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            return EOF
        case .failed: return EOF
        }
    }
}

private enum Wake { case input, interrupt, timedOut, failed }

/// Waits until stdin is readable or a SIGINT arrives (its handler writes to the self-pipe).
private func waitForInput(timeout: Double? = nil) -> Wake {
    var fds = fd_set()
    fdZero(&fds)
    fdSet(0, &fds)
    if interruptPipe.read >= 0 { fdSet(interruptPipe.read, &fds) }
    var tv = timeval(tv_sec: Int(timeout ?? 0), tv_usec: Int(((timeout ?? 0) - Double(Int(timeout ?? 0))) * 1e6))
    let n = timeout == nil ? select(max(0, interruptPipe.read) + 1, &fds, nil, nil, nil)
        : select(max(0, interruptPipe.read) + 1, &fds, nil, nil, &tv)
    if n < 0 { return errno == EINTR ? .interrupt : .failed }
    if n == 0 { return .timedOut }
    if interruptPipe.read >= 0 && fdIsSet(interruptPipe.read, &fds) {
        drainInterruptPipe()
        return .interrupt
    }
    return .input
}

final class TerminalReader: LineReader {
    let historyPath: String
    let shell: Shell

    init(shell: Shell) {
        self.shell = shell
        let env = ProcessInfo.processInfo.environment
        historyPath = env["MPSH_HISTORY"] ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.mpsh_history")
        completingShell = shell
        rl_readline_name = UnsafePointer(strdup("mpsh")!)
        rl_catch_signals = 0  // the shell's SIGINT handler only sets a flag; readline must not install its own
        rl_attempted_completion_function = attemptCompletion
        rl_getc_function = readKey
        rl_bind_key(interruptKey, ignoreKey)
        // '.' is not a word break, so `multiprocessing.Po` completes as one word
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n\"'`@$><=;|&{([,+-*/%")!)
        using_history()
        stifle_history(10_000)
        if access(historyPath, R_OK) == 0 { read_history(historyPath) }
    }

    func readLine(prompt: String) -> LineInput {
        lineDone = false
        completedLine = nil
        rl_callback_handler_install(prompt, lineHandler)
        var children = shell.runningChildren()
        while !lineDone {
            if mpshInterruptPending != 0 {
                mpshInterruptPending = 0
                // drop what was typed, as Python does, and prompt again on a fresh line
                rl_free_line_state()
                rl_callback_sigcleanup()
                rl_callback_handler_remove()
                writeOut("\nKeyboardInterrupt\n")
                return .interrupted
            }
            // while children run, look every 0.1 s whether one ended: its last words may have landed on the
            // prompt line, so the prompt and what was typed are drawn again below them
            let wake = waitForInput(timeout: children > 0 ? 0.1 : nil)
            if wake == .failed { break }
            if wake == .input { rl_callback_read_char() }
            if children > 0 {
                let now = shell.runningChildren()
                if now < children { rl_forced_update_display() }
                children = now
            }
        }
        if !lineDone { rl_callback_handler_remove() }
        guard let line = completedLine else {
            writeOut("\n")
            return .endOfInput
        }
        return .line(line)
    }

    func remember(_ line: String) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        add_history(line)
        // append at once, so a crash or a kill loses nothing the user typed
        if access(historyPath, F_OK) != 0 {
            let fd = open(historyPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            if fd >= 0 { close(fd) }
        }
        append_history(1, historyPath)
        history_truncate_file(historyPath, 10_000)
    }
}

private func fdZero(_ set: inout fd_set) {
    withUnsafeMutableBytes(of: &set) { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) }
}

private func fdIsSet(_ fd: Int32, _ set: inout fd_set) -> Bool {
    withUnsafeMutableBytes(of: &set) { raw in
        raw.bindMemory(to: Int.self)[Int(fd) / Int.bitWidth] & (1 << (Int(fd) % Int.bitWidth)) != 0
    }
}

private func fdSet(_ fd: Int32, _ set: inout fd_set) {
    withUnsafeMutableBytes(of: &set) { raw in
        let words = raw.bindMemory(to: Int.self)
        words[Int(fd) / Int.bitWidth] |= 1 << (Int(fd) % Int.bitWidth)
    }
}

private func writeOut(_ s: String) {
    let bytes = Array(s.utf8)
    var off = 0
    while off < bytes.count {
        let n = bytes[off...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
        if n > 0 { off += n } else if n < 0 && errno == EINTR { continue } else { break }
    }
}
