#include "cshim_queue.h"
#include "cshim_wake.h"
#include "internal.h"

#include <errno.h>

// Each side writes only its own cache line on the way through: writers count places taken and items
// published, readers count items taken; qsize and fullness are differences. (One shared counter that both
// sides changed for every item made its cache line bounce between the CPUs on every put and get.)
struct cshim_queue {
    int64_t maxsize;
    int32_t joinable;                         // count unfinished tasks (JoinableQueue) or not
    _Alignas(64) _Atomic int64_t reserved;    // writers: places taken (items in flight or queued, ever)
    _Atomic int64_t published;                // writers: items in the ring (ever)
    _Alignas(64) _Atomic int64_t taken;       // readers: items taken out (ever)
    _Alignas(64) _Atomic int64_t unfinished;  // JoinableQueue: put and not yet task_done
    _Alignas(64) struct cshim_event not_full;
    _Alignas(64) struct cshim_event all_done;
};

size_t cshim_queue_size(void) { return sizeof(struct cshim_queue); }
size_t cshim_queue_align(void) { return _Alignof(struct cshim_queue); }

void cshim_queue_init_at(void *place, int64_t maxsize, int joinable) {
    struct cshim_queue *q = place;
    q->maxsize = maxsize > 0 ? maxsize : 0;
    q->joinable = joinable != 0;
    atomic_init(&q->reserved, 0);
    atomic_init(&q->published, 0);
    atomic_init(&q->taken, 0);
    atomic_init(&q->unfinished, 0);
    cshim_event_init_at(&q->not_full);
    cshim_event_init_at(&q->all_done);
}

// Takes a place if one is free. Unbounded: just counts (a writer-only line).
static int try_reserve(cshim_queue *q) {
    if (q->maxsize == 0) {
        atomic_fetch_add_explicit(&q->reserved, 1, memory_order_relaxed);
        return 1;
    }
    int64_t n = atomic_load_explicit(&q->reserved, memory_order_relaxed);
    // seq_cst: pairs with the reader's taken increment and not_full signal (Dekker with the event's prepare).
    while (n - atomic_load_explicit(&q->taken, memory_order_seq_cst) < q->maxsize) {
        if (atomic_compare_exchange_weak_explicit(&q->reserved, &n, n + 1, memory_order_acq_rel,
                                                  memory_order_relaxed))
            return 1;
    }
    return 0;
}

int cshim_queue_reserve(cshim_queue *q, int64_t timeout_ns) {
    int64_t deadline = cshim_deadline_after(timeout_ns);
    while (!try_reserve(q)) {
        if (timeout_ns == 0) return EAGAIN;
        uint32_t token = cshim_event_prepare(&q->not_full);
        if (try_reserve(q)) {
            cshim_event_cancel(&q->not_full);
            break;
        }
        if (deadline >= 0 && cshim_now_ns() >= deadline) return ETIMEDOUT;
        cshim_event_wait(&q->not_full, token, deadline);
    }
    if (q->joinable) atomic_fetch_add_explicit(&q->unfinished, 1, memory_order_relaxed);
    return 0;
}

void cshim_queue_unreserve(cshim_queue *q) {
    atomic_fetch_sub_explicit(&q->reserved, 1, memory_order_seq_cst);
    if (q->joinable && atomic_fetch_sub_explicit(&q->unfinished, 1, memory_order_seq_cst) == 1)
        cshim_event_signal(&q->all_done);
    if (q->maxsize) cshim_event_signal(&q->not_full);
}

void cshim_queue_published(cshim_queue *q) { atomic_fetch_add_explicit(&q->published, 1, memory_order_relaxed); }

void cshim_queue_taken(cshim_queue *q) {
    if (q->maxsize) {
        atomic_fetch_add_explicit(&q->taken, 1, memory_order_seq_cst);
        cshim_event_signal(&q->not_full);  // only bounded queues have waiting puts
    } else {
        atomic_fetch_add_explicit(&q->taken, 1, memory_order_relaxed);
    }
}

int64_t cshim_queue_count(const cshim_queue *q) {
    int64_t taken = atomic_load_explicit(&q->taken, memory_order_relaxed);
    int64_t n = atomic_load_explicit(&q->published, memory_order_relaxed) - taken;
    return n < 0 ? 0 : n;  // a get may count before the put that raced it does
}

int64_t cshim_queue_maxsize(const cshim_queue *q) { return q->maxsize; }

int cshim_queue_task_done(cshim_queue *q) {
    int64_t n = atomic_load_explicit(&q->unfinished, memory_order_relaxed);
    do {
        if (n <= 0) return EINVAL;
    } while (!atomic_compare_exchange_weak_explicit(&q->unfinished, &n, n - 1, memory_order_seq_cst,
                                                    memory_order_relaxed));
    if (n == 1) cshim_event_signal(&q->all_done);
    return 0;
}

int cshim_queue_join(cshim_queue *q, int64_t timeout_ns) {
    int64_t deadline = cshim_deadline_after(timeout_ns);
    while (atomic_load_explicit(&q->unfinished, memory_order_seq_cst) > 0) {
        uint32_t token = cshim_event_prepare(&q->all_done);
        if (atomic_load_explicit(&q->unfinished, memory_order_seq_cst) <= 0) {
            cshim_event_cancel(&q->all_done);
            break;
        }
        if (deadline >= 0 && cshim_now_ns() >= deadline) return ETIMEDOUT;
        cshim_event_wait(&q->all_done, token, deadline);
    }
    return 0;
}

int64_t cshim_queue_unfinished(const cshim_queue *q) {
    return atomic_load_explicit(&q->unfinished, memory_order_relaxed);
}
