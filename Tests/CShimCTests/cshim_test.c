// CShim's C tests, with real processes. Built and run by Tests/CShimCTests/run.sh, plainly and under
// AddressSanitizer + UndefinedBehaviorSanitizer (CI runs both). Each test body runs under a watchdog: a hang is
// reported as a failure with the test's name, never as a stuck CI job.
//
// Usage: cshim_test [-q] [test-name-substring]
#include "harness.h"
#include "../Tools/WithoutPidfd/deny_pidfd.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

struct ring_area {
    void *base;
    size_t size;
    cshim_ring *ring;
};

static struct ring_area ring_new(uint64_t capacity, int mode) {
    struct ring_area a;
    a.size = cshim_ring_shared_size(capacity);
    a.base = shared_alloc(a.size);
    int rc = cshim_ring_init_at(a.base, a.size, capacity, mode);
    if (rc != 0) {
        fprintf(stderr, "ring init: %s\n", strerror(rc));
        exit(2);
    }
    a.ring = cshim_ring_attach(a.base, a.size);
    return a;
}

static void ring_free(struct ring_area *a) {
    cshim_ring_detach(a->ring);
    cshim_shm_unmap(a->base, a->size);
}

// A deterministic generator: every process can recompute any record from (producer, sequence).
static uint64_t mix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static inline unsigned char pattern_byte(uint32_t producer, uint32_t seq, size_t i) {
    return (unsigned char)(producer * 131u + seq * 7u + (uint32_t)i * 13u);
}

// Records carry an 8-byte tag {producer, seq} then a patterned payload whose size is a function of the tag.
struct tag {
    uint32_t producer;
    uint32_t seq;
};

static size_t fill_record(unsigned char *buf, uint32_t producer, uint32_t seq, size_t payload) {
    struct tag t = { producer, seq };
    memcpy(buf, &t, sizeof t);
    for (size_t i = 0; i < payload; i++) buf[8 + i] = pattern_byte(producer, seq, i);
    return 8 + payload;
}

// Returns 1 when the record is intact (size and every byte as the producer wrote it).
static int record_intact(const unsigned char *buf, size_t len, size_t (*size_of)(uint32_t, uint32_t),
                         struct tag *out) {
    if (len < 8) return 0;
    memcpy(out, buf, sizeof *out);
    if (len != 8 + size_of(out->producer, out->seq)) return 0;
    for (size_t i = 0; i + 8 < len; i++)
        if (buf[8 + i] != pattern_byte(out->producer, out->seq, i)) return 0;
    return 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Mutex

struct mutex_area {
    _Alignas(64) unsigned char mutex[64];
    _Atomic int held;           // the owner child holds the lock
    _Atomic int waiter_result;  // what the blocked waiter's lock returned (+1000 when it has not returned)
    _Atomic int64_t waiter_acquired_ns;
};

// A child that takes the mutex and holds it until killed; returns once it holds it.
static pid_t start_holder(struct mutex_area *a, cshim_mutex *m) {
    pid_t holder = fork_child();
    if (holder == 0) {
        cshim_mutex_lock(m, CSHIM_FOREVER);
        atomic_store(&a->held, 1);
        for (;;) pause();  // hold it until SIGKILLed
    }
    while (!atomic_load(&a->held)) sched_yield();
    return holder;
}

static void test_mutex_owner_killed_waiter_recovers(void) {
    _Static_assert(sizeof(((struct mutex_area *)0)->mutex) >= 40, "room for a pthread mutex");
    struct mutex_area *a = shared_alloc(sizeof *a);
    CHECK(cshim_mutex_size() <= sizeof a->mutex, "mutex size %zu", cshim_mutex_size());
    cshim_mutex *m = (cshim_mutex *)a->mutex;
    CHECK(cshim_mutex_init_at(m) == 0, "init");
    atomic_store(&a->waiter_result, 1000);

    pid_t owner = start_holder(a, m);

    pid_t waiter = fork_child();
    if (waiter == 0) {
        int rc = cshim_mutex_lock(m, 5000000000LL);
        atomic_store(&a->waiter_acquired_ns, cshim_now_ns());
        atomic_store(&a->waiter_result, rc);
        if (rc == 0 || rc == EOWNERDEAD) cshim_mutex_unlock(m);
        _exit(0);
    }
    // The waiter is blocked (or about to block) in the lock: it cannot take it while the owner lives.
    CHECK(cshim_mutex_lock(m, 50000000LL) == ETIMEDOUT, "the lock is held by a live owner");
    int64_t killed_at = cshim_now_ns();
    kill(owner, SIGKILL);
    CHECK(wait_exitcode(owner) == -SIGKILL, "owner died of SIGKILL");
    CHECK(wait_exitcode(waiter) == 0, "waiter exited");
    int rc = atomic_load(&a->waiter_result);
    CHECK(rc == EOWNERDEAD, "waiter got %d (%s), expected EOWNERDEAD", rc, strerror(rc));
    int64_t recovery = atomic_load(&a->waiter_acquired_ns) - killed_at;
    CHECK(recovery < 100000000LL, "recovered in %.3f ms (limit 100 ms)", recovery / 1e6);
    if (!quiet) printf("    owner SIGKILLed -> waiter had the lock %.3f ms later (EOWNERDEAD)\n", recovery / 1e6);

    // Made consistent by the recovering locker: plain locking works again, without EOWNERDEAD.
    CHECK(cshim_mutex_lock(m, 1000000000LL) == 0, "usable after recovery");
    CHECK(cshim_mutex_unlock(m) == 0, "unlock");
    cshim_shm_unmap(a, sizeof *a);
}

static void test_mutex_owner_killed_next_locker_told(void) {
    struct mutex_area *a = shared_alloc(sizeof *a);
    cshim_mutex *m = (cshim_mutex *)a->mutex;
    cshim_mutex_init_at(m);
    pid_t owner = fork_child();
    if (owner == 0) {
        cshim_mutex_lock(m, CSHIM_FOREVER);
        _exit(0);  // dies holding it, without SIGKILL: the same rule applies
    }
    CHECK(wait_exitcode(owner) == 0, "owner exited");
    CHECK(cshim_mutex_lock(m, 0) == EOWNERDEAD, "try-lock after the owner died reports EOWNERDEAD");
    CHECK(cshim_mutex_unlock(m) == 0, "unlock");
    CHECK(cshim_mutex_lock(m, 0) == 0, "then it is an ordinary free mutex");
    // An error-checking robust mutex refuses its holder with EDEADLK in every form (glibc answers EDEADLK even
    // for a try-lock, where POSIX would allow EBUSY): a relock is an error, never a hang.
    CHECK(cshim_mutex_lock(m, 0) == EDEADLK, "a try-lock by the holder: EDEADLK");
    CHECK(cshim_mutex_lock(m, 1000000LL) == EDEADLK, "a timed relock by the holder: EDEADLK");
    CHECK(cshim_mutex_lock(m, CSHIM_FOREVER) == EDEADLK, "a blocking relock by the holder: EDEADLK, not a hang");
    cshim_mutex_unlock(m);
    cshim_shm_unmap(a, sizeof *a);
}

static void test_mutex_timeouts_and_try(void) {
    struct mutex_area *a = shared_alloc(sizeof *a);
    cshim_mutex *m = (cshim_mutex *)a->mutex;
    cshim_mutex_init_at(m);
    pid_t owner = start_holder(a, m);
    CHECK(cshim_mutex_lock(m, 0) == EBUSY, "try-lock on a held mutex");
    int64_t t0 = cshim_now_ns();
    int rc = cshim_mutex_lock(m, 200000000LL);
    int64_t waited = cshim_now_ns() - t0;
    CHECK(rc == ETIMEDOUT, "timed lock: %s", strerror(rc));
    CHECK(waited >= 200000000LL && waited <= 250000000LL, "200 ms timeout took %.1f ms", waited / 1e6);
    CHECK(cshim_mutex_unlock(m) == EPERM, "unlocking another process's mutex is refused");
    kill(owner, SIGKILL);
    wait_exitcode(owner);
    cshim_shm_unmap(a, sizeof *a);
}

// ---------------------------------------------------------------------------------------------------------------
// Event count and eventfd

static void test_event_wakes_another_process(void) {
    struct area {
        _Alignas(64) unsigned char ev[64];
        _Atomic int flag;
        _Atomic int64_t woke_ns;
    } *a = shared_alloc(sizeof(struct area));
    cshim_event *e = (cshim_event *)a->ev;
    cshim_event_init_at(e);
    pid_t child = fork_child();
    if (child == 0) {
        while (!atomic_load(&a->flag)) {
            uint32_t token = cshim_event_prepare(e);
            if (atomic_load(&a->flag)) {
                cshim_event_cancel(e);
                break;
            }
            cshim_event_wait(e, token, cshim_deadline_after(5000000000LL));
        }
        atomic_store(&a->woke_ns, cshim_now_ns());
        _exit(0);
    }
    // Timed wait with nobody signalling returns ETIMEDOUT on time.
    int64_t t0 = cshim_now_ns();
    uint32_t token = cshim_event_prepare(e);
    int rc = cshim_event_wait(e, token, cshim_deadline_after(100000000LL));
    int64_t waited = cshim_now_ns() - t0;
    CHECK(rc == ETIMEDOUT && waited >= 100000000LL && waited < 150000000LL, "wait timed out after %.1f ms", waited / 1e6);
    atomic_store(&a->flag, 1);
    int64_t signalled = cshim_now_ns();
    cshim_event_signal(e);
    CHECK(wait_exitcode(child) == 0, "child");
    CHECK(atomic_load(&a->woke_ns) - signalled < 100000000LL, "woke %.3f ms after the signal",
          (atomic_load(&a->woke_ns) - signalled) / 1e6);
    cshim_shm_unmap(a, sizeof *a);
}

static void test_eventfd_timeout_and_signal_across_fork(void) {
    int fd = cshim_eventfd_create(0, 1);
    CHECK(fd >= 0, "eventfd: %s", strerror(errno));
    int64_t t0 = cshim_now_ns();
    CHECK(cshim_eventfd_wait(fd, 100000000LL, NULL) == ETIMEDOUT, "empty eventfd times out");
    int64_t waited = cshim_now_ns() - t0;
    CHECK(waited >= 100000000LL && waited < 150000000LL, "100 ms timeout took %.1f ms", waited / 1e6);
    CHECK(cshim_eventfd_wait(fd, 0, NULL) == ETIMEDOUT, "try on empty");
    pid_t child = fork_child();
    if (child == 0) _exit(cshim_eventfd_signal(fd, 2) == 0 ? 0 : 1);
    uint64_t v = 0;
    CHECK(cshim_eventfd_wait(fd, 2000000000LL, &v) == 0 && v == 1, "semaphore mode takes one unit");
    CHECK(cshim_eventfd_wait(fd, 2000000000LL, &v) == 0 && v == 1, "and the second");
    CHECK(wait_exitcode(child) == 0, "child signalled");
    close(fd);
}

// ---------------------------------------------------------------------------------------------------------------
// Shared memory segments

static void test_named_segments_exclusive_and_owned(void) {
    char name[64];
    snprintf(name, sizeof name, "/cshim-test-%d", (int)getpid());
    int fd = cshim_shm_named_create(name, 8192);
    CHECK(fd >= 0, "create: %s", strerror(errno));
    CHECK(cshim_shm_named_create(name, 8192) < 0 && errno == EEXIST, "a second exclusive create fails (EEXIST)");
    unsigned char *p = cshim_shm_map(fd, 8192);
    CHECK(p != NULL, "map");
    pid_t child = fork_child();
    if (child == 0) {
        size_t size = 0;
        int cfd = cshim_shm_named_open(name, &size);
        if (cfd < 0 || size != 8192) _exit(1);
        unsigned char *q = cshim_shm_map(cfd, size);
        q[100] = 42;
        _exit(0);  // attaching never unlinks
    }
    CHECK(wait_exitcode(child) == 0, "child attached by name");
    CHECK(p[100] == 42, "write through the other mapping is visible");
    CHECK(count_shm_entries("cshim-test-") == 1, "the name is still there after the attacher left");
    CHECK(cshim_shm_named_unlink(name) == 0, "owner unlinks");
    size_t sz;
    CHECK(cshim_shm_named_open(name, &sz) < 0 && errno == ENOENT, "gone after unlink");
    cshim_shm_unmap(p, 8192);
    close(fd);
}

// ---------------------------------------------------------------------------------------------------------------
// Ring buffer

static size_t seq_size(uint32_t producer, uint32_t seq) {
    (void)producer;
    return seq % 97;  // 0..96 bytes of payload, including empty ones
}

static void test_ring_spsc_sequence_and_sizes(void) {
    struct ring_area a = ring_new(4096, CSHIM_RING_SPSC);
    CHECK(a.ring != NULL, "attach");
    // Zero-length records, one byte, exact fragment size, and a message 10x the ring (fragmented).
    size_t maxf = (size_t)cshim_ring_max_fragment(a.ring);
    size_t sizes[] = { 0, 1, 7, 8, 9, maxf - 1, maxf, maxf + 1, 3 * maxf, 40960 };
    size_t n = sizeof sizes / sizeof sizes[0];
    pid_t child = fork_child();
    if (child == 0) {
        unsigned char buf[41000];
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j < sizes[i]; j++) buf[j] = pattern_byte(9, (uint32_t)i, j);
            if (cshim_ring_write(a.ring, buf, sizes[i], 5000000000LL) != 0) _exit(1);
        }
        for (uint32_t s = 0; s < 20000; s++) {
            size_t len = fill_record(buf, 1, s, seq_size(1, s));
            if (cshim_ring_write(a.ring, buf, len, 5000000000LL) != 0) _exit(2);
        }
        cshim_ring_close(a.ring, CSHIM_RING_CLOSE_WRITE);
        _exit(0);
    }
    unsigned char buf[41000];
    for (size_t i = 0; i < n; i++) {
        size_t len = 12345;
        int rc = cshim_ring_read(a.ring, buf, sizeof buf, &len, 5000000000LL);
        CHECK(rc == 0 && len == sizes[i], "message %zu: rc %d len %zu, expected %zu", i, rc, len, sizes[i]);
        int intact = 1;
        for (size_t j = 0; j < len && rc == 0; j++) intact &= buf[j] == pattern_byte(9, (uint32_t)i, j);
        CHECK(intact, "message %zu intact", i);
    }
    uint32_t expect = 0;
    for (;;) {
        size_t len;
        int rc = cshim_ring_read(a.ring, buf, sizeof buf, &len, 5000000000LL);
        if (rc == EPIPE) break;
        struct tag t;
        CHECK(rc == 0 && record_intact(buf, len, seq_size, &t) && t.seq == expect, "record %u (rc %d)", expect, rc);
        if (rc != 0) break;
        expect++;
    }
    CHECK(expect == 20000, "all records before end-of-stream: %u", expect);
    CHECK(wait_exitcode(child) == 0, "writer");
    size_t len;
    CHECK(cshim_ring_read(a.ring, buf, sizeof buf, &len, 0) == EPIPE, "end-of-stream is sticky");
    ring_free(&a);
}

