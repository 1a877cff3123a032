// Helpers shared by CShim's .c files; not part of the public headers.
#pragma once
#include "cshim_base.h"
#include <sys/types.h>
#include <time.h>

static inline struct timespec cshim_timespec_from_ns(int64_t ns) {
    struct timespec ts = { .tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000 };
    return ts;
}

// A pause hint for spin loops: lets the sibling hyperthread run and saves power.
static inline void cshim_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#include <pthread.h>
#include <stdatomic.h>

// The layouts behind the opaque public types, so that other CShim structures can embed them.
struct cshim_mutex {
    pthread_mutex_t m;
};

struct cshim_event {
    // The futex word: bit 0 is "somebody announced a sleep", bits 1-31 an epoch. A signal that finds bit 0 set
    // clears it and advances the epoch in one CAS, then wakes everyone. Announcement and epoch must share one
    // word: with a separate flag, a signaller that read a stale announcement could clear a waiter's fresh one
    // after the waiter had consumed that signaller's data, and the waiter then slept through the next signal
    // (a lost wake-up that the 2x2 ring test caught).
    _Atomic uint32_t word;
    uint32_t unused;
};

// Forks with `fork_child` (fork's conventions) and makes the child's sentinel: a close-on-exec pipe whose write end
// only the child keeps, so that the read end, set in *watch in the parent (-1 in the child and on failure), hangs
// up when the child and the processes it forks have ended. For when pidfd_open is refused (cshim_fork_watched,
// cshim_forkserver_fork_watched). errno is fork's on failure.
pid_t cshim_fork_with_sentinel_pipe(pid_t (*fork_child)(void), int *watch);

// Forgets cshim_getpid_cached's answer: for a child made without fork(3) (the fork server's clone3).
void cshim_forget_cached_pid(void);

// Locks `m` until the absolute CLOCK_MONOTONIC `deadline_ns` (<0: forever); `nonblock` tries once (EBUSY).
// Same results as cshim_mutex_lock (EOWNERDEAD already made consistent).
int cshim_mutex_lock_until(struct cshim_mutex *m, int64_t deadline_ns, int nonblock);

// cshim_event_signal for a caller whose condition store was itself seq_cst: the store and our seq_cst load of
// the event word are already ordered, so the full fence can be skipped.
int cshim_event_signal_after_seq_cst_store(struct cshim_event *e);

// Asymmetric fences (the liburcu pattern). When the kernel offers membarrier(GLOBAL_EXPEDITED), a waiter pays
// for the Dekker handshake on its slow path (a membarrier forces a full barrier on every CPU that runs a
// registered process) and signallers publish with plain release stores. cshim_fast_publish() says whether this
// process may use the light path; it registers the process on first use (again in a forked child).
int cshim_fast_publish(void);

// The light signal: for a caller that made its condition true with a release store, when cshim_fast_publish().
int cshim_event_signal_light(struct cshim_event *e);
