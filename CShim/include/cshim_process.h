// Process helpers for the fork path.
#pragma once
#include "cshim_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Flushes every stdio stream, then forks. Without the flush the child would print the parent's buffered
/// output a second time. Returns fork's answer (pid, 0 in the child, -1 with errno).
/// In C so the flush and the fork are never separated by Swift code that could buffer more output.
pid_t cshim_fork_flushed(void);

/// This process's id, from a cache that a fork forgets (pthread_atfork) and the fork server's clone too
/// (cshim_forkserver_fork): getpid(2) is a real system call since glibc 2.25, ~0.2 µs on a virtual machine, and
/// the pool asks on every submission and every wait ("is this the pool's process?"). A child made by a raw
/// clone or fork system call outside CShim would keep its parent's answer: such code must not use this.
/// In C: pthread_atfork and the clone path's reset.
pid_t cshim_getpid_cached(void);

/// Whether pidfd_open works here (1) or is refused (0: a kernel before 5.3, a sandbox, valgrind). Asked once, then
/// remembered, also by the processes forked afterwards.
int cshim_pidfds_supported(void);

/// Forks as cshim_fork_flushed does and sets *watch, in the parent, to a descriptor that becomes readable when the
/// child ends, for poll() beside other descriptors (its `sentinel`): a pidfd where pidfd_open works, otherwise
/// (a kernel before 5.3, a sandbox or valgrind that refuses the call) the read end of a close-on-exec pipe whose
/// write end only the child holds, as CPython's sentinel is (processes the child forks inherit that end, so it
/// hangs up once they have ended too). *watch is -1 in the child, after a failed fork, and if pidfd_open fails
/// for this child alone. Returns fork's answer.
pid_t cshim_fork_watched(int *CSHIM_NONNULL watch);

/// Decodes a waitpid status as CPython's `Process.exitcode` does: the exit code when the child exited, minus
/// the signal number when a signal killed it. Returns 1 and sets *exitcode for those two; 0 for a stopped or
/// continued child. In C: WIFEXITED, WEXITSTATUS, WIFSIGNALED and WTERMSIG are macros.
int cshim_exitcode_from_status(int status, int *CSHIM_NONNULL exitcode);

/// In a child: asks for `signal` when the parent dies (PR_SET_PDEATHSIG), then closes the race where the
/// parent died before the request by checking that getppid() is still `expected_parent`; if not, raises
/// `signal` at once. Returns 0 or -1 with errno. In C, with direct system calls (prctl is variadic, and a new
/// child faults in every libc page it calls).
int cshim_set_parent_death_signal(int signal, pid_t expected_parent);

/// Sets FD_CLOEXEC on `fd`. 0 or -1 with errno. In C: fcntl is variadic.
int cshim_set_cloexec(int fd);

/// Closes every descriptor >= `lowest` except those listed in `keep` (sorted or not). Used in a fork child that
/// must not hold the parent's other ends open. 0 or -1 with errno. In C: close_range has no Swift overlay.
int cshim_close_fds_except(int lowest, const int *CSHIM_NULLABLE keep, int keep_count);

/// A pidfd for child `pid` (close-on-exec): readable once the child has exited, so poll() can wait for it beside
/// other descriptors. -1 with errno. In C: pidfd_open has no wrapper in the libc we build against.
int cshim_pidfd_open(pid_t pid);

/// Waits up to `timeout_ns` (CShim's convention) for child `pid` to exit, using `pidfd` (a pidfd or a sentinel pipe
/// from cshim_fork_watched; when it is -1, polling waitpid), reaps it and sets *exitcode as
/// cshim_exitcode_from_status does. Returns 0, ETIMEDOUT, or an errno value (ECHILD: not our child, or already
/// reaped). In C: poll, waitpid and the status macros together, with EINTR retried against one deadline.
int cshim_wait_child(pid_t pid, int pidfd, int64_t timeout_ns, int *CSHIM_NONNULL exitcode);

/// Points stdin at /dev/null, as CPython does in a new child process (a child must not steal the parent's
/// terminal input). Only in a new child with one thread (the temporary descriptor is not close-on-exec, so that it
/// is right as it is when it lands on 0). 0 or -1 with errno. In C, with direct system calls (open is variadic, and
/// a new child faults in every libc page it calls).
int cshim_stdin_to_devnull(void);

