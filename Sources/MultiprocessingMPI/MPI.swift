// MPI itself, thinly: start-up and shut-down, a communicator with the calls the executor and mpsh's
// `mpi4py.MPI.COMM_WORLD` need (rank, size, byte messages, probe, bcast, barrier, allreduce), and the one funnel
// that turns MPI's error codes into `MPIError`.
//
// Every MPI call of this target goes through `mpiCheck`: communicators are set to MPI_ERRORS_RETURN, so a failure
// comes back as a code (with MPI's own text) instead of aborting the job.

import CMPI

#if canImport(Glibc)
import Glibc
#endif

/// An MPI call that failed: which call, MPI's error code and MPI's text for it.
public struct MPIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The MPI function, e.g. `MPI_Send`.
    public let operation: String
    /// MPI's error code (`MPI_ERR_*`); 0 for errors of this library's own (see `message`).
    public let code: Int32
    /// MPI's description of the code, or ours.
    public let message: String

    public init(operation: String, code: Int32, message: String) {
        self.operation = operation
        self.code = code
        self.message = message
    }

    public var description: String { "\(operation) failed: \(message)" + (code == 0 ? "" : " (MPI error \(code))") }
}

/// The funnel: MPI functions return their error code (`MPI_SUCCESS` is 0).
@inline(__always)
func mpiCheck(_ code: Int32, _ operation: @autoclosure () -> String) throws(MPIError) {
    if code != MPI_SUCCESS { throw mpiError(code, operation()) }
}

func mpiError(_ code: Int32, _ operation: String) -> MPIError {
    var text = [CChar](repeating: 0, count: Int(cmpi_max_error_string()) + 1)
    var length: Int32 = 0
    let known = MPI_Error_string(code, &text, &length) == MPI_SUCCESS
    let message = known ? String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        : "unknown MPI error"
    return MPIError(operation: operation, code: code, message: message)
}

/// MPI as a whole: start-up, shut-down and the predefined communicators. Mirrors `mpi4py.MPI`.
public enum MPI {
    /// Whether `MPI_Init_thread` was called (by us or by the program) and `MPI_Finalize` not yet.
    public static var isInitialized: Bool {
        var started: Int32 = 0, ended: Int32 = 0
        MPI_Initialized(&started)
        MPI_Finalized(&ended)
        return started != 0 && ended == 0
    }

