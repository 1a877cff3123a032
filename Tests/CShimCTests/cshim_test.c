// CShim's C tests, with real processes. Built and run by Tests/CShimCTests/run.sh, plainly and under
// AddressSanitizer + UndefinedBehaviorSanitizer (CI runs both). Each test body runs under a watchdog: a hang is
// reported as a failure with the test's name, never as a stuck CI job.
//
// Usage: cshim_test [-q] [test-name-substring]
#include "harness.h"
#include "../Tools/WithoutPidfd/deny_pidfd.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>


// ---------------------------------------------------------------------------------------------------------------
// Mutex

struct mutex_area {
    _Alignas(64) unsigned char mutex[64];
    _Atomic int held;           // the owner child holds the lock
    _Atomic int waiter_result;  // what the blocked waiter's lock returned (+1000 when it has not returned)
    _Atomic int64_t waiter_acquired_ns;
};

// A child that takes the mutex and holds it until killed; returns once it holds it.
static pid_t start_holder(struct mutex_area *a, cshim_mutex *m) {
    pid_t holder = fork_child();
    if (holder == 0) {
        cshim_mutex_lock(m, CSHIM_FOREVER);
        atomic_store(&a->held, 1);
        for (;;) pause();  // hold it until SIGKILLed
    }
    while (!atomic_load(&a->held)) sched_yield();
    return holder;
}

static void test_mutex_owner_killed_waiter_recovers(void) {
    _Static_assert(sizeof(((struct mutex_area *)0)->mutex) >= 40, "room for a pthread mutex");
    struct mutex_area *a = shared_alloc(sizeof *a);
    CHECK(cshim_mutex_size() <= sizeof a->mutex, "mutex size %zu", cshim_mutex_size());
    cshim_mutex *m = (cshim_mutex *)a->mutex;
    CHECK(cshim_mutex_init_at(m) == 0, "init");
    atomic_store(&a->waiter_result, 1000);

    pid_t owner = start_holder(a, m);

    pid_t waiter = fork_child();
    if (waiter == 0) {
        int rc = cshim_mutex_lock(m, 5000000000LL);
        atomic_store(&a->waiter_acquired_ns, cshim_now_ns());
        atomic_store(&a->waiter_result, rc);
        if (rc == 0 || rc == EOWNERDEAD) cshim_mutex_unlock(m);
        _exit(0);
    }
    // The waiter is blocked (or about to block) in the lock: it cannot take it while the owner lives.
    CHECK(cshim_mutex_lock(m, 50000000LL) == ETIMEDOUT, "the lock is held by a live owner");
    int64_t killed_at = cshim_now_ns();
    kill(owner, SIGKILL);
    CHECK(wait_exitcode(owner) == -SIGKILL, "owner died of SIGKILL");
    CHECK(wait_exitcode(waiter) == 0, "waiter exited");
    int rc = atomic_load(&a->waiter_result);
    CHECK(rc == EOWNERDEAD, "waiter got %d (%s), expected EOWNERDEAD", rc, strerror(rc));
    int64_t recovery = atomic_load(&a->waiter_acquired_ns) - killed_at;
    CHECK(recovery < 100000000LL, "recovered in %.3f ms (limit 100 ms)", recovery / 1e6);
    if (!quiet) printf("    owner SIGKILLed -> waiter had the lock %.3f ms later (EOWNERDEAD)\n", recovery / 1e6);

    // Made consistent by the recovering locker: plain locking works again, without EOWNERDEAD.
    CHECK(cshim_mutex_lock(m, 1000000000LL) == 0, "usable after recovery");
    CHECK(cshim_mutex_unlock(m) == 0, "unlock");
    cshim_shm_unmap(a, sizeof *a);
}