static void test_ring_emsgsize_leaves_message(void) {
    struct ring_area a = ring_new(8192, CSHIM_RING_SPSC);
    unsigned char msg[100];
    memset(msg, 7, sizeof msg);
    CHECK(cshim_ring_write(a.ring, msg, sizeof msg, 0) == 0, "try-write into an empty ring");
    unsigned char small[10];
    size_t len = 0;
    CHECK(cshim_ring_read(a.ring, small, sizeof small, &len, 0) == EMSGSIZE && len == 100, "too small: EMSGSIZE, len %zu", len);
    CHECK(cshim_ring_wait_readable(a.ring, &len, 0) == 0 && len == 100, "peek length");
    unsigned char big[100];
    CHECK(cshim_ring_read(a.ring, big, sizeof big, &len, 0) == 0 && len == 100 && big[99] == 7, "then read whole");
    CHECK(cshim_ring_read(a.ring, big, sizeof big, &len, 0) == EAGAIN, "try-read on empty: EAGAIN");
    uint32_t four = 4;
    uint64_t eight = 0;
    cshim_ring_write(a.ring, &four, sizeof four, 0);
    CHECK(cshim_ring_read_exact(a.ring, &eight, sizeof eight, &len, 0) == EMSGSIZE && len == 4, "exact: wrong size");
    CHECK(cshim_ring_read_exact(a.ring, &four, sizeof four, &len, 0) == 0 && four == 4, "exact: left in place");
    ring_free(&a);
}

