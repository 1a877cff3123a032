#include "cshim_wake.h"
#include "internal.h"
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdatomic.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <stdlib.h>
#include <unistd.h>

_Static_assert(sizeof(_Atomic uint32_t) == 4, "futex words are 32 bits");

size_t cshim_event_size(void) { return sizeof(struct cshim_event); }
size_t cshim_event_align(void) { return _Alignof(struct cshim_event); }

void cshim_event_init_at(void *place) {
    struct cshim_event *e = place;
    atomic_init(&e->word, 0);
    e->unused = 0;
}

// The sleeper announcement is a bit, not a count: the signal that finds it set clears it and wakes everyone,
// so a burst of signals while a sleeper is still waking up (~45 µs across vCPUs here) costs one futex_wake, not
// one per signal. A woken waiter that still has to wait announces itself again. See struct cshim_event.
#define EVENT_WAITING 1u
// -1: not asked yet; 0: membarrier unusable here (fall back to seq_cst publishing); 1: registered.
static int fast_publish_state = -1;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

// A forked child is a new mm: it must register again before publishing lightly.
static void reset_in_child(void) {
    if (fast_publish_state == 1) fast_publish_state = -1;
}
static void install_atfork(void) { pthread_atfork(NULL, NULL, reset_in_child); }

int cshim_fast_publish(void) {
    if (__builtin_expect(fast_publish_state >= 0, 1)) return fast_publish_state;
    pthread_once(&atfork_once, install_atfork);
    // CSHIM_NO_MEMBARRIER=1 forces the seq_cst fallback, so that tests can exercise both paths. Every process
    // of a program must agree: children inherit the environment.
    const char *off = getenv("CSHIM_NO_MEMBARRIER");
    if (off && *off && *off != '0') return fast_publish_state = 0;
    long supported = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    if (supported < 0 || !(supported & MEMBARRIER_CMD_GLOBAL_EXPEDITED) ||
        !(supported & MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED) ||
        syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0, 0) != 0) {
        fast_publish_state = 0;
    } else {
        fast_publish_state = 1;
    }
    return fast_publish_state;
}

uint32_t cshim_event_prepare(cshim_event *e) {
    // The announcement must be visible before the caller re-checks its condition (Dekker with signal). The
    // token is the word with our bit in it: if a signal clears the bit before we sleep, the futex wait fails.
    uint32_t token = atomic_fetch_or_explicit(&e->word, EVENT_WAITING, memory_order_seq_cst) | EVENT_WAITING;
    if (cshim_fast_publish() == 1) {
        // Light signallers issue no fence of their own: this membarrier runs a full barrier on every CPU that
        // runs a registered process, so either their condition store is visible to our re-check, or our
        // announcement is visible to their load of `waiting`. If it fails, nobody can rely on it: stop using
        // the light path in this process (the other processes keep theirs, which is why this is only safe
        // because the kernel answers the same for everyone; it has never been seen to fail once registered).
        if (syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0, 0) != 0) fast_publish_state = 0;
    }
    return token;
}

void cshim_event_cancel(cshim_event *e) {
    // Nothing to undo: leaving the bit set costs at most one unneeded wake-up later, while clearing it could
    // hide another process's announcement.
    (void)e;
}

int cshim_event_wait(cshim_event *e, uint32_t token, int64_t deadline_ns) {
    if (atomic_load_explicit(&e->word, memory_order_acquire) != token) return 0;  // signalled since prepare
    struct timespec ts;
    struct timespec *tsp = NULL;
    if (deadline_ns >= 0) {
        ts = cshim_timespec_from_ns(deadline_ns);
        tsp = &ts;
    }
    // Not FUTEX_PRIVATE_FLAG: the word is shared between processes. FUTEX_WAIT_BITSET takes an absolute
    // CLOCK_MONOTONIC deadline, so retries need no arithmetic.
    long rc = syscall(SYS_futex, (uint32_t *)&e->word, FUTEX_WAIT_BITSET, token, tsp, NULL, FUTEX_BITSET_MATCH_ANY);
    // EAGAIN (the word changed) and EINTR (a signal) report "signalled": the caller re-checks its condition.
    return rc != 0 && errno == ETIMEDOUT ? ETIMEDOUT : 0;
}

int cshim_event_signal(cshim_event *e) {
    // The caller just made its condition true (a store). The full fence orders that store before our load of
    // the event word, pairing with the seq_cst store in prepare: either the waiter sees the condition, or we see
    // the waiter.
    atomic_thread_fence(memory_order_seq_cst);
    return cshim_event_signal_after_seq_cst_store(e);
}

int cshim_event_signal_light(struct cshim_event *e) {
    // Keep the compiler from hoisting this load above the caller's release store; the CPU may, and the
    // waiter's membarrier covers exactly that.
    atomic_signal_fence(memory_order_seq_cst);
    if (!(atomic_load_explicit(&e->word, memory_order_relaxed) & EVENT_WAITING)) return 0;
    return cshim_event_signal_after_seq_cst_store(e);
}

int cshim_event_signal_after_seq_cst_store(struct cshim_event *e) {
    uint32_t word = atomic_load_explicit(&e->word, memory_order_seq_cst);
    while (word & EVENT_WAITING) {
        // Clear the bit and advance the epoch together; a concurrent signal or a new announcement makes the
        // CAS fail and we look again.
        if (atomic_compare_exchange_weak_explicit(&e->word, &word, (word + 2) & ~EVENT_WAITING,
                                                  memory_order_seq_cst, memory_order_seq_cst)) {
            long n = syscall(SYS_futex, (uint32_t *)&e->word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
            return n < 0 ? 0 : (int)n;
        }
    }
    return 0;
}

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
