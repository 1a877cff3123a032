// C tests of the ring (CShim/ring.c, layout 4), with real processes: all of them (the first cases moved here
// from cshim_test.c). Built and run by Tests/CShimCTests/run.sh, plainly and under ASan + UBSan. Same output format: one "ok"/"FAIL" line per test, then "N passed, N failed".
//
// Usage: ring_test [-q] [test-name-substring]
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <poll.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

struct area {
    void *base;
    size_t size;
    cshim_ring *ring;
};

static struct area area_new(uint64_t capacity, int mode) {
    struct area a;
    a.size = cshim_ring_shared_size(capacity);
    int fd = cshim_shm_anon_create("ring-test", a.size);
    if (fd < 0) {
        perror("memfd");
        exit(2);
    }
    a.base = cshim_shm_map(fd, a.size);
    close(fd);
    if (!a.base) {
        perror("mmap");
        exit(2);
    }
    int rc = cshim_ring_init_at(a.base, a.size, capacity, mode);
    if (rc != 0) {
        fprintf(stderr, "ring init: %s\n", strerror(rc));
        exit(2);
    }
    a.ring = cshim_ring_attach(a.base, a.size);
    return a;
}

static void area_free(struct area *a) {
    cshim_ring_detach(a->ring);
    cshim_shm_unmap(a->base, a->size);
}

// Record i: 8 bytes of sequence number, then (i % 53) bytes of a pattern derived from it.
static size_t record_len(uint64_t i) { return 8 + (size_t)(i % 53); }

static void fill(unsigned char *p, uint64_t i) {
    memcpy(p, &i, 8);
    for (size_t k = 8; k < record_len(i); k++) p[k] = (unsigned char)(i * 7 + k * 13);
}

// The sequence number of an intact record, or UINT64_MAX.
static uint64_t intact(const unsigned char *p, size_t len) {
    if (len < 8) return UINT64_MAX;
    uint64_t i;
    memcpy(&i, p, 8);
    if (len != record_len(i)) return UINT64_MAX;
    for (size_t k = 8; k < len; k++)
        if (p[k] != (unsigned char)(i * 7 + k * 13)) return UINT64_MAX;
    return i;
}

// ---------------------------------------------------------------------------------------------------------------

// A second process writing an SPSC ring while the first writer lives is refused (EBUSY), never left to race it;
// likewise a second reader. Once the first writer unclaims (or dies), another may write.
static void test_second_spsc_writer_refused(void) {
    struct area a = area_new(4096, CSHIM_RING_SPSC);
    CHECK(cshim_ring_write(a.ring, "a", 1, 0) == 0, "first writer");
    CHECK(cshim_ring_endpoint_pid(a.ring, CSHIM_RING_WRITER) == getpid(), "writer registered");
    pid_t child = fork_child();
    if (child == 0) {
        int w = cshim_ring_write(a.ring, "b", 1, 0);   // the parent, alive, is the writer
        size_t len;
        char c;
        int r = cshim_ring_read(a.ring, &c, 1, &len, 0);  // nobody reads yet: this child becomes the reader
        _exit(w == EBUSY && r == 0 && c == 'a' ? 0 : 1);
    }
    CHECK(wait_exitcode(child) == 0, "the child's write was refused with EBUSY and its read claimed the reader");
    size_t len;
    char c;
    // The reader that claimed (the child) is dead now: this process may take the reading side over. It sees
    // 'a' again: the child had taken it but not yet released it (an SPSC reader releases in batches).
    int rc = cshim_ring_read(a.ring, &c, 1, &len, 0);
    CHECK(rc == 0 && c == 'a', "the dead reader's side is taken over (%d)", rc);
    CHECK(cshim_ring_endpoint_pid(a.ring, CSHIM_RING_READER) == getpid(), "reader re-registered");

    cshim_ring_unclaim(a.ring, CSHIM_RING_WRITER);
    child = fork_child();
    if (child == 0) _exit(cshim_ring_write(a.ring, "c", 1, 0) == 0 ? 0 : 1);
    CHECK(wait_exitcode(child) == 0, "after unclaim, another process may write");
    CHECK(cshim_ring_read(a.ring, &c, 1, &len, 0) == 0 && c == 'c', "its message arrived");
    area_free(&a);
}

