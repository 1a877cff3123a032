// The pool's arena: one shared mapping, made before the zygote is forked (so every worker has it at the same
// address), where a chunk of plain numeric items travels without passing through a ring. The parent writes the
// chunk's arguments there, the worker reads them in place and writes each result straight into the chunk's result
// area, and the caller's `map` copies the results from there into the array it returns: one copy each way instead
// of five, and one small message each way instead of a stream of 64 KiB fragments (each a possible wake-up).
//
// The mapping is MAP_NORESERVE and not populated: only the pages used cost anything, and they stay mapped for the
// pool's life, so a second map reuses them without page faults (allocation is first-fit from the start). The
// first use of a page is backed in one call per allocation (MADV_POPULATE_WRITE) rather than one fault per page
// (each a VM exit on virtual machines), and the zygote's idle-priority warmer backs the first pages before any
// map needs them (`PoolZygote.startWarmer`). Results no larger than their arguments are written over them. An
// allocation that does not fit falls back to the rings.

import Synchronization

import Glibc

final class PoolArena: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let size: Int
    /// Allocated ranges (offset, length), sorted by offset, and how far the pages were backed in this process.
    private let ranges = Mutex<(list: [(offset: Int, length: Int)], populated: Int)>(([], 0))

    /// Maps `size` bytes shared with the processes forked afterwards; nil if the system refuses.
    init?(size: Int) {
        let address = try? syscall("mmap(the pool's arena, \(size) bytes)") { () -> UnsafeMutableRawPointer? in
            let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
            return address == MAP_FAILED ? nil : address
        }
        guard let address else { return nil }
        base = address
        self.size = size
    }

    deinit { _ = try? syscall("munmap(the pool's arena)") { munmap(base, size) } }

    /// A free range of at least `length` bytes (64-byte aligned), or nil when the arena is full. `populate`:
    /// back its fresh pages here, now (false when the workers touch them first, in parallel).
    func allocate(_ length: Int, populate: Bool = true) -> PoolLease? {
        let length = (Swift.max(length, 1) + 63) & ~63
        let offset = ranges.withLock { state -> Int? in
            var cursor = 0
            var index = 0
            while index < state.list.count {
                if state.list[index].offset - cursor >= length { break }
                cursor = state.list[index].offset + state.list[index].length
                index += 1
            }
            guard size - cursor >= length || index < state.list.count else { return nil }
            state.list.insert((cursor, length), at: index)
            let end = (cursor + length + 4095) & ~4095
            if populate && end > state.populated {
                advise(base + state.populated, end - state.populated, 23 /* MADV_POPULATE_WRITE */)
                state.populated = end
            }
            return cursor
        }
        return offset.map { PoolLease(arena: self, offset: $0, length: length) }
    }

    fileprivate func free(_ offset: Int) {
        ranges.withLock { state in
            if let index = state.list.firstIndex(where: { $0.offset == offset }) { state.list.remove(at: index) }
        }
    }

    /// Gives the pages past `keep` bytes (and past every range still allocated) back to the system, so that an
    /// idle pool site holds at most `keep` bytes of warm pages. MADV_REMOVE frees a shared mapping's pages for
    /// every process that maps it.
    func trim(keeping keep: Int) {
        ranges.withLock { state in
            let end = state.list.last.map { $0.offset + $0.length } ?? 0
            let from = (Swift.max(keep, end) + 4095) & ~4095
            guard from < size else { return }
            advise(base + from, size - from, MADV_REMOVE)
            state.populated = Swift.min(state.populated, from)
        }
    }

    /// Bytes in use (tests and diagnostics).
    var used: Int { ranges.withLock { $0.list.reduce(0) { $0 + $1.length } } }
}

/// A range of the arena, given back when the last reference goes (the chunk that was sent, the results that
/// point into it).
final class PoolLease: @unchecked Sendable {
    let arena: PoolArena
    let offset: Int
    let length: Int

    init(arena: PoolArena, offset: Int, length: Int) {
        self.arena = arena
        self.offset = offset
        self.length = length
    }

    var pointer: UnsafeMutableRawPointer { arena.base + offset }

    deinit { arena.free(offset) }
}

/// How a job's chunks of plain numeric items go through the arena: the item sizes, and how to write the
/// arguments of a range of items (absolute indices) to a destination.
struct PoolRawLayout {
    let argumentStride: Int
    let resultStride: Int
    let write: (Range<Int>, UnsafeMutableRawPointer) -> Void
    /// A map over a range of Ints: the job's item 0 is this value and item i is `first + i`; the workers compute
    /// their arguments, so the arena holds results only (`argumentStride` 0, `write` does nothing).
    var first: Int? = nil

    /// Results no larger than their arguments overwrite them: result i covers bytes of arguments up to i, which
    /// the worker has read by then. Half the memory to touch.
    var inPlace: Bool { resultStride <= argumentStride }

    /// The arena layout of a chunk of `count` items: arguments at 0, results at `resultOffset`.
    func resultOffset(count: Int) -> Int { inPlace ? 0 : (count * argumentStride + 63) & ~63 }
    func bytes(count: Int) -> Int { inPlace ? count * argumentStride : resultOffset(count: count) + count * resultStride }
}

/// Backs the pages of a large fresh allocation of this process (a map's result array) now, in few faults: its
/// 2 MiB-aligned part as transparent huge pages where the system gives them on request (THP "madvise" mode), the
/// rest in one MADV_POPULATE_WRITE call. A page fault costs about 2.5 µs on this VM whatever the page size: 8 MiB
/// took 2-3 ms as 2048 small pages, 0.2 ms as 4 huge ones. Huge pages also suit the array later (fewer TLB
/// misses), and it fills them whole.
func backFreshPages(_ base: UnsafeMutableRawPointer, byteCount: Int) {
    let start = Int(bitPattern: base), end = start + byteCount
    let hugeFirst = (start + (2 << 20) - 1) & ~((2 << 20) - 1), hugeLast = end & ~((2 << 20) - 1)
    if hugeLast > hugeFirst { advise(UnsafeMutableRawPointer(bitPattern: hugeFirst), hugeLast - hugeFirst, MADV_HUGEPAGE) }
    let first = (start + 4095) & ~4095, last = end & ~4095
    if last > first { advise(UnsafeMutableRawPointer(bitPattern: first), last - first, 23 /* MADV_POPULATE_WRITE */) }
}
