#include "cshim_process.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include "internal.h"
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/single_threaded.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// 0 until asked; forgotten in every child (the atfork handler, or cshim_forget_cached_pid after a raw clone).
static _Atomic pid_t cached_pid;
static pthread_once_t cached_pid_once = PTHREAD_ONCE_INIT;

void cshim_forget_cached_pid(void) { atomic_store_explicit(&cached_pid, 0, memory_order_relaxed); }

static void install_pid_reset(void) { (void)pthread_atfork(NULL, NULL, cshim_forget_cached_pid); }

pid_t cshim_getpid_cached(void) {
    pid_t pid = atomic_load_explicit(&cached_pid, memory_order_relaxed);
    if (pid != 0) return pid;
    // The handler is installed before the first answer is kept: a fork after this point forgets it.
    pthread_once(&cached_pid_once, install_pid_reset);
    pid = getpid();
    atomic_store_explicit(&cached_pid, pid, memory_order_relaxed);
    return pid;
}

pid_t cshim_fork_flushed(void) {
    fflush(NULL);
    return fork();
}

int cshim_exitcode_from_status(int status, int *exitcode) {
    if (WIFEXITED(status)) {
        *exitcode = WEXITSTATUS(status);
        return 1;
    }
    if (WIFSIGNALED(status)) {
        *exitcode = -WTERMSIG(status);
        return 1;
    }
    return 0;
}

// A forked child's first and last system calls, made directly rather than through libc: each libc function (and
// each page of the executable's PLT) a new child calls is a page of code it must fault in, several microseconds a
// page. Elsewhere (other architectures), libc's syscall(). Returns the result, or minus the error number.
#if defined(__x86_64__)
static inline long child_syscall(long number, long a, long b, long c) {
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(number), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return result;
}
#elif defined(__aarch64__)
static inline long child_syscall(long number, long a, long b, long c) {
    register long x8 __asm__("x8") = number;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
}
#else
static inline long child_syscall(long number, long a, long b, long c) {
    long result = syscall(number, a, b, c);
    return result < 0 ? -errno : result;
}
#endif

int cshim_set_parent_death_signal(int sig, pid_t expected_parent) {
    long rc = child_syscall(SYS_prctl, PR_SET_PDEATHSIG, sig, 0);
    if (rc < 0) {
        errno = (int)-rc;
        return -1;
    }
    // The parent may have died between fork and prctl: then we were re-parented and no signal will come.
    if ((pid_t)child_syscall(SYS_getppid, 0, 0, 0) != expected_parent) raise(sig);
    return 0;
}

int cshim_set_cloexec(int fd) {
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0) return -1;
    return fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int close_range_from_to(unsigned lo, unsigned hi) {
    if (lo > hi) return 0;
#ifdef SYS_close_range
    if (syscall(SYS_close_range, lo, hi, 0) == 0) return 0;
    if (errno != ENOSYS) return -1;
#endif
    for (unsigned fd = lo; fd <= hi && fd < 65536; fd++) close((int)fd);
    return 0;
}

int cshim_close_fds_except(int lowest, const int *keep, int keep_count) {
    int sorted[64];
    if (keep_count < 0 || keep_count > 64) {
        errno = EINVAL;
        return -1;
    }
    if (keep_count) memcpy(sorted, keep, sizeof(int) * (size_t)keep_count);
    qsort(sorted, (size_t)keep_count, sizeof(int), cmp_int);
    unsigned lo = (unsigned)lowest;
    for (int i = 0; i < keep_count; i++) {
        if (sorted[i] < lowest) continue;
        if ((unsigned)sorted[i] > lo && close_range_from_to(lo, (unsigned)sorted[i] - 1) != 0) return -1;
        lo = (unsigned)sorted[i] + 1;
    }
    return close_range_from_to(lo, ~0U);
}

int cshim_usable_cpu_count(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

int cshim_thread_count(void) {
    FILE *f = fopen("/proc/self/status", "re");
    if (!f) return -1;
    char line[256];
    int threads = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "Threads:", 8) == 0) {
            threads = atoi(line + 8);
            break;
        }
    }
    fclose(f);
    return threads;
}

int cshim_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

// Whether pidfd_open works here: 1 yes, 0 no (a kernel before 5.3, or a sandbox or valgrind that refuses it),
// -1 not asked yet. Asked once per process tree, with the asker's own pid (threads that ask at once all get the
// same answer).
static atomic_int pidfd_support = -1;

int cshim_pidfds_supported(void) {
    int known = atomic_load_explicit(&pidfd_support, memory_order_relaxed);
    if (known < 0) {
        int fd = cshim_pidfd_open(getpid());
        known = fd >= 0;
        if (fd >= 0) close(fd);
        atomic_store_explicit(&pidfd_support, known, memory_order_relaxed);
    }
    return known;
}

