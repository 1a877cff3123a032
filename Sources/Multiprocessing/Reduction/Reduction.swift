// Sending shared objects to a child started by forkserver or spawn.
//
// A forked child inherits everything: the mappings behind a Queue or a Lock are simply there. A child started
// by the fork server or by spawn shares no memory with its creator, so the objects in its argument travel as
// descriptions plus descriptors: each shared-memory object is `Codable`, and encodes the memfd behind its
// memory (passed by SCM_RIGHTS beside the encoded argument), the offset of its structure in it and its settings.
// On the other side the same type is rebuilt over a new mapping of the same memory: the two objects are one
// queue, one lock, one barrier.
//
// This only works while a child's argument is being encoded or decoded (inside `Process.start()` and in the
// new child). Encoding a shared object anywhere else, for instance putting a Lock on a Queue, is an error that
// says so, as CPython's "Lock objects should only be shared between processes through inheritance".
//
// Mirrors `multiprocessing.reduction` (`DupFd`, `sendfds`/`recvfds`) and CPython's `_rebuild_*` functions.

import CShim

import Glibc

/// The descriptors that travel with one child's argument.
final class DescriptorTransfer: @unchecked Sendable {  // used by one thread, inside one withValue scope
    /// Sending: the descriptors to attach (not owned: the objects that encoded them keep them open).
    /// Receiving: the descriptors that arrived (owned until adopted).
    private(set) var descriptors: [Int32]
    private var adopted: [Bool]

    init(received: [Int32] = []) {
        descriptors = received
        adopted = Array(repeating: false, count: received.count)
    }

    /// The transfer in progress on this thread, if any.
    @TaskLocal static var current: DescriptorTransfer?

    /// Adds `fd` to a message being encoded and returns its index.
    func attach(_ fd: Int32) -> Int {
        descriptors.append(fd)
        adopted.append(true)
        return descriptors.count - 1
    }

    /// Takes ownership of received descriptor `index` (once).
    func adopt(_ index: Int, for what: String) throws -> Int32 {
        guard descriptors.indices.contains(index), !adopted[index] else {
            throw ShareError.badHandle("\(what): descriptor \(index) is not among the \(descriptors.count) received")
        }
        adopted[index] = true
        return descriptors[index]
    }

    /// Closes received descriptors that no object adopted.
    func closeUnadopted() {
        for (index, fd) in descriptors.enumerated() where !adopted[index] { closeDescriptor(fd) }
        adopted = Array(repeating: true, count: descriptors.count)
    }

    /// Encodes `body` with this transfer collecting descriptors.
    static func sending<R>(_ body: () throws -> R) throws -> (R, [Int32]) {
        let transfer = DescriptorTransfer()
        let result = try DescriptorTransfer.$current.withValue(transfer) { try body() }
        guard transfer.descriptors.count <= Int(CSHIM_MAX_PASSED_FDS) else {
            throw ShareError.tooManyDescriptors(transfer.descriptors.count)
        }
        return (result, transfer.descriptors)
    }

    /// Decodes with `received` descriptors available; the ones not adopted are closed afterwards.
    static func receiving<R>(_ received: [Int32], _ body: () throws -> R) throws -> R {
        let transfer = DescriptorTransfer(received: received)
        defer { transfer.closeUnadopted() }
        return try DescriptorTransfer.$current.withValue(transfer) { try body() }
    }

    static func required(for what: String) throws -> DescriptorTransfer {
        guard let current else { throw ShareError.notInTransfer(what) }
        return current
    }
}

/// Why a shared object could not be sent to, or rebuilt in, another process.
public enum ShareError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The object was encoded outside a child's argument (for instance put on a Queue).
    case notInTransfer(String)
    /// The object cannot be shared this way (for instance a Barrier with an action closure).
    case notShareable(String)
    /// A received description did not match the descriptors that came with it.
    case badHandle(String)
    /// More descriptors than one message can carry.
    case tooManyDescriptors(Int)

    public var description: String {
        switch self {
        case .notInTransfer(let what):
            return "\(what) can only be shared with a child process through its argument " +
                "(Process(function:argument:)) or by inheritance (fork); it cannot be sent as a message"
        case .notShareable(let why): return why
        case .badHandle(let why): return "a shared object could not be rebuilt: \(why)"
        case .tooManyDescriptors(let count):
            return "the argument holds \(count) shared objects' descriptors; at most 253 can be sent to a child"
        }
    }
}

// MARK: - SharedMemory: the memory behind every shared object

extension SharedMemory: Codable {
    private enum CodingKeys: String, CodingKey { case name, size, descriptor }

    /// Encodes an anonymous block as its memfd (attached to the transfer) and a named one as its name.
    /// Only valid inside a child's argument (see `DescriptorTransfer`).
    public func encode(to encoder: Encoder) throws {
        let transfer = try DescriptorTransfer.required(for: "SharedMemory")
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(size, forKey: .size)
        if let name {
            try container.encode(name, forKey: .name)
        } else {
            guard let fd = shareableDescriptor else {
                throw ShareError.notShareable("this SharedMemory was closed; it cannot be shared")
            }
            try container.encode(transfer.attach(fd), forKey: .descriptor)
        }
    }

    /// Rebuilds a block in the receiving process: a new mapping of the same memory. A named block is attached
    /// (never owned: the sender's owner unlinks it).
    public convenience init(from decoder: Decoder) throws {
        let transfer = try DescriptorTransfer.required(for: "SharedMemory")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let size = try container.decode(Int.self, forKey: .size)
        if let name = try container.decodeIfPresent(String.self, forKey: .name) {
            try self.init(name: name)
            received = true
        } else {
            let fd = try transfer.adopt(try container.decode(Int.self, forKey: .descriptor), for: "SharedMemory")
            try self.init(adoptingDescriptor: fd, size: size)
        }
    }

    /// The offset of `pointer` inside this block (for the objects placed in it).
    func offset(of pointer: UnsafeRawPointer) -> Int {
        let offset = pointer - UnsafeRawPointer(buffer.baseAddress!)
        precondition(offset >= 0 && offset < size, "a shared object outside its memory")
        return offset
    }
}