static void test_mutex_owner_killed_next_locker_told(void) {
    struct mutex_area *a = shared_alloc(sizeof *a);
    cshim_mutex *m = (cshim_mutex *)a->mutex;
    cshim_mutex_init_at(m);
    pid_t owner = fork_child();
    if (owner == 0) {
        cshim_mutex_lock(m, CSHIM_FOREVER);
        _exit(0);  // dies holding it, without SIGKILL: the same rule applies
    }
    CHECK(wait_exitcode(owner) == 0, "owner exited");
    CHECK(cshim_mutex_lock(m, 0) == EOWNERDEAD, "try-lock after the owner died reports EOWNERDEAD");
    CHECK(cshim_mutex_unlock(m) == 0, "unlock");
    CHECK(cshim_mutex_lock(m, 0) == 0, "then it is an ordinary free mutex");
    // An error-checking robust mutex refuses its holder with EDEADLK in every form (glibc answers EDEADLK even
    // for a try-lock, where POSIX would allow EBUSY): a relock is an error, never a hang.
    CHECK(cshim_mutex_lock(m, 0) == EDEADLK, "a try-lock by the holder: EDEADLK");
    CHECK(cshim_mutex_lock(m, 1000000LL) == EDEADLK, "a timed relock by the holder: EDEADLK");
    CHECK(cshim_mutex_lock(m, CSHIM_FOREVER) == EDEADLK, "a blocking relock by the holder: EDEADLK, not a hang");
    cshim_mutex_unlock(m);
    cshim_shm_unmap(a, sizeof *a);
}

static void test_mutex_timeouts_and_try(void) {
    struct mutex_area *a = shared_alloc(sizeof *a);
    cshim_mutex *m = (cshim_mutex *)a->mutex;
    cshim_mutex_init_at(m);
    pid_t owner = start_holder(a, m);
    CHECK(cshim_mutex_lock(m, 0) == EBUSY, "try-lock on a held mutex");
    int64_t t0 = cshim_now_ns();
    int rc = cshim_mutex_lock(m, 200000000LL);
    int64_t waited = cshim_now_ns() - t0;
    CHECK(rc == ETIMEDOUT, "timed lock: %s", strerror(rc));
    CHECK(waited >= 200000000LL && waited <= 250000000LL, "200 ms timeout took %.1f ms", waited / 1e6);
    CHECK(cshim_mutex_unlock(m) == EPERM, "unlocking another process's mutex is refused");
    kill(owner, SIGKILL);
    wait_exitcode(owner);
    cshim_shm_unmap(a, sizeof *a);
}

// ---------------------------------------------------------------------------------------------------------------
// Event count and eventfd

static void test_event_wakes_another_process(void) {
    struct area {
        _Alignas(64) unsigned char ev[64];
        _Atomic int flag;
        _Atomic int64_t woke_ns;
    } *a = shared_alloc(sizeof(struct area));
    cshim_event *e = (cshim_event *)a->ev;
    cshim_event_init_at(e);
    pid_t child = fork_child();
    if (child == 0) {
        while (!atomic_load(&a->flag)) {
            uint32_t token = cshim_event_prepare(e);
            if (atomic_load(&a->flag)) {
                cshim_event_cancel(e);
                break;
            }
            cshim_event_wait(e, token, cshim_deadline_after(5000000000LL));
        }
        atomic_store(&a->woke_ns, cshim_now_ns());
        _exit(0);
    }
    // Timed wait with nobody signalling returns ETIMEDOUT on time.
    int64_t t0 = cshim_now_ns();
    uint32_t token = cshim_event_prepare(e);
    int rc = cshim_event_wait(e, token, cshim_deadline_after(100000000LL));
    int64_t waited = cshim_now_ns() - t0;
    CHECK(rc == ETIMEDOUT && waited >= 100000000LL && waited < 150000000LL, "wait timed out after %.1f ms", waited / 1e6);
    atomic_store(&a->flag, 1);
    int64_t signalled = cshim_now_ns();
    cshim_event_signal(e);
    CHECK(wait_exitcode(child) == 0, "child");
    CHECK(atomic_load(&a->woke_ns) - signalled < 100000000LL, "woke %.3f ms after the signal",
          (atomic_load(&a->woke_ns) - signalled) / 1e6);
    cshim_shm_unmap(a, sizeof *a);
}

static void test_eventfd_timeout_and_signal_across_fork(void) {
    int fd = cshim_eventfd_create(0, 1);
    CHECK(fd >= 0, "eventfd: %s", strerror(errno));
    int64_t t0 = cshim_now_ns();
    CHECK(cshim_eventfd_wait(fd, 100000000LL, NULL) == ETIMEDOUT, "empty eventfd times out");
    int64_t waited = cshim_now_ns() - t0;
    CHECK(waited >= 100000000LL && waited < 150000000LL, "100 ms timeout took %.1f ms", waited / 1e6);
    CHECK(cshim_eventfd_wait(fd, 0, NULL) == ETIMEDOUT, "try on empty");
    pid_t child = fork_child();
    if (child == 0) _exit(cshim_eventfd_signal(fd, 2) == 0 ? 0 : 1);
    uint64_t v = 0;
    CHECK(cshim_eventfd_wait(fd, 2000000000LL, &v) == 0 && v == 1, "semaphore mode takes one unit");
    CHECK(cshim_eventfd_wait(fd, 2000000000LL, &v) == 0 && v == 1, "and the second");
    CHECK(wait_exitcode(child) == 0, "child signalled");
    close(fd);
}