static void test_ring_timeouts_on_time(void) {
    struct ring_area a = ring_new(4096, CSHIM_RING_SPSC);
    unsigned char buf[512];
    size_t len;
    int64_t t0 = cshim_now_ns();
    int rc = cshim_ring_read(a.ring, buf, sizeof buf, &len, 100000000LL);
    int64_t waited = cshim_now_ns() - t0;
    CHECK(rc == ETIMEDOUT, "empty read: %s", strerror(rc));
    CHECK(waited >= 100000000LL && waited <= 150000000LL, "100 ms read timeout took %.1f ms", waited / 1e6);
    memset(buf, 1, sizeof buf);
    int written = 0;
    while (cshim_ring_write(a.ring, buf, sizeof buf, 0) == 0) written++;
    CHECK(written == 7, "a 4 KiB ring holds 7 records of 512+8 bytes (and the reserve): %d", written);
    CHECK(cshim_ring_write(a.ring, buf, sizeof buf, 0) == EAGAIN, "try-write on full: EAGAIN");
    t0 = cshim_now_ns();
    rc = cshim_ring_write(a.ring, buf, sizeof buf, 100000000LL);
    waited = cshim_now_ns() - t0;
    CHECK(rc == ETIMEDOUT, "full write: %s", strerror(rc));
    CHECK(waited >= 100000000LL && waited <= 150000000LL, "100 ms write timeout took %.1f ms", waited / 1e6);
    // A try-write of a message that does not fit whole now is refused at once, without sending a fragment.
    unsigned char large[20000];
    CHECK(cshim_ring_write(a.ring, large, sizeof large, 0) == EAGAIN, "fragmented try-write refused");
    CHECK(cshim_ring_aborted_messages(a.ring) == 0, "nothing was started");
    ring_free(&a);
}

static void test_ring_close_wakes_and_ends_stream(void) {
    struct ring_area a = ring_new(4096, CSHIM_RING_MPMC);
    struct result {
        _Atomic int rc;
        _Atomic int64_t at;
    } *res = shared_alloc(sizeof *res);
    atomic_store(&res->rc, 1000);
    pid_t reader = fork_child();
    if (reader == 0) {
        unsigned char buf[64];
        size_t len;
        int rc;
        int got = 0;
        while ((rc = cshim_ring_read(a.ring, buf, sizeof buf, &len, 10000000000LL)) == 0) got++;
        atomic_store(&res->at, cshim_now_ns());
        atomic_store(&res->rc, got == 3 ? rc : -got);
        _exit(0);
    }
    for (int i = 0; i < 3; i++) cshim_ring_write(a.ring, "abc", 3, CSHIM_FOREVER);
    // Let the reader drain and fall asleep, then close from this process: it must wake at once.
    while (cshim_ring_bytes_used(a.ring) != 0) sched_yield();
    int64_t closed_at = cshim_now_ns();
    cshim_ring_close(a.ring, CSHIM_RING_CLOSE_WRITE);
    CHECK(wait_exitcode(reader) == 0, "reader");
    int rc = atomic_load(&res->rc);
    CHECK(rc == EPIPE, "reader ended with end-of-stream, got %d", rc);
    CHECK(atomic_load(&res->at) - closed_at < 100000000LL, "woken %.3f ms after close",
          (atomic_load(&res->at) - closed_at) / 1e6);
    CHECK(cshim_ring_write(a.ring, "y", 1, 0) == EPIPE, "writes after close fail with EPIPE");
    ring_free(&a);

    // The reader closing: a blocked writer hears EPIPE.
    a = ring_new(4096, CSHIM_RING_SPSC);
    pid_t writer = fork_child();
    if (writer == 0) {
        unsigned char buf[1000] = { 0 };
        int rc2;
        while ((rc2 = cshim_ring_write(a.ring, buf, sizeof buf, 10000000000LL)) == 0) {}
        _exit(rc2 == EPIPE ? 0 : 1);
    }
    while (cshim_ring_bytes_used(a.ring) < 3000) sched_yield();
    cshim_ring_close(a.ring, CSHIM_RING_CLOSE_READ);
    CHECK(wait_exitcode(writer) == 0, "blocked writer got EPIPE when the reader closed");
    ring_free(&a);
    cshim_shm_unmap(res, sizeof *res);
}

// 2 producers x 2 consumers, 1,000,000 records of random sizes from 0 B to 2 cache lines, plus one in 2,000
// larger than half the ring. Records of 8 B and more carry an 8-byte tag {producer, seq} and a patterned payload:
// each arrives exactly once, intact, and each consumer sees each producer's records in order. Records of 1 to 7
// bytes are too small for a tag: their bytes name the producer, and the counts per producer must match exactly;
// 0-byte records are counted together.
#define MPMC_RECORDS 1000000u
#define MPMC_RING (64u * 1024u)
static size_t mpmc_size(uint32_t producer, uint32_t seq) {
    uint64_t r = mix(((uint64_t)producer << 32) | seq);
    if (r % 2000 == 0) return MPMC_RING / 2 + 1000 + r % 8000;  // larger than half the ring: fragmented
    return (size_t)(r % 121);
}
// Whether (producer, seq) is sent as a tiny untagged record, and its size (0 to 7 bytes).
static int mpmc_tiny(uint32_t producer, uint32_t seq, size_t *size) {
    uint64_t r = mix(((uint64_t)producer << 32) | seq | 0x7700000000000000ULL);
    *size = (size_t)((r >> 8) % 8);  // other bits than the choice below
    return r % 16 == 0;
}
static inline unsigned char tiny_byte(uint32_t producer) { return (unsigned char)(0xA0 + producer); }

static void test_ring_mpmc_2x2_million_records(void) {
    struct ring_area a = ring_new(MPMC_RING, CSHIM_RING_MPMC);
    uint32_t per_producer = MPMC_RECORDS / 2;
    struct counts {
        _Atomic uint8_t seen[2][MPMC_RECORDS / 2];
        _Atomic uint32_t bad[2];
        _Atomic uint32_t out_of_order[2];
        _Atomic uint32_t received[2];
        _Atomic uint32_t tiny[3];  // per producer, and 0-byte records
    } *c = shared_alloc(sizeof *c);
    uint32_t tiny_expected[3] = { 0, 0, 0 };
    for (uint32_t p = 0; p < 2; p++)
        for (uint32_t q = 0; q < MPMC_RECORDS / 2; q++) {
            size_t size;
            if (mpmc_tiny(p, q, &size)) tiny_expected[size == 0 ? 2 : p]++;
        }
    pid_t pids[4];
    for (int p = 0; p < 2; p++) {
        if ((pids[p] = fork_child()) == 0) {
            cshim_ring_set_spin(a.ring, 2000);  // 4 processes on 2 CPUs: spinning long steals the peer's CPU
            unsigned char *buf = malloc(MPMC_RING);
            for (uint32_t s = 0; s < per_producer; s++) {
                size_t tiny;
                if (mpmc_tiny((uint32_t)p, s, &tiny)) {
                    memset(buf, tiny_byte((uint32_t)p), tiny);
                    if (cshim_ring_write(a.ring, buf, tiny, 30000000000LL) != 0) _exit(1);
                    continue;
                }
                size_t len = fill_record(buf, (uint32_t)p, s, mpmc_size((uint32_t)p, s));
                if (cshim_ring_write(a.ring, buf, len, 30000000000LL) != 0) _exit(1);
            }
            free(buf);
            _exit(0);
        }
    }
    for (int k = 0; k < 2; k++) {
        if ((pids[2 + k] = fork_child()) == 0) {
            cshim_ring_set_spin(a.ring, 2000);
            unsigned char *buf = malloc(MPMC_RING);
            int64_t last[2] = { -1, -1 };
            size_t len;
            int rc;
            while ((rc = cshim_ring_read(a.ring, buf, MPMC_RING, &len, 30000000000LL)) == 0) {
                if (len < 8) {
                    int producer = len == 0 ? 2 : buf[0] == tiny_byte(0) ? 0 : buf[0] == tiny_byte(1) ? 1 : -1;
                    for (size_t i = 1; i < len && producer >= 0; i++)
                        if (buf[i] != buf[0]) producer = -1;
                    if (producer < 0) atomic_fetch_add(&c->bad[k], 1);
                    else atomic_fetch_add(&c->tiny[producer], 1);
                    atomic_fetch_add(&c->received[k], 1);
                    continue;
                }
                struct tag t;
                if (!record_intact(buf, len, mpmc_size, &t) || t.producer > 1 || t.seq >= per_producer) {
                    atomic_fetch_add(&c->bad[k], 1);
                    continue;
                }
                if ((int64_t)t.seq <= last[t.producer]) atomic_fetch_add(&c->out_of_order[k], 1);
                last[t.producer] = t.seq;
                atomic_fetch_add(&c->seen[t.producer][t.seq], 1);
                atomic_fetch_add(&c->received[k], 1);
            }
            free(buf);
            _exit(rc == EPIPE ? 0 : 10 + rc);
        }
    }
    int64_t t0 = cshim_now_ns();
    CHECK(wait_exitcode(pids[0]) == 0 && wait_exitcode(pids[1]) == 0, "producers finished");
    cshim_ring_close(a.ring, CSHIM_RING_CLOSE_WRITE);
    int e0 = wait_exitcode(pids[2]), e1 = wait_exitcode(pids[3]);
    CHECK(e0 == 0 && e1 == 0, "consumers ended at end-of-stream (%d, %d)", e0, e1);
    double secs = (cshim_now_ns() - t0) / 1e9;
    uint32_t missing = 0, duplicated = 0;
    for (uint32_t p = 0; p < 2; p++)
        for (uint32_t s = 0; s < per_producer; s++) {
            size_t tiny;
            if (mpmc_tiny(p, s, &tiny)) continue;
            uint8_t v = atomic_load(&c->seen[p][s]);
            missing += v == 0;
            duplicated += v > 1;
        }
    CHECK(missing == 0 && duplicated == 0, "%u missing, %u duplicated", missing, duplicated);
    CHECK(c->bad[0] + c->bad[1] == 0, "%u torn or corrupt records", c->bad[0] + c->bad[1]);
    for (int i = 0; i < 3; i++)
        CHECK(atomic_load(&c->tiny[i]) == tiny_expected[i], "tiny records of %s: %u, expected %u",
              i == 2 ? "0 bytes" : i ? "producer 1" : "producer 0", atomic_load(&c->tiny[i]), tiny_expected[i]);
    CHECK(tiny_expected[0] > 1000 && tiny_expected[2] > 1000, "the mix has tiny and empty records");
    CHECK(c->out_of_order[0] + c->out_of_order[1] == 0, "%u out of per-producer order",
          c->out_of_order[0] + c->out_of_order[1]);
    if (!quiet)
        printf("    %u records (consumers took %u + %u) in %.2f s, %.2f M records/s\n", MPMC_RECORDS,
               atomic_load(&c->received[0]), atomic_load(&c->received[1]), secs, MPMC_RECORDS / secs / 1e6);
    cshim_shm_unmap(c, sizeof *c);
    ring_free(&a);
}

