#include "cshim_spawn.h"
#include "cshim_process.h"
#include "internal.h"
#include <errno.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

int cshim_socket_send_with_fds(int sock, const void *data, size_t length, const int *fds, int fd_count) {
    if (fd_count < 0 || fd_count > CSHIM_MAX_PASSED_FDS || (fd_count > 0 && fds == NULL) || length == 0) {
        errno = EINVAL;
        return -1;
    }
    const char *bytes = data;
    size_t sent = 0;
    // The descriptors ride on the first sendmsg; a stream socket delivers them with the first byte it carries.
    union {
        struct cmsghdr align;
        char space[CMSG_SPACE(sizeof(int) * CSHIM_MAX_PASSED_FDS)];
    } control;
    memset(&control, 0, sizeof control);
    while (sent < length) {
        struct iovec iov = { .iov_base = (void *)(bytes + sent), .iov_len = length - sent };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
        if (sent == 0 && fd_count > 0) {
            msg.msg_control = control.space;
            msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)fd_count);
            struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
            cmsg->cmsg_level = SOL_SOCKET;
            cmsg->cmsg_type = SCM_RIGHTS;
            cmsg->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)fd_count);
            memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * (size_t)fd_count);
        }
        ssize_t n = sendmsg(sock, &msg, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        sent += (size_t)n;
    }
    return 0;
}

int cshim_socket_recv_with_fds(int sock, void *buffer, size_t length, int *fds, int max_fds, int *fd_count) {
    *fd_count = 0;
    if (max_fds < 0 || max_fds > CSHIM_MAX_PASSED_FDS || length == 0) {
        errno = EINVAL;
        return -1;
    }
    char *bytes = buffer;
    size_t received = 0;
    union {
        struct cmsghdr align;
        char space[CMSG_SPACE(sizeof(int) * CSHIM_MAX_PASSED_FDS)];
    } control;
    int truncated = 0;
    while (received < length) {
        struct iovec iov = { .iov_base = bytes + received, .iov_len = length - received };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
        if (received == 0) {
            msg.msg_control = control.space;
            msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)(max_fds > 0 ? max_fds : 1));
        }
        ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0) {
            if (errno == EINTR) continue;
            goto fail;
        }
        if (received == 0) {
            for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
                int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
                for (int i = 0; i < count; i++) {
                    int fd;
                    memcpy(&fd, CMSG_DATA(c) + sizeof(int) * (size_t)i, sizeof fd);
                    if (*fd_count < max_fds) fds[(*fd_count)++] = fd;
                    else {
                        close(fd);  // more than the caller has room for: an error, and none kept
                        truncated = 1;
                    }
                }
            }
            if (msg.msg_flags & MSG_CTRUNC) truncated = 1;
        }
        if (n == 0) {
            if (received == 0 && *fd_count == 0) return -2;
            errno = ECONNRESET;  // the peer closed in the middle of a message
            goto fail;
        }
        received += (size_t)n;
    }
    if (truncated) {
        errno = EMSGSIZE;
        goto fail;
    }
    return 0;
fail: {
        int saved = errno;
        for (int i = 0; i < *fd_count; i++) close(fds[i]);
        *fd_count = 0;
        errno = saved;
        return -1;
    }
}

// glibc's thread descriptor (nptl/descr.h), stable since NPTL began: ... `pid_t tid; pid_t pid_unused;
// void *robust_prev; struct robust_list_head robust_head;` ... fork() passes &tid to the kernel
// (CLONE_CHILD_SETTID) and re-registers &robust_head in the child. A raw clone must do both, or the child's
// robust mutexes would carry the server's thread id and never be recovered when the child dies. We find
// robust_head with get_robust_list, step back to tid, and check that it holds our thread id.
static struct robust_list_head *forkserver_robust_head;
static size_t forkserver_robust_length;
static pid_t *forkserver_tid;

int cshim_forkserver_prepare(void) {
    struct robust_list_head *head = NULL;
    size_t length = 0;
    if (syscall(SYS_get_robust_list, 0, &head, &length) != 0) return -1;
    if (head == NULL) {
        errno = ENOSYS;
        return -1;
    }
    pid_t *tid = (pid_t *)((char *)head - sizeof(void *) - 2 * sizeof(pid_t));
    if (*tid != (pid_t)syscall(SYS_gettid)) {
        errno = ENOSYS;  // not the layout we know: refuse rather than corrupt
        return -1;
    }
    forkserver_robust_head = head;
    forkserver_robust_length = length;
    forkserver_tid = tid;
    return 0;
}

pid_t cshim_forkserver_fork(void) {
    if (forkserver_tid == NULL) {
        errno = EINVAL;
        return -1;
    }
    fflush(NULL);
    // CLONE_PARENT with clone3 requires exit_signal 0: the kernel then uses our own exit signal (SIGCHLD).
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_PARENT | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
    args.child_tid = (uint64_t)(uintptr_t)forkserver_tid;
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid != 0) return (pid_t)pid;
    cshim_forget_cached_pid();  // no atfork handlers ran
    // The child: the kernel wrote our thread id into glibc's descriptor; register the robust list afresh
    // (empty: the server held no robust mutex), as glibc's fork does.
    forkserver_robust_head->list.next = &forkserver_robust_head->list;
    forkserver_robust_head->list_op_pending = NULL;
    syscall(SYS_set_robust_list, forkserver_robust_head, forkserver_robust_length);
    return 0;
}

pid_t cshim_forkserver_fork_watched(int *watch) {
    if (!cshim_pidfds_supported()) return cshim_fork_with_sentinel_pipe(cshim_forkserver_fork, watch);
    *watch = -1;
    return cshim_forkserver_fork();
}

int cshim_spawn_program(const char *path, char *const *argv, char *const *envp, int inherit_fd, pid_t *pid) {
    posix_spawn_file_actions_t actions;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc != 0) return rc;
    if (inherit_fd >= 0) {
        if (inherit_fd != 3) rc = posix_spawn_file_actions_adddup2(&actions, inherit_fd, 3);
        // dup2 onto itself would keep FD_CLOEXEC: go through a spare number and back.
        else if ((rc = posix_spawn_file_actions_adddup2(&actions, 3, 4)) == 0)
            rc = posix_spawn_file_actions_adddup2(&actions, 4, 3);
        if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&actions, 4);
    } else {
        rc = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    }
    if (rc == 0) {
        fflush(NULL);
        rc = posix_spawn(pid, path, &actions, NULL, argv, envp);
    }
    posix_spawn_file_actions_destroy(&actions);
    return rc;
}