// ---------------------------------------------------------------------------------------------------------------
// Shared memory segments

static void test_named_segments_exclusive_and_owned(void) {
    char name[64];
    snprintf(name, sizeof name, "/cshim-test-%d", (int)getpid());
    int fd = cshim_shm_named_create(name, 8192);
    CHECK(fd >= 0, "create: %s", strerror(errno));
    CHECK(cshim_shm_named_create(name, 8192) < 0 && errno == EEXIST, "a second exclusive create fails (EEXIST)");
    unsigned char *p = cshim_shm_map(fd, 8192);
    CHECK(p != NULL, "map");
    pid_t child = fork_child();
    if (child == 0) {
        size_t size = 0;
        int cfd = cshim_shm_named_open(name, &size);
        if (cfd < 0 || size != 8192) _exit(1);
        unsigned char *q = cshim_shm_map(cfd, size);
        q[100] = 42;
        _exit(0);  // attaching never unlinks
    }
    CHECK(wait_exitcode(child) == 0, "child attached by name");
    CHECK(p[100] == 42, "write through the other mapping is visible");
    CHECK(count_shm_entries("cshim-test-") == 1, "the name is still there after the attacher left");
    CHECK(cshim_shm_named_unlink(name) == 0, "owner unlinks");
    size_t sz;
    CHECK(cshim_shm_named_open(name, &sz) < 0 && errno == ENOENT, "gone after unlink");
    cshim_shm_unmap(p, 8192);
    close(fd);
}


// ---------------------------------------------------------------------------------------------------------------
// Process helpers

