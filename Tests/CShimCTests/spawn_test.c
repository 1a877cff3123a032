// C tests of CShim/cshim_spawn.c: descriptors over unix sockets, the fork server's CLONE_PARENT fork, and
// posix_spawn with one inherited socket. Built and run by Tests/CShimCTests/run.sh beside the others, plainly
// and under ASan + UBSan. Same output format: one "ok"/"FAIL" line per test, then "N passed, N failed".
//
// Usage: spawn_test [-q] [test-name-substring]
#include "harness.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <sys/socket.h>

static void test_descriptors_travel_with_the_first_byte(void) {
    int sv[2], p[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0, "socketpair");
    CHECK(pipe2(p, O_CLOEXEC) == 0, "pipe");
    int fds_before = count_fds();
    const char message[] = "hello, child";
    CHECK(cshim_socket_send_with_fds(sv[0], message, sizeof message, p, 2) == 0, "send: %s", strerror(errno));
    char buffer[sizeof message];
    int got[4] = { -1, -1, -1, -1 }, count = -1;
    CHECK(cshim_socket_recv_with_fds(sv[1], buffer, sizeof buffer, got, 4, &count) == 0, "recv: %s", strerror(errno));
    CHECK(memcmp(buffer, message, sizeof message) == 0, "the bytes arrive");
    CHECK(count == 2, "two descriptors arrive (%d)", count);
    if (count == 2) {
        CHECK(fcntl(got[0], F_GETFD) & FD_CLOEXEC, "received descriptors are close-on-exec");
        CHECK(write(got[1], "x", 1) == 1, "the received write end works");
        char c = 0;
        CHECK(read(p[0], &c, 1) == 1 && c == 'x', "it is the same pipe");
        close(got[0]);
        close(got[1]);
    }
    CHECK(count_fds() == fds_before, "nothing else was opened");
    close(sv[0]);
    CHECK(cshim_socket_recv_with_fds(sv[1], buffer, sizeof buffer, got, 4, &count) == -2 && count == 0,
          "end of file before the first byte is -2");
    close(sv[1]);
    close(p[0]);
    close(p[1]);
}

static void test_too_many_descriptors_are_an_error_and_closed(void) {
    int sv[2], p[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0, "socketpair");
    CHECK(pipe2(p, O_CLOEXEC) == 0, "pipe");
    int fds_before = count_fds();
    char byte = 1;
    CHECK(cshim_socket_send_with_fds(sv[0], &byte, 1, p, 2) == 0, "send");
    int got[1] = { -1 }, count = -1;
    errno = 0;
    CHECK(cshim_socket_recv_with_fds(sv[1], &byte, 1, got, 1, &count) == -1 && errno == EMSGSIZE,
          "room for one of two: EMSGSIZE (%s)", strerror(errno));
    CHECK(count == 0 && count_fds() == fds_before, "no descriptor is left open");
    CHECK(cshim_socket_send_with_fds(sv[0], &byte, 1, p, CSHIM_MAX_PASSED_FDS + 1) == -1 && errno == EINVAL,
          "more than the kernel carries: EINVAL");
    CHECK(cshim_socket_send_with_fds(sv[0], &byte, 0, NULL, 0) == -1 && errno == EINVAL, "an empty message: EINVAL");
    close(sv[0]);
    close(sv[1]);
    close(p[0]);
    close(p[1]);
}

// The fork server's fork: the child belongs to the server's parent (us), which waits for it and gets its exit
// code; a robust lock the child dies holding is recovered, so its thread id and robust list are its own.
static void test_forkserver_child_is_our_child_with_its_own_thread_id(void) {
    struct {
        _Alignas(64) unsigned char lock[256];
        _Atomic int child;
        _Atomic int child_saw_parent;
    } *shared = shared_alloc(4096);
    cshim_lock *l = (cshim_lock *)shared->lock;
    cshim_lock_init_at(l);
    pid_t me = getpid();
    pid_t server = fork_child();
    if (server == 0) {
        if (cshim_forkserver_prepare() != 0) _exit(10);
        pid_t child = cshim_forkserver_fork();
        if (child == 0) {
            atomic_store(&shared->child_saw_parent, getppid() == me);
            if (cshim_lock_acquire(l, CSHIM_FOREVER) != 0) _exit(11);
            if (!cshim_lock_is_mine(l)) _exit(12);
            _exit(7);  // holding the lock
        }
        atomic_store(&shared->child, child);
        _exit(child > 0 ? 0 : 13);
    }
    CHECK(wait_exitcode(server) == 0, "the server forked");
    pid_t child = atomic_load(&shared->child);
    CHECK(child > 0, "a child pid");
    if (child > 0) {
        CHECK(wait_exitcode(child) == 7, "we wait for the server's child and get its exit code");
        CHECK(atomic_load(&shared->child_saw_parent), "the child's parent is us");
        CHECK(cshim_lock_acquire(l, 1000000000) == EOWNERDEAD, "the lock it died holding is recovered");
        cshim_lock_release(l);
    }
    CHECK(cshim_forkserver_fork() == -1 && errno == EINVAL, "without prepare: EINVAL");
    cshim_shm_unmap((void *)shared, 4096);
}

static void test_spawn_passes_one_socket_at_3_and_nothing_else(void) {
    int sv[2], leak[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0, "socketpair");
    CHECK(pipe(leak) == 0, "a pipe without close-on-exec");
    char script[256];
    // fd 3 must be our socket, and the pipe (not close-on-exec) must not have been inherited.
    snprintf(script, sizeof script, "test -S /proc/self/fd/3 && ! test -e /proc/self/fd/%d && ! test -e /proc/self/fd/%d",
             leak[0] > 3 ? leak[0] : 99, leak[1] > 3 ? leak[1] : 99);
    char *argv[] = { "/bin/sh", "-c", script, NULL };
    char *envp[] = { "PATH=/usr/bin:/bin", NULL };
    pid_t pid = -1;
    CHECK(cshim_spawn_program("/bin/sh", argv, envp, sv[1], &pid) == 0, "spawn");
    CHECK(pid > 0 && wait_exitcode(pid) == 0, "the child had the socket at 3 and no other descriptor");
    CHECK(cshim_spawn_program("/nonexistent/program", argv, envp, sv[1], &pid) == ENOENT, "a missing program: ENOENT");
    close(sv[0]);
    close(sv[1]);
    close(leak[0]);
    close(leak[1]);
}

static const struct test tests[] = {
    { "spawn_descriptors_travel_with_the_first_byte", test_descriptors_travel_with_the_first_byte },
    { "spawn_too_many_descriptors_are_an_error_and_closed", test_too_many_descriptors_are_an_error_and_closed },
    { "spawn_forkserver_child_is_our_child_with_its_own_thread_id", test_forkserver_child_is_our_child_with_its_own_thread_id },
    { "spawn_passes_one_socket_at_3_and_nothing_else", test_spawn_passes_one_socket_at_3_and_nothing_else },
};

int main(int argc, char **argv) {
    return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv, 60, "spawn_no_leaks", "cshim-spawn-");
}
