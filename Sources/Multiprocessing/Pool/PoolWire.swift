// The pool's wire: what its processes say to each other. Workers and the zygote write `PoolRecord`s on the
// result ring; the pool writes `ZygoteCommand`s on the zygote's socket. Both are built with `WireWriter`.

/// Message kinds on the pool's result ring (workers and zygote to the pool).
enum PoolRecord: UInt8 {
    /// A worker's results for one task: slot, seq, count, then per item a status byte and a blob.
    case results = 1
    /// The zygote started a worker: slot, pid, name.
    case spawned = 2
    /// The zygote reaped a worker: slot, pid, exit code (minus the signal number for a signal).
    case died = 3
    /// The zygote is leaving: every worker has been reaped.
    case bye = 4
    /// A worker's initializer threw: slot, the error's text. The worker then exits.
    case initializerFailed = 5
}

/// Commands from the pool to its zygote, on a socket: one byte and a number (a slot, or a task count).
enum ZygoteCommand: UInt8 {
    case spawn = 1   // start a worker for the slot
    case terminate = 2  // SIGTERM every worker
    case quit = 3  // no more workers: wait for the last ones, say bye and exit
    case release = 4  // no more workers: wait for the last ones, say bye and wait for the next pool's start
    case start = 5  // (idle) start the workers of a new pool; the number is its maximum tasks per child (0: none)
}