// A reader SIGKILLed at a random point, 1000 times: the blocked writer is told (ECONNRESET) instead of waiting
// out its deadline; a new reader takes over and every record it finds is intact and in order (records the dead
// reader had taken but not yet released may come again: at-least-once across a reader's death).
static void test_reader_killed_1000_trials(void) {
    int torn = 0, untold = 0, order = 0;
    int64_t worst = 0, t0 = cshim_now_ns();
    unsigned char buf[64];
    for (int trial = 0; trial < 1000; trial++) {
        struct area a = area_new(4096, CSHIM_RING_SPSC);
        cshim_ring_set_spin(a.ring, 1000);
        cshim_ring_set_liveness_check(a.ring, 1000000);
        cshim_ring_claim(a.ring, CSHIM_RING_WRITER);
        _Atomic int *ready = shared_alloc(4096);
        pid_t reader = fork_child();
        if (reader == 0) {
            cshim_ring_claim(a.ring, CSHIM_RING_READER);  // registered before the writer starts
            atomic_store(ready, 1);
            for (;;) {
                size_t len;
                if (cshim_ring_read(a.ring, buf, sizeof buf, &len, 5000000000LL) != 0) _exit(1);
                if (intact(buf, len) == UINT64_MAX) _exit(2);
            }
        }
        while (!atomic_load(ready)) cshim_ring_pause();
        cshim_shm_unmap((void *)ready, 4096);
        uint64_t kill_at = 50 + (uint64_t)trial * 37 % 400, i = 0;
        int64_t killed_at = 0;
        for (;; i++) {
            if (i == kill_at) {
                killed_at = cshim_now_ns();
                kill(reader, SIGKILL);
            }
            fill(buf, i);
            int rc = cshim_ring_write(a.ring, buf, record_len(i), 5000000000LL);
            if (rc == ECONNRESET) break;
            if (rc != 0) {
                untold++;
                break;
            }
        }
        if (killed_at) {
            int64_t told = cshim_now_ns() - killed_at;
            if (told > worst) worst = told;
        }
        CHECK(wait_exitcode(reader) == -SIGKILL, "the reader was killed (not failed)");
        CHECK(cshim_ring_died(a.ring) == CSHIM_RING_READER, "the reader is marked dead (%d, i %llu, kill_at %llu)",
              cshim_ring_died(a.ring), (unsigned long long)i, (unsigned long long)kill_at);
        // Take over reading: what is in the ring is intact and consecutive.
        uint64_t last = UINT64_MAX;
        for (;;) {
            size_t len;
            int rc = cshim_ring_read(a.ring, buf, sizeof buf, &len, 0);
            if (rc != 0) break;
            uint64_t s = intact(buf, len);
            if (s == UINT64_MAX) torn++;
            else if (last != UINT64_MAX && s != last + 1) order++;
            last = s;
        }
        area_free(&a);
    }
    CHECK(torn == 0, "%d torn records", torn);
    CHECK(untold == 0, "%d writers not told that the reader died", untold);
    CHECK(order == 0, "%d gaps", order);
    if (!quiet)
        printf("    1000 readers SIGKILLed in %.2f s; the writer told at worst after %.1f ms\n",
               (cshim_now_ns() - t0) / 1e9, worst / 1e6);
}