// A writer SIGKILLed at a random moment (often in the middle of a record or a fragmented message) in each of
// 1,000 trials: the reader never sees a torn record, the cancelled message is dropped whole, and the other
// writer keeps going.
#define KILL_RING 16384u
#define KILL_BUFFER 40000u  // the largest record is 8 + 36,000 bytes
static size_t kill_size(uint32_t producer, uint32_t seq) {
    uint64_t r = mix(((uint64_t)producer << 32) | seq | 0x5a5a000000000000ULL);
    return (r % 4 == 0) ? 6000 + r % 30000 : (size_t)(r % 2000);  // a quarter of them fragmented
}

static void writer_loop(cshim_ring *ring, uint32_t producer) {
    unsigned char *buf = malloc(KILL_BUFFER);
    for (uint32_t s = 0;; s++) {
        size_t len = fill_record(buf, producer, s, kill_size(producer, s));
        int rc = cshim_ring_write(ring, buf, len, 10000000000LL);
        if (rc == EPIPE) _exit(0);
        if (rc != 0) _exit(1);
    }
}

static void run_killed_writer_trials(int mode, int trials, const char *label) {
    unsigned char *buf = malloc(KILL_BUFFER);
    int torn = 0, order = 0, stalled = 0, other_failed = 0;
    uint64_t aborted = 0;
    int64_t t0 = cshim_now_ns(), killed_at = 0, worst_told = 0;
    for (int trial = 0; trial < trials; trial++) {
        struct ring_area a = ring_new(KILL_RING, mode);
        cshim_ring_set_spin(a.ring, 1000);
        cshim_ring_set_liveness_check(a.ring, 1000000);  // 1 ms: a thousand trials in a few seconds
        pid_t victim = fork_child();
        if (victim == 0) writer_loop(a.ring, 0);
        pid_t survivor = -1;
        if (mode == CSHIM_RING_MPMC && (survivor = fork_child()) == 0) writer_loop(a.ring, 1);
        int64_t last[2] = { -1, -1 };
        uint32_t kill_after = 1 + (uint32_t)(mix((uint64_t)trial) % 40);
        uint32_t after_kill[2] = { 0, 0 };
        int killed = 0;
        for (uint32_t got = 0;; got++) {
            if (!killed && got == kill_after) {
                killed_at = cshim_now_ns();
                kill(victim, SIGKILL);
                wait_exitcode(victim);
                killed = 1;
            }
            if (killed && mode == CSHIM_RING_MPMC && after_kill[1] >= 20) break;
            size_t len;
            // SPSC: after the kill, drain what the victim published. A message it left half-sent must be
            // noticed (its writer is gone) and dropped, and then the ring is simply empty: a short timeout.
            // SPSC: after the kill, drain what the victim published; then the reader is told the writer died
            // (ECONNRESET; the read's deadline is far).
            int rc = cshim_ring_read(a.ring, buf, KILL_BUFFER, &len, 5000000000LL);
            if (rc == ECONNRESET && killed && mode == CSHIM_RING_SPSC) {
                int64_t told = cshim_now_ns() - killed_at;
                if (told > worst_told) worst_told = told;
                break;
            }
            if (rc != 0) {
                stalled++;
                break;
            }
            struct tag t;
            if (!record_intact(buf, len, kill_size, &t) || t.producer > 1) {
                torn++;
                continue;
            }
            // The survivor's records never skip; the victim's may end early, never out of order.
            if ((int64_t)t.seq <= last[t.producer] || (t.producer == 1 && (int64_t)t.seq != last[1] + 1)) order++;
            last[t.producer] = t.seq;
            if (killed) after_kill[t.producer]++;
        }
        aborted += cshim_ring_aborted_messages(a.ring);
        cshim_ring_close(a.ring, CSHIM_RING_CLOSE_READ);
        if (survivor > 0 && wait_exitcode(survivor) != 0) other_failed++;
        if (!killed) {
            kill(victim, SIGKILL);
            wait_exitcode(victim);
        }
        ring_free(&a);
    }
    free(buf);
    CHECK(torn == 0, "%d torn records", torn);
    CHECK(order == 0, "%d records out of order or skipped", order);
    CHECK(stalled == 0, "%d trials stalled (a read failed or timed out)", stalled);
    CHECK(other_failed == 0, "%d surviving writers failed", other_failed);
    if (!quiet)
        printf("    %s: %d trials in %.2f s, %llu half-sent messages cancelled, 0 torn%s%.1f ms\n", label, trials,
               (cshim_now_ns() - t0) / 1e9, (unsigned long long)aborted,
               mode == CSHIM_RING_SPSC ? "; writer's death told to the reader at worst after " : "",
               mode == CSHIM_RING_SPSC ? worst_told / 1e6 : 0.0);
}

static void test_ring_mpmc_writer_killed_1000_trials(void) {
    run_killed_writer_trials(CSHIM_RING_MPMC, 1000, "MPMC, 2 writers, one SIGKILLed");
}

// SPSC: the reader, holding the first fragments of a message whose writer was killed, notices the death and
// moves on: no hang, no partial message, and once drained it is told the writer died (ECONNRESET), not left to
// wait out its deadline.
static void test_ring_spsc_writer_killed_mid_message(void) {
    run_killed_writer_trials(CSHIM_RING_SPSC, 1000, "SPSC, writer SIGKILLed");
}

// A reader SIGKILLed while holding the consumer side: the next reader takes over (EOWNERDEAD inside) and skips
// any fragments of the message the dead one had started.
static void test_ring_mpmc_reader_killed(void) {
    struct ring_area a = ring_new(8192, CSHIM_RING_MPMC);
    pid_t writer = fork_child();
    if (writer == 0) writer_loop(a.ring, 1);
    pid_t reader = fork_child();
    if (reader == 0) {
        unsigned char b[40000];
        size_t len;
        for (;;) cshim_ring_read(a.ring, b, sizeof b, &len, CSHIM_FOREVER);
    }
    unsigned char *buf = malloc(40000);
    int good = 0, bad = 0;
    for (int i = 0; i < 200; i++) {
        if (i == 50) {
            kill(reader, SIGKILL);
            wait_exitcode(reader);
        }
        size_t len;
        struct tag t;
        int rc = cshim_ring_read(a.ring, buf, 40000, &len, 5000000000LL);
        if (rc == 0 && record_intact(buf, len, kill_size, &t)) good++;
        else bad++;
    }
    CHECK(good == 200 && bad == 0, "%d good, %d bad reads after a reader was killed", good, bad);
    cshim_ring_close(a.ring, CSHIM_RING_CLOSE_READ);
    CHECK(wait_exitcode(writer) == 0, "writer ended with EPIPE");
    free(buf);
    ring_free(&a);
}

