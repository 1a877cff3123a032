// What the tests' leak checks compare before and after a test: this process's children, the /dev/shm entries
// and multiprocessing's socket directories. One copy for every test target, so that every suite judges a leak the
// same way.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

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
/// Entries of another user are left out too: a test run by another account on a shared machine (a CI job beside a
/// developer's run) creates its own, which are not this run's leaks.
public func sharedMemoryEntries() -> Set<String> {
    let me = getuid()
    return Set(((try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? []).filter { name in
        guard !name.hasPrefix("sem.") && !name.hasPrefix("vader_segment.") else { return false }
        var info = stat()
        // an entry gone between the listing and stat() is no leak either
        return stat("/dev/shm/" + name, &info) == 0 && info.st_uid == me
    })
}

/// The directories multiprocessing makes for a process's Unix sockets (`util.get_temp_dir()`: `pymp-*` in the
/// temporary directory, CPython's and mpsh's alike) that are in `directory` and belong to this user: each process
/// removes its own at its end, so one still there after its program ended is a leak. Another user's are left out,
/// as in `sharedMemoryEntries`; a run that must not count concurrent programs of the same user gives its programs a
/// TMPDIR of their own and looks there.
public func socketDirectories(in directory: String = "/tmp") -> Set<String> {
    let me = getuid()
    return Set(((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { name in
        var info = stat()
        return name.hasPrefix("pymp-") && lstat(directory + "/" + name, &info) == 0 && info.st_uid == me
    })
}