// A writer SIGKILLed between reserve and commit (or anywhere in its loop), 1000 times: the reader sees only
// whole records, in order, then ECONNRESET.
static void test_writer_killed_in_reservation_1000_trials(void) {
    int torn = 0, untold = 0, order = 0;
    for (int trial = 0; trial < 1000; trial++) {
        struct area a = area_new(4096, trial % 2 ? CSHIM_RING_MPMC : CSHIM_RING_SPSC);
        cshim_ring_set_spin(a.ring, 1000);
        cshim_ring_set_liveness_check(a.ring, 1000000);
        cshim_ring_claim(a.ring, CSHIM_RING_READER);
        _Atomic uint64_t *progress = shared_alloc(4096);
        pid_t writer = fork_child();
        if (writer == 0) {
            for (uint64_t i = 0;; i++) {
                void *p;
                if (cshim_ring_reserve(a.ring, 64, &p, 5000000000LL) != 0) _exit(1);
                // Fill half, publish progress, fill the rest: the kill lands mid-record often.
                memset(p, 0xEE, 64);
                atomic_store(progress, i);
                fill(p, i);
                cshim_ring_commit(a.ring, record_len(i));
            }
        }
        uint64_t target = 20 + (uint64_t)trial % 300;
        uint64_t expect = 0;
        unsigned char buf[64];
        int killed = 0;
        for (;;) {
            if (!killed && atomic_load(progress) >= target) {
                kill(writer, SIGKILL);
                wait_exitcode(writer);
                killed = 1;
            }
            size_t len;
            const void *p;
            int rc = cshim_ring_peek(a.ring, &p, &len, killed ? 5000000000LL : 1000000LL);
            if (rc == ETIMEDOUT && !killed) continue;
            if (rc != 0) {
                // SPSC: the writer's death is told. MPMC has no endpoints: an empty ring after the kill.
                if (!(rc == ECONNRESET || (rc == ETIMEDOUT && trial % 2))) untold++;
                break;
            }
            memcpy(buf, p, len);
            cshim_ring_consume(a.ring);
            uint64_t s = intact(buf, len);
            if (s == UINT64_MAX) torn++;
            else if (s != expect) order++;
            expect = s + 1;
            if (killed && trial % 2 && cshim_ring_bytes_used(a.ring) == 0) break;
        }
        if (!killed) {
            kill(writer, SIGKILL);
            wait_exitcode(writer);
        }
        cshim_shm_unmap((void *)progress, 4096);
        area_free(&a);
    }
    CHECK(torn == 0, "%d torn records", torn);
    CHECK(order == 0, "%d records out of order", order);
    CHECK(untold == 0, "%d readers not told", untold);
}

// Batches: every record published, in order, across waits for room; a batch larger than the ring streams.
static void test_batch_and_peek(void) {
    struct area a = area_new(4096, CSHIM_RING_SPSC);
    pid_t writer = fork_child();
    if (writer == 0) {
        enum { N = 20000, B = 64 };
        static unsigned char data[B][64];
        struct iovec iov[B];
        for (uint64_t i = 0; i < N; i += B) {
            for (int k = 0; k < B; k++) {
                fill(data[k], i + (uint64_t)k);
                iov[k] = (struct iovec){ data[k], record_len(i + (uint64_t)k) };
            }
            int written = -1;
            if (cshim_ring_write_batch(a.ring, iov, B, 5000000000LL, &written) != 0 || written != B) _exit(1);
        }
        // A long message (fragmented) inside a batch.
        static unsigned char big[10000];
        memset(big, 0x42, sizeof big);
        struct iovec mixed[2] = { { big, sizeof big }, { data[0], 8 } };
        int written = -1;
        if (cshim_ring_write_batch(a.ring, mixed, 2, 5000000000LL, &written) != 0 || written != 2) _exit(2);
        cshim_ring_close(a.ring, CSHIM_RING_CLOSE_WRITE);
        _exit(0);
    }
    uint64_t expect = 0;
    int bad = 0;
    for (; expect < 20032; expect++) {
        const void *p;
        size_t len;
        int rc = cshim_ring_peek(a.ring, &p, &len, 5000000000LL);
        if (rc != 0 || intact(p, len) != expect) {
            bad++;
            break;
        }
        if (expect % 2) {
            cshim_ring_unpeek(a.ring);  // left in place: the next peek shows it again
            rc = cshim_ring_peek(a.ring, &p, &len, 0);
            if (rc != 0 || intact(p, len) != expect) bad++;
        }
        cshim_ring_consume(a.ring);
    }
    CHECK(bad == 0, "batched records arrive in order, peek/unpeek/consume (at %llu)", (unsigned long long)expect);
    const void *p;
    size_t len;
    CHECK(cshim_ring_peek(a.ring, &p, &len, 5000000000LL) == EMSGSIZE && len == 10000, "a fragmented message: EMSGSIZE");
    static unsigned char big[10000];
    CHECK(cshim_ring_read(a.ring, big, sizeof big, &len, 0) == 0 && len == 10000 && big[9999] == 0x42, "read instead");
    CHECK(cshim_ring_peek(a.ring, &p, &len, 1000000000LL) == 0 && len == 8, "the batch's last record");
    cshim_ring_consume(a.ring);
    CHECK(cshim_ring_peek(a.ring, &p, &len, 1000000000LL) == EPIPE, "end of stream after a clean close");
    CHECK(wait_exitcode(writer) == 0, "writer");
    void *q;
    CHECK(cshim_ring_reserve(a.ring, cshim_ring_max_fragment(a.ring) + 1, &q, 0) == EINVAL, "too long a reservation");
    area_free(&a);
}

