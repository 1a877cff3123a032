import CShim
import Synchronization

import Glibc

/// A block of memory shared between processes: anonymous (inherited by children created with fork) or named
/// (any process may attach by name).
///
/// Ownership is explicit. The process that creates a named block owns its name: it unlinks the name when it
/// calls `unlink()`, or when the block is deinitialised in the creating process. Attaching never unlinks, and
/// a forked child that inherits the creator's object never unlinks either — so there is no spurious
/// "leaked shared_memory" warning, and no leaked `/dev/shm` entry when the owner forgets.
///
/// Mirrors `multiprocessing.shared_memory.SharedMemory`. Where CPython lets any process `unlink()` and warns
/// about leaks from a resource tracker, this type enforces one owner.
public final class SharedMemory: @unchecked Sendable {
    /// The name without the leading `/` (as CPython shows it), or nil for an anonymous block.
    public let name: String?
    /// Usable size in bytes.
    public let size: Int
    /// The mapped bytes. Valid until `close()`.
    public let buffer: UnsafeMutableRawBufferPointer
    /// Whether this object created the name (and so may unlink it).
    public let isOwner: Bool

    private let creatorPID: pid_t
    private var mapped = true
    private var linked: Bool
    /// An anonymous block's memfd, kept open (close-on-exec) so that the block can be sent to a child started
    /// by the fork server or by spawn (see Reduction.swift); -1 for a named block, or once closed.
    private var descriptor: Int32 = -1
    /// Whether this object was rebuilt from a block sent by another process (see `deinit`).
    var received = false

    /// Creates an anonymous block (memfd): shared with the children this process forks afterwards, and
    /// sendable to other children as (part of) their argument. The kernel frees it when the last mapping and
    /// descriptor go.
    public init(anonymousSize size: Int, debugName: String = "mpsh") throws(SystemError) {
        precondition(size > 0, "SharedMemory needs a positive size")
        let fd = try syscall("memfd_create(\(debugName), \(size) bytes)") { cshim_shm_anon_create(debugName, size) }
        let base: UnsafeMutableRawPointer
        do { base = try syscall("mmap(\(size) bytes)") { cshim_shm_map(fd, size) } } catch {
            closeDescriptor(fd)
            throw error
        }
        self.descriptor = fd
        self.name = nil
        self.size = size
        self.buffer = UnsafeMutableRawBufferPointer(start: base, count: size)
        self.isOwner = true
        self.creatorPID = getpid()
        self.linked = false
    }

    /// Creates a named block exclusively (mode 0600), or attaches to an existing one.
    ///
    /// - Parameters:
    ///   - name: the block's name, without `/`. With `create: true` and no name, a fresh random name is chosen.
    ///   - create: create the block (failing if the name exists) rather than attach to it.
    ///   - size: bytes to create; ignored when attaching (the block's own size is used).
    ///
    /// Mirrors `SharedMemory(name=None, create=False, size=0)`.
    public init(name: String? = nil, create: Bool = false, size: Int = 0) throws(SystemError) {
        if create {
            guard size > 0 else {
                throw SystemError(operation: "SharedMemory(create: true, size: \(size))", errno: EINVAL,
                                  hint: "a new shared memory block needs a positive size")
            }
            let (chosen, base) = try SharedMemory.createNamed(name, size: size)
            self.name = chosen
            self.size = size
            self.buffer = UnsafeMutableRawBufferPointer(start: base, count: size)
            self.isOwner = true
            self.linked = true
            SharedMemoryTracker.register(chosen)
            // a block made in a child of a tracked program belongs to the program: it outlives this process
            if !SharedMemoryTracker.blocksOutliveThisProcess { LinkedNames.add(chosen) }
        } else {
            guard let name else {
                throw SystemError(operation: "SharedMemory(create: false)", errno: EINVAL,
                                  hint: "attaching needs the name of an existing block")
            }
            let path = "/" + name
            var actual = 0
            let fd = try syscall("shm_open(\(path))", hint: { code in
                code == ENOENT ? "no shared memory block has that name (was it unlinked by its owner?)" : nil
            }) { cshim_shm_named_open(path, &actual) }
            defer { closeDescriptor(fd) }
            guard actual > 0 else {
                throw SystemError(operation: "SharedMemory(name: \(name))", errno: EINVAL, hint: "the block is empty")
            }
            let base = try syscall("mmap(\(path), \(actual) bytes)") { cshim_shm_map(fd, actual) }
            self.name = name
            self.size = actual
            self.buffer = UnsafeMutableRawBufferPointer(start: base, count: actual)
            self.isOwner = false
            self.linked = true
        }
        self.creatorPID = getpid()
    }

    /// Maps an anonymous block received from another process (its memfd, `size` bytes), owning `fd`.
    init(adoptingDescriptor fd: Int32, size: Int) throws(SystemError) {
        let base: UnsafeMutableRawPointer
        do { base = try syscall("mmap(received block, \(size) bytes)") { cshim_shm_map(fd, size) } } catch {
            closeDescriptor(fd)
            throw error
        }
        self.name = nil
        self.size = size
        self.buffer = UnsafeMutableRawBufferPointer(start: base, count: size)
        self.isOwner = false
        self.creatorPID = getpid()
        self.linked = false
        self.descriptor = fd
        self.received = true
    }