/// In a child made by fork for a `Process`, first thing: records `process` (an opaque reference to the Process
/// it runs, which the Swift process table reads back the first time the child uses it, so that a child that never
/// asks who it is does no Swift bookkeeping at all), asks for `death_signal` (0: none) when `parent` dies (see
/// cshim_set_parent_death_signal) and points stdin at /dev/null. In C, with direct system calls: every page of
/// code or data a new child touches costs it a page fault (several microseconds), and this keeps the child's start
/// to two pages.
void cshim_forked_child_begin(void *CSHIM_NONNULL process, int death_signal, pid_t parent);

/// The `process` given to cshim_forked_child_begin in this process (NULL in a process not forked for one).
/// A child inherits its parent's value until it calls cshim_forked_child_begin itself.
void *CSHIM_NULLABLE cshim_forked_child_process(void);

/// The Swift process table calls this once it has rebuilt itself for the forked child; the child's exit path
/// asks cshim_forked_child_table_settled() (1 or 0) whether it has any bookkeeping (children) to clean up.
void cshim_forked_child_note_table_settled(void);
int cshim_forked_child_table_settled(void);

/// Turns a SIGTERM to the calling process into a byte on the returned descriptor, for a process that has children
/// to end before it ends (a pool's zygote: CPython's `Pool.terminate` ends the workers and joins them; a zygote that
/// simply died would leave its workers to die later, orphaned, by their death signal). The caller polls the
/// descriptor and, once it is readable, ends its children and then itself with cshim_term_notice_end, so that it
/// still ends by SIGTERM. A process forked afterwards that receives SIGTERM still ends by it at once (the handler
/// knows its owner's pid); it should call cshim_term_notice_drop. Returns the read end (close-on-exec, non-blocking),
/// or -1 with errno. Once per process.
int cshim_term_notice_install(void);

/// In a child forked after cshim_term_notice_install: closes the notice's descriptors (SIGTERM ends this process as
/// it would by default). Direct system calls, as in cshim_forked_child_begin.
void cshim_term_notice_drop(void);

/// Ends the process by SIGTERM with the default action, as it would have ended without the notice.
__attribute__((noreturn)) void cshim_term_notice_end(void);

/// Makes a SIGTERM that ends the calling process remove `directory` first (the files in it, its empty
/// subdirectories, then the directory itself), for a process that made a directory its end removes (CPython's
/// multiprocessing socket directory, `pymp-*`) and may be ended by terminate(). The process still ends by SIGTERM,
/// as it would have: only the calling process removes it (a process forked afterwards ends at once, as by default).
/// Installs the handler only over SIGTERM's default action or the handler of cshim_term_notice_install inherited
/// from the process this one was forked from; over any other handler it does nothing and returns -1 with EBUSY.
/// `NULL` forgets the directory (removed by other means). Returns 0, or -1 with errno.
int cshim_term_remove_dir(const char *CSHIM_NULLABLE directory);

/// Ends a child: flushes every stdio stream, then _exit(code), by a direct exit_group system call: libc's _exit
/// would be one more page of code to fault in, and, lazily bound, would run the dynamic linker in every child
/// (about 20 page faults).
__attribute__((noreturn)) void cshim_child_exit(int code);

/// Number of CPUs this process may run on (sched_getaffinity), at least 1. In C: the CPU_* macros.
int cshim_usable_cpu_count(void);

/// 1 while the process has never had a second thread (glibc's `__libc_single_threaded`, which fork resets in
/// the child), else 0. Free, unlike reading /proc (about 0.25 ms a time). In C: the variable is declared in
/// <sys/single_threaded.h>, which Swift does not import.
int cshim_is_single_threaded(void);

/// The thread count of the calling process, read from /proc/self/status; -1 if unknown. fork() is only safe
/// while it is 1. In C so that the fork path can ask without Foundation.
int cshim_thread_count(void);

/// Asks the scheduler for time slices of `slice_ns` for the calling thread (SCHED_OTHER, nice unchanged; Linux
/// 6.12+ clamps it to 0.1-100 ms, and 0 restores the default). A task with a short slice gets an early deadline,
/// so that when it wakes, or is new, it may take the CPU from a task with a longer one instead of waiting for that
/// task's slice to end (milliseconds, on a busy machine). Children inherit it. Returns 0 or -1 with errno (EINVAL
/// on older kernels, where slices cannot be asked for). In C: sched_setattr has no libc wrapper.
int cshim_sched_set_slice(int64_t slice_ns);

#ifdef __cplusplus
}
#endif
