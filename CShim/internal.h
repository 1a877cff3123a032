// Helpers shared by CShim's .c files; not part of the public headers.
#pragma once
#include "cshim_base.h"
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
    _Atomic uint32_t seq;       // the futex word: bumped by every signal that finds a sleeper
    _Atomic uint32_t sleepers;  // announced sleepers
};

// Locks `m` until the absolute CLOCK_MONOTONIC `deadline_ns` (<0: forever); `nonblock` tries once (EBUSY).
// Same results as cshim_mutex_lock (EOWNERDEAD already made consistent).
int cshim_mutex_lock_until(struct cshim_mutex *m, int64_t deadline_ns, int nonblock);

// cshim_event_signal for a caller whose condition store was itself seq_cst: the store and our seq_cst load of
// `sleepers` are already ordered, so the full fence can be skipped.
int cshim_event_signal_after_seq_cst_store(struct cshim_event *e);
