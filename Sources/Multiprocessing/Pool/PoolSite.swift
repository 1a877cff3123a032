// A pool's zygote process and the shared memory it and its workers use: the task rings, the result ring, the
// progress table and the arena. All of it is made before the zygote is forked, since the workers, forked by the
// zygote, find it at the same addresses.
//
// Reuse. Starting a site costs a fork of this (large, multi-threaded) process and the zygote's first page faults;
// ending it, the zygote's exit. A pool that ends cleanly (close + join, every worker gone) therefore leaves its
// site idle, its zygote waiting for a `start` command, and the next pool of the same size takes it: a pool's start
// then costs only the workers' forks from the small, single-threaded zygote (CPython's forkserver start method,
// the default from 3.14, likewise keeps one server process for all the children it starts). One idle site is kept
// per process, with at most `idleArenaBytes` of warm arena pages, ended at exit, and only while it can serve
// exactly as a new one would:
// - no `RemoteFunction` was registered since its zygote was forked (a newer one would be unknown to its workers);
// - it was made without an initializer (a closure made later cannot reach a zygote forked earlier);
// - it belongs to this process (a forked child never uses its parent's site).
// The workers of a pool on a reused site see this process's memory as it was when the site's zygote was forked
// (an earlier pool's creation), as a forkserver's workers do; `Pool.releaseIdleZygote()` ends the idle site, so
// that the next pool forks a fresh zygote.

import CShim
import Synchronization

import Glibc

final class PoolSite: @unchecked Sendable {
    let size: Int
    /// `FunctionRegistry.generation` when the zygote was forked: the functions its workers know.
    let generation: Int
    let hasInitializer: Bool
    let creatorPID: pid_t
    let taskRings: [RingBuffer]
    let resultRing: RingBuffer
    let progressTable: SharedMemory
    let arena: PoolArena?
    let zygote: Process
    let zygoteSentinel: Int32
    /// The parent's end of the command socket (the zygote reads the other end).
    let requestFD: Int32

    /// Bytes between two workers' entries in the progress table (task seq and item index, 16 bytes used): each
    /// worker writes its entry before every item, so entries share no cache line (nor the adjacent line, which
    /// the CPU fetches in pairs); a shared line would move between the workers' CPUs at every item.
    static let progressStride = 128

    /// The warm arena pages an idle site keeps for the next pool's maps; the rest go back to the system.
    static let idleArenaBytes = 16 << 20

    /// The idle site kept for the next pool (see the top of this file).
    private static let idle = Mutex<(site: PoolSite?, everKept: Bool)>((nil, false))

    /// Makes the shared memory and forks the zygote, which starts `size` workers at once.
    init(size: Int, initializer: (() throws -> Void)?, maxTasksPerChild: Int?) throws(PoolError) {
        self.size = size
        hasInitializer = initializer != nil
        creatorPID = getpid()
        do {
            // Small rings: their pages are backed when they are made (about 2.5 µs a page here), and large
            // payloads travel through the arena or as fragments anyway.
            taskRings = try (0..<size).map { _ in try RingBuffer(capacity: 1 << 15, mode: .multiProducerMultiConsumer) }
            resultRing = try RingBuffer(capacity: 1 << 16, mode: .multiProducerMultiConsumer)
            progressTable = try SharedMemory(anonymousSize: size * PoolSite.progressStride, debugName: "mpsh-pool")
        } catch let error as SystemError {
            throw .system(error)
        } catch RingBuffer.Error.system(let error) {
            throw .system(error)
        } catch {
            preconditionFailure("a ring of a fixed, valid capacity failed otherwise than by the kernel: \(error)")
        }
        arena = PoolArena(size: 256 << 20)
        var fds: [Int32] = [-1, -1]
        // A socket pair rather than a pipe: writing to a dead zygote must be an error (MSG_NOSIGNAL), not SIGPIPE.
        do {
            _ = try syscall("socketpair(the pool's zygote)") {
                socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
            }
        } catch {
            throw .system(error)
        }
        generation = FunctionRegistry.generation
        let zygoteBody = PoolZygote(size: size, taskRings: taskRings, resultRing: resultRing,
                                    progress: progressTable, arena: arena, requestFD: fds[0], parentEndFD: fds[1],
                                    initializer: initializer, maxTasksPerChild: maxTasksPerChild, poolPID: getpid())
        _ = PoolZygote.warmedUp
        zygote = Process(name: "PoolZygote", daemon: true) { try zygoteBody.run() }
        do {
            try zygote.start()
            zygoteSentinel = try zygote.sentinel
        } catch {
            closeDescriptor(fds[0])
            closeDescriptor(fds[1])
            throw .zygoteNotStarted(error)
        }
        closeDescriptor(fds[0])
        requestFD = fds[1]
        // The zygote has the arena; the processes this one forks later (other pools, plain Processes) need not.
        if let arena { advise(arena.base, arena.size, MADV_DONTFORK) }
    }

