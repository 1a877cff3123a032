import CShim

import Glibc

/// The environment variable that tells a spawned program it is a child: the descriptor of its request socket.
let spawnDescriptorVariable = "MULTIPROCESSING_SPAWN_FD"

/// Whether this process was started by the spawn method and has not yet taken its request (`bootstrap()` then
/// serves it): for a program that must prepare before it calls `bootstrap()` (a larger stack, for instance).
public var isSpawnedChild: Bool { getenv(spawnDescriptorVariable) != nil }

/// Serves a spawned child, or returns at once in any other process.
///
/// Call it at the top of `main`, after the `RemoteFunction` registrations that children may run and before
/// anything else (arguments parsing, output):
///
/// ```swift
/// let work = try RemoteFunction("work") { (job: Job) in ... }
/// Multiprocessing.bootstrap()
/// // ... the program
/// ```
///
/// In a process started by the `spawn` method it receives the request (the function's name, its argument and
/// the descriptors of the shared objects in it), runs the function as the new `Process`, and exits with its
/// exit code; it never returns there.
///
/// Mirrors CPython's `multiprocessing.spawn.spawn_main` (which the `-c 'from multiprocessing.spawn import
/// spawn_main; spawn_main(...)'` command line of a spawned interpreter runs).
public func bootstrap() {
    guard let value = getenv(spawnDescriptorVariable) else { return }
    let text = String(cString: value)
    unsetenv(spawnDescriptorVariable)  // the child's own children must not take themselves for spawned ones
    // an open descriptor, checked here: a stale variable in the environment is the caller's mistake, not a bug
    guard let socket = Int32(text), socket >= 0, fcntl(socket, F_GETFD) >= 0 else {
        writeStandardError("Multiprocessing.bootstrap: \(spawnDescriptorVariable)='\(text)' is not an open descriptor\n")
        _exit(1)
    }
    do { _ = try syscall("fcntl(\(spawnDescriptorVariable), FD_CLOEXEC)") { cshim_set_cloexec(socket) } } catch {
        writeStandardError("Multiprocessing.bootstrap: \(error)\n")
        _exit(1)
    }
    let received: (ChildRequest, [Int32])?
    do { received = try ChildChannel.receive(ChildRequest.self, on: socket) } catch {
        writeStandardError("Multiprocessing.bootstrap: no request from the parent: \(error)\n")
        _exit(1)
    }
    guard let (request, descriptors) = received else { _exit(1) }  // the parent gave up
    if let why = refusal(for: request) {
        try? ChildChannel.send(ChildReply.refused(why), on: socket)
        _exit(1)
    }
    do { try ChildChannel.send(ChildReply.started(pid: getpid()), on: socket) } catch { _exit(1) }
    // The socket stays open (close-on-exec) until this process ends: where the kernel has no pidfds, the parent's
    // end is this child's sentinel.
    runRequestedChild(request, descriptors: descriptors)
}

enum Spawner {
    /// Starts the program `setExecutable` names (this one by default) as a child that runs `request`.
    /// Returns its pid once it has accepted the request, and where the kernel has no pidfds its sentinel: this end
    /// of the socket, whose other end the child holds until it ends (else -1).
    static func startChild(_ request: ChildRequest,
                           descriptors: [Int32]) throws(ProcessError) -> (pid: pid_t, sentinel: Int32) {
        var fds: [Int32] = [0, 0]
        do throws(SystemError) {
            _ = try syscall("socketpair(spawn)") {
                socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
            }
        } catch {
            throw .system(error)
        }
        let (mine, theirs) = (fds[0], fds[1])
        var keepMine = false
        defer { if !keepMine { closeDescriptor(mine) } }
        let (path, arguments) = spawnExecutable
        var environment: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            let line = String(cString: pointer)
            if !line.hasPrefix(spawnDescriptorVariable + "=") { environment.append(line) }
            entry += 1
        }
        environment.append("\(spawnDescriptorVariable)=3")  // cshim_spawn_program puts the socket at 3
        var pid: pid_t = 0
        let rc = withCStrings([path] + arguments) { argv in
            withCStrings(environment) { envp in cshim_spawn_program(path, argv, envp, theirs, &pid) }
        }
        closeDescriptor(theirs)
        guard rc == 0 else {
            throw .startFailed(.spawn, SystemError(operation: "posix_spawn(\(path))", errno: rc,
                                                   hint: "the program to spawn is set by setExecutable").description)
        }
        let reply: ChildReply?
        do {
            try ChildChannel.send(request, descriptors: descriptors, on: mine)
            reply = try ChildChannel.receive(ChildReply.self, on: mine)?.0
        } catch {
            reply = nil
        }
        switch reply {
        case .started?:
            keepMine = cshim_pidfds_supported() == 0
            return (pid, keepMine ? mine : -1)
        case .refused(let why)?:
            reapFailed(pid)
            throw .startFailed(.spawn, "\(path): \(why)")
        case nil:
            reapFailed(pid)
            throw .startFailed(.spawn, "\(path) did not take the request: does its main call Multiprocessing.bootstrap() "
                               + "before anything else?")
        }
    }

    /// Collects a spawned child that refused its request (it exits by itself).
    private static func reapFailed(_ pid: pid_t) {
        var status: Int32 = 0
        _ = try? syscall("waitpid(spawned \(pid))") { waitpid(pid, &status, 0) }
    }
}

/// Calls `body` with a NULL-terminated array of C strings.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return body(pointers + [nil])
}
