// Shared-memory segments: anonymous (memfd, inherited by forked children) and named (POSIX shm).
#pragma once
#include "cshim_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Creates an anonymous shared segment of `size` bytes: memfd_create(MFD_CLOEXEC) + ftruncate.
/// Returns the descriptor, or -1 with errno. In C to keep the close-on-exec policy in one place.
int cshim_shm_anon_create(const char *CSHIM_NONNULL debug_name, size_t size);

/// Creates a named POSIX segment exclusively (O_CREAT|O_EXCL, mode 0600, close-on-exec) and sizes it.
/// `name` starts with '/'. Returns the descriptor or -1 with errno (EEXIST when the name is taken); on a
/// failed ftruncate the name is unlinked again, so a failure never leaves a /dev/shm entry behind.
/// In C so that the exclusive-create-then-size sequence and its rollback live in one place.
int cshim_shm_named_create(const char *CSHIM_NONNULL name, size_t size);

/// Opens an existing named segment read-write (close-on-exec) and reports its size. -1 with errno.
/// Attaching never unlinks: only the creator owns the name.
int cshim_shm_named_open(const char *CSHIM_NONNULL name, size_t *CSHIM_NONNULL size_out);

/// shm_unlink; returns libc's answer (0, or -1 with errno).
int cshim_shm_named_unlink(const char *CSHIM_NONNULL name);

/// Areas up to this size are mapped pre-faulted; larger ones (an elastic ring's reach) lazily.
#define CSHIM_SHM_POPULATE_LIMIT ((size_t)64 << 20)

/// Maps `size` bytes of `fd` shared and read-write, pre-faulted up to CSHIM_SHM_POPULATE_LIMIT (MAP_POPULATE: a
/// page fault is a VM exit on this host; beyond that, populating would cost the whole size in memory and time).
/// Returns NULL with errno on failure. In C because MAP_FAILED is a macro Swift cannot import.
void *CSHIM_NULLABLE cshim_shm_map(int fd, size_t size);

/// munmap; returns libc's answer.
int cshim_shm_unmap(void *CSHIM_NONNULL addr, size_t size);

#ifdef __cplusplus
}
#endif