static void test_process_helpers(void) {
    int code = 0;
    pid_t c = fork_child();
    if (c == 0) _exit(7);
    int status;
    waitpid(c, &status, 0);
    CHECK(cshim_exitcode_from_status(status, &code) == 1 && code == 7, "exit code 7: %d", code);
    c = fork_child();
    if (c == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    waitpid(c, &status, 0);
    CHECK(cshim_exitcode_from_status(status, &code) == 1 && code == -SIGTERM, "killed by SIGTERM: %d", code);
    CHECK(cshim_usable_cpu_count() >= 1, "cpu count");
    CHECK(cshim_thread_count() == 1, "this test program is single-threaded: %d", cshim_thread_count());

    // The parent-death signal: a grandchild whose parent dies is SIGKILLed, not orphaned. The grandchild holds
    // the only write end of a pipe once the others are closed, so EOF on the read end is its death.
    int life[2];
    CHECK(pipe(life) == 0, "pipe");
    c = fork_child();
    if (c == 0) {
        pid_t me = getpid();
        pid_t g = fork_child();
        if (g == 0) {
            close(life[0]);
            cshim_set_parent_death_signal(SIGKILL, me);
            for (;;) pause();
        }
        _exit(0);
    }
    close(life[1]);
    wait_exitcode(c);
    struct pollfd pfd = { .fd = life[0], .events = POLLIN };
    char byte;
    CHECK(poll(&pfd, 1, 2000) == 1 && read(life[0], &byte, 1) == 0, "grandchild killed when its parent died");
    close(life[0]);

    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    CHECK(cshim_set_cloexec(fds[0]) == 0, "cloexec");
    c = fork_child();
    if (c == 0) {
        int keep[] = { 0, 1, 2, fds[1] };
        cshim_close_fds_except(3, keep, 4);
        _exit(fcntl(fds[0], F_GETFD) < 0 && fcntl(fds[1], F_GETFD) >= 0 ? 0 : 1);
    }
    CHECK(wait_exitcode(c) == 0, "close_fds_except closes all but the kept descriptors");
    close(fds[0]);
    close(fds[1]);
}

// A Process child's start and end: the recorded process, the parent-death signal (or none), stdin on /dev/null,
// stdio flushed by cshim_child_exit, which exits with the code given.
static void test_forked_child_begin_and_exit(void) {
    int marker = 0;
    CHECK(cshim_forked_child_process() == NULL, "not a forked child: nothing recorded");
    int out[2];
    CHECK(pipe(out) == 0, "pipe");
    for (int death = 0; death <= 1; death++) {
        pid_t c = fork_child();
        if (c == 0) {
            close(out[0]);
            cshim_forked_child_begin(&marker, death ? SIGKILL : 0, getppid());
            int ok = cshim_forked_child_process() == &marker && cshim_forked_child_table_settled() == 0;
            char byte;
            ok = ok && read(0, &byte, 1) == 0;  // /dev/null: end of file at once
            int sig = -1;
            ok = ok && prctl(PR_GET_PDEATHSIG, (unsigned long)&sig, 0UL, 0UL, 0UL) == 0 && sig == (death ? SIGKILL : 0);
            cshim_forked_child_note_table_settled();
            ok = ok && cshim_forked_child_table_settled() == 1;
            dup2(out[1], 1);
            fputs(death ? "buffered 1" : "buffered 0", stdout);  // no newline: still in the buffer at exit
            cshim_child_exit(ok ? 9 : 1);
        }
        CHECK(wait_exitcode(c) == 9, "the child saw what begin set up (death signal %d)", death);
        char text[32] = { 0 };
        CHECK(read(out[0], text, sizeof text - 1) == 10 && strcmp(text, death ? "buffered 1" : "buffered 0") == 0,
              "exit flushed stdio: '%s'", text);
    }
    close(out[0]);
    close(out[1]);
    // A creator with no stdin: the child's /dev/null lands on descriptor 0 itself, and must survive exec.
    pid_t c = fork_child();
    if (c == 0) {
        close(0);
        cshim_forked_child_begin(&marker, 0, getppid());
        char byte;
        cshim_child_exit(read(0, &byte, 1) == 0 && fcntl(0, F_GETFD) == 0 ? 9 : 1);
    }
    CHECK(wait_exitcode(c) == 9, "stdin opened on descriptor 0, not close-on-exec");
    CHECK(cshim_forked_child_process() == NULL, "the parent's record is untouched");
}

// cshim_fork_watched's sentinel, in this process: not readable while the child runs, readable once it has ended,
// and cshim_wait_child reaps through it (its timeout kept while the child runs). Returns the failures.
static int fork_watched_scenario(void) {
    int before = current_failures;
    int go[2];
    CHECK(pipe(go) == 0, "pipe: %s", strerror(errno));
    int sentinel = -2;
    pid_t pid = cshim_fork_watched(&sentinel);
    if (pid == 0) {
        close(go[1]);
        char byte;
        _exit(read(go[0], &byte, 1) == 1 ? 7 : 1);
    }
    close(go[0]);
    CHECK(pid > 0 && sentinel >= 0, "fork_watched: pid %d, sentinel %d (%s)", pid, sentinel, strerror(errno));
    struct pollfd entry = { .fd = sentinel, .events = POLLIN };
    CHECK(poll(&entry, 1, 0) == 0, "the sentinel is readable while the child runs");
    int code = -1;
    CHECK(cshim_wait_child(pid, sentinel, 50 * 1000000LL, &code) == ETIMEDOUT, "wait for a running child: timeout");
    CHECK(write(go[1], "g", 1) == 1, "release the child");
    CHECK(poll(&entry, 1, 10000) == 1, "the sentinel becomes readable when the child ends");
    CHECK(cshim_wait_child(pid, sentinel, 10 * 1000000000LL, &code) == 0 && code == 7, "reaped, exit code %d", code);
    close(go[1]);
    if (sentinel >= 0) close(sentinel);
    return current_failures - before;
}

// The no-pidfd half, in a fresh image (its "does pidfd_open work" is asked anew): pidfd_open refused with ENOSYS
// by a seccomp filter, as a kernel before 5.3 or a sandbox refuses it.
static int fork_watched_without_pidfd_main(void) {
    current_test = "fork_watched_without_pidfd";
    if (deny_pidfd_open() != 0) {
        fprintf(stderr, "  FAIL fork_watched_without_pidfd: seccomp: %s\n", strerror(errno));
        return 1;
    }
    CHECK(cshim_pidfd_open(getpid()) == -1 && errno == ENOSYS, "pidfd_open is refused");
    return fork_watched_scenario() == 0 ? 0 : 1;
}

static void test_fork_watched_sentinel(void) {
    CHECK(fork_watched_scenario() == 0, "with pidfds");
    // Without: this program again, under a seccomp filter (see main).
    pid_t pid = fork_child();
    if (pid == 0) {
        execl("/proc/self/exe", "cshim_test", "--fork-watched-without-pidfd", (char *)NULL);
        _exit(2);
    }
    CHECK(wait_exitcode(pid) == 0, "the scenario without pidfds (its failures above)");
}

// A process with the SIGTERM notice (a pool's zygote) ends its child before it ends by SIGTERM; a child forked
// after the notice ends by SIGTERM at once, whether it dropped the notice or not.
static void test_term_notice_ends_children_first(void) {
    int report[2];
    CHECK(pipe(report) == 0, "pipe");
    pid_t owner = fork_child();
    if (owner == 0) {
        close(report[0]);
        int notice = cshim_term_notice_install();
        if (notice < 0 || cshim_term_notice_install() != -1 || errno != EBUSY) _exit(10);
        pid_t grandchild = fork();
        if (grandchild == 0) {
            cshim_term_notice_drop();
            for (;;) pause();
        }
        pid_t undropped = fork();  // still holds the notice: its SIGTERM must end it all the same
        if (undropped == 0) for (;;) pause();
        kill(undropped, SIGTERM);
        int status = 0;
        if (waitpid(undropped, &status, 0) != undropped || !WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM) _exit(11);
        if (write(report[1], &grandchild, sizeof grandchild) != (ssize_t)sizeof grandchild) _exit(12);
        struct pollfd entry = { .fd = notice, .events = POLLIN };
        while (poll(&entry, 1, -1) < 0 && errno == EINTR) {}
        kill(grandchild, SIGKILL);
        waitpid(grandchild, &status, 0);
        cshim_term_notice_end();
    }
    close(report[1]);
    pid_t grandchild = 0;
    CHECK(read(report[0], &grandchild, sizeof grandchild) == (ssize_t)sizeof grandchild, "the owner set up (exit %d)",
          grandchild ? 0 : wait_exitcode(owner));
    close(report[0]);
    if (!grandchild) return;
    CHECK(kill(grandchild, 0) == 0, "the grandchild runs");
    CHECK(kill(owner, SIGTERM) == 0, "SIGTERM to the owner");
    CHECK(wait_exitcode(owner) == -SIGTERM, "the owner still ends by SIGTERM");
    CHECK(kill(grandchild, 0) == -1 && errno == ESRCH, "its child was ended and reaped before it ended");
}

// A directory with two files and an empty subdirectory in it, made by mkdtemp from `template`.
static int make_full_dir(char *template) {
    if (!mkdtemp(template)) return -1;
    char path[256];
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/file-%d", template, k);
        int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
        if (fd < 0) return -1;
        close(fd);
    }
    snprintf(path, sizeof path, "%s/sub", template);
    return mkdir(path, 0700);
}

