#include "cshim_sync.h"
#include "cshim_mutex.h"
#include "cshim_wake.h"
#include "internal.h"
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <unistd.h>

// ---------------------------------------------------------------------------------------------------------------
// Lock and RLock

struct cshim_lock {
    struct cshim_mutex mutex;
    // Both written only by the holder, while it holds the mutex (whose lock/unlock order them).
    uint32_t depth;      // RLock recursion count; 1 for a held Lock
    uint32_t recovered;  // the current holding began with EOWNERDEAD
};

#if !defined(__GLIBC__)
#error "cshim_lock_is_mine reads glibc's robust mutex word (__data.__lock); port it to this C library"
#endif
_Static_assert(offsetof(struct cshim_lock, mutex) == 0, "the mutex leads the lock");
_Static_assert(sizeof(((pthread_mutex_t *)0)->__data.__lock) == 4, "glibc keeps the owner's tid in a 32-bit word");

size_t cshim_lock_size(void) { return sizeof(struct cshim_lock); }
size_t cshim_lock_align(void) { return _Alignof(struct cshim_lock); }

int cshim_lock_init_at(void *place) {
    struct cshim_lock *l = place;
    l->depth = 0;
    l->recovered = 0;
    return cshim_mutex_init_at(&l->mutex);
}

// The calling thread's kernel id, cached per thread: gettid() is a system call and the owner check runs on every
// RLock acquire. A forked child is a new thread with a new id, so the cache is dropped in the child.
static __thread pid_t cached_tid;
static pthread_once_t tid_atfork_once = PTHREAD_ONCE_INIT;
static void forget_tid_in_child(void) { cached_tid = 0; }
static void install_tid_atfork(void) { pthread_atfork(NULL, NULL, forget_tid_in_child); }

static inline pid_t current_tid(void) {
    if (__builtin_expect(cached_tid == 0, 0)) {
        pthread_once(&tid_atfork_once, install_tid_atfork);
        cached_tid = gettid();
    }
    return cached_tid;
}

int cshim_lock_is_held(const cshim_lock *l) {
    uint32_t word = __atomic_load_n((const uint32_t *)&l->mutex.m.__data.__lock, __ATOMIC_RELAXED);
    return (word & FUTEX_TID_MASK) != 0;  // a dead owner's word holds FUTEX_OWNER_DIED and no thread id
}

int cshim_lock_is_mine(const cshim_lock *l) {
    // A robust mutex's futex word holds its owner's thread id (the kernel's robust-futex protocol requires it).
    // When an owner dies the kernel replaces the id with FUTEX_OWNER_DIED, so a recycled id cannot match.
    // Relaxed suffices: only this thread can have written its own id there.
    uint32_t word = __atomic_load_n((const uint32_t *)&l->mutex.m.__data.__lock, __ATOMIC_RELAXED);
    return (pid_t)(word & FUTEX_TID_MASK) == current_tid();
}

int cshim_lock_recovered(const cshim_lock *l) { return (int)l->recovered; }

static int lock_take(struct cshim_lock *l, int64_t timeout_ns) {
    int rc = cshim_mutex_lock_until(&l->mutex, timeout_ns < 0 ? -1 : cshim_deadline_after(timeout_ns), timeout_ns == 0);
    if (rc == 0 || rc == EOWNERDEAD) {
        l->depth = 1;  // a dead holder's count is discarded here
        l->recovered = rc == EOWNERDEAD;
    }
    return rc;
}

int cshim_lock_acquire(cshim_lock *l, int64_t timeout_ns) {
    int rc = lock_take(l, timeout_ns);
    // The error-checking mutex answers EDEADLK to the holder's lock; a try by the holder is simply "busy".
    if (rc == EDEADLK && timeout_ns == 0) return EBUSY;
    return rc;
}

int cshim_lock_release(cshim_lock *l) {
    if (!cshim_lock_is_mine(l)) return EPERM;
    l->depth = 0;
    return cshim_mutex_unlock(&l->mutex);
}

int cshim_rlock_acquire(cshim_lock *l, int64_t timeout_ns) {
    if (cshim_lock_is_mine(l)) {
        if (l->depth == UINT32_MAX) return EAGAIN;
        l->depth++;
        return 0;
    }
    return lock_take(l, timeout_ns);
}

int cshim_rlock_release(cshim_lock *l) {
    if (!cshim_lock_is_mine(l)) return EPERM;
    if (l->depth > 1) {
        l->depth--;
        return 0;
    }
    l->depth = 0;
    return cshim_mutex_unlock(&l->mutex);
}

uint32_t cshim_rlock_count(const cshim_lock *l) { return cshim_lock_is_mine(l) ? l->depth : 0; }

int cshim_rlock_release_all(cshim_lock *l, uint32_t *depth) {
    if (!cshim_lock_is_mine(l)) return EPERM;
    *depth = l->depth;
    l->depth = 0;
    return cshim_mutex_unlock(&l->mutex);
}

