#include "cshim_wake.h"
#include "internal.h"
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdatomic.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

_Static_assert(sizeof(_Atomic uint32_t) == 4, "futex words are 32 bits");

size_t cshim_event_size(void) { return sizeof(struct cshim_event); }
size_t cshim_event_align(void) { return _Alignof(struct cshim_event); }

void cshim_event_init_at(void *place) {
    struct cshim_event *e = place;
    atomic_init(&e->seq, 0);
    atomic_init(&e->sleepers, 0);
}

uint32_t cshim_event_prepare(cshim_event *e) {
    // seq_cst: the announcement must be visible before the caller re-checks its condition (Dekker with signal).
    atomic_fetch_add_explicit(&e->sleepers, 1, memory_order_seq_cst);
    return atomic_load_explicit(&e->seq, memory_order_seq_cst);
}

void cshim_event_cancel(cshim_event *e) { atomic_fetch_sub_explicit(&e->sleepers, 1, memory_order_relaxed); }

int cshim_event_wait(cshim_event *e, uint32_t token, int64_t deadline_ns) {
    int result = 0;
    if (atomic_load_explicit(&e->seq, memory_order_acquire) == token) {
        struct timespec ts;
        struct timespec *tsp = NULL;
        if (deadline_ns >= 0) {
            ts = cshim_timespec_from_ns(deadline_ns);
            tsp = &ts;
        }
        // Not FUTEX_PRIVATE_FLAG: the word is shared between processes. FUTEX_WAIT_BITSET takes an absolute
        // CLOCK_MONOTONIC deadline, so retries after EINTR need no arithmetic.
        long rc = syscall(SYS_futex, (uint32_t *)&e->seq, FUTEX_WAIT_BITSET, token, tsp, NULL, FUTEX_BITSET_MATCH_ANY);
        if (rc != 0 && errno == ETIMEDOUT) result = ETIMEDOUT;
        // EAGAIN (the word changed), EINTR (a signal): report "signalled"; the caller re-checks its condition.
    }
    atomic_fetch_sub_explicit(&e->sleepers, 1, memory_order_relaxed);
    return result;
}

int cshim_event_signal(cshim_event *e) {
    // The caller just made its condition true (a store). The full fence orders that store before our load of
    // `sleepers`, pairing with the seq_cst increment in prepare: either the waiter sees the condition, or we see
    // the waiter.
    atomic_thread_fence(memory_order_seq_cst);
    return cshim_event_signal_after_seq_cst_store(e);
}

int cshim_event_signal_after_seq_cst_store(struct cshim_event *e) {
    if (atomic_load_explicit(&e->sleepers, memory_order_seq_cst) == 0) return 0;
    atomic_fetch_add_explicit(&e->seq, 1, memory_order_seq_cst);
    long n = syscall(SYS_futex, (uint32_t *)&e->seq, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    return n < 0 ? 0 : (int)n;
}

void cshim_event_reset_sleepers(cshim_event *e) { atomic_store_explicit(&e->sleepers, 0, memory_order_relaxed); }

int cshim_eventfd_create(uint32_t initial, int semaphore) {
    return eventfd(initial, EFD_CLOEXEC | EFD_NONBLOCK | (semaphore ? EFD_SEMAPHORE : 0));
}

int cshim_eventfd_signal(int fd, uint64_t n) {
    for (;;) {
        ssize_t w = write(fd, &n, sizeof n);
        if (w == (ssize_t)sizeof n) return 0;
        if (w < 0 && errno == EINTR) continue;
        return -1;
    }
}

int cshim_eventfd_wait(int fd, int64_t timeout_ns, uint64_t *value) {
    int64_t deadline = cshim_deadline_after(timeout_ns);
    for (;;) {
        uint64_t v;
        ssize_t r = read(fd, &v, sizeof v);
        if (r == (ssize_t)sizeof v) {
            if (value) *value = v;
            return 0;
        }
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && errno != EAGAIN) return errno;
        int ms = -1;
        if (deadline >= 0) {
            int64_t left = deadline - cshim_now_ns();
            if (left <= 0) return ETIMEDOUT;
            // Round up so that we never wake a hair early and spin on a zero timeout.
            ms = (int)((left + 999999) / 1000000);
        }
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int pr = poll(&p, 1, ms);
        if (pr < 0 && errno != EINTR) return errno;
    }
}