static void term_dir_ignore(int sig) { (void)sig; }

static void test_term_remove_dir(void) {
    // the owner's directory, and how its set-up went (0 until it is done, 1 ready, otherwise the failure)
    struct { char dir[64]; _Atomic int state; } *owned = shared_alloc(sizeof *owned);
    strcpy(owned->dir, "/tmp/cshim-test-termdir-XXXXXX");
    pid_t owner = fork_child();
    if (owner == 0) {
        int state = 1;
        if (make_full_dir(owned->dir) != 0 || cshim_term_remove_dir(owned->dir) != 0) state = 10;
        // a process forked afterwards ends by SIGTERM at once, leaving the directory alone
        pid_t forked = state == 1 ? fork() : -1;
        if (forked == 0) for (;;) pause();
        int status = 0;
        if (forked > 0 && (kill(forked, SIGTERM) != 0 || waitpid(forked, &status, 0) != forked ||
                           !WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM || access(owned->dir, F_OK) != 0)) state = 11;
        atomic_store(&owned->state, state);
        for (;;) pause();
    }
    while (!atomic_load(&owned->state)) sched_yield();
    CHECK(atomic_load(&owned->state) == 1, "the owner set up (failure %d)", atomic_load(&owned->state));
    CHECK(kill(owner, SIGTERM) == 0, "SIGTERM to the owner");
    CHECK(wait_exitcode(owner) == -SIGTERM, "the owner still ends by SIGTERM");
    CHECK(access(owned->dir, F_OK) == -1 && errno == ENOENT, "its directory %s was removed, with what was in it",
          owned->dir);

    // forgotten (NULL): a SIGTERM leaves the directory; over another handler: refused with EBUSY
    char kept[] = "/tmp/cshim-test-termdir-XXXXXX";
    CHECK(make_full_dir(kept) == 0, "mkdtemp");
    pid_t forgetful = fork_child();
    if (forgetful == 0) {
        if (cshim_term_remove_dir(kept) != 0 || cshim_term_remove_dir(NULL) != 0) _exit(10);
        raise(SIGTERM);
        _exit(11);
    }
    CHECK(wait_exitcode(forgetful) == -SIGTERM, "ended by SIGTERM");
    CHECK(access(kept, F_OK) == 0, "a forgotten directory stays");
    pid_t handled = fork_child();
    if (handled == 0) {
        signal(SIGTERM, term_dir_ignore);
        _exit(cshim_term_remove_dir(kept) == -1 && errno == EBUSY ? 0 : 1);
    }
    CHECK(wait_exitcode(handled) == 0, "refused over the program's own SIGTERM handler");
    char path[256];
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/file-%d", kept, k);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/sub", kept);
    rmdir(path);
    rmdir(kept);
}

