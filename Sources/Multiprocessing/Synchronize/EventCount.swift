import CShim

/// A wake-up primitive in shared memory: processes sleep until signalled, and a signal costs a system call only
/// when someone is asleep (and only the first signal after they announced it). Waiters follow a three-step protocol so that no wake-up is ever lost:
///
///     let token = event.prepareWait()
///     if conditionHolds() { event.cancelWait(); return }
///     event.wait(token, timeout: .seconds(1))   // then re-check the condition
///
/// and a signaller makes the condition true, then calls `signal()`.
///
/// The corresponding C functions are `cshim_event_*` (a futex word and a sleeper count).
public final class EventCount: @unchecked Sendable {
    private let memory: SharedMemory
    private let event: OpaquePointer

    public static var size: Int { cshim_event_size() }
    public static var alignment: Int { cshim_event_align() }

    /// An event count in an anonymous shared page of its own, shared with children forked afterwards.
    public convenience init() throws(SystemError) {
        try self.init(placedIn: SharedMemory(anonymousSize: 4096, debugName: "mpsh-event"), offset: 0, initialize: true)
    }

    public init(placedIn memory: SharedMemory, offset: Int, initialize: Bool) {
        precondition(offset >= 0 && offset + EventCount.size <= memory.size && offset % EventCount.alignment == 0,
                     "EventCount outside its shared memory or misaligned")
        self.memory = memory
        let place = memory.buffer.baseAddress! + offset
        if initialize { cshim_event_init_at(place) }
        self.event = OpaquePointer(place)
    }

    /// Announces a sleeper; returns the token for `wait`.
    public func prepareWait() -> UInt32 { cshim_event_prepare(event) }
    /// Called instead of `wait` when the condition already holds.
    public func cancelWait() { cshim_event_cancel(event) }
    /// Sleeps until a signal after `token`, or the timeout. Returns false on timeout. Re-check the condition
    /// either way (wake-ups may be spurious), and call `prepareWait()` again before waiting again.
    @discardableResult
    public func wait(_ token: UInt32, timeout: Duration? = nil) -> Bool {
        let deadline = timeout.map { cshim_deadline_after($0.cshimNanoseconds) } ?? -1
        return cshim_event_wait(event, token, deadline) == 0
    }
    /// Wakes every sleeper. Returns how many were woken.
    @discardableResult
    public func signal() -> Int { Int(cshim_event_signal(event)) }
}

extension EventCount: Codable {
    /// Encodes the event count for a child's argument (only valid there; see Reduction.swift).
    public func encode(to encoder: Encoder) throws {
        try PlacedHandle(memory: memory, offset: memory.offset(of: UnsafeRawPointer(event))).encode(to: encoder)
    }

    /// The same event count, in the child that received it.
    public convenience init(from decoder: Decoder) throws {
        let handle = try PlacedHandle(from: decoder)
        self.init(placedIn: handle.memory, offset: handle.offset, initialize: false)
    }
}