// A writer that exits without closing (a forgotten closeWriting) or never writes after claiming: the reader is
// told within its liveness interval, not at its deadline.
static void test_forgotten_close_is_told(void) {
    struct area a = area_new(4096, CSHIM_RING_SPSC);
    cshim_ring_set_liveness_check(a.ring, 2000000);
    pid_t writer = fork_child();
    if (writer == 0) {
        cshim_ring_write(a.ring, "x", 1, 0);
        _exit(0);  // no close
    }
    char c;
    size_t len;
    CHECK(cshim_ring_read(a.ring, &c, 1, &len, 10000000000LL) == 0 && c == 'x', "its message first");
    int64_t t0 = cshim_now_ns();
    int rc = cshim_ring_read(a.ring, &c, 1, &len, 10000000000LL);
    CHECK(rc == ECONNRESET, "then ECONNRESET (got %d)", rc);
    CHECK(cshim_now_ns() - t0 < 5000000000LL, "long before the 10 s deadline");
    CHECK((cshim_ring_closed(a.ring) & CSHIM_RING_CLOSE_WRITE) != 0, "a dead writer is an implied close of writing");
    wait_exitcode(writer);
    area_free(&a);
}

#ifdef RING_TEST_TSAN
// ThreadSanitizer does not intercept pthread_mutex_clocklock (which CShim's robust mutexes wait with), so it
// would not see a lock taken that way and report the accesses under it as races. The TSan build renames the call
// (-Dpthread_mutex_clocklock=ring_test_clocklock) to this stand-in, which waits with pthread_mutex_timedlock
// (intercepted) on the same deadline moved to CLOCK_REALTIME.
int ring_test_clocklock(pthread_mutex_t *m, clockid_t clock, const struct timespec *deadline) {
    struct timespec now_clock, now_real;
    clock_gettime(clock, &now_clock);
    clock_gettime(CLOCK_REALTIME, &now_real);
    int64_t left = (deadline->tv_sec - now_clock.tv_sec) * 1000000000LL + (deadline->tv_nsec - now_clock.tv_nsec);
    int64_t at = now_real.tv_sec * 1000000000LL + now_real.tv_nsec + (left > 0 ? left : 0);
    struct timespec real = { .tv_sec = at / 1000000000LL, .tv_nsec = at % 1000000000LL };
    return pthread_mutex_timedlock(m, &real);
}
#endif

