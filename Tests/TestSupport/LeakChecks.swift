// What the tests' leak checks compare before and after a test: this process's children and the /dev/shm
// entries. One copy for every test target, so that every suite judges a leak the same way.
import Foundation

/// This process's children, zombies included, from /proc (every thread's list: a child belongs to the thread
/// that forked it).
public func childProcessIDs() -> Set<Int32> {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    var pids = Set<Int32>()
    for task in tasks {
        for field in readProcFile("/proc/self/task/\(task)/children").split(whereSeparator: \.isWhitespace) {
            if let pid = Int32(field) { pids.insert(pid) }
        }
    }
    return pids
}

/// The /dev/shm entries that could be ours. Left out, because the library never creates them while other tests
/// and other programs on the machine create and remove them at any moment: POSIX named semaphores (`sem.*`,
/// CPython's `sem.mp-*`) and Open MPI's shared-memory transport (`vader_segment.*`, any mpirun's ranks).
public func sharedMemoryEntries() -> Set<String> {
    Set(((try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? []).filter {
        !$0.hasPrefix("sem.") && !$0.hasPrefix("vader_segment.")
    })
}