    /// Starts MPI with `MPI_THREAD_MULTIPLE` (the executor's thread and the program's both call MPI). Idempotent.
    /// Prefer `MPIFutures.initialize()`, which first forks the task supervisor of a worker rank (a fork must
    /// happen while the process is single-threaded, and MPI_Init starts threads).
    /// The corresponding C function is `MPI_Init_thread`.
    public static func initialize() throws(MPIError) {
        var started: Int32 = 0
        MPI_Initialized(&started)
        if started != 0 { return }
        var provided: Int32 = 0
        try mpiCheck(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_MULTIPLE), &provided), "MPI_Init_thread")
        MPI_Comm_set_errhandler(cmpi_comm_world(), cmpi_errors_return())
        MPI_Comm_set_errhandler(cmpi_comm_self(), cmpi_errors_return())
        if provided < Int32(MPI_THREAD_SERIALIZED) {
            throw MPIError(operation: "MPI_Init_thread", code: 0,
                           message: "this MPI library gives thread level \(provided); the executor needs at least " +
                               "MPI_THREAD_SERIALIZED (use an MPI built with thread support)")
        }
    }

    /// Ends MPI (once; later calls do nothing). The corresponding C function is `MPI_Finalize`.
    public static func finalize() {
        guard isInitialized else { return }
        MPI_Finalize()
    }

    /// All the processes started together. Mirrors `MPI.COMM_WORLD`.
    public static var world: Communicator { Communicator(cmpi_comm_world()) }

    /// The communicator with the master that spawned this process, or nil if none did.
    /// The corresponding C function is `MPI_Comm_get_parent`.
    public static var parent: Communicator? {
        var parent: MPI_Comm? = cmpi_comm_null()
        MPI_Comm_get_parent(&parent)
        guard let comm = parent, comm != cmpi_comm_null() else { return nil }
        MPI_Comm_set_errhandler(comm, cmpi_errors_return())
        return Communicator(comm)
    }

    /// Seconds since an arbitrary time in the past. Mirrors `MPI.Wtime()`.
    public static var wtime: Double { MPI_Wtime() }

    /// The name of this host as MPI knows it. Mirrors `MPI.Get_processor_name()`.
    public static var processorName: String {
        guard isInitialized else {  // a task process (MPI is its rank's): the host name, which is Open MPI's answer
            var name = [CChar](repeating: 0, count: 256)
            gethostname(&name, name.count - 1)
            return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        var text = [CChar](repeating: 0, count: Int(cmpi_max_processor_name()) + 1)
        var length: Int32 = 0
        guard MPI_Get_processor_name(&text, &length) == MPI_SUCCESS else { return "?" }
        return String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A reduction for `allreduce`. Mirrors `MPI.SUM`, `MPI.PROD`, `MPI.MAX`, `MPI.MIN`.
public enum MPIReduction: String, Sendable, CaseIterable {
    case sum = "SUM", prod = "PROD", max = "MAX", min = "MIN"

    var op: MPI_Op {
        switch self {
        case .sum: return cmpi_op_sum()
        case .prod: return cmpi_op_prod()
        case .max: return cmpi_op_max()
        case .min: return cmpi_op_min()
        }
    }
}

/// A received message: who sent it, its tag, its bytes.
public struct MPIMessage: Sendable {
    public let source: Int32
    public let tag: Int32
    public let bytes: [UInt8]
}

/// A communicator (intra- or inter-). A value: copying it does not duplicate the MPI communicator.
/// Mirrors `mpi4py.MPI.Comm`.
public struct Communicator: @unchecked Sendable {
    /// The MPI handle (a pointer in Open MPI, an integer in MPICH).
    public let handle: MPI_Comm

    public init(_ handle: MPI_Comm) { self.handle = handle }

    /// This process's rank. Mirrors `Comm.Get_rank()`.
    public var rank: Int {
        var value: Int32 = 0
        MPI_Comm_rank(handle, &value)
        return Int(value)
    }

    /// The number of processes (in the local group of an intercommunicator). Mirrors `Comm.Get_size()`.
    public var size: Int {
        var value: Int32 = 0
        MPI_Comm_size(handle, &value)
        return Int(value)
    }

    /// The number of processes of the remote group of an intercommunicator (0 for an intracommunicator).
    /// Mirrors `Comm.Get_remote_size()`.
    public var remoteSize: Int {
        var inter: Int32 = 0
        MPI_Comm_test_inter(handle, &inter)
        guard inter != 0 else { return 0 }
        var value: Int32 = 0
        MPI_Comm_remote_size(handle, &value)
        return Int(value)
    }

    /// Sends `bytes` to `destination` with `tag` (blocking until the buffer may be reused).
    /// The corresponding C function is `MPI_Send`.
    public func send(_ bytes: [UInt8], to destination: Int, tag: Int) throws(MPIError) {
        guard bytes.count <= Int(Int32.max) else {
            throw MPIError(operation: "MPI_Send", code: 0,
                           message: "a message of \(bytes.count) bytes exceeds MPI's 2 GiB count; split it")
        }
        let code = bytes.withUnsafeBytes { buffer in
            MPI_Send(buffer.baseAddress, Int32(buffer.count), cmpi_byte(), Int32(destination), Int32(tag), handle)
        }
        try mpiCheck(code, "MPI_Send(to rank \(destination))")
    }

    /// Waits for a message from `source` (nil: any) with `tag` (nil: any) and receives it.
    /// The corresponding C functions are `MPI_Mprobe` and `MPI_Mrecv`.
    public func receive(from source: Int? = nil, tag: Int? = nil) throws(MPIError) -> MPIMessage {
        var message: MPI_Message? = nil
        var status = MPI_Status()
        try mpiCheck(MPI_Mprobe(Int32(source ?? Int(cmpi_any_source())), Int32(tag ?? Int(cmpi_any_tag())), handle,
                                &message, &status), "MPI_Mprobe")
        return try receiveMatched(&message, status)
    }

    /// Receives a message from `source` (nil: any) with `tag` (nil: any) if one has arrived; nil otherwise.
    /// The corresponding C functions are `MPI_Improbe` and `MPI_Mrecv`.
    public func receiveIfAny(from source: Int? = nil, tag: Int? = nil) throws(MPIError) -> MPIMessage? {
        var message: MPI_Message? = nil
        var status = MPI_Status()
        var flag: Int32 = 0
        try mpiCheck(MPI_Improbe(Int32(source ?? Int(cmpi_any_source())), Int32(tag ?? Int(cmpi_any_tag())), handle,
                                 &flag, &message, &status), "MPI_Improbe")
        guard flag != 0 else { return nil }
        return try receiveMatched(&message, status)
    }

    private func receiveMatched(_ message: inout MPI_Message?, _ status: MPI_Status) throws(MPIError) -> MPIMessage {
        var status = status
        var count: Int32 = 0
        try mpiCheck(MPI_Get_count(&status, cmpi_byte(), &count), "MPI_Get_count")
        var bytes = [UInt8](repeating: 0, count: Int(count))
        let code = bytes.withUnsafeMutableBytes { buffer in
            MPI_Mrecv(buffer.baseAddress, count, cmpi_byte(), &message, cmpi_status_ignore())
        }
        try mpiCheck(code, "MPI_Mrecv")
        return MPIMessage(source: status.MPI_SOURCE, tag: status.MPI_TAG, bytes: bytes)
    }

    /// Waits until every process of the communicator calls it. Mirrors `Comm.Barrier()`.
    public func barrier() throws(MPIError) { try mpiCheck(MPI_Barrier(handle), "MPI_Barrier") }

    /// Sends the root's `bytes` to every process; every process gets them back. Mirrors `Comm.bcast(obj, root)`.
    /// The corresponding C function is `MPI_Bcast` (twice: the length, then the bytes).
    public func broadcast(_ bytes: [UInt8], root: Int) throws(MPIError) -> [UInt8] {
        var count = Int64(bytes.count)
        try mpiCheck(MPI_Bcast(&count, 1, cmpi_int64(), Int32(root), handle), "MPI_Bcast")
        var buffer = rank == root ? bytes : [UInt8](repeating: 0, count: Int(count))
        let code = buffer.withUnsafeMutableBytes { raw in
            MPI_Bcast(raw.baseAddress, Int32(count), cmpi_byte(), Int32(root), handle)
        }
        try mpiCheck(code, "MPI_Bcast")
        return buffer
    }

    /// Every process's bytes, in rank order, on every process. Mirrors `Comm.allgather(obj)`.
    /// The corresponding C functions are `MPI_Allgather` (the lengths) and `MPI_Allgatherv` (the bytes).
    public func allgather(_ bytes: [UInt8]) throws(MPIError) -> [[UInt8]] {
        guard bytes.count <= Int(Int32.max) else {
            throw MPIError(operation: "MPI_Allgatherv", code: 0, message: "\(bytes.count) bytes exceed MPI's 2 GiB count")
        }
        var mine = Int32(bytes.count)
        var counts = [Int32](repeating: 0, count: size)
        try mpiCheck(MPI_Allgather(&mine, 1, cmpi_int(), &counts, 1, cmpi_int(), handle), "MPI_Allgather")
        var offsets = [Int32](repeating: 0, count: counts.count)
        var total = 0
        for index in counts.indices {
            offsets[index] = Int32(total)
            total += Int(counts[index])
        }
        guard total <= Int(Int32.max) else {
            throw MPIError(operation: "MPI_Allgatherv", code: 0, message: "\(total) bytes in all exceed MPI's 2 GiB count")
        }
        var all = [UInt8](repeating: 0, count: total)
        let code = bytes.withUnsafeBytes { send in
            all.withUnsafeMutableBytes { receive in
                MPI_Allgatherv(send.baseAddress, mine, cmpi_byte(), receive.baseAddress, counts, offsets, cmpi_byte(), handle)
            }
        }
        try mpiCheck(code, "MPI_Allgatherv")
        return counts.indices.map { Array(all[Int(offsets[$0])..<Int(offsets[$0]) + Int(counts[$0])]) }
    }

    /// Combines every process's `value` with `op`; every process gets the result. Mirrors `Comm.allreduce`.
    /// The corresponding C function is `MPI_Allreduce`.
    public func allreduce(_ value: Int64, _ op: MPIReduction) throws(MPIError) -> Int64 {
        var input = value, output: Int64 = 0
        try mpiCheck(MPI_Allreduce(&input, &output, 1, cmpi_int64(), op.op, handle), "MPI_Allreduce")
        return output
    }

    /// `allreduce` of a floating-point value.
    public func allreduce(_ value: Double, _ op: MPIReduction) throws(MPIError) -> Double {
        var input = value, output: Double = 0
        try mpiCheck(MPI_Allreduce(&input, &output, 1, cmpi_double(), op.op, handle), "MPI_Allreduce")
        return output
    }

    /// A new communicator over the same processes, whose messages never match this one's (collective: every
    /// process calls it). Mirrors `Comm.Dup()`; the corresponding C function is `MPI_Comm_dup`.
    public func duplicate() throws(MPIError) -> Communicator {
        var copy: MPI_Comm? = cmpi_comm_null()
        try mpiCheck(MPI_Comm_dup(handle, &copy), "MPI_Comm_dup")
        guard let copy else { throw MPIError(operation: "MPI_Comm_dup", code: 0, message: "no communicator") }
        MPI_Comm_set_errhandler(copy, cmpi_errors_return())
        return Communicator(copy)
    }

    /// Ends this process's part in an intercommunicator with spawned processes. The corresponding C function is
    /// `MPI_Comm_disconnect`.
    func disconnect() {
        var comm: MPI_Comm? = handle
        MPI_Comm_disconnect(&comm)
    }
}
