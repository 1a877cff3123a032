// The pool engine's handler thread (see PoolEngine.swift's header): it reads the result ring in order — results,
// the zygote's start and death records, initializer failures — delivers them, and runs every callback. A caller
// polling for its own result takes the same "reader role" (`drainResults`), so messages are handled one at a time.

import CShim
import Synchronization

import Glibc

extension PoolEngine {
    func handlerLoop() {
        while true {
            // While callers poll, they handle what arrives: stay off the ring's wake-ups meanwhile.
            monitor.lock()
            while pollers.load(ordering: .sequentiallyConsistent) > 0 && deferredNotes.isEmpty && !handlerFinished {
                handlerParked = true
                monitor.waitPark(until: cshim_now_ns() + PoolEngine.parkSlice)
                handlerParked = false
            }
            let handed = deferredNotes
            deferredNotes = []
            monitor.unlock()
            _ = cshim_ring_take_flag(handlerFlag)
            for note in handed { note() }

            readerRole.lock()
            var notes: [() -> Void] = []
            let finished = drainResults(&notes)
            readerRole.unlock()
            for note in notes { note() }
            if finished || monitor.withLock({ handlerFinished }) {
                runDeferredAndExit()
                return
            }
            if pollers.load(ordering: .sequentiallyConsistent) > 0 { continue }
            if cshim_ring_wait_input(resultRing.ring, handlerFlag, 200_000_000) == 0, !site.zygoteAlive,
               cshim_ring_readable(resultRing.ring) == 0 {
                monitor.lock()
                handlerFinished = true
                var notes: [() -> Void] = []
                broken = broken ?? .brokenPool("the pool's zygote process died")
                failEverything(broken!, notes: &notes)
                for index in slots.indices { slots[index].alive = false }
                monitor.broadcast()
                monitor.unlock()
                for note in notes { note() }
                runDeferredAndExit()
                return
            }
        }
    }

    /// The handler thread's last act: runs the callbacks handed over so far; once none are left, says it has
    /// ended (under the monitor), so that later ones run where they are found.
    private func runDeferredAndExit() {
        while true {
            let rest = monitor.withLock { () -> [() -> Void] in
                if deferredNotes.isEmpty { handlerExited = true }
                defer { deferredNotes = [] }
                return deferredNotes
            }
            if rest.isEmpty { return }
            for note in rest { note() }
        }
    }

    /// Reads and handles every message on the result ring now (the reader role held); returns true once the
    /// zygote said goodbye (or the ring ended). The notifications to run are appended to `notes`.
    func drainResults(_ notes: inout [() -> Void]) -> Bool {
        while true {
            let message: [UInt8]
            do {
                message = try resultRing.read(timeout: .zero)
            } catch .timedOut {
                return false
            } catch {
                monitor.withLock {
                    handlerFinished = true
                    monitor.broadcast()
                }
                return true
            }
            let bye = WireReader.reading(message) { reader -> Bool in
                switch reader.u8().flatMap(PoolRecord.init(rawValue:)) {
                case .results?: handleResults(&reader, of: message, notes: &notes)
                case .spawned?: handleSpawned(&reader)
                case .died?: handleDeath(&reader, notes: &notes)
                case .initializerFailed?: handleInitializerFailure(&reader, notes: &notes)
                case .bye?: return true
                case nil: break
                }
                return false
            }
            if bye {
                monitor.withLock {
                    handlerFinished = true
                    zygoteSaidBye = true
                    monitor.broadcast()
                }
                return true
            }
        }
    }

    /// A worker's results, read from `message` (whose blobs of values are kept as slices of it, not copied).
    private func handleResults(_ reader: inout WireReader, of message: [UInt8], notes: inout [() -> Void]) {
        guard let slot = reader.u32().map(Int.init), slot < size, let seq = reader.u64(),
              let segments = reader.u32(), let worker = reader.string() else { return }
        var outcomes: [PoolOutcome] = []
        outcomes.reserveCapacity(Int(segments))
        var inPlace: [(index: Int, count: Int)] = []  // runs of results written in the arena, by outcome index
        for _ in 0..<segments {
            guard let kind = reader.u8() else { break }
            if kind == 0 {
                guard let count = reader.u32(), let range = reader.blobRange() else { break }
                outcomes.append(.values(message[range], count: Int(count)))
            } else if kind == 2 {
                guard let count = reader.u32() else { break }
                inPlace.append((outcomes.count, Int(count)))
                outcomes.append(.values([], count: Int(count)))  // replaced below, once the chunk is known
            } else {
                let typeName = reader.string() ?? "Error", text = reader.string() ?? ""
                outcomes.append(.failure(RemoteError(typeName: typeName, message: text, worker: worker), count: 1))
            }
        }
        monitor.lock()
        if let chunk = slots[slot].inflight.removeValue(forKey: seq) {
            if !inPlace.isEmpty {
                if let lease = chunk.lease, let layout = chunk.layout {
                    var item = 0, next = 0
                    for index in outcomes.indices {
                        if next < inPlace.count && inPlace[next].index == index {
                            let count = inPlace[next].count
                            outcomes[index] = .shared(lease, offset: layout.resultOffset(count: chunk.count) + item * layout.resultStride,
                                                      byteCount: count * layout.resultStride, count: count)
                            next += 1
                        }
                        item += outcomes[index].count
                    }
                } else {
                    outcomes = [.failure(PoolError.undecodableResult(function: chunk.job.function,
                                                                     reason: "results in the arena for a task that has no arena space"),
                                         count: chunk.count)]
                }
            }
            let delivered = outcomes.reduce(0) { $0 + $1.count }
            if delivered != chunk.count {
                outcomes = [.failure(PoolError.undecodableResult(function: chunk.job.function,
                                                                 reason: "a result message for \(chunk.count) items held \(delivered)"),
                                     count: chunk.count)]
            }
            deliver(chunk, outcomes: outcomes, notes: &notes)
        }
        monitor.unlock()
        pump()
    }