// One MPMC handle shared by four writer and four reader threads (run.sh also runs this under ThreadSanitizer):
// every message exactly once. The handle's own fields are written only under each side's lock.
enum { THREAD_MESSAGES = 20000 };
static cshim_ring *shared_handle;
static _Atomic uint32_t thread_seen[4 * THREAD_MESSAGES];

static void *thread_writer(void *arg) {
    uint64_t base = (uint64_t)(uintptr_t)arg * THREAD_MESSAGES;
    unsigned char buf[64];
    for (uint64_t i = 0; i < THREAD_MESSAGES; i++) {
        fill(buf, base + i);
        if (i % 3 == 0) {  // some through a reservation
            void *p;
            if (cshim_ring_reserve(shared_handle, record_len(base + i), &p, 10000000000LL) != 0) return (void *)1;
            memcpy(p, buf, record_len(base + i));
            cshim_ring_commit(shared_handle, record_len(base + i));
        } else if (cshim_ring_write(shared_handle, buf, record_len(base + i), 10000000000LL) != 0) {
            return (void *)1;
        }
    }
    return NULL;
}

static void *thread_reader(void *arg) {
    (void)arg;
    unsigned char buf[64];
    for (unsigned n = 0;; n++) {
        size_t len;
        const void *p;
        int rc;
        if (n % 2) {
            rc = cshim_ring_peek(shared_handle, &p, &len, 10000000000LL);
            if (rc == 0) {
                memcpy(buf, p, len);
                cshim_ring_consume(shared_handle);
            }
        } else {
            rc = cshim_ring_read(shared_handle, buf, sizeof buf, &len, 10000000000LL);
        }
        if (rc == EPIPE) return NULL;
        if (rc != 0) return (void *)1;
        uint64_t s = intact(buf, len);
        if (s == UINT64_MAX || s >= 4 * THREAD_MESSAGES) return (void *)2;
        atomic_fetch_add(&thread_seen[s], 1);
    }
}

static void test_mpmc_handle_shared_by_threads(void) {
    struct area a = area_new(1 << 14, CSHIM_RING_MPMC);
    cshim_ring_set_spin(a.ring, 2000);
    shared_handle = a.ring;
    memset((void *)thread_seen, 0, sizeof thread_seen);
    pthread_t writers[4], readers[4];
    for (uintptr_t i = 0; i < 4; i++) pthread_create(&writers[i], NULL, thread_writer, (void *)i);
    for (int i = 0; i < 4; i++) pthread_create(&readers[i], NULL, thread_reader, NULL);
    int failed = 0;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(writers[i], &r);
        failed += r != NULL;
    }
    cshim_ring_close(a.ring, CSHIM_RING_CLOSE_WRITE);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(readers[i], &r);
        failed += r != NULL;
    }
    int wrong = 0;
    for (int i = 0; i < 4 * THREAD_MESSAGES; i++) wrong += atomic_load(&thread_seen[i]) != 1;
    CHECK(failed == 0, "%d threads failed", failed);
    CHECK(wrong == 0, "%d messages not seen exactly once", wrong);
    area_free(&a);
}

// ---------------------------------------------------------------------------------------------------------------
// The ring's first cases (moved here from cshim_test.c): sequences and sizes, EMSGSIZE, timeouts, close, MPMC
// 2x2, killed writers and readers, sleeping ping-pong, stall checks, wait_any/wait_input, bad arguments, elastic.

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
// Readiness descriptor, deferred publication, pidfd liveness (layout 4).

static int read_byte(int fd) {
    unsigned char b;
    ssize_t n;
    do n = read(fd, &b, 1); while (n < 0 && errno == EINTR);
    return n == 1 ? b : -1;
}

static void write_byte(int fd, unsigned char b) {
    ssize_t n;
    do n = write(fd, &b, 1); while (n < 0 && errno == EINTR);
}

static int poll_in(int fd, int timeout_ms) {
    struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
    int n;
    do n = poll(&p, 1, timeout_ms); while (n < 0 && errno == EINTR);
    return n > 0 && (p.revents & POLLIN);
}