// Ping-pong with spinning off: every message puts a side to sleep and needs a wake-up, so a lost wake-up in the
// sleep/wake protocol hangs here (the watchdog reports it) instead of once in a while under load. Regression
// test for an event count whose announcement flag could be cleared by a stale signal.
static void test_ring_ping_pong_every_message_sleeps(void) {
    struct ring_area there = ring_new(4096, CSHIM_RING_SPSC), back = ring_new(4096, CSHIM_RING_SPSC);
    cshim_ring_set_spin(there.ring, 0);
    cshim_ring_set_spin(back.ring, 0);
    enum { ROUNDS = 5000 };
    pid_t child = fork_child();
    if (child == 0) {
        uint64_t v;
        size_t len;
        for (int i = 0; i < ROUNDS; i++) {
            if (cshim_ring_read(there.ring, &v, sizeof v, &len, 5000000000LL) != 0) _exit(1);
            v++;
            if (cshim_ring_write(back.ring, &v, sizeof v, 5000000000LL) != 0) _exit(2);
        }
        _exit(0);
    }
    uint64_t v = 0;
    int ok = 1;
    int64_t t0 = cshim_now_ns();
    for (int i = 0; i < ROUNDS && ok; i++) {
        size_t len;
        ok = cshim_ring_write(there.ring, &v, sizeof v, 5000000000LL) == 0 &&
             cshim_ring_read(back.ring, &v, sizeof v, &len, 5000000000LL) == 0 && v == (uint64_t)i + 1;
    }
    CHECK(ok, "ping-pong stopped at %llu", (unsigned long long)v);
    CHECK(wait_exitcode(child) == 0, "echo child");
    if (!quiet) printf("    %d round trips with both sides sleeping: %.1f µs each\n", ROUNDS, (cshim_now_ns() - t0) / 1e3 / ROUNDS);
    ring_free(&there);
    ring_free(&back);
}

static int stall_calls;
static int give_up_after_three(void *context) {
    (void)context;
    return ++stall_calls >= 3;
}
static int keep_waiting(void *context) {
    atomic_fetch_add((_Atomic int *)context, 1);  // shared with the reader: it starts reading after a stall
    return 0;
}

// A writer of a long message whose reader is slow or gone: the stall check is consulted while it waits for
// space, without cancelling the message; when it gives up, the half-sent message is cancelled (EPIPE).
static void test_ring_write_stall_check(void) {
    struct ring_area a = ring_new(8192, CSHIM_RING_SPSC);
    static unsigned char big[1 << 20];
    memset(big, 5, sizeof big);
    struct iovec iov = { big, sizeof big };
    stall_calls = 0;
    int64_t t0 = cshim_now_ns();
    int rc = cshim_ring_writev_checked(a.ring, &iov, 1, CSHIM_FOREVER, 20000000LL, give_up_after_three, NULL);
    int64_t took = cshim_now_ns() - t0;
    CHECK(rc == EPIPE && stall_calls == 3, "gave up after 3 stalls: rc %d, %d calls", rc, stall_calls);
    CHECK(took >= 60000000LL && took < 120000000LL, "3 stalls of 20 ms took %.1f ms", took / 1e6);
    CHECK(cshim_ring_aborted_messages(a.ring) == 1, "the half-sent message was cancelled");
    ring_free(&a);

    // A slow reader (it starts only once the writer has stalled): the writer keeps waiting through the stall
    // and the 1 MiB message arrives whole.
    a = ring_new(8192, CSHIM_RING_SPSC);
    _Atomic int *calls = shared_alloc(sizeof *calls);
    pid_t reader = fork_child();
    if (reader == 0) {
        static unsigned char got[1 << 20];
        size_t len;
        while (atomic_load(calls) == 0) sched_yield();
        int r = cshim_ring_read(a.ring, got, sizeof got, &len, 10000000000LL);
        _exit(r == 0 && len == sizeof got && got[12345] == 5 ? 0 : 1);
    }
    rc = cshim_ring_writev_checked(a.ring, &iov, 1, CSHIM_FOREVER, 1000000LL, keep_waiting, (void *)calls);
    CHECK(rc == 0, "written: %d", rc);
    CHECK(wait_exitcode(reader) == 0, "the reader got the whole message");
    CHECK(atomic_load(calls) >= 1, "the stall check was consulted (%d)", atomic_load(calls));
    CHECK(cshim_ring_aborted_messages(a.ring) == 0, "nothing was cancelled");
    cshim_shm_unmap((void *)calls, sizeof *calls);
    ring_free(&a);
}

// Waiting on several rings at once: a message in the second wakes the waiter and marks only it; with nothing
// sent the wait times out on time; an ended stream counts as ready.
static void test_ring_wait_any(void) {
    struct ring_area a = ring_new(4096, CSHIM_RING_MPMC), b = ring_new(4096, CSHIM_RING_SPSC);
    cshim_ring *rings[2] = { a.ring, b.ring };
    unsigned char ready[2] = { 9, 9 };
    int64_t t0 = cshim_now_ns();
    int n = cshim_ring_wait_any(rings, 2, 100000000LL, ready);
    int64_t waited = cshim_now_ns() - t0;
    CHECK(n == 0 && ready[0] == 0 && ready[1] == 0, "nothing ready: %d", n);
    CHECK(waited >= 100000000LL && waited < 150000000LL, "100 ms wait took %.1f ms", waited / 1e6);
    pid_t child = fork_child();
    if (child == 0) _exit(cshim_ring_write(b.ring, "x", 1, CSHIM_FOREVER));
    n = cshim_ring_wait_any(rings, 2, 5000000000LL, ready);
    CHECK(n == 1 && ready[0] == 0 && ready[1] == 1, "the second ring is ready: %d [%d %d]", n, ready[0], ready[1]);
    CHECK(wait_exitcode(child) == 0, "writer");
    cshim_ring_close(a.ring, CSHIM_RING_CLOSE_WRITE);
    n = cshim_ring_wait_any(rings, 1, 0, ready);
    CHECK(n == 1 && ready[0] == 1, "an ended stream is ready");
    ring_free(&a);
    ring_free(&b);
}

// Waiting for input without the consumer lock (the pool's handler thread): an empty ring times out; a message
// from another process wakes the waiter; a flag set by cshim_ring_notify_readers from another thread wakes it
// too and is taken once; a reader spinning with sched_yield gets a message written meanwhile.
struct notifier { cshim_ring *ring; uint32_t *flag; };
static void *notify_later(void *arg) {
    struct notifier *n = arg;
    struct timespec pause = { 0, 20000000 };
    nanosleep(&pause, NULL);
    cshim_ring_notify_readers(n->ring, n->flag);
    return NULL;
}

static void test_ring_wait_input_and_notify(void) {
    struct ring_area a = ring_new(4096, CSHIM_RING_MPMC);
    CHECK(cshim_ring_readable(a.ring) == 0, "an empty ring is not readable");
    int64_t t0 = cshim_now_ns();
    int got = 0;
    while (got == 0 && cshim_now_ns() - t0 < 50000000LL) got = cshim_ring_wait_input(a.ring, NULL, 50000000LL);
    CHECK(got == 0 && cshim_now_ns() - t0 >= 50000000LL, "nothing to wait for: %d", got);
    pid_t child = fork_child();
    if (child == 0) _exit(cshim_ring_write(a.ring, "x", 1, CSHIM_FOREVER));
    t0 = cshim_now_ns();
    while (!cshim_ring_readable(a.ring) && cshim_now_ns() - t0 < 5000000000LL)
        (void)cshim_ring_wait_input(a.ring, NULL, 5000000000LL);
    CHECK(cshim_ring_readable(a.ring) == 1, "a message from another process wakes the waiter");
    CHECK(wait_exitcode(child) == 0, "writer");
    char c = 0;
    size_t n = 0;
    CHECK(cshim_ring_read(a.ring, &c, 1, &n, 0) == 0 && n == 1 && c == 'x', "the message");

    uint32_t flag = 0;
    struct notifier note = { a.ring, &flag };
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, notify_later, &note) == 0, "notifier thread");
    t0 = cshim_now_ns();
    got = 0;
    while (got == 0 && cshim_now_ns() - t0 < 5000000000LL) got = cshim_ring_wait_input(a.ring, &flag, 5000000000LL);
    pthread_join(thread, NULL);
    CHECK(got == 1 && cshim_ring_readable(a.ring) == 0, "the flag wakes the waiter: %d", got);
    CHECK(cshim_ring_take_flag(&flag) == 1 && cshim_ring_take_flag(&flag) == 0, "the flag is taken once");

    cshim_ring_set_spin_yielding(a.ring, 2000000);
    child = fork_child();
    if (child == 0) _exit(cshim_ring_write(a.ring, "y", 1, CSHIM_FOREVER));
    CHECK(cshim_ring_read(a.ring, &c, 1, &n, 5000000000LL) == 0 && c == 'y', "a yielding spin reads");
    CHECK(wait_exitcode(child) == 0, "writer");
    for (int i = 0; i < 1000; i++) cshim_ring_pause();
    ring_free(&a);
}