    /// The idle site, if it can serve a pool of `size` workers with no initializer; it is then this pool's, and
    /// its zygote is starting the workers. An idle site that cannot serve any more (a newer function, a dead
    /// zygote) is ended here.
    static func reuse(size: Int, maxTasksPerChild: Int?) -> PoolSite? {
        guard let site = idle.withLock({ $0.site.take() }) else { return nil }
        guard site.creatorPID == getpid() else { return nil }  // a forked child's copy: the parent's to end
        guard site.size == size, site.generation == FunctionRegistry.generation, site.zygoteAlive else {
            site.end()
            return nil
        }
        // Nothing may be left from the last pool (the zygote said bye after its last worker was gone): a stale
        // message would be read as the new pool's.
        for ring in site.taskRings { while (try? ring.read(timeout: .zero)) != nil {} }
        while (try? site.resultRing.read(timeout: .zero)) != nil {}
        if let table = site.progressTable.buffer.baseAddress {
            table.initializeMemory(as: UInt8.self, repeating: 0, count: size * progressStride)
        }
        ProcessTable.shared.adopt(site.zygote, pid: site.zygote.pid ?? 0)
        guard site.tell(.start, UInt32(maxTasksPerChild ?? 0)) else {
            site.end()
            return nil
        }
        return site
    }

    /// Whether a pool that ended cleanly may leave this site for the next one (see the top of this file).
    var reusable: Bool {
        !hasInitializer && creatorPID == getpid() && generation == FunctionRegistry.generation
    }

    /// Keeps this site, whose zygote has said bye after its last worker, for the next pool; ends the site kept
    /// before, if any.
    func keepIdle() {
        guard zygoteAlive else { return end() }
        arena?.trim(keeping: PoolSite.idleArenaBytes)
        ProcessTable.shared.forget(pid: zygote.pid ?? 0)  // idle, it is no active child (CPython's forkserver is not)
        let (previous, first) = PoolSite.idle.withLock { idle -> (PoolSite?, Bool) in
            let before = (idle.site, !idle.everKept)
            idle = (self, true)
            return before
        }
        previous?.end()
        // At exit the idle zygote leaves with its process, rather than later by its death signal.
        if first { atexit { PoolSite.endIdle() } }
    }

    /// Ends the idle site, if any. Mirrors nothing in CPython (its fork pools keep no zygote).
    static func endIdle() {
        guard let site = idle.withLock({ $0.site.take() }), site.creatorPID == getpid() else { return }
        site.end()
    }

    /// Tells the zygote to leave once its workers are gone, and waits for it (only in the process that made it).
    func end() {
        guard creatorPID == getpid() else { return }
        tell(.quit)
        closeDescriptor(requestFD)
        _ = try? zygote.join()
        try? zygote.close()
    }

    /// Sends a command (and a number: the slot, or the maximum tasks per child) to the zygote; false if it is gone.
    @discardableResult
    func tell(_ command: ZygoteCommand, _ argument: UInt32 = 0) -> Bool {
        var message = WireWriter()
        message.u8(command.rawValue)
        message.u32(argument)
        let sent = message.bytes.withUnsafeBytes { bytes in
            try? syscall("send(the pool's zygote)") { Glibc.send(requestFD, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
        }
        return sent == 5
    }

    var zygoteAlive: Bool {
        var entry = pollfd(fd: zygoteSentinel, events: Int16(POLLIN), revents: 0)
        return (try? syscall("poll(the zygote's sentinel)") { Glibc.poll(&entry, 1, 0) }) == 0
    }
}
