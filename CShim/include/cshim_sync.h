// Process-shared synchronisation primitives: Lock/RLock, Semaphore, Condition wait queue, Event flag.
// Every structure lives in shared memory, is opaque (size, alignment, init_at) and is placed by the caller.
// Results are errno-style codes: 0 success; ETIMEDOUT (timed) or EBUSY (try, timeout 0) when not acquired.
#pragma once
#include "cshim_base.h"

#ifdef __cplusplus
extern "C" {
#endif

// ---- Lock and RLock: a robust, process-shared mutex plus a recursion count -----------------------------------

/// Opaque: a robust mutex (see cshim_mutex.h), the recursion count of an RLock, and whether the current holding
/// began by recovering the lock from a dead owner. The same layout serves Lock and RLock.
typedef struct cshim_lock cshim_lock;

/// Bytes and alignment to reserve in shared memory. In C: sizeof/_Alignof of a structure Swift does not see.
size_t cshim_lock_size(void);
size_t cshim_lock_align(void);
/// Formats a lock at `place`. Returns the pthread error code. In C: the pthread_mutex_t inside is opaque to Swift.
int cshim_lock_init_at(void *CSHIM_NONNULL place);

/// Non-recursive acquire, waiting at most `timeout_ns` (<0 forever, 0 try). Returns 0; EOWNERDEAD (acquired,
/// the previous holder died holding it; already consistent); ETIMEDOUT/EBUSY (not acquired); EDEADLK when the
/// calling thread already holds it and would wait (a try by the holder answers EBUSY, as CPython's
/// `acquire(False)` answers False). In C: the robust-mutex protocol and the recovery flag stay together.
int cshim_lock_acquire(cshim_lock *CSHIM_NONNULL l, int64_t timeout_ns);
/// Releases a lock the caller holds; EPERM when it does not (not held, or held by another thread or process).
/// In C: the owner check reads the mutex's futex word.
int cshim_lock_release(cshim_lock *CSHIM_NONNULL l);
/// 1 when the calling thread holds the lock. In C: reads the futex word that the kernel's robust list keeps
/// (the owner's thread id), which a dead owner's recycled thread id can never match.
int cshim_lock_is_mine(const cshim_lock *CSHIM_NONNULL l);
/// 1 when the current holding began with a recovery from a dead holder (meaningful to the holder only).
/// In C: a field of the opaque structure.
int cshim_lock_recovered(const cshim_lock *CSHIM_NONNULL l);

/// 1 when some live thread (of any process) holds the lock, for reprs; a snapshot. In C: it reads the robust
/// futex word, as cshim_lock_is_mine does.
int cshim_lock_is_held(const cshim_lock *CSHIM_NONNULL l);

/// Recursive acquire: the holder only increments the count. Same results as cshim_lock_acquire, without EDEADLK.
/// A dead holder's count is discarded by the next acquirer (EOWNERDEAD). In C: owner check and count together.
int cshim_rlock_acquire(cshim_lock *CSHIM_NONNULL l, int64_t timeout_ns);
/// Decrements the count and unlocks at zero; EPERM when the caller is not the owner. In C: as cshim_lock_release.
int cshim_rlock_release(cshim_lock *CSHIM_NONNULL l);
/// The recursion count when the caller owns it, else 0. In C: owner check and field of the opaque structure.
uint32_t cshim_rlock_count(const cshim_lock *CSHIM_NONNULL l);
/// For Condition.wait: unlocks however deep the recursion, storing it in *depth; EPERM when not the owner.
/// In C: count and unlock must change together.
int cshim_rlock_release_all(cshim_lock *CSHIM_NONNULL l, uint32_t *CSHIM_NONNULL depth);
/// Re-acquires (forever) and restores a depth saved by cshim_rlock_release_all; 0 or EOWNERDEAD.
/// In C: as cshim_rlock_release_all.
int cshim_rlock_restore(cshim_lock *CSHIM_NONNULL l, uint32_t depth);

// ---- Semaphore -------------------------------------------------------------------------------------------------

/// Opaque: an atomic counter and an event count (futex) for sleepers.
typedef struct cshim_sem cshim_sem;

/// The largest value a semaphore may hold (CPython's SEM_VALUE_MAX on Linux).
#define CSHIM_SEM_VALUE_MAX 2147483647u

/// Bytes and alignment to reserve in shared memory. In C: sizeof/_Alignof of a structure Swift does not see.
size_t cshim_sem_size(void);
size_t cshim_sem_align(void);
/// Formats a semaphore with `value`, bounded by `max` (CSHIM_SEM_VALUE_MAX for an unbounded Semaphore).
/// EINVAL when value > max or max > CSHIM_SEM_VALUE_MAX. In C: `_Atomic` fields.
int cshim_sem_init_at(void *CSHIM_NONNULL place, uint32_t value, uint32_t max);
/// Takes one unit, waiting at most `timeout_ns` (<0 forever, 0 try). 0, ETIMEDOUT or EBUSY.
/// In C: compare-and-swap on an `_Atomic` and futex waits.
int cshim_sem_acquire(cshim_sem *CSHIM_NONNULL s, int64_t timeout_ns);
/// Gives one unit back and wakes sleepers (no syscall when nobody sleeps); EOVERFLOW at the bound, unchanged.
int cshim_sem_release(cshim_sem *CSHIM_NONNULL s);
/// The current value (a snapshot). In C: an `_Atomic` load.
uint32_t cshim_sem_value(const cshim_sem *CSHIM_NONNULL s);

// ---- Condition: a FIFO wait queue used under the condition's lock ----------------------------------------------

/// Opaque: a ticket counter, an event count, and a fixed table of waiter slots (ticket, notified bit).
/// Protocol (the caller holds the condition's lock unless said otherwise):
///     enqueue(&slot); release lock; wait(slot, deadline) [without the lock]; re-acquire lock; dequeue(slot)
/// notify(n) marks the n oldest waiters still queued, so a waiter that arrives after a notify never steals it.
/// A waiter whose process died while waiting is skipped by notify (the notify goes to a live waiter) and its
/// slot reclaimed.
typedef struct cshim_cond cshim_cond;

/// How many processes (or threads) may wait on one condition at once.
#define CSHIM_COND_SLOTS 250u

/// Bytes and alignment to reserve in shared memory. In C: sizeof/_Alignof of a structure Swift does not see.
size_t cshim_cond_size(void);
size_t cshim_cond_align(void);
/// Formats an empty queue at `place`. In C: `atomic_init` of its words.
void cshim_cond_init_at(void *CSHIM_NONNULL place);
/// Takes a waiter slot (lock held). 0, or EAGAIN when CSHIM_COND_SLOTS live waiters are already queued.
/// In C: `_Atomic` slot words read by waiters that do not hold the lock.
int cshim_cond_enqueue(cshim_cond *CSHIM_NONNULL c, uint32_t *CSHIM_NONNULL slot);
/// Sleeps (lock NOT held) until the slot is notified or the absolute CLOCK_MONOTONIC deadline (<0: none).
/// 0 (notified) or ETIMEDOUT. In C: futex waits.
int cshim_cond_wait(cshim_cond *CSHIM_NONNULL c, uint32_t slot, int64_t deadline_ns);
/// Frees the slot (lock held again). Returns 1 when it had been notified, 0 when not (a timeout).
/// In C: an atomic exchange.
int cshim_cond_dequeue(cshim_cond *CSHIM_NONNULL c, uint32_t slot);
/// Marks at most `n` of the oldest un-notified waiters (lock held) and wakes them; n >= CSHIM_COND_SLOTS marks
/// all. Returns how many were marked. In C: atomic stores ordered before the futex wake.
uint32_t cshim_cond_notify(cshim_cond *CSHIM_NONNULL c, uint32_t n);
/// How many waiters are queued and not yet notified (a snapshot). In C: atomic loads.
uint32_t cshim_cond_waiting(const cshim_cond *CSHIM_NONNULL c);

// ---- Event: a flag with sleepers -------------------------------------------------------------------------------

/// Opaque: an atomic flag and an event count.
typedef struct cshim_flag cshim_flag;

/// Bytes and alignment to reserve in shared memory. In C: sizeof/_Alignof of a structure Swift does not see.
size_t cshim_flag_size(void);
size_t cshim_flag_align(void);
/// Formats a cleared flag at `place`. In C: `atomic_init`.
void cshim_flag_init_at(void *CSHIM_NONNULL place);
/// Sets the flag and wakes every waiter. In C: `_Atomic` store and futex wake.
void cshim_flag_set(cshim_flag *CSHIM_NONNULL f);
/// Clears the flag. In C: an `_Atomic` store.
void cshim_flag_clear(cshim_flag *CSHIM_NONNULL f);
/// 1 when set. In C: an `_Atomic` load.
int cshim_flag_is_set(const cshim_flag *CSHIM_NONNULL f);
/// Waits until the flag is set or `timeout_ns` passes (<0 forever, 0 only look). Returns the flag (1 or 0).
/// In C: futex waits.
int cshim_flag_wait(cshim_flag *CSHIM_NONNULL f, int64_t timeout_ns);

#ifdef __cplusplus
}
#endif