// ---- coroutines ------------------------------------------------------------------------------------------------

struct counter_coro {
    cshim_coro co;
    long value;     // handed out at each suspend
    long sent;      // handed in at each resume
    long limit;
};

static void counter_entry(cshim_coro *co) {
    struct counter_coro *c = co->user;
    volatile double f = 0.5;  // lives across switches (in a callee-saved register or on this stack)
    for (long i = 0; i < c->limit; i++) {
        c->value = i + c->sent;
        f += 1.0;
        cshim_coro_suspend(co);
    }
    c->value = -1 - (long)f;
    cshim_coro_exit(co);
}

static void test_coro_ping_pong_and_reuse(void) {
    size_t free0, mapped0;
    cshim_coro_stack_counts(&free0, &mapped0);
    struct counter_coro c = { .limit = 1000 };
    cshim_coro_init(&c.co, counter_entry, &c);
    long expect_sum = 0, sum = 0;
    for (long i = 0; i < 1000; i++) {
        c.sent = i * 3;
        CHECK(cshim_coro_resume(&c.co) == 0, "resume: %s", strerror(errno));
        CHECK(!c.co.finished, "not finished at %ld", i);
        sum += c.value;
        expect_sum += i + i * 3;
    }
    CHECK(sum == expect_sum, "values: %ld, expected %ld", sum, expect_sum);
    CHECK(cshim_coro_resume(&c.co) == 0, "last resume");
    CHECK(c.co.finished && c.value == -1 - 1000, "finished with %ld", c.value);
    cshim_coro_release(&c.co);
    cshim_coro_release(&c.co);  // twice is harmless
    // 100,000 coroutines started and released (finished or not) reuse one stack
    for (int i = 0; i < 100000; i++) {
        struct counter_coro d = { .limit = 5 };
        cshim_coro_init(&d.co, counter_entry, &d);
        cshim_coro_resume(&d.co);
        if (i % 2) {
            while (!d.co.finished) cshim_coro_resume(&d.co);
        }
        cshim_coro_release(&d.co);
    }
    size_t free1, mapped1;
    cshim_coro_stack_counts(&free1, &mapped1);
    CHECK(mapped1 <= mapped0 + 1, "stacks mapped: %zu before, %zu after", mapped0, mapped1);
}

// A coroutine that resumes others (a generator pipeline): each level doubles what the one below hands out.
struct chain_coro {
    cshim_coro co;
    struct chain_coro *below;
    long value;
};

static void chain_entry(cshim_coro *co) {
    struct chain_coro *c = co->user;
    for (;;) {
        if (c->below) {
            cshim_coro_resume(&c->below->co);
            if (c->below->co.finished) break;
            c->value = c->below->value * 2;
        } else {
            c->value++;
            if (c->value > 50) break;
        }
        cshim_coro_suspend(co);
    }
    cshim_coro_exit(co);
}

