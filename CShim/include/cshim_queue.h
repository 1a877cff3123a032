// The bookkeeping of a multiprocessing Queue in shared memory: the bound (maxsize), an exact count of items,
// and JoinableQueue's unfinished-task count. The items themselves travel through a ring buffer.
#pragma once
#include "cshim_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Opaque: `_Atomic` counters and event counts. Place with cshim_queue_init_at in shared memory.
/// All its functions are in C for the same reason: they read and write `_Atomic` fields and event counts that
/// Swift cannot see.
typedef struct cshim_queue cshim_queue;

size_t cshim_queue_size(void);
size_t cshim_queue_align(void);

/// `maxsize` <= 0 means unbounded (CPython); `joinable` counts unfinished tasks (JoinableQueue).
void cshim_queue_init_at(void *CSHIM_NONNULL place, int64_t maxsize, int joinable);

/// Before a put: takes one of the `maxsize` places, waiting at most `timeout_ns` for one to free up.
/// Also counts an unfinished task (JoinableQueue). Returns 0, or ETIMEDOUT/EAGAIN when the queue stays full.
int cshim_queue_reserve(cshim_queue *CSHIM_NONNULL q, int64_t timeout_ns);

/// Undoes a reservation whose item could not be written.
void cshim_queue_unreserve(cshim_queue *CSHIM_NONNULL q);

/// After the item is in the ring: it counts in qsize from now on.
void cshim_queue_published(cshim_queue *CSHIM_NONNULL q);

/// After a get took an item out of the ring: frees its place and wakes one waiting put.
void cshim_queue_taken(cshim_queue *CSHIM_NONNULL q);

/// Items put and not yet taken (exact, but a snapshot).
int64_t cshim_queue_count(const cshim_queue *CSHIM_NONNULL q);
int64_t cshim_queue_maxsize(const cshim_queue *CSHIM_NONNULL q);

/// JoinableQueue.task_done: 0, or EINVAL when called more times than items were put.
int cshim_queue_task_done(cshim_queue *CSHIM_NONNULL q);

/// JoinableQueue.join: waits until every item put has been marked done. 0 or ETIMEDOUT.
int cshim_queue_join(cshim_queue *CSHIM_NONNULL q, int64_t timeout_ns);

/// Unfinished tasks right now.
int64_t cshim_queue_unfinished(const cshim_queue *CSHIM_NONNULL q);

#ifdef __cplusplus
}
#endif