int cshim_rlock_restore(cshim_lock *l, uint32_t depth) {
    int rc = lock_take(l, CSHIM_FOREVER);
    if (rc == 0 || rc == EOWNERDEAD) l->depth = depth ? depth : 1;
    return rc;
}

// ---------------------------------------------------------------------------------------------------------------
// Semaphore

struct cshim_sem {
    _Atomic uint32_t value;
    uint32_t max;  // written once by init
    struct cshim_event event;
};

size_t cshim_sem_size(void) { return sizeof(struct cshim_sem); }
size_t cshim_sem_align(void) { return _Alignof(struct cshim_sem); }

int cshim_sem_init_at(void *place, uint32_t value, uint32_t max) {
    if (max > CSHIM_SEM_VALUE_MAX || value > max) return EINVAL;
    struct cshim_sem *s = place;
    atomic_init(&s->value, value);
    s->max = max;
    cshim_event_init_at(&s->event);
    return 0;
}

// Takes a unit if there is one. Acquire ordering: what the releaser did before its release is visible to us.
static inline int sem_try(struct cshim_sem *s) {
    uint32_t v = atomic_load_explicit(&s->value, memory_order_relaxed);
    while (v > 0) {
        if (atomic_compare_exchange_weak_explicit(&s->value, &v, v - 1, memory_order_acquire, memory_order_relaxed))
            return 1;
    }
    return 0;
}

int cshim_sem_acquire(cshim_sem *s, int64_t timeout_ns) {
    if (sem_try(s)) return 0;
    if (timeout_ns == 0) return EBUSY;
    int64_t deadline = cshim_deadline_after(timeout_ns);
    for (;;) {
        // Announce, re-check, sleep: the event count's protocol, so a release between the check and the sleep
        // makes the futex wait return at once.
        uint32_t token = cshim_event_prepare(&s->event);
        if (sem_try(s)) {
            cshim_event_cancel(&s->event);
            return 0;
        }
        if (cshim_event_wait(&s->event, token, deadline) == ETIMEDOUT) return sem_try(s) ? 0 : ETIMEDOUT;
    }
}

int cshim_sem_release(cshim_sem *s) {
    uint32_t v = atomic_load_explicit(&s->value, memory_order_relaxed);
    do {
        if (v >= s->max) return EOVERFLOW;
    } while (!atomic_compare_exchange_weak_explicit(&s->value, &v, v + 1, memory_order_seq_cst, memory_order_relaxed));
    // The seq_cst read-modify-write orders the new value before our load of the event word (Dekker with prepare).
    cshim_event_signal_after_seq_cst_store(&s->event);
    return 0;
}

uint32_t cshim_sem_value(const cshim_sem *s) {
    return atomic_load_explicit((_Atomic uint32_t *)&s->value, memory_order_acquire);
}

// ---------------------------------------------------------------------------------------------------------------
// Condition wait queue

// A slot word: 0 when free, else (ticket << 1) | notified. Tickets grow from 1 and never wrap (64 bits).
#define SLOT_NOTIFIED 1ull

struct cshim_cond {
    uint64_t next_ticket;  // only touched with the condition's lock held
    struct cshim_event event;
    // Written with the lock held; read by waiters that released it, hence atomic.
    _Atomic uint64_t slots[CSHIM_COND_SLOTS];
    // The process of each waiter, so that notify can skip (and free) the slot of a process that died waiting.
    int32_t pids[CSHIM_COND_SLOTS];
};

_Static_assert(sizeof(struct cshim_cond) <= 4096, "a condition fits in one page");

size_t cshim_cond_size(void) { return sizeof(struct cshim_cond); }
size_t cshim_cond_align(void) { return _Alignof(struct cshim_cond); }

void cshim_cond_init_at(void *place) {
    struct cshim_cond *c = place;
    c->next_ticket = 1;
    cshim_event_init_at(&c->event);
    for (uint32_t i = 0; i < CSHIM_COND_SLOTS; i++) {
        atomic_init(&c->slots[i], 0);
        c->pids[i] = 0;
    }
}

// A waiter's process is gone (it was killed while waiting): its slot may be reclaimed. A recycled pid looks
// alive, which only costs a notify, as it would without this check.
static int waiter_died(const struct cshim_cond *c, uint32_t slot) {
    return c->pids[slot] > 0 && kill(c->pids[slot], 0) != 0 && errno == ESRCH;
}

int cshim_cond_enqueue(cshim_cond *c, uint32_t *slot) {
    // Two passes: a free slot costs no system call; only a full table looks for slots of dead waiters.
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t i = 0; i < CSHIM_COND_SLOTS; i++) {
            uint64_t w = atomic_load_explicit(&c->slots[i], memory_order_relaxed);
            if (w != 0 && pass == 1 && waiter_died(c, i)) w = 0;  // reclaim a dead waiter's slot
            if (w == 0) {
                atomic_store_explicit(&c->slots[i], c->next_ticket++ << 1, memory_order_relaxed);
                c->pids[i] = (int32_t)getpid();
                *slot = i;
                return 0;
            }
        }
    }
    return EAGAIN;
}