pid_t cshim_fork_with_sentinel_pipe(pid_t (*fork_child)(void), int *watch) {
    *watch = -1;
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) return -1;
    pid_t pid = fork_child();
    if (pid == 0) {
        // The write end stays open, unwritten, until this process ends.
        (void)child_syscall(SYS_close, ends[0], 0, 0);
        return 0;
    }
    int saved = errno;
    close(ends[1]);
    if (pid < 0) {
        close(ends[0]);
        errno = saved;
        return -1;
    }
    *watch = ends[0];
    return pid;
}

pid_t cshim_fork_watched(int *watch) {
    if (!cshim_pidfds_supported()) return cshim_fork_with_sentinel_pipe(cshim_fork_flushed, watch);
    *watch = -1;
    pid_t pid = cshim_fork_flushed();
    if (pid > 0) *watch = cshim_pidfd_open(pid);
    return pid;
}

int cshim_wait_child(pid_t pid, int pidfd, int64_t timeout_ns, int *exitcode) {
    int64_t deadline = cshim_deadline_after(timeout_ns);
    // Wake-ups that did not reap: a sentinel pipe (see cshim_fork_watched) hangs up a moment before its child
    // can be reaped, or for good if the child closed it; yield a while, then poll waitpid at 1 ms.
    int early_wakes = 0;
    for (;;) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            if (cshim_exitcode_from_status(status, exitcode)) return 0;
            continue;  // stopped or continued: not an exit
        }
        if (r < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        int ms = -1;
        if (deadline >= 0) {
            int64_t left = deadline - cshim_now_ns();
            if (left <= 0) return ETIMEDOUT;
            ms = (int)((left + 999999) / 1000000);
        }
        if (pidfd >= 0 && early_wakes == 0) {
            struct pollfd p = { .fd = pidfd, .events = POLLIN };
            int ready = poll(&p, 1, ms);
            if (ready < 0 && errno != EINTR) return errno;
            if (ready > 0) early_wakes = 1;
        } else if (pidfd >= 0 && early_wakes < 1000) {
            early_wakes++;
            sched_yield();
        } else {
            // Nothing to wait on, or it woke without the child ending: poll waitpid at 1 ms, within the deadline.
            struct timespec ts = { 0, 1000000 };
            nanosleep(&ts, NULL);
        }
    }
}

int cshim_stdin_to_devnull(void) {
    // No close-on-exec on the temporary descriptor (so that it is right as it is when it lands on 0): the caller
    // is a new child with one thread.
    long fd = child_syscall(SYS_openat, AT_FDCWD, (long)"/dev/null", O_RDONLY);
    if (fd < 0) {
        errno = (int)-fd;
        return -1;
    }
    if (fd == 0) return 0;
    long rc = child_syscall(SYS_dup3, fd, 0, 0);
    (void)child_syscall(SYS_close, fd, 0, 0);
    if (rc < 0) {
        errno = (int)-rc;
        return -1;
    }
    return 0;
}

// In a forked Process child: the Process it runs, and whether the Swift process table has been rebuilt for it.
static void *forked_process;
static int forked_table_settled;

void cshim_forked_child_begin(void *process, int death_signal, pid_t parent) {
    forked_process = process;
    forked_table_settled = 0;
    if (death_signal) (void)cshim_set_parent_death_signal(death_signal, parent);
    (void)cshim_stdin_to_devnull();
}

void *cshim_forked_child_process(void) { return forked_process; }

void cshim_forked_child_note_table_settled(void) { forked_table_settled = 1; }

int cshim_forked_child_table_settled(void) { return forked_table_settled; }

void cshim_child_exit(int code) {
    fflush(NULL);
    for (;;) (void)child_syscall(SYS_exit_group, code, 0, 0);
}

// The SIGTERM notice (cshim_term_notice_install). sig_atomic_t: the handler reads them.
static volatile sig_atomic_t term_owner;        // the pid whose SIGTERMs become a byte
static volatile sig_atomic_t term_write_fd = -1;
static int term_read_fd = -1;

static void term_notice_handler(int sig) {
    int saved = errno;
    if ((pid_t)term_owner == getpid() && term_write_fd >= 0) {
        char byte = 1;
        (void)!write(term_write_fd, &byte, 1);  // a full pipe already says it
    } else {
        // A child forked after the notice was installed: end as SIGTERM's default action would. The signal is
        // blocked while its handler runs, so it is delivered, with the default action, when the handler returns.
        signal(sig, SIG_DFL);
        raise(sig);
    }
    errno = saved;
}