// An elastic ring: writes never wait while the reach has room, whatever the reader does; order is kept; the
// pages readers passed beyond the window go back to the kernel; a reader that keeps up keeps the writer in the
// window; a padding record left at the tail by a reader that stopped is stepped over by the writer.
static struct ring_area elastic_new(uint64_t capacity, uint64_t window) {
    struct ring_area a;
    a.size = cshim_ring_shared_size(capacity);
    a.base = shared_alloc(a.size);
    int rc = cshim_ring_init_elastic_at(a.base, a.size, capacity, window, CSHIM_RING_MPMC);
    if (rc != 0) {
        fprintf(stderr, "elastic ring init: %s\n", strerror(rc));
        exit(2);
    }
    a.ring = cshim_ring_attach(a.base, a.size);
    return a;
}

static void elastic_read_in_order(cshim_ring *ring, uint32_t producers, uint32_t per_producer) {
    uint32_t next[8] = { 0 };
    for (uint64_t i = 0; i < (uint64_t)producers * per_producer; i++) {
        struct tag t;
        size_t n = 0;
        int rc = cshim_ring_read(ring, &t, sizeof t, &n, 0);
        if (rc != 0 || n != sizeof t || t.producer >= producers || t.seq != next[t.producer]) {
            CHECK(0, "record %llu: rc %d, length %zu, producer %u seq %u", (unsigned long long)i, rc, n, t.producer,
                  t.seq);
            return;
        }
        next[t.producer]++;
    }
    size_t n = 0;
    struct tag t;
    CHECK(cshim_ring_read(ring, &t, sizeof t, &n, 0) == EAGAIN, "nothing more");
}

static void test_ring_elastic(void) {
    const uint64_t window = 64 << 10;
    CHECK(cshim_ring_init_elastic_at(shared_alloc(4096 * 2), 4096 * 2, 4096, 4096, CSHIM_RING_MPMC) == EINVAL,
          "window above capacity/4 refused");
    struct ring_area a = elastic_new((uint64_t)1 << 30, window);
    CHECK(cshim_ring_window(a.ring) == window, "window");
    CHECK(cshim_ring_resident_bytes(a.ring) <= window * 3 / 2, "only the kept area is backed before use: %zu",
          cshim_ring_resident_bytes(a.ring));

    // 1. No reader: 300,000 writes that never wait (timeout 0), then all read in order; memory given back.
    for (uint32_t i = 0; i < 300000; i++) {
        struct tag t = { 0, i };
        int rc = cshim_ring_write(a.ring, &t, sizeof t, 0);
        if (rc != 0) {
            CHECK(0, "write %u: %s", i, strerror(rc));
            break;
        }
    }
    CHECK(cshim_ring_resident_bytes(a.ring) >= 300000 * 16, "backed while outstanding: %zu",
          cshim_ring_resident_bytes(a.ring));
    elastic_read_in_order(a.ring, 1, 300000);
    size_t left = cshim_ring_resident_bytes(a.ring);
    // (the window and half again, the pages the writer backed ahead of itself (256 KiB), less than a batch)
    CHECK(left <= window * 3 / 2 + (256 << 10) + (128 << 10), "memory given back after reading: %zu bytes still resident", left);

    // 2. A reader that keeps up: the writer comes back into the window and stays there.
    for (uint32_t i = 0; i < 200000; i++) {
        struct tag t = { 0, i }, got;
        size_t n = 0;
        CHECK(cshim_ring_write(a.ring, &t, sizeof t, 0) == 0, "write");
        if (cshim_ring_read(a.ring, &got, sizeof got, &n, 0) != 0 || got.seq != i) {
            CHECK(0, "ping-pong %u", i);
            break;
        }
    }
    left = cshim_ring_resident_bytes(a.ring);
    CHECK(left <= window * 3 / 2 + (128 << 10), "ping-pong stays in the window: %zu bytes resident", left);

    // 3. The reader stops right after an early wrap (padding at the tail): the writer still has the whole reach.
    for (uint32_t round = 0; round < 3; round++) {
        for (uint32_t i = 0; i < 200000; i++) {
            struct tag t = { 0, i };
            int rc = cshim_ring_write(a.ring, &t, sizeof t, 0);
            if (rc != 0) {
                CHECK(0, "round %u write %u: %s", round, i, strerror(rc));
                break;
            }
        }
        elastic_read_in_order(a.ring, 1, 200000);
        // Keep up for a while so that the writer wraps early, then stop reading with the padding unread.
        for (uint32_t i = 0; i < 20000 + round * 1000; i++) {
            struct tag t = { 0, i }, got;
            size_t n = 0;
            CHECK(cshim_ring_write(a.ring, &t, sizeof t, 0) == 0, "write");
            CHECK(cshim_ring_read(a.ring, &got, sizeof got, &n, 0) == 0, "read");
        }
    }

    // 3b. The reader lags by 1,000 records while the writer wraps early, then stops with those unread: the
    //     writer moves its records behind them and goes on; everything arrives in order.
    for (uint32_t round = 0; round < 3; round++) {
        uint32_t written = 0, read = 0;
        for (; written < 1000; written++) {
            struct tag t = { 0, written };
            CHECK(cshim_ring_write(a.ring, &t, sizeof t, 0) == 0, "write");
        }
        for (uint32_t i = 0; i < 20000 + round * 777; i++, written++, read++) {
            struct tag t = { 0, written }, got;
            size_t n = 0;
            CHECK(cshim_ring_write(a.ring, &t, sizeof t, 0) == 0, "write");
            if (cshim_ring_read(a.ring, &got, sizeof got, &n, 0) != 0 || got.seq != read) {
                CHECK(0, "lagging read %u", read);
                break;
            }
        }
        for (uint32_t i = 0; i < 300000; i++, written++) {
            struct tag t = { 0, written };
            int rc = cshim_ring_write(a.ring, &t, sizeof t, 0);
            if (rc != 0) {
                CHECK(0, "round %u: write %u after the reader stopped: %s", round, i, strerror(rc));
                break;
            }
        }
        for (; read < written; read++) {
            struct tag got;
            size_t n = 0;
            if (cshim_ring_read(a.ring, &got, sizeof got, &n, 0) != 0 || got.seq != read) {
                CHECK(0, "round %u: record %u of %u: seq %u", round, read, written, got.seq);
                break;
            }
        }
    }
    left = cshim_ring_resident_bytes(a.ring);
    CHECK(left <= window * 3 / 2 + (256 << 10) + (128 << 10), "memory given back after relocations: %zu bytes still resident", left);

    // 4. Three writer processes, no reader running: each writes 100,000 and exits at once (the watchdog would
    //    catch a write waiting for room).
    pid_t kids[3];
    for (uint32_t p = 0; p < 3; p++) {
        kids[p] = fork_child();
        if (kids[p] == 0) {
            for (uint32_t i = 0; i < 100000; i++) {
                struct tag t = { p, i };
                // (not timeout 0: that would also give up when another writer holds the producer lock)
                if (cshim_ring_write(a.ring, &t, sizeof t, -1) != 0) _exit(1);
            }
            _exit(0);
        }
    }
    for (int p = 0; p < 3; p++) CHECK(wait_exitcode(kids[p]) == 0, "writer %d wrote everything", p);
    elastic_read_in_order(a.ring, 3, 100000);
    ring_free(&a);
}

static void test_ring_rejects_bad_arguments(void) {
    CHECK(cshim_ring_shared_size(1000) == 0, "capacity not a power of two");
    CHECK(cshim_ring_shared_size(1024) == 0, "capacity below the minimum");
    unsigned char *mem = shared_alloc(8192);
    CHECK(cshim_ring_init_at(mem, 8192, 8192, CSHIM_RING_SPSC) == EINVAL, "area too small for header + data");
    CHECK(cshim_ring_init_at(mem, 8192, 4096, 7) == EINVAL, "unknown mode");
    errno = 0;
    CHECK(cshim_ring_attach(mem, 8192) == NULL && errno == EINVAL, "attach to an unformatted area");
    CHECK(cshim_ring_init_at(mem, 8192, 4096, CSHIM_RING_SPSC) == 0, "valid");
    cshim_ring *r = cshim_ring_attach(mem, 8192);
    CHECK(r != NULL, "attach");
    CHECK(cshim_ring_attach(mem, 4000) == NULL, "attach with a short size");
    CHECK(cshim_ring_writev(r, NULL, 1, 0) == EINVAL, "iov NULL with a count");
    size_t len;
    CHECK(cshim_ring_read(r, NULL, 10, &len, 0) == EINVAL, "NULL buffer with a capacity");
    cshim_ring_detach(r);
    cshim_shm_unmap(mem, 8192);
}

// ---------------------------------------------------------------------------------------------------------------
// Process helpers