    private func handleSpawned(_ reader: inout WireReader) {
        guard let slot = reader.u32().map(Int.init), slot < size, let pid = reader.i32(), let name = reader.string() else {
            return
        }
        monitor.withLock {
            slots[slot].pid = pid
            slots[slot].name = name
            slots[slot].alive = true
            slots[slot].sent = 0
            deadFlags[slot].dead.store(false, ordering: .releasing)
            startedWorkers += 1
            monitor.broadcast()
        }
        pump()
    }

    private func handleInitializerFailure(_ reader: inout WireReader, notes: inout [() -> Void]) {
        guard reader.u32() != nil else { return }
        let text = reader.string() ?? "?"
        monitor.lock()
        if broken == nil { broken = .initializerFailed(text) }
        failEverything(broken!, notes: &notes)
        monitor.broadcast()
        monitor.unlock()
    }

    private func handleDeath(_ reader: inout WireReader, notes: inout [() -> Void]) {
        guard let slot = reader.u32().map(Int.init), slot < size, let pid = reader.i32(), let code = reader.i32() else {
            return
        }
        let known = monitor.withLock { () -> Bool in
            guard slots[slot].pid == pid else { return false }
            slots[slot].alive = false
            deadFlags[slot].dead.store(true, ordering: .releasing)
            return true
        }
        guard known else { return }
        // The dispatcher gives up a write to this slot within its check interval; then its ring holds exactly the
        // tasks the worker never read.
        writeLocks[slot].lock()
        // A sender that picked this slot for a task and has not taken the write lock yet finds the incarnation
        // changed and leaves the task to the queue, where it goes below (see `PoolEngine.sendTask`). Bumped with
        // both locks held, and before the slot can be picked again (it is not alive until its replacement starts).
        monitor.withLock { _ = deadFlags[slot].incarnation.add(1, ordering: .relaxed) }
        var unread = Set<UInt64>()
        while let message = try? taskRings[slot].read(timeout: .zero) {
            if let seq = WireReader.reading(message, { $0.u64() }) { unread.insert(seq) }
        }
        let table = progressTable.buffer.baseAddress! + slot * PoolSite.progressStride
        let runningSeq = table.loadUnaligned(as: UInt64.self)
        let runningItem = Int(table.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        table.storeBytes(of: 0 as UInt64, as: UInt64.self)

        monitor.lock()
        let worker = slots[slot].name
        let status = exitStatusText(code)
        var crashed = false
        var stopWorkers = false
        for chunk in slots[slot].inflight.values.sorted(by: { $0.seq > $1.seq }) {
            if unread.contains(chunk.seq) || runningSeq != chunk.seq || runningItem >= chunk.count {
                requeueFront(chunk)  // never started: it runs elsewhere
                continue
            }
            crashed = true
            if breakOnWorkerDeath {
                requeueFront(chunk)  // failed below with everything else, as CPython's BrokenProcessPool
                continue
            }
            if chunk.retriesLeft > 0, let again = newChunk(from: chunk, start: chunk.start, count: chunk.count,
                                                             retriesLeft: chunk.retriesLeft - 1) {
                requeueFront(again)
                continue
            }
            var outcomes: [PoolOutcome] = []
            for item in 0..<runningItem {
                outcomes.append(.failure(PoolError.resultLost(worker: worker, pid: pid, status: status,
                                                              item: chunk.start + item), count: 1))
            }
            outcomes.append(.failure(PoolError.workerDied(worker: worker, pid: pid, status: status,
                                                          item: chunk.start + runningItem), count: 1))
            let restCount = chunk.count - runningItem - 1
            var rest: PoolChunk?
            if restCount > 0 {
                rest = newChunk(from: chunk, start: chunk.start + runningItem + 1, count: restCount,
                                retriesLeft: chunk.retriesLeft)
                if rest == nil {
                    outcomes.append(.failure(PoolError.workerDied(worker: worker, pid: pid, status: status,
                                                                  item: chunk.start + runningItem), count: restCount))
                }
            }
            deliver(chunk, outcomes: outcomes, notes: &notes)
            if let rest { requeueFront(rest) }
        }
        slots[slot].inflight = [:]
        if breakOnWorkerDeath && (crashed || code != 0) && broken == nil && phase != .terminated {
            broken = .brokenPool("worker \(worker) (pid \(pid)) \(status)")
            failEverything(broken!, notes: &notes)
            stopWorkers = true
        }
        let respawn = phase != .terminated && !ringsClosed && broken == nil
        monitor.broadcast()
        monitor.unlock()
        writeLocks[slot].unlock()
        if respawn { sendCommand(.spawn, slot: slot) }
        if stopWorkers { sendCommand(.terminate) }
        pump()
    }
}