static void test_coro_nested_pipeline(void) {
    struct chain_coro levels[8];
    for (int i = 0; i < 8; i++) {
        levels[i].below = i ? &levels[i - 1] : NULL;
        levels[i].value = 0;
        cshim_coro_init(&levels[i].co, chain_entry, &levels[i]);
    }
    long n = 0, sum = 0;
    for (;;) {
        CHECK(cshim_coro_resume(&levels[7].co) == 0, "resume");
        if (levels[7].co.finished) break;
        sum += levels[7].value;
        n++;
    }
    CHECK(n == 50 && sum == 128 * (50 * 51 / 2), "%ld values, sum %ld", n, sum);
    for (int i = 0; i < 8; i++) cshim_coro_release(&levels[i].co);
}

static void test_coro_survives_fork(void) {
    struct counter_coro c = { .limit = 10 };
    cshim_coro_init(&c.co, counter_entry, &c);
    cshim_coro_resume(&c.co);
    cshim_coro_resume(&c.co);
    CHECK(c.value == 1, "suspended at 1 (%ld)", c.value);
    pid_t pid = fork_child();
    if (pid == 0) {
        // the child goes on with the suspended coroutine: its stack was copied with the process
        long sum = 0;
        for (;;) {
            cshim_coro_resume(&c.co);
            if (c.co.finished) break;
            sum += c.value;
        }
        cshim_coro_release(&c.co);
        _exit(sum == 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 ? 0 : 1);
    }
    CHECK(wait_exitcode(pid) == 0, "the child resumed the coroutine to its end");
    cshim_coro_resume(&c.co);
    CHECK(c.value == 2, "the parent's goes on too (%ld)", c.value);
    cshim_coro_release(&c.co);
}

static void deep_entry(cshim_coro *co) {
    // touch 4 MiB of the stack, then mark it deep as the evaluator does past CSHIM_CORO_SHALLOW
    volatile char big[4 << 20];
    memset((char *)big, 1, sizeof big);
    CHECK((uintptr_t)big < (uintptr_t)co->stack_low + co->stack_size - (4 << 20), "the buffer is on the stack");
    CHECK(cshim_coro_stack_pointer() > (uintptr_t)co->stack_low, "the stack pointer is in the stack");
    co->deep = 1;
    cshim_coro_exit(co);
}

static void test_coro_deep_stack_released(void) {
    cshim_coro co;
    cshim_coro_init(&co, deep_entry, NULL);
    CHECK(cshim_coro_resume(&co) == 0 && co.finished, "ran");
    char *low = co.stack_low;
    cshim_coro_release(&co);
    unsigned char vec[64];
    // the deep part's pages are gone (reading them again would give zeroes)
    CHECK(mincore(low + co.stack_size / 2, 64 * 4096, vec) == 0, "mincore: %s", strerror(errno));
    int resident = 0;
    for (int i = 0; i < 64; i++) resident += vec[i] & 1;
    (void)low;
    CHECK(resident == 0, "%d of 64 deep pages still resident", resident);
}

// ---------------------------------------------------------------------------------------------------------------

static const struct test tests[] = {
    { "mutex_owner_killed_waiter_recovers", test_mutex_owner_killed_waiter_recovers },
    { "mutex_owner_killed_next_locker_told", test_mutex_owner_killed_next_locker_told },
    { "mutex_timeouts_and_try", test_mutex_timeouts_and_try },
    { "event_wakes_another_process", test_event_wakes_another_process },
    { "eventfd_timeout_and_signal_across_fork", test_eventfd_timeout_and_signal_across_fork },
    { "named_segments_exclusive_and_owned", test_named_segments_exclusive_and_owned },
    { "process_helpers", test_process_helpers },
    { "forked_child_begin_and_exit", test_forked_child_begin_and_exit },
    { "fork_watched_sentinel", test_fork_watched_sentinel },
    { "term_notice_ends_children_first", test_term_notice_ends_children_first },
    { "term_remove_dir", test_term_remove_dir },
    { "coro_ping_pong_and_reuse", test_coro_ping_pong_and_reuse },
    { "coro_nested_pipeline", test_coro_nested_pipeline },
    { "coro_survives_fork", test_coro_survives_fork },
    { "coro_deep_stack_released", test_coro_deep_stack_released },
};

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--fork-watched-without-pidfd") == 0) return fork_watched_without_pidfd_main();
    return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv, 240, "no_leaks", "cshim-test-");
}
