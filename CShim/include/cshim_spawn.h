// Process helpers for the forkserver and spawn start methods: descriptors over unix sockets, a fork whose
// child belongs to the server's parent, and posix_spawn with one inherited socket.
#pragma once
#include "cshim_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/// The most descriptors one message may carry (the kernel's SCM_MAX_FD).
#define CSHIM_MAX_PASSED_FDS 253

/// Sends `length` bytes from `data` on the stream socket `sock`, with `fd_count` descriptors attached to the
/// first byte (SCM_RIGHTS). Writes everything (retrying short writes and EINTR) and returns 0, or -1 with errno.
/// In C: CMSG_SPACE, CMSG_FIRSTHDR and CMSG_DATA are macros.
int cshim_socket_send_with_fds(int sock, const void *CSHIM_NONNULL data, size_t length,
                               const int *CSHIM_NULLABLE fds, int fd_count);

/// Receives exactly `length` bytes into `buffer` from the stream socket `sock`, and the descriptors attached to
/// them (close-on-exec) into `fds` (room for `max_fds`); *fd_count tells how many arrived. Returns 0; -1 with
/// errno; or -2 with *fd_count 0 when the peer closed the socket before the first byte (end of file).
/// Descriptors that did not fit (MSG_CTRUNC) are closed by the kernel: then -1 with EMSGSIZE. In C: the CMSG
/// macros.
int cshim_socket_recv_with_fds(int sock, void *CSHIM_NONNULL buffer, size_t length,
                               int *CSHIM_NONNULL fds, int max_fds, int *CSHIM_NONNULL fd_count);

/// Prepares the calling (single-threaded) process to fork children that belong to its parent: finds glibc's
/// thread descriptor fields that a raw clone must fix (the cached thread id and the robust-mutex list) and
/// checks them. Returns 0, or -1 with errno (ENOSYS: this libc's layout is not the one expected).
/// In C: get_robust_list has no wrapper.
int cshim_forkserver_prepare(void);

/// Forks the calling process with CLONE_PARENT: the child is a child of the caller's parent, which waits for it,
/// gets its exit status and SIGCHLD exactly as if it had forked it. Like fork(): returns the pid in the caller,
/// 0 in the child, -1 with errno. The child's thread id (as glibc caches it, for robust and error-checking
/// mutexes) and robust list are set as glibc's fork sets them. Stdio is flushed first. Call
/// cshim_forkserver_prepare() once before. Only for a single-threaded caller (the fork server).
/// In C: raw clone and set_robust_list have no wrappers, and glibc's thread descriptor is not visible to Swift.
pid_t cshim_forkserver_fork(void);

/// cshim_forkserver_fork, and where pidfd_open is refused (cshim_pidfds_supported) the child's sentinel for its
/// owner: *watch gets the read end of a close-on-exec pipe whose write end only the child holds (-1 otherwise, in
/// the child, and on failure). The owner makes its own pidfd where it can.
pid_t cshim_forkserver_fork_watched(int *CSHIM_NONNULL watch);

/// Starts `path` with posix_spawn: `argv` and `envp` NULL-terminated, `inherit_fd` (if >= 0) becomes
/// descriptor 3 in the new program and every other descriptor from 4 up is closed there (so nothing else the
/// caller has open leaks, close-on-exec or not). Standard input, output and error are inherited. Returns 0 and
/// sets *pid, or an errno value (posix_spawn's convention). In C: posix_spawn's file actions, and
/// posix_spawn_file_actions_addclosefrom_np, which Swift's Glibc module does not import.
int cshim_spawn_program(const char *CSHIM_NONNULL path, char *CSHIM_NULLABLE const *CSHIM_NONNULL argv,
                        char *CSHIM_NULLABLE const *CSHIM_NONNULL envp, int inherit_fd, pid_t *CSHIM_NONNULL pid);

#ifdef __cplusplus
}
#endif