    /// Whether this object has not unlinked the block's name (false for an anonymous block). Only the owner
    /// unlinks, so an attached block keeps answering true after its owner unlinked the name.
    public var isLinked: Bool { linked }

    /// The memfd behind an anonymous block that is still mapped.
    var shareableDescriptor: Int32? { mapped && descriptor >= 0 ? descriptor : nil }

    /// Unmaps the block from this process. `buffer` must not be used afterwards. Idempotent.
    /// Mirrors `SharedMemory.close()`.
    public func close() {
        if descriptor >= 0 { closeDescriptor(descriptor) }
        descriptor = -1
        guard mapped else { return }
        mapped = false
        _ = cshim_shm_unmap(buffer.baseAddress!, size)
    }

    /// Removes the name, so no new process can attach; existing mappings stay valid. Only the owner may do it.
    /// Mirrors `SharedMemory.unlink()`.
    ///
    /// With the tracker running (`SharedMemoryTracker`), blocks belong to the program, as in CPython: any process
    /// may unlink one (a parent unlinks the block a finished child made for it). Without it, only the creating
    /// process may.
    public func unlink() throws(SystemError) {
        guard let name, linked else { return }
        let tracked = SharedMemoryTracker.isRunning
        guard tracked || (isOwner && getpid() == creatorPID) else {
            throw SystemError(operation: "SharedMemory.unlink(\(name))", errno: EPERM,
                              hint: "only the process that created a shared memory block unlinks it")
        }
        linked = false
        LinkedNames.remove(name)
        SharedMemoryTracker.unregister(name)
        _ = try syscall("shm_unlink(/\(name))") { cshim_shm_named_unlink("/" + name) }
    }

    deinit {
        // The creating process owns the name; a forked child holding a copy of this object never unlinks it.
        // A block created in a child of a tracked program is the program's: the tracker removes it at the end if
        // nobody unlinks it first.
        if let name, linked, isOwner, getpid() == creatorPID, !SharedMemoryTracker.blocksOutliveThisProcess {
            LinkedNames.remove(name)
            SharedMemoryTracker.unregister(name)
            _ = cshim_shm_named_unlink("/" + name)
        }
        if received {
            // A block received by a forkserver or spawn child stays mapped until the process exits, as an
            // inherited one does: a robust lock in it that the child still holds must be there for the kernel
            // to mark it owner-dead when the child dies.
            if descriptor >= 0 { closeDescriptor(descriptor) }
            return
        }
        close()
    }

    /// Creates and maps a named block; with no name, draws random ones until one is free.
    private static func createNamed(_ name: String?, size: Int) throws(SystemError) -> (String, UnsafeMutableRawPointer) {
        var attempt = 0
        while true {
            let chosen = name ?? randomName()
            let path = "/" + chosen
            let fd: Int32
            do {
                fd = try syscall("shm_open(\(path), O_CREAT|O_EXCL)", hint: { code in
                    code == EEXIST ? "the name is taken: attach with create: false, or pick another name" : nil
                }) { cshim_shm_named_create(path, size) }
            } catch where error.errno == EEXIST && name == nil && attempt < 16 {
                attempt += 1  // a random name collided: draw again
                continue
            }
            defer { closeDescriptor(fd) }
            do {
                return (chosen, try syscall("mmap(\(path), \(size) bytes)") { cshim_shm_map(fd, size) })
            } catch {
                _ = cshim_shm_named_unlink(path)  // never leave a name behind a failed create
                throw error
            }
        }
    }

    private static func randomName() -> String {
        var generator = SystemRandomNumberGenerator()
        let suffix = String(generator.next() & 0xffff_ffff_ffff, radix: 16)
        return "psm_\(suffix)"  // CPython's prefix, so tools that know it recognise ours
    }
}

/// The names of the blocks this process created and has not unlinked, unlinked when it exits: an owner that is
/// never deinitialised (a global of a program that ends, an `exit()` with blocks still referenced) leaves no
/// `/dev/shm` entry either. CPython's resource tracker unlinks such blocks at shutdown, from another process and
/// with a "leaked shared_memory" warning. A process forked from the creator owns none of them, and ends by `_exit`
/// in any case; a process killed by a signal runs no exit handler, and its blocks stay.
enum LinkedNames {
    private static let state = Mutex<(names: Set<String>, creator: pid_t, hookInstalled: Bool)>(([], 0, false))

    static func add(_ name: String) {
        let install = state.withLock { state -> Bool in
            if state.creator != getpid() { state = ([], getpid(), state.hookInstalled) }
            state.names.insert(name)
            defer { state.hookInstalled = true }
            return !state.hookInstalled
        }
        if install { atexit { LinkedNames.unlinkAll() } }
    }

    static func remove(_ name: String) {
        state.withLock { state in
            if state.creator == getpid() { state.names.remove(name) }
        }
    }

    static func unlinkAll() {
        let names = state.withLock { state -> Set<String> in
            guard state.creator == getpid() else { return [] }
            defer { state.names = [] }
            return state.names
        }
        for name in names {
            SharedMemoryTracker.unregister(name)
            _ = cshim_shm_named_unlink("/" + name)
        }
    }
}

extension SharedMemory: CustomStringConvertible {
    /// Mirrors CPython's `SharedMemory('psm_1a2b', size=4096)`.
    public var description: String {
        "SharedMemory(\(name.map { "'\($0)'" } ?? "anonymous"), size=\(size))"
    }
}
