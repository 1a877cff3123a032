// The Codable forms of the shared objects: what a child started by forkserver or spawn receives in its
// argument (see Reduction.swift). Each is the object's shared memory, the offset of its structure in it, and
// the settings that live outside shared memory. `Connection`, `RingBuffer` and `SharedMemory` encode in their
// own files.

/// A structure placed at `offset` in `memory`.
struct PlacedHandle: Codable {
    let memory: SharedMemory
    let offset: Int
}

extension Lock: Codable {
    /// Encodes the lock for a child's argument (only valid there). Mirrors CPython's `SemLock.__getstate__`.
    public func encode(to encoder: Encoder) throws {
        try PlacedHandle(memory: word.memory, offset: word.memory.offset(of: UnsafeRawPointer(word.pointer)))
            .encode(to: encoder)
    }

    /// The same lock, in the child that received it.
    public convenience init(from decoder: Decoder) throws {
        let handle = try PlacedHandle(from: decoder)
        try self.init(placedIn: handle.memory, offset: handle.offset, initialize: false)
    }
}

extension RLock: Codable {
    /// Encodes the lock for a child's argument (only valid there). Mirrors CPython's `SemLock.__getstate__`.
    public func encode(to encoder: Encoder) throws {
        try PlacedHandle(memory: word.memory, offset: word.memory.offset(of: UnsafeRawPointer(word.pointer)))
            .encode(to: encoder)
    }

    /// The same lock, in the child that received it.
    public convenience init(from decoder: Decoder) throws {
        let handle = try PlacedHandle(from: decoder)
        try self.init(placedIn: handle.memory, offset: handle.offset, initialize: false)
    }
}

/// A semaphore's parts; `bound` is set for a `BoundedSemaphore`.
struct SemaphoreHandle: Codable {
    let memory: SharedMemory
    let offset: Int
    let bound: Int?
}

extension Semaphore: Codable {
    /// Encodes the semaphore for a child's argument (only valid there).
    public func encode(to encoder: Encoder) throws {
        try SemaphoreHandle(memory: memory, offset: memory.offset(of: UnsafeRawPointer(semaphore)),
                            bound: (self as? BoundedSemaphore)?.bound).encode(to: encoder)
    }
}

extension Event: Codable {
    /// Encodes the event for a child's argument (only valid there).
    public func encode(to encoder: Encoder) throws {
        try PlacedHandle(memory: memory, offset: memory.offset(of: UnsafeRawPointer(flag))).encode(to: encoder)
    }

    /// The same event, in the child that received it.
    public convenience init(from decoder: Decoder) throws {
        let handle = try PlacedHandle(from: decoder)
        self.init(placedIn: handle.memory, offset: handle.offset, initialize: false)
    }
}

/// A condition's parts: its wait queue and its lock (one of the two).
struct ConditionHandle: Codable {
    let memory: SharedMemory
    let offset: Int
    let lock: Lock?
    let rlock: RLock?
}

extension Condition: Codable {
    /// Encodes the condition and its lock for a child's argument (only valid there).
    public func encode(to encoder: Encoder) throws {
        let offset = memory.offset(of: UnsafeRawPointer(condition))
        switch guardLock {
        case .lock(let lock): try ConditionHandle(memory: memory, offset: offset, lock: lock, rlock: nil).encode(to: encoder)
        case .rlock(let lock): try ConditionHandle(memory: memory, offset: offset, lock: nil, rlock: lock).encode(to: encoder)
        }
    }

    /// The same condition (and lock), in the child that received it.
    public convenience init(from decoder: Decoder) throws {
        let handle = try ConditionHandle(from: decoder)
        let kind: Guard
        if let lock = handle.lock { kind = .lock(lock) } else if let lock = handle.rlock { kind = .rlock(lock) } else {
            throw ShareError.badHandle("a Condition arrived without its lock")
        }
        self.init(lockKind: kind, placedIn: handle.memory, offset: handle.offset, initialize: false)
    }
}

/// A barrier's parts. The action closure cannot travel.
struct BarrierHandle: Codable {
    let memory: SharedMemory
    let parties: Int
    let timeout: Duration?
}

extension Barrier: Codable {
    /// Encodes the barrier for a child's argument (only valid there). A barrier with an action cannot be sent
    /// (a closure cannot travel): create it with the action in a forked child's creator, or without one.
    public func encode(to encoder: Encoder) throws {
        let parts = sharedParts
        if parts.hasAction {
            throw ShareError.notShareable("a Barrier with an action cannot be sent to a child started by forkserver " +
                                          "or spawn (a closure cannot travel); use fork, or a Barrier without action")
        }
        try BarrierHandle(memory: parts.memory, parties: parties, timeout: parts.timeout).encode(to: encoder)
    }

    /// The same barrier, in the child that received it (without an action).
    public convenience init(from decoder: Decoder) throws {
        let handle = try BarrierHandle(from: decoder)
        try self.init(sharing: handle.memory, parties: handle.parties, timeout: handle.timeout)
    }
}

/// A queue's parts: its ring and its counters.
struct QueueHandle: Codable {
    let ring: RingBuffer
    let state: SharedMemory
}

extension Queue: Codable {
    /// Encodes the queue for a child's argument (only valid there). Mirrors CPython's `Queue.__getstate__`.
    public func encode(to encoder: Encoder) throws { try sharedParts.encode(to: encoder) }
}

extension SimpleQueue: Codable {
    /// Encodes the queue for a child's argument (only valid there).
    public func encode(to encoder: Encoder) throws { try sharedQueue.sharedParts.encode(to: encoder) }

    /// The same queue, in the child that received it.
    public convenience init(from decoder: Decoder) throws { self.init(sharing: try Queue<Element>(from: decoder)) }
}

/// A shared value's or array's parts.
struct SharedValueHandle: Codable {
    let memory: SharedMemory
    let count: Int
}

extension SharedValue: Codable {
    /// Encodes the value (and its lock) for a child's argument (only valid there).
    public func encode(to encoder: Encoder) throws { try SharedValueHandle(memory: sharedMemory, count: 1).encode(to: encoder) }

    /// The same value, in the child that received it.
    public convenience init(from decoder: Decoder) throws {
        try self.init(sharing: try SharedValueHandle(from: decoder).memory)
    }
}

extension SharedArray: Codable {
    /// Encodes the array (and its lock) for a child's argument (only valid there).
    public func encode(to encoder: Encoder) throws {
        try SharedValueHandle(memory: sharedMemory, count: count).encode(to: encoder)
    }

    /// The same array, in the child that received it.
    public convenience init(from decoder: Decoder) throws {
        let handle = try SharedValueHandle(from: decoder)
        try self.init(sharing: handle.memory, count: handle.count)
    }
}

/// Only the bound of a `SemaphoreHandle` (decoding the whole handle twice would adopt its memory twice).
struct SemaphoreBound: Decodable {
    let bound: Int?
}