static inline int slot_notified(struct cshim_cond *c, uint32_t slot) {
    return (atomic_load_explicit(&c->slots[slot], memory_order_acquire) & SLOT_NOTIFIED) != 0;
}

int cshim_cond_wait(cshim_cond *c, uint32_t slot, int64_t deadline_ns) {
    if (slot >= CSHIM_COND_SLOTS) return EINVAL;
    for (;;) {
        if (slot_notified(c, slot)) return 0;
        uint32_t token = cshim_event_prepare(&c->event);
        if (slot_notified(c, slot)) {
            cshim_event_cancel(&c->event);
            return 0;
        }
        if (cshim_event_wait(&c->event, token, deadline_ns) == ETIMEDOUT) return slot_notified(c, slot) ? 0 : ETIMEDOUT;
    }
}

int cshim_cond_dequeue(cshim_cond *c, uint32_t slot) {
    if (slot >= CSHIM_COND_SLOTS) return 0;
    uint64_t word = atomic_exchange_explicit(&c->slots[slot], 0, memory_order_relaxed);
    return (word & SLOT_NOTIFIED) != 0;
}

uint32_t cshim_cond_notify(cshim_cond *c, uint32_t n) {
    uint32_t marked = 0;
    if (n >= CSHIM_COND_SLOTS) {
        // notify_all: every queued waiter, no ordering needed.
        for (uint32_t i = 0; i < CSHIM_COND_SLOTS; i++) {
            uint64_t w = atomic_load_explicit(&c->slots[i], memory_order_relaxed);
            if (w != 0 && !(w & SLOT_NOTIFIED)) {
                atomic_store_explicit(&c->slots[i], w | SLOT_NOTIFIED, memory_order_seq_cst);
                marked++;
            }
        }
    } else {
        // The n oldest tickets first, as CPython's threading.Condition wakes its deque from the left.
        while (marked < n) {
            uint32_t best = CSHIM_COND_SLOTS;
            uint64_t best_word = 0;
            for (uint32_t i = 0; i < CSHIM_COND_SLOTS; i++) {
                uint64_t w = atomic_load_explicit(&c->slots[i], memory_order_relaxed);
                if (w != 0 && !(w & SLOT_NOTIFIED) && (best_word == 0 || w < best_word)) {
                    best = i;
                    best_word = w;
                }
            }
            if (best == CSHIM_COND_SLOTS) break;
            if (waiter_died(c, best)) {
                // Killed while waiting: free its place rather than spend the notify on it.
                atomic_store_explicit(&c->slots[best], 0, memory_order_relaxed);
                continue;
            }
            atomic_store_explicit(&c->slots[best], best_word | SLOT_NOTIFIED, memory_order_seq_cst);
            marked++;
        }
    }
    // The seq_cst stores order the marks before the event word's load (Dekker with the waiters' prepare).
    if (marked) cshim_event_signal_after_seq_cst_store(&c->event);
    return marked;
}

uint32_t cshim_cond_waiting(const cshim_cond *c) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < CSHIM_COND_SLOTS; i++) {
        uint64_t w = atomic_load_explicit((_Atomic uint64_t *)&c->slots[i], memory_order_relaxed);
        if (w != 0 && !(w & SLOT_NOTIFIED)) n++;
    }
    return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Event flag

struct cshim_flag {
    _Atomic uint32_t set;
    uint32_t unused;
    struct cshim_event event;
};

size_t cshim_flag_size(void) { return sizeof(struct cshim_flag); }
size_t cshim_flag_align(void) { return _Alignof(struct cshim_flag); }

void cshim_flag_init_at(void *place) {
    struct cshim_flag *f = place;
    atomic_init(&f->set, 0);
    f->unused = 0;
    cshim_event_init_at(&f->event);
}

void cshim_flag_set(cshim_flag *f) {
    atomic_store_explicit(&f->set, 1, memory_order_seq_cst);
    cshim_event_signal_after_seq_cst_store(&f->event);
}

void cshim_flag_clear(cshim_flag *f) { atomic_store_explicit(&f->set, 0, memory_order_seq_cst); }

int cshim_flag_is_set(const cshim_flag *f) {
    return (int)atomic_load_explicit((_Atomic uint32_t *)&f->set, memory_order_acquire);
}

int cshim_flag_wait(cshim_flag *f, int64_t timeout_ns) {
    if (cshim_flag_is_set(f) || timeout_ns == 0) return cshim_flag_is_set(f);
    int64_t deadline = cshim_deadline_after(timeout_ns);
    for (;;) {
        uint32_t token = cshim_event_prepare(&f->event);
        if (cshim_flag_is_set(f)) {
            cshim_event_cancel(&f->event);
            return 1;
        }
        if (cshim_event_wait(&f->event, token, deadline) == ETIMEDOUT) return cshim_flag_is_set(f);
    }
}
