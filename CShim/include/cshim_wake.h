// Wake-ups: an event count over a futex word in shared memory, and eventfd.
#pragma once
#include "cshim_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/// An event count in shared memory: waiters announce themselves, so a signal costs a syscall only when somebody
/// sleeps, and only the first signal after the announcement pays it. Opaque because it holds `_Atomic` words. Usage (waiter):
///     uint32_t token = cshim_event_prepare(e);
///     if (condition already true) { cshim_event_cancel(e); return; }
///     cshim_event_wait(e, token, deadline);   // and cancels the announcement itself
/// and (signaller): make the condition true, then cshim_event_signal(e).
/// The prepare/check/wait order plus the full fence in signal make a lost wake-up impossible.
typedef struct cshim_event cshim_event;

size_t cshim_event_size(void);
size_t cshim_event_align(void);
void cshim_event_init_at(void *CSHIM_NONNULL place);

/// Announces a sleeper and returns the current sequence token. In C: `_Atomic` fields.
uint32_t cshim_event_prepare(cshim_event *CSHIM_NONNULL e);
/// Called instead of waiting when the condition already holds (the announcement may cost one spare wake-up).
void cshim_event_cancel(cshim_event *CSHIM_NONNULL e);
/// Sleeps until signalled after `token` was taken, or until the absolute CLOCK_MONOTONIC `deadline_ns`
/// (<0: none). Returns 0 (signalled, or spurious: re-check the condition and prepare again before another
/// wait) or ETIMEDOUT. In C: FUTEX_WAIT_BITSET has no libc wrapper.
int cshim_event_wait(cshim_event *CSHIM_NONNULL e, uint32_t token, int64_t deadline_ns);
/// Wakes every sleeper, with no syscall when nobody is announced. Returns the number of sleepers woken.
int cshim_event_signal(cshim_event *CSHIM_NONNULL e);

/// eventfd(2), close-on-exec, non-blocking; `semaphore` selects EFD_SEMAPHORE. -1 with errno.
int cshim_eventfd_create(uint32_t initial, int semaphore);
/// Adds `n` to the counter. 0, or -1 with errno. In C: the 8-byte write protocol lives here.
int cshim_eventfd_signal(int fd, uint64_t n);
/// Waits up to `timeout_ns` for the counter to be non-zero and takes it (one unit with EFD_SEMAPHORE).
/// Returns 0 with *value set, ETIMEDOUT, or an errno value. Retries EINTR with the remaining time.
int cshim_eventfd_wait(int fd, int64_t timeout_ns, uint64_t *CSHIM_NULLABLE value);

#ifdef __cplusplus
}
#endif
