import CShim

/// A flag shared between processes: `wait` blocks until another process calls `set`.
///
/// An atomic flag and a futex in shared memory: `set` costs a system call only when someone sleeps.
///
/// Mirrors `multiprocessing.Event`.
public final class Event: @unchecked Sendable {
    let memory: SharedMemory
    let flag: OpaquePointer

    public static var size: Int { cshim_flag_size() }
    public static var alignment: Int { cshim_flag_align() }

    /// A cleared event in an anonymous shared page of its own, shared with children forked afterwards.
    public convenience init() throws(SystemError) {
        self.init(placedIn: try SharedMemory(anonymousSize: 4096, debugName: "mpsh-event"), offset: 0, initialize: true)
    }

    /// An event at `offset` in `memory`; `initialize: true` formats it (cleared), once.
    public init(placedIn memory: SharedMemory, offset: Int, initialize: Bool) {
        let pointer = place(in: memory, offset: offset, size: Event.size, alignment: Event.alignment, "Event")
        if initialize { cshim_flag_init_at(pointer) }
        self.memory = memory
        self.flag = OpaquePointer(pointer)
    }

    /// Whether the flag is set. Mirrors `Event.is_set()`.
    public var isSet: Bool { cshim_flag_is_set(flag) != 0 }

    /// Sets the flag and wakes every waiter. Mirrors `Event.set()`.
    public func set() { cshim_flag_set(flag) }

    /// Clears the flag. Mirrors `Event.clear()`.
    public func clear() { cshim_flag_clear(flag) }

    /// Waits until the flag is set, at most `timeout` (`nil`: for ever). Returns the flag: false only on a
    /// timeout. Mirrors `Event.wait(timeout=None)`.
    @discardableResult
    public func wait(timeout: Duration? = nil) -> Bool { cshim_flag_wait(flag, cshimTimeout(timeout)) != 0 }
}

extension Event: CustomStringConvertible {
    /// Like CPython's `<Event at 0x... set>` / `unset`.
    public var description: String { isSet ? "<Event set>" : "<Event unset>" }
}
