// A robust, process-shared mutex that lives in shared memory.
#pragma once
#include "cshim_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Opaque: Swift never sees the pthread_mutex_t inside. Place it with `cshim_mutex_init_at` in memory that
/// every user maps (MAP_SHARED), aligned to `cshim_mutex_align()`.
typedef struct cshim_mutex cshim_mutex;

size_t cshim_mutex_size(void);
size_t cshim_mutex_align(void);

/// Initialises a PTHREAD_PROCESS_SHARED, PTHREAD_MUTEX_ROBUST, error-checking mutex at `place`.
/// Returns the pthread error code (0 on success). In C because pthread_mutex_t is opaque to Swift's importer
/// as a shared-memory field and the attribute dance belongs in one place.
int cshim_mutex_init_at(void *CSHIM_NONNULL place);

/// Locks, waiting at most `timeout_ns` (CShim's convention: <0 forever, 0 try). Returns:
///   0            acquired;
///   EOWNERDEAD   acquired, but the previous owner died holding it. The mutex has already been made consistent
///                (pthread_mutex_consistent), so it stays usable; the caller should repair what it protects;
///   ETIMEDOUT    (timed) or EBUSY (try) — not acquired;
///   EDEADLK      the calling thread already holds it;
///   ENOTRECOVERABLE, EINVAL — see pthread_mutex_lock(3).
/// Never hangs on a dead owner: the kernel's robust-futex list hands the lock on when its owner dies.
int cshim_mutex_lock(cshim_mutex *CSHIM_NONNULL m, int64_t timeout_ns);

/// Unlocks; EPERM when the caller is not the owner. Returns the pthread error code.
int cshim_mutex_unlock(cshim_mutex *CSHIM_NONNULL m);

/// Destroys; only when no process can use it any more.
int cshim_mutex_destroy(cshim_mutex *CSHIM_NONNULL m);

#ifdef __cplusplus
}
#endif