#define READINESS_BURSTS 200

// A reader that waits only in poll(2) on the ring's readiness descriptor, fed by a forked writer in bursts of 1 to
// 7 records; after each burst the writer waits until the reader has drained the ring, so that every burst finds
// the reader asleep in poll with an empty, armed ring (and a lone record left deferred by its writer).
static void test_readiness_fd_poll_across_fork(void) {
    struct area a = area_new(1 << 16, CSHIM_RING_SPSC);
    int fd = cshim_ring_readiness_fd(a.ring);  // before the fork: the writer's handle signals the same eventfd
    CHECK(fd >= 0, "readiness fd: %s", strerror(errno));
    CHECK(cshim_ring_readiness_fd(a.ring) == fd, "one descriptor per handle");
    CHECK(cshim_ring_claim(a.ring, CSHIM_RING_READER) == 0, "claim the reader");
    CHECK(!poll_in(fd, 0), "an empty ring's descriptor is not readable");
    int ack[2];
    CHECK(pipe(ack) == 0, "pipe");
    pid_t pid = fork_child();
    if (pid == 0) {
        close(ack[1]);
        uint64_t seq = 0;
        for (int burst = 0; burst < READINESS_BURSTS; burst++) {
            for (int k = 0; k <= burst % 7; k++, seq++)
                if (cshim_ring_write(a.ring, &seq, sizeof seq, 5000000000LL) != 0) _exit(1);
            if (read_byte(ack[0]) != 1) _exit(2);  // the reader drained the ring
        }
        cshim_ring_close(a.ring, CSHIM_RING_CLOSE_WRITE);
        _exit(0);
    }
    close(ack[0]);
    uint64_t expect = 0;
    int bursts = 0, empty_wakes = 0, ended = 0;
    while (!ended) {
        if (!poll_in(fd, 10000)) {
            CHECK(0, "the descriptor never became readable (after %d bursts, %llu records)", bursts,
                  (unsigned long long)expect);
            kill(pid, SIGKILL);
            break;
        }
        int got = 0;
        for (;;) {
            uint64_t v;
            size_t len;
            int rc = cshim_ring_read(a.ring, &v, sizeof v, &len, 0);
            if (rc == EAGAIN) break;  // re-arms the descriptor
            if (rc == EPIPE) {
                ended = 1;
                break;
            }
            CHECK(rc == 0 && len == 8 && v == expect, "record %llu: rc %d, value %llu", (unsigned long long)expect, rc,
                  (unsigned long long)v);
            if (rc != 0) {
                ended = 1;
                break;
            }
            expect++;
            got++;
        }
        if (ended) break;
        if (got == 0) {
            empty_wakes++;
            continue;
        }
        // A burst may be read in more than one wake-up: acknowledge only once the whole burst is in.
        uint64_t burst_end = 0;
        for (int b = 0; b <= bursts; b++) burst_end += (uint64_t)(b % 7 + 1);
        if (expect == burst_end) {
            bursts++;
            write_byte(ack[1], 1);
        }
    }
    close(ack[1]);
    CHECK(wait_exitcode(pid) == 0, "writer failed");
    CHECK(bursts == READINESS_BURSTS, "%d bursts of %d acknowledged", bursts, READINESS_BURSTS);
    CHECK(empty_wakes <= bursts + 1, "%d wake-ups found nothing", empty_wakes);
    area_free(&a);  // closes the descriptor
}