int cshim_term_notice_install(void) {
    if (term_read_fd >= 0) {
        errno = EBUSY;
        return -1;
    }
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return -1;
    term_owner = getpid();
    term_write_fd = fds[1];
    term_read_fd = fds[0];
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = term_notice_handler;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGTERM, &action, NULL) != 0) {
        int saved = errno;
        cshim_term_notice_drop();
        errno = saved;
        return -1;
    }
    return fds[0];
}

void cshim_term_notice_drop(void) {
    int write_fd = term_write_fd, read_fd = term_read_fd;
    term_write_fd = -1;
    term_read_fd = -1;
    if (write_fd >= 0) (void)child_syscall(SYS_close, write_fd, 0, 0);
    if (read_fd >= 0) (void)child_syscall(SYS_close, read_fd, 0, 0);
}

void cshim_term_notice_end(void) {
    signal(SIGTERM, SIG_DFL);
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &term, NULL);
    for (;;) raise(SIGTERM);
}

// The directory a SIGTERM removes (cshim_term_remove_dir), and the process whose it is (0: none).
static char term_dir[4096];
static volatile sig_atomic_t term_dir_owner;

// Removes term_dir and what is in it (no deeper than its empty subdirectories), in a signal handler: system calls
// only. Entries removed while the directory is read may move the others, so it is read again until empty.
static void term_dir_remove(void) {
    for (int pass = 0; pass < 4; pass++) {
        if (rmdir(term_dir) == 0 || errno != ENOTEMPTY) return;
        int fd = open(term_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) return;
        char buffer[2048] __attribute__((aligned(8)));
        long n;
        while ((n = syscall(SYS_getdents64, fd, buffer, sizeof buffer)) > 0) {
            for (long at = 0; at < n;) {
                // struct linux_dirent64: d_ino (8 bytes), d_off (8), d_reclen (2), d_type (1), d_name
                unsigned short length;
                memcpy(&length, buffer + at + 16, sizeof length);
                const char *name = buffer + at + 19;
                if (!(name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))) {
                    if (unlinkat(fd, name, 0) != 0 && errno == EISDIR) (void)unlinkat(fd, name, AT_REMOVEDIR);
                }
                at += length;
            }
        }
        close(fd);
    }
}

static void term_dir_handler(int sig) {
    int saved = errno;
    if ((pid_t)term_dir_owner == getpid()) term_dir_remove();
    // as SIGTERM's default action: the signal is blocked while its handler runs, so it is delivered, with the
    // default action, when the handler returns
    signal(sig, SIG_DFL);
    raise(sig);
    errno = saved;
}

int cshim_term_remove_dir(const char *directory) {
    if (directory == NULL) {
        term_dir_owner = 0;
        return 0;
    }
    size_t length = strlen(directory);
    if (length >= sizeof term_dir) {
        errno = ENAMETOOLONG;
        return -1;
    }
    struct sigaction old;
    if (sigaction(SIGTERM, NULL, &old) != 0) return -1;
    int inherited_notice = old.sa_handler == term_notice_handler && (pid_t)term_owner != getpid();
    if (old.sa_handler != SIG_DFL && old.sa_handler != term_dir_handler && !inherited_notice) {
        errno = EBUSY;
        return -1;
    }
    term_dir_owner = 0;  // the handler reads no half-written path
    memcpy(term_dir, directory, length + 1);
    term_dir_owner = getpid();
    if (old.sa_handler != term_dir_handler) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = term_dir_handler;
        sigemptyset(&action.sa_mask);
        if (sigaction(SIGTERM, &action, NULL) != 0) {
            term_dir_owner = 0;
            return -1;
        }
    }
    return 0;
}

int cshim_is_single_threaded(void) { return __libc_single_threaded ? 1 : 0; }

int cshim_sched_set_slice(int64_t slice_ns) {
    // The kernel's struct sched_attr (SCHED_ATTR_SIZE_VER1), which glibc does not declare.
    struct {
        uint32_t size, sched_policy;
        uint64_t sched_flags;
        int32_t sched_nice;
        uint32_t sched_priority;
        uint64_t sched_runtime, sched_deadline, sched_period;
        uint32_t sched_util_min, sched_util_max;
    } attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.sched_policy = SCHED_OTHER;
    // Direct system calls: a new worker calls this first thing (see child_syscall). The raw getpriority answers
    // 20 - nice, never negative.
    long priority = child_syscall(SYS_getpriority, PRIO_PROCESS, 0, 0);
    attr.sched_nice = priority >= 0 ? (int32_t)(20 - priority) : 0;
    attr.sched_runtime = slice_ns > 0 ? (uint64_t)slice_ns : 0;
    long rc = child_syscall(SYS_sched_setattr, 0, (long)&attr, 0);
    if (rc < 0) {
        errno = (int)-rc;
        return -1;
    }
    return 0;
}