static void test_process_helpers(void) {
    int code = 0;
    pid_t c = fork_child();
    if (c == 0) _exit(7);
    int status;
    waitpid(c, &status, 0);
    CHECK(cshim_exitcode_from_status(status, &code) == 1 && code == 7, "exit code 7: %d", code);
    c = fork_child();
    if (c == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    waitpid(c, &status, 0);
    CHECK(cshim_exitcode_from_status(status, &code) == 1 && code == -SIGTERM, "killed by SIGTERM: %d", code);
    CHECK(cshim_usable_cpu_count() >= 1, "cpu count");
    CHECK(cshim_thread_count() == 1, "this test program is single-threaded: %d", cshim_thread_count());

    // The parent-death signal: a grandchild whose parent dies is SIGKILLed, not orphaned. The grandchild holds
    // the only write end of a pipe once the others are closed, so EOF on the read end is its death.
    int life[2];
    CHECK(pipe(life) == 0, "pipe");
    c = fork_child();
    if (c == 0) {
        pid_t me = getpid();
        pid_t g = fork_child();
        if (g == 0) {
            close(life[0]);
            cshim_set_parent_death_signal(SIGKILL, me);
            for (;;) pause();
        }
        _exit(0);
    }
    close(life[1]);
    wait_exitcode(c);
    struct pollfd pfd = { .fd = life[0], .events = POLLIN };
    char byte;
    CHECK(poll(&pfd, 1, 2000) == 1 && read(life[0], &byte, 1) == 0, "grandchild killed when its parent died");
    close(life[0]);

    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    CHECK(cshim_set_cloexec(fds[0]) == 0, "cloexec");
    c = fork_child();
    if (c == 0) {
        int keep[] = { 0, 1, 2, fds[1] };
        cshim_close_fds_except(3, keep, 4);
        _exit(fcntl(fds[0], F_GETFD) < 0 && fcntl(fds[1], F_GETFD) >= 0 ? 0 : 1);
    }
    CHECK(wait_exitcode(c) == 0, "close_fds_except closes all but the kept descriptors");
    close(fds[0]);
    close(fds[1]);
}

// A Process child's start and end: the recorded process, the parent-death signal (or none), stdin on /dev/null,
// stdio flushed by cshim_child_exit, which exits with the code given.
static void test_forked_child_begin_and_exit(void) {
    int marker = 0;
    CHECK(cshim_forked_child_process() == NULL, "not a forked child: nothing recorded");
    int out[2];
    CHECK(pipe(out) == 0, "pipe");
    for (int death = 0; death <= 1; death++) {
        pid_t c = fork_child();
        if (c == 0) {
            close(out[0]);
            cshim_forked_child_begin(&marker, death ? SIGKILL : 0, getppid());
            int ok = cshim_forked_child_process() == &marker && cshim_forked_child_table_settled() == 0;
            char byte;
            ok = ok && read(0, &byte, 1) == 0;  // /dev/null: end of file at once
            int sig = -1;
            ok = ok && prctl(PR_GET_PDEATHSIG, (unsigned long)&sig, 0UL, 0UL, 0UL) == 0 && sig == (death ? SIGKILL : 0);
            cshim_forked_child_note_table_settled();
            ok = ok && cshim_forked_child_table_settled() == 1;
            dup2(out[1], 1);
            fputs(death ? "buffered 1" : "buffered 0", stdout);  // no newline: still in the buffer at exit
            cshim_child_exit(ok ? 9 : 1);
        }
        CHECK(wait_exitcode(c) == 9, "the child saw what begin set up (death signal %d)", death);
        char text[32] = { 0 };
        CHECK(read(out[0], text, sizeof text - 1) == 10 && strcmp(text, death ? "buffered 1" : "buffered 0") == 0,
              "exit flushed stdio: '%s'", text);
    }
    close(out[0]);
    close(out[1]);
    // A creator with no stdin: the child's /dev/null lands on descriptor 0 itself, and must survive exec.
    pid_t c = fork_child();
    if (c == 0) {
        close(0);
        cshim_forked_child_begin(&marker, 0, getppid());
        char byte;
        cshim_child_exit(read(0, &byte, 1) == 0 && fcntl(0, F_GETFD) == 0 ? 9 : 1);
    }
    CHECK(wait_exitcode(c) == 9, "stdin opened on descriptor 0, not close-on-exec");
    CHECK(cshim_forked_child_process() == NULL, "the parent's record is untouched");
}

// cshim_fork_watched's sentinel, in this process: not readable while the child runs, readable once it has ended,
// and cshim_wait_child reaps through it (its timeout kept while the child runs). Returns the failures.
static int fork_watched_scenario(void) {
    int before = current_failures;
    int go[2];
    CHECK(pipe(go) == 0, "pipe: %s", strerror(errno));
    int sentinel = -2;
    pid_t pid = cshim_fork_watched(&sentinel);
    if (pid == 0) {
        close(go[1]);
        char byte;
        _exit(read(go[0], &byte, 1) == 1 ? 7 : 1);
    }
    close(go[0]);
    CHECK(pid > 0 && sentinel >= 0, "fork_watched: pid %d, sentinel %d (%s)", pid, sentinel, strerror(errno));
    struct pollfd entry = { .fd = sentinel, .events = POLLIN };
    CHECK(poll(&entry, 1, 0) == 0, "the sentinel is readable while the child runs");
    int code = -1;
    CHECK(cshim_wait_child(pid, sentinel, 50 * 1000000LL, &code) == ETIMEDOUT, "wait for a running child: timeout");
    CHECK(write(go[1], "g", 1) == 1, "release the child");
    CHECK(poll(&entry, 1, 10000) == 1, "the sentinel becomes readable when the child ends");
    CHECK(cshim_wait_child(pid, sentinel, 10 * 1000000000LL, &code) == 0 && code == 7, "reaped, exit code %d", code);
    close(go[1]);
    if (sentinel >= 0) close(sentinel);
    return current_failures - before;
}

// The no-pidfd half, in a fresh image (its "does pidfd_open work" is asked anew): pidfd_open refused with ENOSYS
// by a seccomp filter, as a kernel before 5.3 or a sandbox refuses it.
static int fork_watched_without_pidfd_main(void) {
    current_test = "fork_watched_without_pidfd";
    if (deny_pidfd_open() != 0) {
        fprintf(stderr, "  FAIL fork_watched_without_pidfd: seccomp: %s\n", strerror(errno));
        return 1;
    }
    CHECK(cshim_pidfd_open(getpid()) == -1 && errno == ENOSYS, "pidfd_open is refused");
    return fork_watched_scenario() == 0 ? 0 : 1;
}

static void test_fork_watched_sentinel(void) {
    CHECK(fork_watched_scenario() == 0, "with pidfds");
    // Without: this program again, under a seccomp filter (see main).
    pid_t pid = fork_child();
    if (pid == 0) {
        execl("/proc/self/exe", "cshim_test", "--fork-watched-without-pidfd", (char *)NULL);
        _exit(2);
    }
    CHECK(wait_exitcode(pid) == 0, "the scenario without pidfds (its failures above)");
}

// A process with the SIGTERM notice (a pool's zygote) ends its child before it ends by SIGTERM; a child forked
// after the notice ends by SIGTERM at once, whether it dropped the notice or not.
static void test_term_notice_ends_children_first(void) {
    int report[2];
    CHECK(pipe(report) == 0, "pipe");
    pid_t owner = fork_child();
    if (owner == 0) {
        close(report[0]);
        int notice = cshim_term_notice_install();
        if (notice < 0 || cshim_term_notice_install() != -1 || errno != EBUSY) _exit(10);
        pid_t grandchild = fork();
        if (grandchild == 0) {
            cshim_term_notice_drop();
            for (;;) pause();
        }
        pid_t undropped = fork();  // still holds the notice: its SIGTERM must end it all the same
        if (undropped == 0) for (;;) pause();
        kill(undropped, SIGTERM);
        int status = 0;
        if (waitpid(undropped, &status, 0) != undropped || !WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM) _exit(11);
        if (write(report[1], &grandchild, sizeof grandchild) != (ssize_t)sizeof grandchild) _exit(12);
        struct pollfd entry = { .fd = notice, .events = POLLIN };
        while (poll(&entry, 1, -1) < 0 && errno == EINTR) {}
        kill(grandchild, SIGKILL);
        waitpid(grandchild, &status, 0);
        cshim_term_notice_end();
    }
    close(report[1]);
    pid_t grandchild = 0;
    CHECK(read(report[0], &grandchild, sizeof grandchild) == (ssize_t)sizeof grandchild, "the owner set up (exit %d)",
          grandchild ? 0 : wait_exitcode(owner));
    close(report[0]);
    if (!grandchild) return;
    CHECK(kill(grandchild, 0) == 0, "the grandchild runs");
    CHECK(kill(owner, SIGTERM) == 0, "SIGTERM to the owner");
    CHECK(wait_exitcode(owner) == -SIGTERM, "the owner still ends by SIGTERM");
    CHECK(kill(grandchild, 0) == -1 && errno == ESRCH, "its child was ended and reaped before it ended");
}


// ---- coroutines ------------------------------------------------------------------------------------------------

struct counter_coro {
    cshim_coro co;
    long value;     // handed out at each suspend
    long sent;      // handed in at each resume
    long limit;
};

static void counter_entry(cshim_coro *co) {
    struct counter_coro *c = co->user;
    volatile double f = 0.5;  // lives across switches (in a callee-saved register or on this stack)
    for (long i = 0; i < c->limit; i++) {
        c->value = i + c->sent;
        f += 1.0;
        cshim_coro_suspend(co);
    }
    c->value = -1 - (long)f;
    cshim_coro_exit(co);
}

static void test_coro_ping_pong_and_reuse(void) {
    size_t free0, mapped0;
    cshim_coro_stack_counts(&free0, &mapped0);
    struct counter_coro c = { .limit = 1000 };
    cshim_coro_init(&c.co, counter_entry, &c);
    long expect_sum = 0, sum = 0;
    for (long i = 0; i < 1000; i++) {
        c.sent = i * 3;
        CHECK(cshim_coro_resume(&c.co) == 0, "resume: %s", strerror(errno));
        CHECK(!c.co.finished, "not finished at %ld", i);
        sum += c.value;
        expect_sum += i + i * 3;
    }
    CHECK(sum == expect_sum, "values: %ld, expected %ld", sum, expect_sum);
    CHECK(cshim_coro_resume(&c.co) == 0, "last resume");
    CHECK(c.co.finished && c.value == -1 - 1000, "finished with %ld", c.value);
    cshim_coro_release(&c.co);
    cshim_coro_release(&c.co);  // twice is harmless
    // 100,000 coroutines started and released (finished or not) reuse one stack
    for (int i = 0; i < 100000; i++) {
        struct counter_coro d = { .limit = 5 };
        cshim_coro_init(&d.co, counter_entry, &d);
        cshim_coro_resume(&d.co);
        if (i % 2) {
            while (!d.co.finished) cshim_coro_resume(&d.co);
        }
        cshim_coro_release(&d.co);
    }
    size_t free1, mapped1;
    cshim_coro_stack_counts(&free1, &mapped1);
    CHECK(mapped1 <= mapped0 + 1, "stacks mapped: %zu before, %zu after", mapped0, mapped1);
}

// A coroutine that resumes others (a generator pipeline): each level doubles what the one below hands out.
struct chain_coro {
    cshim_coro co;
    struct chain_coro *below;
    long value;
};

static void chain_entry(cshim_coro *co) {
    struct chain_coro *c = co->user;
    for (;;) {
        if (c->below) {
            cshim_coro_resume(&c->below->co);
            if (c->below->co.finished) break;
            c->value = c->below->value * 2;
        } else {
            c->value++;
            if (c->value > 50) break;
        }
        cshim_coro_suspend(co);
    }
    cshim_coro_exit(co);
}

static void test_coro_nested_pipeline(void) {
    struct chain_coro levels[8];
    for (int i = 0; i < 8; i++) {
        levels[i].below = i ? &levels[i - 1] : NULL;
        levels[i].value = 0;
        cshim_coro_init(&levels[i].co, chain_entry, &levels[i]);
    }
    long n = 0, sum = 0;
    for (;;) {
        CHECK(cshim_coro_resume(&levels[7].co) == 0, "resume");
        if (levels[7].co.finished) break;
        sum += levels[7].value;
        n++;
    }
    CHECK(n == 50 && sum == 128 * (50 * 51 / 2), "%ld values, sum %ld", n, sum);
    for (int i = 0; i < 8; i++) cshim_coro_release(&levels[i].co);
}

static void test_coro_survives_fork(void) {
    struct counter_coro c = { .limit = 10 };
    cshim_coro_init(&c.co, counter_entry, &c);
    cshim_coro_resume(&c.co);
    cshim_coro_resume(&c.co);
    CHECK(c.value == 1, "suspended at 1 (%ld)", c.value);
    pid_t pid = fork_child();
    if (pid == 0) {
        // the child goes on with the suspended coroutine: its stack was copied with the process
        long sum = 0;
        for (;;) {
            cshim_coro_resume(&c.co);
            if (c.co.finished) break;
            sum += c.value;
        }
        cshim_coro_release(&c.co);
        _exit(sum == 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 ? 0 : 1);
    }
    CHECK(wait_exitcode(pid) == 0, "the child resumed the coroutine to its end");
    cshim_coro_resume(&c.co);
    CHECK(c.value == 2, "the parent's goes on too (%ld)", c.value);
    cshim_coro_release(&c.co);
}

static void deep_entry(cshim_coro *co) {
    // touch 4 MiB of the stack, then mark it deep as the evaluator does past CSHIM_CORO_SHALLOW
    volatile char big[4 << 20];
    memset((char *)big, 1, sizeof big);
    CHECK((uintptr_t)big < (uintptr_t)co->stack_low + co->stack_size - (4 << 20), "the buffer is on the stack");
    CHECK(cshim_coro_stack_pointer() > (uintptr_t)co->stack_low, "the stack pointer is in the stack");
    co->deep = 1;
    cshim_coro_exit(co);
}

static void test_coro_deep_stack_released(void) {
    cshim_coro co;
    cshim_coro_init(&co, deep_entry, NULL);
    CHECK(cshim_coro_resume(&co) == 0 && co.finished, "ran");
    char *low = co.stack_low;
    cshim_coro_release(&co);
    unsigned char vec[64];
    // the deep part's pages are gone (reading them again would give zeroes)
    CHECK(mincore(low + co.stack_size / 2, 64 * 4096, vec) == 0, "mincore: %s", strerror(errno));
    int resident = 0;
    for (int i = 0; i < 64; i++) resident += vec[i] & 1;
    (void)low;
    CHECK(resident == 0, "%d of 64 deep pages still resident", resident);
}

// ---------------------------------------------------------------------------------------------------------------

static const struct test tests[] = {
    { "mutex_owner_killed_waiter_recovers", test_mutex_owner_killed_waiter_recovers },
    { "mutex_owner_killed_next_locker_told", test_mutex_owner_killed_next_locker_told },
    { "mutex_timeouts_and_try", test_mutex_timeouts_and_try },
    { "event_wakes_another_process", test_event_wakes_another_process },
    { "eventfd_timeout_and_signal_across_fork", test_eventfd_timeout_and_signal_across_fork },
    { "named_segments_exclusive_and_owned", test_named_segments_exclusive_and_owned },
    { "ring_spsc_sequence_and_sizes", test_ring_spsc_sequence_and_sizes },
    { "ring_emsgsize_leaves_message", test_ring_emsgsize_leaves_message },
    { "ring_timeouts_on_time", test_ring_timeouts_on_time },
    { "ring_close_wakes_and_ends_stream", test_ring_close_wakes_and_ends_stream },
    { "ring_mpmc_2x2_million_records", test_ring_mpmc_2x2_million_records },
    { "ring_mpmc_writer_killed_1000_trials", test_ring_mpmc_writer_killed_1000_trials },
    { "ring_spsc_writer_killed_mid_message", test_ring_spsc_writer_killed_mid_message },
    { "ring_mpmc_reader_killed", test_ring_mpmc_reader_killed },
    { "ring_ping_pong_every_message_sleeps", test_ring_ping_pong_every_message_sleeps },
    { "ring_write_stall_check", test_ring_write_stall_check },
    { "ring_wait_any", test_ring_wait_any },
    { "ring_wait_input_and_notify", test_ring_wait_input_and_notify },
    { "ring_rejects_bad_arguments", test_ring_rejects_bad_arguments },
    { "ring_elastic", test_ring_elastic },
    { "process_helpers", test_process_helpers },
    { "forked_child_begin_and_exit", test_forked_child_begin_and_exit },
    { "fork_watched_sentinel", test_fork_watched_sentinel },
    { "term_notice_ends_children_first", test_term_notice_ends_children_first },
    { "coro_ping_pong_and_reuse", test_coro_ping_pong_and_reuse },
    { "coro_nested_pipeline", test_coro_nested_pipeline },
    { "coro_survives_fork", test_coro_survives_fork },
    { "coro_deep_stack_released", test_coro_deep_stack_released },
};

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--fork-watched-without-pidfd") == 0) return fork_watched_without_pidfd_main();
    return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv, 240, "no_leaks", "cshim-test-");
}
