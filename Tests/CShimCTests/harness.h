// The C tests' harness, shared by cshim_test.c and sync_test.c: CHECK, a watchdog that turns a hang into a
// failure, helpers for child processes and shared memory, leak counters, and the runner that prints
// "ok/FAIL name" per test and "N passed, N failed" at the end.
#pragma once
#include "CShim.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *current_test = "";
static int current_failures;
static int quiet;

#define CHECK(cond, ...)                                                                          \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            current_failures++;                                                                   \
            fprintf(stderr, "  FAIL %s (%s:%d): %s — ", current_test, __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                                         \
            fputc('\n', stderr);                                                                  \
        }                                                                                         \
    } while (0)

static void on_watchdog(int sig) {
    (void)sig;
    static const char msg[] = "  FAIL: watchdog expired (a hang)\n";
    write(2, msg, sizeof msg - 1);
    kill(0, SIGKILL);  // the whole process group: children included
    _exit(3);
}

static inline void *shared_alloc(size_t size) {
    int fd = cshim_shm_anon_create("cshim-test", size);
    if (fd < 0) {
        perror("memfd");
        exit(2);
    }
    void *p = cshim_shm_map(fd, size);
    close(fd);  // the mapping keeps the memory
    if (!p) {
        perror("mmap");
        exit(2);
    }
    return p;
}

static inline pid_t fork_child(void) {
    pid_t pid = cshim_fork_flushed();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    return pid;
}

static inline int wait_exitcode(pid_t pid) {
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1000;
    }
    int code = -999;
    cshim_exitcode_from_status(status, &code);
    return code;
}

static inline int count_fds(void) {
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d) return -1;
    struct dirent *e;
    while ((e = readdir(d))) n += e->d_name[0] != '.';
    closedir(d);
    return n - 1;  // the directory's own descriptor
}

static inline int count_shm_entries(const char *prefix) {
    int n = 0;
    DIR *d = opendir("/dev/shm");
    if (!d) return 0;
    struct dirent *e;
    while ((e = readdir(d))) n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

struct test {
    const char *name;
    void (*fn)(void);
};

// Runs the tests whose names contain the filter (argv: [-q] [filter]), each under a watchdog of
// `watchdog_seconds`, then checks that no child, descriptor or /dev/shm entry named `shm_prefix` was left.
// Returns the process's exit code.
static inline int run_tests(const struct test *tests, size_t count, int argc, char **argv, unsigned watchdog_seconds,
                     const char *leak_test_name, const char *shm_prefix) {
    const char *filter = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-q") == 0) quiet = 1;
        else filter = argv[i];
    }
    setpgid(0, 0);  // the watchdog kills our whole group
    signal(SIGALRM, on_watchdog);
    int fds_before = count_fds();
    int passed = 0, failed = 0;
    for (size_t i = 0; i < count; i++) {
        if (filter && !strstr(tests[i].name, filter)) continue;
        current_test = tests[i].name;
        current_failures = 0;
        alarm(watchdog_seconds);
        int64_t t0 = cshim_now_ns();
        tests[i].fn();
        alarm(0);
        printf("%s %s (%.2f s)\n", current_failures ? "FAIL" : "ok  ", tests[i].name, (cshim_now_ns() - t0) / 1e9);
        fflush(stdout);
        if (current_failures) failed++;
        else passed++;
    }
    current_test = leak_test_name;
    current_failures = 0;
    CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD, "a child process was left behind");
    CHECK(count_fds() == fds_before, "descriptors: %d before, %d after", fds_before, count_fds());
    CHECK(count_shm_entries(shm_prefix) == 0, "/dev/shm entries left behind");
    printf("%s %s\n", current_failures ? "FAIL" : "ok  ", leak_test_name);
    if (current_failures) failed++;
    else passed++;
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
