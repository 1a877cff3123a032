// C tests of the ring's endpoints, peer liveness, zero copy and batches (CShim/ring.c, layout 4), with real
// processes. Built and run by Tests/CShimCTests/run.sh beside cshim_test.c (which keeps the ring's older cases),
// plainly and under ASan + UBSan. Same output format: one "ok"/"FAIL" line per test, then "N passed, N failed".
//
// Usage: ring_test [-q] [test-name-substring]
#include "harness.h"

#include <errno.h>
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
    { "ring_mpmc_handle_shared_by_threads", test_mpmc_handle_shared_by_threads },
    { "ring_second_spsc_writer_refused", test_second_spsc_writer_refused },
    { "ring_reader_killed_1000_trials", test_reader_killed_1000_trials },
    { "ring_writer_killed_in_reservation_1000_trials", test_writer_killed_in_reservation_1000_trials },
    { "ring_batch_and_peek", test_batch_and_peek },
    { "ring_forgotten_close_is_told", test_forgotten_close_is_told },
    { "ring_readiness_fd_poll_across_fork", test_readiness_fd_poll_across_fork },
    { "ring_deferred_record_is_not_stuck", test_deferred_record_is_not_stuck },
    { "ring_killed_writer_deferred_records_delivered", test_killed_writer_deferred_records_delivered },
    { "ring_liveness_by_pidfd", test_liveness_by_pidfd },
};

int main(int argc, char **argv) {
    return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv, 120, "ring_no_leaks", "ring-test");
}