// A writer SIGKILLed while the reader waits on the readiness descriptor cannot signal it; the reader's next try
// arms it again, which notices the dead writer: the descriptor is readable, and the try after that says
// ECONNRESET once the writer's records were read.
static void test_readiness_fd_dead_writer(void) {
    struct area a = area_new(1 << 16, CSHIM_RING_SPSC);
    int fd = cshim_ring_readiness_fd(a.ring);
    CHECK(fd >= 0, "readiness fd");
    CHECK(cshim_ring_claim(a.ring, CSHIM_RING_READER) == 0, "claim the reader");
    int wrote[2];
    CHECK(pipe(wrote) == 0, "pipe");
    pid_t pid = fork_child();
    if (pid == 0) {
        close(wrote[0]);
        for (uint64_t i = 0; i < 3; i++)
            if (cshim_ring_write(a.ring, &i, sizeof i, 5000000000LL) != 0) _exit(1);
        write_byte(wrote[1], 1);
        for (;;) pause();
    }
    close(wrote[1]);
    CHECK(read_byte(wrote[0]) == 1, "the writer wrote");
    close(wrote[0]);
    kill(pid, SIGKILL);
    CHECK(wait_exitcode(pid) == -SIGKILL, "killed");
    uint64_t v, got = 0;
    size_t len;
    int rc;
    CHECK(poll_in(fd, 10000), "readable: three records");
    while ((rc = cshim_ring_read(a.ring, &v, sizeof v, &len, 0)) == 0) {
        CHECK(v == got, "record %llu in order", (unsigned long long)got);
        got++;
    }
    CHECK(got == 3, "%llu of 3 records", (unsigned long long)got);
    CHECK(rc == EAGAIN || rc == ECONNRESET, "then EAGAIN (arms) or ECONNRESET, not %d", rc);
    if (rc == EAGAIN) {
        CHECK(poll_in(fd, 10000), "the arming try found the writer dead: readable");
        rc = cshim_ring_read(a.ring, &v, sizeof v, &len, 0);
    }
    CHECK(rc == ECONNRESET, "the writer's death told: %d (%s)", rc, strerror(rc));
    area_free(&a);
}

// A writer that writes one record and then goes quiet (blocked in read(2), not in the ring) leaves it deferred:
// the reader still gets it, sleeping at once (spin 0) or spinning first.
static void test_deferred_record_is_not_stuck(void) {
    for (int spin = 0; spin < 2; spin++) {
        struct area a = area_new(1 << 16, CSHIM_RING_SPSC);
        if (spin == 0) cshim_ring_set_spin(a.ring, 0);
        int go[2];
        CHECK(pipe(go) == 0, "pipe");
        pid_t pid = fork_child();
        if (pid == 0) {
            close(go[1]);
            uint64_t v = 42;
            if (cshim_ring_write(a.ring, &v, sizeof v, 5000000000LL) != 0) _exit(1);
            int expect_deferred = getenv("CSHIM_NO_MEMBARRIER") == NULL;
            if (cshim_ring_deferred_publication(a.ring) != expect_deferred) _exit(3);
            if (read_byte(go[0]) != 1) _exit(2);  // quiet until the reader has the record
            _exit(0);
        }
        close(go[0]);
        uint64_t v = 0;
        size_t len = 0;
        int rc = cshim_ring_read(a.ring, &v, sizeof v, &len, 5000000000LL);
        CHECK(rc == 0 && v == 42, "spin %d: rc %d (%s), value %llu", spin, rc, strerror(rc), (unsigned long long)v);
        write_byte(go[1], 1);
        close(go[1]);
        CHECK(wait_exitcode(pid) == 0, "writer failed");
        area_free(&a);
    }
}

// A writer SIGKILLed with records committed but (deferred) not published: the reader gets every one of them, in
// order, then ECONNRESET.
static void test_killed_writer_deferred_records_delivered(void) {
    struct area a = area_new(1 << 16, CSHIM_RING_SPSC);
    CHECK(cshim_ring_claim(a.ring, CSHIM_RING_READER) == 0, "claim the reader");
    int done[2];
    CHECK(pipe(done) == 0, "pipe");
    pid_t pid = fork_child();
    if (pid == 0) {
        close(done[0]);
        for (uint64_t i = 0; i < 40; i++)
            if (cshim_ring_write(a.ring, &i, sizeof i, 5000000000LL) != 0) _exit(1);
        write_byte(done[1], 1);
        for (;;) pause();  // killed here
    }
    close(done[1]);
    CHECK(read_byte(done[0]) == 1, "the writer wrote");
    close(done[0]);
    kill(pid, SIGKILL);
    CHECK(wait_exitcode(pid) == -SIGKILL, "killed");
    uint64_t i = 0;
    int rc;
    for (;;) {
        uint64_t v;
        size_t len;
        rc = cshim_ring_read(a.ring, &v, sizeof v, &len, 5000000000LL);
        if (rc != 0) break;
        CHECK(v == i, "record %llu read as %llu", (unsigned long long)i, (unsigned long long)v);
        i++;
    }
    CHECK(i == 40, "%llu of 40 records delivered", (unsigned long long)i);
    CHECK(rc == ECONNRESET, "then ECONNRESET, not %d (%s)", rc, strerror(rc));
    area_free(&a);
}

// The liveness check holds a pidfd of the peer (where the kernel has pidfd_open) and closes it at detach.
static void test_liveness_by_pidfd(void) {
    struct area a = area_new(1 << 16, CSHIM_RING_SPSC);
    cshim_ring_set_liveness_check(a.ring, 1000000);  // 1 ms
    int go[2];
    CHECK(pipe(go) == 0, "pipe");
    pid_t pid = fork_child();
    if (pid == 0) {
        close(go[1]);
        if (cshim_ring_claim(a.ring, CSHIM_RING_WRITER) != 0) _exit(1);
        uint64_t v = 1;
        if (cshim_ring_write(a.ring, &v, sizeof v, 5000000000LL) != 0) _exit(1);
        if (read_byte(go[0]) != 1) _exit(2);
        _exit(0);
    }
    close(go[0]);
    uint64_t v;
    size_t len;
    int before = count_fds();  // (the first read may wait, and open the pidfd, already)
    CHECK(cshim_ring_read(a.ring, &v, sizeof v, &len, 5000000000LL) == 0 && v == 1, "first record");
    CHECK(cshim_ring_read(a.ring, &v, sizeof v, &len, 20000000LL) == ETIMEDOUT, "a live, quiet writer: timeout");
    int with_pidfd = count_fds();
#ifdef SYS_pidfd_open
    long probe = syscall(SYS_pidfd_open, getpid(), 0);
    if (probe >= 0) {
        close((int)probe);
        CHECK(with_pidfd == before + 1, "the waiting reader holds a pidfd of its writer (%d -> %d fds)", before,
              with_pidfd);
    }
#endif
    (void)with_pidfd;
    write_byte(go[1], 1);
    close(go[1]);
    CHECK(wait_exitcode(pid) == 0, "writer failed");
    CHECK(cshim_ring_read(a.ring, &v, sizeof v, &len, 5000000000LL) == ECONNRESET, "the writer exited: ECONNRESET");
    area_free(&a);
}

static const struct test tests[] = {
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
    { "ring_mpmc_handle_shared_by_threads", test_mpmc_handle_shared_by_threads },
    { "ring_second_spsc_writer_refused", test_second_spsc_writer_refused },
    { "ring_reader_killed_1000_trials", test_reader_killed_1000_trials },
    { "ring_writer_killed_in_reservation_1000_trials", test_writer_killed_in_reservation_1000_trials },
    { "ring_batch_and_peek", test_batch_and_peek },
    { "ring_forgotten_close_is_told", test_forgotten_close_is_told },
    { "ring_readiness_fd_poll_across_fork", test_readiness_fd_poll_across_fork },
    { "ring_readiness_fd_dead_writer", test_readiness_fd_dead_writer },
    { "ring_deferred_record_is_not_stuck", test_deferred_record_is_not_stuck },
    { "ring_killed_writer_deferred_records_delivered", test_killed_writer_deferred_records_delivered },
    { "ring_liveness_by_pidfd", test_liveness_by_pidfd },
};

int main(int argc, char **argv) {
    return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv, 240, "ring_no_leaks", "ring-test");
}
