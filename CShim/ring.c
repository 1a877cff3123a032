// The shared-memory ring buffer. The design is described in include/cshim_ring.h; this file keeps the memory
// orderings next to the code that needs them.
#include "cshim_ring.h"
#include "cshim_mutex.h"
#include "cshim_wake.h"
#include "internal.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <poll.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#include <linux/futex.h>
#include <sys/syscall.h>

#define DEFER_RECORDS 64  // an SPSC writer publishes at least every 64 records (see "Deferred publication")
#define RING_MAGIC 0x474e4952485350ULL  // "PSHRING" (little-endian)
#define RING_VERSION CSHIM_RING_LAYOUT_VERSION
#define LINE 64
#define HEADER_BYTES 8u             // {uint32 length, uint32 type}
#define RESERVE_BYTES HEADER_BYTES  // always free, so that an ABORT record can be written at once
#define DATA_OFFSET 4096u           // the data area starts on its own page
#define DEFAULT_SPIN_NS 50000       // 50 µs: ../shared/NOTES-IPC.md (this machine: a cross-vCPU wake-up ~45 µs), "spin, then sleep"
#define LIVENESS_SLICE_NS 10000000  // 10 ms: how often a reader stuck mid-message checks its writer
#define PAGE 4096u
#define PUNCH_BATCH ((uint64_t)64 << 10)  // elastic: consumed pages are released to the kernel 64 KiB at a time
#define SLACK PUNCH_BATCH                 // elastic: bytes a writer keeps clear behind the published tail
#define WRAP_CHECK_BYTES 1024u            // elastic: past the window, how often a writer looks for an empty ring
#define THROTTLE_NS 10000000              // elastic: how long a writer at the window's end waits for idle readers
#define POPULATE_AHEAD ((uint64_t)256 << 10)  // elastic: past the window, pages are backed this much at a time

enum record_type {
    REC_FULL = 1,   // a whole message
    REC_FIRST = 2,  // first fragment; payload starts with the message's total length (uint64)
    REC_MORE = 3,   // a middle fragment
    REC_LAST = 4,   // the last fragment
    REC_PAD = 5,    // fills the tail of the data area; the next record starts at offset 0
    REC_ABORT = 6,  // the fragments before it (since the last FIRST) belong to a cancelled message
};

// A process, named so that its death is recognised even after its pid is reused: the pid and its start time
// (clock ticks after boot, /proc/<pid>/stat field 22). A pid with start 0 is being claimed right now.
struct endpoint {
    _Atomic uint32_t pid;
    uint32_t unused;
    _Atomic uint64_t start;
};

struct ring_shared {
    // Constants, written once by init_at.
    uint64_t magic;
    uint32_t version;
    uint32_t mode;
    uint64_t capacity;
    uint64_t total_size;
    uint64_t window;  // elastic rings: the hot window (0: a plain ring)

    // The producer's line.
    _Alignas(LINE) _Atomic uint64_t head;  // bytes published so far
    _Atomic uint32_t partial;              // 1 while a fragmented message is open
    _Atomic int32_t partial_pid;           // the writer of that message
    _Atomic uint64_t aborted;              // statistics: messages cancelled part-way
    uint64_t pad_at;                       // elastic: position of the last padding record (under the producer lock)
    uint64_t populated_to;                 // elastic: pages were backed ahead up to this position (producer lock)

    // The consumer's line.
    _Alignas(LINE) _Atomic uint64_t tail;  // bytes consumed so far
    uint64_t punched;                      // elastic: pages before this position (past the window) were released
    uint64_t pending_tail;                 // elastic: the tail a reader is releasing (set before it punches)

    _Alignas(LINE) struct cshim_event data_ready;   // readers sleep here
    _Alignas(LINE) struct cshim_event space_ready;  // writers sleep here
    _Alignas(LINE) _Atomic uint32_t closed;         // CSHIM_RING_CLOSE_* bits

    // Who writes and who reads (SPSC: claimed on first use, so a second writer or reader is refused), who
    // formatted the ring, and which sides' processes were found dead. See "Endpoints" below.
    _Alignas(LINE) struct endpoint ends[2];  // [CSHIM_RING_WRITER - 1], [CSHIM_RING_READER - 1]
    struct endpoint creator;
    _Atomic uint32_t died;  // CSHIM_RING_WRITER / CSHIM_RING_READER bits

    // SPSC: the end of the whole records the writer has written, published or not (see "Deferred publication").
    // On a line of its own that readers look at only when `head` shows nothing, so the writer's per-record store
    // stays in its own cache.
    _Alignas(LINE) _Atomic uint64_t committed;
    // Set by a reader that waits on its readiness descriptor (see "Readiness descriptor"); cleared by the
    // writer that signals it.
    _Alignas(LINE) _Atomic uint32_t fd_armed;
    // The readiness descriptor that was armed last (see "Readiness descriptor"): its process and descriptor
    // number there (pid << 32 | fd; 0: none), its eventfd id (fdinfo), and a generation bumped at each change,
    // so that a writer holding another descriptor (or none: it attached by name) takes this one.
    _Atomic uint64_t fd_owner;
    _Atomic uint64_t fd_id;
    _Atomic uint32_t fd_generation;

    // MPMC only: one robust mutex per side.
    _Alignas(LINE) struct cshim_mutex producer_lock;
    _Alignas(LINE) struct cshim_mutex consumer_lock;
};

_Static_assert(sizeof(struct ring_shared) <= DATA_OFFSET, "the ring header fits in its page");
_Static_assert(offsetof(struct ring_shared, head) % LINE == 0, "producer words own their cache line");
_Static_assert(offsetof(struct ring_shared, tail) % LINE == 0, "consumer words own their cache line");
_Static_assert(offsetof(struct ring_shared, tail) - offsetof(struct ring_shared, head) >= LINE, "no false sharing");
_Static_assert(sizeof(_Atomic uint64_t) == 8, "64-bit positions are lock-free words");
_Static_assert(offsetof(struct ring_shared, ends) % LINE == 0, "endpoints own their cache line");
_Static_assert(offsetof(struct ring_shared, committed) % LINE == 0, "the writer's committed word owns its line");

struct cshim_ring {
    // What the inline fast paths of cshim_ring.h read and write: first, so that a handle is also a
    // struct cshim_ring_hot (see "Inline fast paths" there).
    struct cshim_ring_hot hot;
    struct ring_shared *sh;
    int mode;
    int64_t spin_ns;
    int spin_yields;       // the spin gives the CPU away now and then (sched_yield): see cshim_ring_set_spin_yielding
    uint64_t window;       // elastic: the hot window (0: a plain ring)
    uint64_t room;         // bytes a writer may have outstanding: capacity, less SLACK when elastic
    uint64_t pad_pos;      // elastic reader: position of the last padding record stepped over
    uint64_t wrap_check_at;  // elastic writer: next position at which to look for an empty ring
    int extending;           // elastic writer: went past the window after readers did not catch up in time
    uint64_t keep;           // elastic: pages below this index stay backed (the window and half again)
    int64_t liveness_ns;     // SPSC: how often a waiting side checks that its peer lives
    int readiness_fd;        // the readiness eventfd this handle signals and arms (-1: none)
    int owns_readiness_fd;   // created by cshim_ring_readiness_fd: closed at detach
    uint32_t readiness_generation;  // the shared fd_generation this handle's descriptor matches (0: unknown)
    uint64_t readiness_id;          // its eventfd id (0: not known)
    int peer_pidfd[2];       // SPSC: pidfds of the writer / reader endpoint processes (-1: none open)
    uint32_t peer_pidfd_pid[2];  // the pid each pidfd was opened for
};
_Static_assert(offsetof(struct cshim_ring, hot) == 0, "a handle is also its hot part");

struct record_header {
    uint32_t length;  // payload bytes (for FIRST: including the 8-byte total length)
    uint32_t type;
};
_Static_assert(sizeof(struct record_header) == HEADER_BYTES, "record header is 8 bytes");
// What the inline fast paths of cshim_ring.h assume of the layout.
_Static_assert(REC_FULL == CSHIM_RING_HOT_RECORD_FULL && DEFER_RECORDS == CSHIM_RING_HOT_DEFER_RECORDS &&
               HEADER_BYTES == 8 && RESERVE_BYTES == 8 && offsetof(struct record_header, type) == 4,
               "the inline fast paths' constants are the ring's");
_Static_assert(sizeof(_Atomic uint64_t) == sizeof(uint64_t) && _Alignof(_Atomic uint64_t) == _Alignof(uint64_t) &&
               sizeof(_Atomic uint32_t) == sizeof(uint32_t), "atomic words are reached through plain pointers");

// ---------------------------------------------------------------------------------------------------------------
// Endpoints: who writes and who reads, for liveness and (SPSC) discipline.
//
// An SPSC side is claimed by the first process that uses it (its pid and start time go into the header); another
// process that tries the same side while the claimant lives is refused (EBUSY) instead of silently racing it. A
// claimant found dead may be replaced. A side waiting on its peer looks at the peer's endpoint every
// LIVENESS_SLICE_NS: a dead peer closes its direction for it (a dead writer is an implied closeWriting, a dead
// reader an implied closeReading) and sets its `died` bit, which turns the waiter's EPIPE into ECONNRESET.
//
// A handle remembers the fork epoch in which it claimed a side: a forked child that inherits the handle is a
// different process and must claim again (one global load on the fast path instead of a getpid() call).

static void release_bytes(cshim_ring *r, uint64_t tail);
static void publish(cshim_ring *r, uint64_t head);
static void flush_deferred(cshim_ring *r);

uint32_t cshim_ring_fork_epoch = 1;  // bumped in every forked child (pthread_atfork); 0 never occurs
static pthread_once_t fork_epoch_once = PTHREAD_ONCE_INIT;
static void bump_fork_epoch(void) { cshim_ring_fork_epoch = cshim_ring_fork_epoch + 1 ? cshim_ring_fork_epoch + 1 : 1; }
static void install_fork_epoch(void) { pthread_atfork(NULL, NULL, bump_fork_epoch); }

// Reads a process's state letter and start time from /proc/<pid>/stat: 0, or -1 if there is no such process.
// In C with read(2): called while waiting, must not allocate.
static int proc_stat(pid_t pid, char *state, uint64_t *start) {
    char path[40], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n;
    do n = read(fd, buf, sizeof buf - 1); while (n < 0 && errno == EINTR);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = 0;
    const char *p = strrchr(buf, ')');  // "pid (comm) S ppid ...": fields count from after the last ')'
    if (!p || p[1] != ' ') return -1;
    *state = p[2];
    p += 2;
    for (int field = 3; field < 22; field++) {  // skip to field 22, starttime
        p = strchr(p, ' ');
        if (!p) return -1;
        p++;
    }
    *start = strtoull(p, NULL, 10);
    return 0;
}

static uint64_t self_start_time(void) {
    char state;
    uint64_t start = 0;
    if (proc_stat(getpid(), &state, &start) != 0 || start == 0) start = 1;  // no /proc: never 0 (0 means "claiming")
    return start;
}

// Whether the process named by `pid` and `start` is gone: no such process, a zombie, or its pid now names a
// younger process. Unknown start (0: a claim in progress) compares only the pid.
static int endpoint_gone(uint32_t pid, uint64_t start) {
    if (pid == 0) return 0;
    char state;
    uint64_t now_start;
    if (proc_stat((pid_t)pid, &state, &now_start) != 0) return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
    if (state == 'Z' || state == 'X') return 1;
    return start > 1 && now_start != start;
}

// Claims `side` (CSHIM_RING_WRITER or CSHIM_RING_READER) for this process: 0, or EBUSY while another live
// process holds it.
static int claim_slow(cshim_ring *r, int side) {
    struct endpoint *e = &r->sh->ends[side - 1];
    uint32_t me = (uint32_t)getpid();
    uint32_t cur = atomic_load_explicit(&e->pid, memory_order_acquire);
    for (;;) {
        if (cur == me) break;  // this process holds it already (another handle of it)
        if (cur != 0 && !endpoint_gone(cur, atomic_load_explicit(&e->start, memory_order_acquire))) return EBUSY;
        // Free, or its holder died: take it. (start is 0 until we store ours: see endpoint_gone.)
        if (atomic_compare_exchange_strong_explicit(&e->pid, &cur, me, memory_order_acq_rel, memory_order_acquire)) {
            atomic_store_explicit(&e->start, 0, memory_order_relaxed);
            break;
        }
    }
    uint64_t mine = self_start_time();
    if (atomic_load_explicit(&e->start, memory_order_relaxed) != mine)
        atomic_store_explicit(&e->start, mine, memory_order_release);
    // Start from the side's published position: this handle's private one may be stale (it was attached long
    // ago, or inherited from a process that used the other side, or the previous holder died).
    if (side == CSHIM_RING_READER) {
        r->hot.read_pos = atomic_load_explicit(&r->sh->tail, memory_order_acquire);
        r->hot.cached_head = atomic_load_explicit(&r->sh->head, memory_order_acquire);
    } else {
        // A previous writer's committed but unpublished records are whole: go on after them, and publish them.
        uint64_t head = atomic_load_explicit(&r->sh->head, memory_order_acquire);
        uint64_t committed = atomic_load_explicit(&r->sh->committed, memory_order_acquire);
        r->hot.write_pos = r->hot.published = head;
        r->hot.deferred = 0;
        r->hot.cached_tail = atomic_load_explicit(&r->sh->tail, memory_order_acquire);
        if ((int64_t)(committed - head) > 0) publish(r, committed);
    }
    r->hot.claimed[side - 1] = cshim_ring_fork_epoch;
    return 0;
}

// The check on every SPSC operation: a compare with a global once claimed.
static inline int claim(cshim_ring *r, int side) {
    if (r->mode != CSHIM_RING_SPSC || r->hot.claimed[side - 1] == cshim_ring_fork_epoch) return 0;
    return claim_slow(r, side);
}

// Whether the endpoint process of `side` (`pid`, `start`) is gone, by a pidfd where the kernel has them
// (pidfd_open, Linux 5.3): the handle opens one per peer the first time it looks, checks once by the start time
// that the pid still names the registered process, and from then on asks the kernel with a zero-timeout poll (a
// pidfd is readable once its process exited, zombie or not) instead of reading /proc every time: no path lookup,
// and immune to pid reuse. Returns -1 where pidfds are unavailable (the caller falls back to /proc).
static int pidfd_gone(cshim_ring *r, int side, uint32_t pid, uint64_t start) {
#ifdef SYS_pidfd_open
    int i = side - 1;
    if (r->peer_pidfd[i] >= 0 && r->peer_pidfd_pid[i] != pid) {
        close(r->peer_pidfd[i]);
        r->peer_pidfd[i] = -1;
    }
    if (r->peer_pidfd[i] < 0) {
        int fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);  // close-on-exec by the kernel
        if (fd < 0) return errno == ESRCH ? 1 : -1;
        if (endpoint_gone(pid, start)) {  // a zombie, or the pid names a younger process already
            close(fd);
            return 1;
        }
        r->peer_pidfd[i] = fd;
        r->peer_pidfd_pid[i] = pid;
    }
    struct pollfd p = { .fd = r->peer_pidfd[i], .events = POLLIN, .revents = 0 };
    int n = poll(&p, 1, 0);
    return n < 0 ? -1 : n > 0;
#else
    (void)r, (void)side, (void)pid, (void)start;
    return -1;
#endif
}

// Whether the process holding `side` is gone; if so, closes that side's direction for it and sets its died bit.
static int peer_died(cshim_ring *r, int side) {
    struct endpoint *e = &r->sh->ends[side - 1];
    uint32_t pid = atomic_load_explicit(&e->pid, memory_order_acquire);
    if (pid == 0 || pid == (uint32_t)getpid()) return 0;
    uint64_t start = atomic_load_explicit(&e->start, memory_order_acquire);
    int gone = pidfd_gone(r, side, pid, start);
    if (gone < 0) gone = endpoint_gone(pid, start);
    if (!gone) return 0;
    atomic_fetch_or_explicit(&r->sh->died, (uint32_t)side, memory_order_seq_cst);
    cshim_ring_close(r, side == CSHIM_RING_WRITER ? CSHIM_RING_CLOSE_WRITE : CSHIM_RING_CLOSE_READ);
    return 1;
}

// What a side whose peer's direction is closed reports: ECONNRESET if the peer died, else EPIPE.
static inline int closed_code(const cshim_ring *r, int peer) {
    return (atomic_load_explicit(&r->sh->died, memory_order_acquire) & (uint32_t)peer) ? ECONNRESET : EPIPE;
}

int cshim_ring_claim(cshim_ring *r, int side) {
    if (side != CSHIM_RING_WRITER && side != CSHIM_RING_READER) return EINVAL;
    if (r->mode != CSHIM_RING_SPSC || r->hot.claimed[side - 1] == cshim_ring_fork_epoch) return 0;
    return claim_slow(r, side);
}

void cshim_ring_unclaim(cshim_ring *r, int side) {
    if (r->mode != CSHIM_RING_SPSC || (side != CSHIM_RING_WRITER && side != CSHIM_RING_READER)) return;
    uint32_t me = (uint32_t)getpid();
    if (side == CSHIM_RING_WRITER) flush_deferred(r);
    // A reader hands back what it consumed but had not yet released (it releases in batches).
    if (side == CSHIM_RING_READER && r->hot.claimed[1] == cshim_ring_fork_epoch &&
        atomic_load_explicit(&r->sh->tail, memory_order_relaxed) != r->hot.read_pos)
        release_bytes(r, r->hot.read_pos);
    if (atomic_compare_exchange_strong_explicit(&r->sh->ends[side - 1].pid, &me, 0, memory_order_acq_rel,
                                                memory_order_relaxed))
        atomic_store_explicit(&r->sh->ends[side - 1].start, 0, memory_order_release);
    r->hot.claimed[side - 1] = 0;
}

pid_t cshim_ring_endpoint_pid(const cshim_ring *r, int side) {
    if (side == CSHIM_RING_CREATOR) return (pid_t)atomic_load_explicit(&r->sh->creator.pid, memory_order_acquire);
    if (side != CSHIM_RING_WRITER && side != CSHIM_RING_READER) return 0;
    return (pid_t)atomic_load_explicit(&r->sh->ends[side - 1].pid, memory_order_acquire);
}

int cshim_ring_endpoint_alive(const cshim_ring *r, int side) {
    const struct endpoint *e = side == CSHIM_RING_CREATOR ? &r->sh->creator
                             : (side == CSHIM_RING_WRITER || side == CSHIM_RING_READER) ? &r->sh->ends[side - 1] : NULL;
    if (!e) return 0;
    uint32_t pid = atomic_load_explicit(&e->pid, memory_order_acquire);
    return pid != 0 && !endpoint_gone(pid, atomic_load_explicit(&e->start, memory_order_acquire));
}

int cshim_ring_died(const cshim_ring *r) { return (int)atomic_load_explicit(&r->sh->died, memory_order_acquire); }

// ---------------------------------------------------------------------------------------------------------------
// Sizes and set-up

static inline uint64_t align8(uint64_t n) { return (n + 7) & ~(uint64_t)7; }
static inline uint64_t record_size(uint64_t payload) { return align8(HEADER_BYTES + payload); }

static int valid_capacity(uint64_t c) {
    return c >= CSHIM_RING_MIN_CAPACITY && c <= CSHIM_RING_MAX_CAPACITY && (c & (c - 1)) == 0;
}

size_t cshim_ring_shared_size(uint64_t capacity) {
    return valid_capacity(capacity) ? (size_t)(DATA_OFFSET + capacity) : 0;
}

size_t cshim_ring_shared_align(void) { return DATA_OFFSET; }

int cshim_ring_init_at(void *base, size_t size, uint64_t capacity, int mode) {
    return cshim_ring_init_elastic_at(base, size, capacity, 0, mode);
}

int cshim_ring_init_elastic_at(void *base, size_t size, uint64_t capacity, uint64_t window, int mode) {
    if (window != 0 && (mode != CSHIM_RING_MPMC || window < CSHIM_RING_MIN_CAPACITY || (window & (window - 1)) != 0 ||
                        window > capacity / 4))
        return EINVAL;
    if (!valid_capacity(capacity) || size < cshim_ring_shared_size(capacity) ||
        (mode != CSHIM_RING_SPSC && mode != CSHIM_RING_MPMC) || ((uintptr_t)base % LINE) != 0)
        return EINVAL;
    struct ring_shared *sh = base;
    memset(sh, 0, sizeof *sh);
    sh->version = RING_VERSION;
    sh->mode = (uint32_t)mode;
    sh->capacity = capacity;
    sh->total_size = cshim_ring_shared_size(capacity);
    sh->window = window;
    sh->punched = 0;
    atomic_init(&sh->head, 0);
    atomic_init(&sh->tail, 0);
    atomic_init(&sh->partial, 0);
    atomic_init(&sh->partial_pid, 0);
    atomic_init(&sh->aborted, 0);
    atomic_init(&sh->closed, 0);
    cshim_event_init_at(&sh->data_ready);
    cshim_event_init_at(&sh->space_ready);
    atomic_init(&sh->died, 0);
    for (int i = 0; i < 2; i++) {
        atomic_init(&sh->ends[i].pid, 0);
        atomic_init(&sh->ends[i].start, 0);
    }
    atomic_init(&sh->creator.pid, (uint32_t)getpid());
    atomic_init(&sh->creator.start, self_start_time());
    int rc = cshim_mutex_init_at(&sh->producer_lock);
    if (rc == 0) rc = cshim_mutex_init_at(&sh->consumer_lock);
    if (rc != 0) return rc;
    // An elastic ring's kept area is backed at once, as a plain ring's whole area is (the mapping is not
    // pre-faulted past CSHIM_SHM_POPULATE_LIMIT): a writer's first lap then takes no page faults.
    if (window) (void)madvise((unsigned char *)base + DATA_OFFSET, (size_t)(window + window / 2), MADV_POPULATE_WRITE);
    // The magic goes last, with release: a process that attaches and sees it sees a fully formatted header.
    atomic_thread_fence(memory_order_release);
    *(volatile uint64_t *)&sh->magic = RING_MAGIC;
    return 0;
}

cshim_ring *cshim_ring_attach(void *base, size_t size) {
    struct ring_shared *sh = base;
    uint64_t magic = *(volatile uint64_t *)&sh->magic;
    atomic_thread_fence(memory_order_acquire);
    if (size < DATA_OFFSET || magic != RING_MAGIC || sh->version != RING_VERSION ||
        !valid_capacity(sh->capacity) || sh->total_size != cshim_ring_shared_size(sh->capacity) ||
        (sh->window != 0 && (sh->mode != CSHIM_RING_MPMC || sh->window > sh->capacity / 4)) ||
        size < sh->total_size) {
        errno = EINVAL;
        return NULL;
    }
    cshim_ring *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    pthread_once(&fork_epoch_once, install_fork_epoch);
    // Settle the publishing protocol now, while the handle is not yet shared: wake.c decides it lazily in a plain
    // global, which threads sharing an MPMC handle would otherwise race to set (ThreadSanitizer saw it).
    (void)cshim_fast_publish();
    r->sh = sh;
    r->hot.spsc = sh->mode == CSHIM_RING_SPSC;
    r->hot.release_every = sh->capacity / 16;
    r->hot.head = (uint64_t *)&sh->head;
    r->hot.tail = (uint64_t *)&sh->tail;
    r->hot.committed = (uint64_t *)&sh->committed;
    r->hot.closed = (uint32_t *)&sh->closed;
    r->hot.data_ready_word = (uint32_t *)&sh->data_ready.word;
    r->hot.space_ready_word = (uint32_t *)&sh->space_ready.word;
    r->hot.data = (unsigned char *)base + DATA_OFFSET;
    r->hot.capacity = sh->capacity;
    r->hot.mask = sh->capacity - 1;
    r->hot.max_fragment = sh->capacity / 4 - 2 * HEADER_BYTES;
    r->mode = (int)sh->mode;
    r->spin_ns = DEFAULT_SPIN_NS;
    r->liveness_ns = LIVENESS_SLICE_NS;
    r->hot.cached_tail = atomic_load_explicit(&sh->tail, memory_order_acquire);
    r->hot.cached_head = atomic_load_explicit(&sh->head, memory_order_acquire);
    r->hot.read_pos = r->hot.cached_tail;
    r->hot.write_pos = r->hot.cached_head;
    r->window = sh->window;
    r->room = sh->capacity - (sh->window ? SLACK : 0);
    r->pad_pos = UINT64_MAX;
    r->wrap_check_at = 0;
    r->keep = sh->window + sh->window / 2;
    r->hot.published = r->hot.write_pos;
    r->hot.defer = r->mode == CSHIM_RING_SPSC && !sh->window && cshim_fast_publish() == 1;
    r->readiness_fd = -1;
    r->peer_pidfd[0] = r->peer_pidfd[1] = -1;
    return r;
}

static void unregister_readiness(cshim_ring *r);

void cshim_ring_detach(cshim_ring *r) {
    if (!r) return;
    flush_deferred(r);
    for (int i = 0; i < 2; i++)
        if (r->peer_pidfd[i] >= 0) close(r->peer_pidfd[i]);
    if (r->readiness_fd >= 0) unregister_readiness(r);
    if (r->owns_readiness_fd) close(r->readiness_fd);
    free(r);
}

void cshim_ring_set_deferred_publication(cshim_ring *r, int on) {
    flush_deferred(r);
    r->hot.defer = on && r->mode == CSHIM_RING_SPSC && !r->window && cshim_fast_publish() == 1;
}

int cshim_ring_deferred_publication(const cshim_ring *r) { return r->hot.defer; }

void cshim_ring_flush(cshim_ring *r) { flush_deferred(r); }

void cshim_ring_set_spin(cshim_ring *r, int64_t spin_ns) {
    r->spin_ns = spin_ns < 0 ? 0 : spin_ns;
    r->spin_yields = 0;
}

void cshim_ring_set_liveness_check(cshim_ring *r, int64_t every_ns) {
    r->liveness_ns = every_ns < 100000 ? 100000 : every_ns;
}

void cshim_ring_set_spin_yielding(cshim_ring *r, int64_t spin_ns) {
    r->spin_ns = spin_ns < 0 ? 0 : spin_ns;
    r->spin_yields = 1;
}
uint64_t cshim_ring_capacity(const cshim_ring *r) { return r->hot.capacity; }
uint64_t cshim_ring_window(const cshim_ring *r) { return r->window; }

size_t cshim_ring_resident_bytes(const cshim_ring *r) {
    size_t pages = (size_t)(r->hot.capacity / PAGE);
    unsigned char *vec = malloc(pages);
    if (!vec) return 0;
    size_t n = 0;
    if (mincore(r->hot.data, (size_t)r->hot.capacity, vec) == 0)
        for (size_t i = 0; i < pages; i++) n += vec[i] & 1;
    free(vec);
    return n * PAGE;
}
uint64_t cshim_ring_max_fragment(const cshim_ring *r) { return r->hot.max_fragment; }
int cshim_ring_mode(const cshim_ring *r) { return r->mode; }
int cshim_ring_closed(const cshim_ring *r) { return (int)atomic_load_explicit(&r->sh->closed, memory_order_acquire); }

uint64_t cshim_ring_bytes_used(const cshim_ring *r) {
    uint64_t tail = atomic_load_explicit(&r->sh->tail, memory_order_acquire);
    uint64_t head = atomic_load_explicit(&r->sh->head, memory_order_acquire);
    uint64_t committed = atomic_load_explicit(&r->sh->committed, memory_order_acquire);
    return ((int64_t)(committed - head) > 0 ? committed : head) - tail;
}

uint64_t cshim_ring_aborted_messages(const cshim_ring *r) {
    return atomic_load_explicit(&r->sh->aborted, memory_order_relaxed);
}

static void signal_readiness(cshim_ring *r);

void cshim_ring_close(cshim_ring *r, int how) {
    if (how & CSHIM_RING_CLOSE_WRITE) flush_deferred(r);
    atomic_fetch_or_explicit(&r->sh->closed, (uint32_t)how & (CSHIM_RING_CLOSE_READ | CSHIM_RING_CLOSE_WRITE),
                             memory_order_seq_cst);
    cshim_event_signal_after_seq_cst_store(&r->sh->data_ready);
    cshim_event_signal_after_seq_cst_store(&r->sh->space_ready);
    signal_readiness(r);
}

// ---------------------------------------------------------------------------------------------------------------
// Waiting: spin for a budget, then sleep on an event count. `ready` re-reads the peer's position.

typedef int (*ready_fn)(cshim_ring *r, const void *arg);

enum { WAIT_READY = 0, WAIT_CLOSED = -1 };

// A timeout whose absolute deadline is computed on first use: an operation that completes without waiting
// never reads the clock (clock_gettime was ~5% of a small-message Queue round).
struct deadline {
    int64_t timeout_ns;  // CShim's convention: <0 for ever, 0 try, >0 relative
    int64_t at;          // absolute CLOCK_MONOTONIC deadline, INT64_MIN until computed
};

static inline struct deadline deadline_lazy(int64_t timeout_ns) { return (struct deadline){ timeout_ns, INT64_MIN }; }
static inline struct deadline deadline_at(int64_t at) { return (struct deadline){ at < 0 ? -1 : 1, at < 0 ? -1 : at }; }

// The absolute deadline (-1: none).
static inline int64_t when(struct deadline *d) {
    if (d->timeout_ns < 0) return -1;
    if (d->at == INT64_MIN) d->at = cshim_deadline_after(d->timeout_ns);
    return d->at;
}

// Locks one side's robust mutex: a try first (no clock), then a timed wait. Same results as
// cshim_mutex_lock_until.
static int lock_side(struct cshim_mutex *m, struct deadline *d, int nonblock) {
    int rc = cshim_mutex_lock_until(m, -1, 1);
    if (rc != EBUSY || nonblock) return rc;
    return cshim_mutex_lock_until(m, when(d), 0);
}

// An optional check for a writer whose wait stalls (see cshim_ring_writev_checked).
struct stall_check {
    int64_t every_ns;
    cshim_ring_stall_fn fn;
    void *context;
};

static int wait_once(cshim_ring *r, struct cshim_event *ev, ready_fn ready, const void *arg, uint32_t closed_bits,
                     struct deadline *d, int nonblock);
static int data_ready(cshim_ring *r, const void *arg);
static int data_committed(cshim_ring *r, const void *arg);
static int wait_spin(cshim_ring *r, struct cshim_event *ev, ready_fn ready, const void *arg, uint32_t closed_bits,
                     struct deadline *d, int nonblock, int64_t spin_ns);

// wait_once in slices: between two, consults `stall` each time `every_ns` passes without the wait ending (its
// "give up" is reported as WAIT_CLOSED, which the caller turns into EPIPE), and in an SPSC ring checks every
// LIVENESS_SLICE_NS that the process holding side `peer` (0: none) lives (a dead one closes its direction:
// WAIT_CLOSED). The spin, if any, happens once, before the first slice.
static int wait_for_checked(cshim_ring *r, struct cshim_event *ev, ready_fn ready, const void *arg,
                            uint32_t closed_bits, struct deadline *d, int nonblock, const struct stall_check *stall,
                            int peer) {
    int live = peer != 0 && r->mode == CSHIM_RING_SPSC;
    int stalls = stall && stall->fn && stall->every_ns > 0;
    if (nonblock || (!live && !stalls)) return wait_once(r, ev, ready, arg, closed_bits, d, nonblock);
    int64_t slice_ns = live ? r->liveness_ns : stall->every_ns;
    int64_t next_stall = stalls ? cshim_now_ns() + stall->every_ns : INT64_MAX;
    int64_t spin = r->spin_ns;  // spin once, before the first slice
    int w;
    for (;;) {
        int64_t slice = cshim_deadline_after(slice_ns);
        if (next_stall < slice) slice = next_stall;
        int last = when(d) >= 0 && when(d) <= slice;
        struct deadline part = deadline_at(last ? when(d) : slice);
        w = wait_spin(r, ev, ready, arg, closed_bits, &part, 0, spin);
        spin = 0;
        if (w != ETIMEDOUT || last) break;
        if (live && peer_died(r, peer)) {
            w = WAIT_CLOSED;
            break;
        }
        if (stalls && cshim_now_ns() >= next_stall) {
            if (stall->fn(stall->context)) {
                w = WAIT_CLOSED;
                break;
            }
            next_stall = cshim_now_ns() + stall->every_ns;
        }
    }
    return w;
}

// Returns WAIT_READY, WAIT_CLOSED, EAGAIN or ETIMEDOUT. `closed_bits` are the close bits that end this wait.
// Spins for `spin_ns` first (the handle's setting: see wait_once); the handle itself is not written, so MPMC
// threads sharing it may wait at once.
static int wait_spin(cshim_ring *r, struct cshim_event *ev, ready_fn ready, const void *arg, uint32_t closed_bits,
                     struct deadline *d, int nonblock, int64_t spin_ns) {
    if (ready(r, arg)) return WAIT_READY;
    if (atomic_load_explicit(&r->sh->closed, memory_order_acquire) & closed_bits) return WAIT_CLOSED;
    if (nonblock) return EAGAIN;
    if (spin_ns > 0) {
        int64_t now = cshim_now_ns();
        int64_t spin_end = now + spin_ns;
        int64_t deadline = when(d);
        if (deadline >= 0 && deadline < spin_end) spin_end = deadline;
        ready_fn quick = ready == data_committed ? data_ready : ready;
        for (unsigned i = 1;; i++) {
            cshim_cpu_relax();
            if (((i & 63) ? quick : ready)(r, arg)) return WAIT_READY;
            if ((i & 63) == 0) {  // the clock costs ~20 ns: read it every few dozen turns
                if (atomic_load_explicit(&r->sh->closed, memory_order_acquire) & closed_bits) return WAIT_CLOSED;
                if (cshim_now_ns() >= spin_end) break;
                // The peer may be waiting for this very CPU: let it run, if it is queued here.
                if (r->spin_yields) sched_yield();
            }
        }
    }
    for (;;) {
        uint32_t token = cshim_event_prepare(ev);
        if (ready(r, arg)) {
            cshim_event_cancel(ev);
            return WAIT_READY;
        }
        if (atomic_load_explicit(&r->sh->closed, memory_order_acquire) & closed_bits) {
            cshim_event_cancel(ev);
            return WAIT_CLOSED;
        }
        if (when(d) >= 0 && cshim_now_ns() >= when(d)) {
            cshim_event_cancel(ev);
            return ETIMEDOUT;
        }
        cshim_event_wait(ev, token, when(d));
        // Woken (or timed out): look before announcing again, since an announcement costs a membarrier and
        // the wake-up usually means the wait is over.
        if (ready(r, arg)) return WAIT_READY;
    }
}

static int wait_once(cshim_ring *r, struct cshim_event *ev, ready_fn ready, const void *arg, uint32_t closed_bits,
                     struct deadline *d, int nonblock) {
    return wait_spin(r, ev, ready, arg, closed_bits, d, nonblock, r->spin_ns);
}

// ---------------------------------------------------------------------------------------------------------------
// The producer side. The caller owns the producer side (SPSC by contract, MPMC by the producer lock).

struct space_need {
    uint64_t head;
    uint64_t cost;  // bytes the next record takes, padding included
    uint64_t rec;   // the record alone
};

static int space_ready(cshim_ring *r, const void *arg) {
    const struct space_need *n = arg;
    // acquire: the reader finished copying out of the bytes it released before we overwrite them.
    r->hot.cached_tail = atomic_load_explicit(&r->sh->tail, memory_order_acquire);
    return n->head + n->cost + RESERVE_BYTES - r->hot.cached_tail <= r->room;
}

// Bytes that a record of `need` bytes takes at `head`: the record, plus the padding that fills the tail of the
// data area when the record does not fit before the end.
static inline uint64_t placement_cost(const cshim_ring *r, uint64_t head, uint64_t need) {
    uint64_t room = r->hot.capacity - (head & r->hot.mask);
    return need <= room ? need : room + need;
}

struct source {  // a cursor over the caller's iovec
    const struct iovec *iov;
    int count;
    int index;
    size_t offset;
};

static void source_copy(struct source *s, unsigned char *dst, size_t n) {
    while (n > 0) {
        size_t avail = s->iov[s->index].iov_len - s->offset;
        if (avail == 0) {
            s->index++;
            s->offset = 0;
            continue;
        }
        size_t k = avail < n ? avail : n;
        memcpy(dst, (const unsigned char *)s->iov[s->index].iov_base + s->offset, k);
        dst += k;
        n -= k;
        s->offset += k;
    }
}

// Copies one record at `*head` (padding first if needed) and advances `*head`; publishes nothing.
static void put_record(cshim_ring *r, uint64_t *head, uint32_t type, const uint64_t *prefix, struct source *src,
                       uint64_t length, int wrap) {
    uint64_t payload = length + (prefix ? 8 : 0);
    uint64_t need = record_size(payload);
    uint64_t idx = *head & r->hot.mask;
    uint64_t room = r->hot.capacity - idx;
    if (need > room || wrap) {
        struct record_header pad = { .length = (uint32_t)(room - HEADER_BYTES), .type = REC_PAD };
        memcpy(r->hot.data + idx, &pad, sizeof pad);
        r->sh->pad_at = *head;
        *head += room;
        idx = 0;
    }
    unsigned char *p = r->hot.data + idx;
    struct record_header h = { .length = (uint32_t)payload, .type = type };
    memcpy(p, &h, sizeof h);
    p += HEADER_BYTES;
    if (prefix) {
        memcpy(p, prefix, 8);
        p += 8;
    }
    if (length) source_copy(src, p, (size_t)length);
    *head += need;
}

// Stores a position and wakes a sleeping peer. The store releases the bytes it covers. It must also be ordered
// before the load of the peer's sleep announcement (Dekker with cshim_event_prepare), or a sleeper could be
// missed: with membarrier the sleeper pays for that ordering and this is a plain store (measured: the seq_cst
// store's wait for the cache line was half of an 8-byte write); without it, a seq_cst store.
// Returns whether a sleeper was announced (the readiness descriptor may need a signal too).
static inline int store_and_signal(_Atomic uint64_t *position, uint64_t value, struct cshim_event *peer) {
    if (cshim_fast_publish() == 1) {
        atomic_store_explicit(position, value, memory_order_release);
        atomic_signal_fence(memory_order_seq_cst);
        if (!(atomic_load_explicit(&peer->word, memory_order_relaxed) & 1u)) return 0;
    } else {
        atomic_store_explicit(position, value, memory_order_seq_cst);
        if (!(atomic_load_explicit(&peer->word, memory_order_seq_cst) & 1u)) return 0;
    }
    cshim_event_signal_after_seq_cst_store(peer);
    return 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Deferred publication (SPSC, with the membarrier protocol). Storing `head` after every record made the reader,
// which polls that line, pull it away from the writer once per record (half of an 8-byte write). Instead the
// writer stores the end of its whole records in `committed`, a line of its own that readers do not poll, and
// stores `head` only every DEFER_RECORDS records or a sixteenth of the ring. A reader looks at `committed`
// whenever `head` shows nothing new: every 64 turns of its spin, before it sleeps (after announcing: Dekker with
// the writer, whose load of the announcement after each committed store is covered by the sleeper's membarrier,
// as for `head`), before a try gives up, and when its writer died. So no record waits for the writer's next
// call: a reader finds it within a few dozen turns of its spin, or the writer sees the announcement of a reader
// about to sleep and publishes (and wakes it) at once. The writer also publishes before it waits for room,
// at close, flush, unclaim and detach. Crash safety is unchanged: a record is counted in `committed` only
// once it is whole (release store), and a dead writer's committed records are delivered.

// Signals the readiness descriptor if a reader armed it (see "Readiness descriptor").
static int adopt_armed_readiness(cshim_ring *r);

static void signal_readiness(cshim_ring *r) {
    if (!atomic_load_explicit(&r->sh->fd_armed, memory_order_acquire)) return;
    // The armed descriptor may not be this handle's (a reader that attached by name armed its own): take it.
    if ((r->readiness_fd < 0 || r->readiness_generation != atomic_load_explicit(&r->sh->fd_generation,
                                                                                memory_order_acquire)) &&
        adopt_armed_readiness(r) != 0)
        return;
    if (atomic_exchange_explicit(&r->sh->fd_armed, 0, memory_order_acq_rel))
        (void)cshim_eventfd_signal(r->readiness_fd, 1);
}

static void publish(cshim_ring *r, uint64_t head) {
    r->hot.write_pos = r->hot.published = head;
    r->hot.deferred = 0;
    if (store_and_signal(&r->sh->head, head, &r->sh->data_ready)) signal_readiness(r);
}

static void flush_deferred(cshim_ring *r) {
    if (r->mode == CSHIM_RING_SPSC && r->hot.claimed[0] == cshim_ring_fork_epoch && r->hot.write_pos != r->hot.published)
        publish(r, r->hot.write_pos);
}

// After a record was written up to `head` (SPSC writer): counts it in `committed`, or publishes it.
// Always inlined: as a call it was a tenth of an 8-byte write.
static inline __attribute__((always_inline)) void commit_record(cshim_ring *r, uint64_t head) {
    cshim_ring_hot_commit(r, head);  // cshim_ring.h: the same code inlined into callers
}

void cshim_ring_publish_to(cshim_ring *r, uint64_t head) { publish(r, head); }

// The writer's position: its own copy in SPSC mode (loading the shared line back, which the reader keeps
// pulling away, was a third of an 8-byte write), the shared one under the lock in MPMC mode.
static inline uint64_t writer_position(const cshim_ring *r) {
    return r->mode == CSHIM_RING_SPSC ? r->hot.write_pos : atomic_load_explicit(&r->sh->head, memory_order_relaxed);
}

// Cancels a half-sent fragmented message: an ABORT record (the reserve guarantees room) and the flag cleared.
static void abort_partial(cshim_ring *r) {
    uint64_t head = atomic_load_explicit(&r->sh->head, memory_order_relaxed);
    put_record(r, &head, REC_ABORT, NULL, NULL, 0, 0);
    atomic_store_explicit(&r->sh->partial, 0, memory_order_release);
    atomic_fetch_add_explicit(&r->sh->aborted, 1, memory_order_relaxed);
    publish(r, head);
}

// Called with the producer side owned after its previous owner died. (A sleep announcement it left behind
// costs at most one spare wake-up: nothing to repair there.)
static void repair_producer(cshim_ring *r) {
    // The dead writer's unpublished bytes are simply overwritten: `head` never moved past them.
    if (atomic_load_explicit(&r->sh->partial, memory_order_acquire)) abort_partial(r);
}

// ---------------------------------------------------------------------------------------------------------------
// Elastic rings (see cshim_ring_init_elastic_at). The data area is large and lazily backed (memfd pages cost only
// once touched); writers stay in the first `window` bytes while readers keep up, and readers hand the pages they
// pass beyond the window back to the kernel.

static void release_bytes(cshim_ring *r, uint64_t tail);

// Past the window, a writer backs the pages it is about to fill in one call per POPULATE_AHEAD bytes instead of
// one page fault per page (each a VM exit on virtual machines). Harmless to data: populating a page that holds
// records only maps it, and a page a reader releases afterwards is simply faulted in again.
static void punch_pages(cshim_ring *r, uint64_t from, uint64_t to);

// Before a padding record at `head`: the pages backed ahead past it will not be filled in this lap; give them
// back (nothing unread lives there: unread records are all before `head`).
static void release_ahead(cshim_ring *r, uint64_t head) {
    uint64_t ahead = r->sh->populated_to;
    r->sh->populated_to = 0;
    if (ahead <= head) return;
    uint64_t idx = head & r->hot.mask;
    uint64_t end = ahead - head > r->hot.capacity - idx ? r->hot.capacity : idx + (ahead - head);
    punch_pages(r, (idx + HEADER_BYTES + PAGE - 1) & ~(uint64_t)(PAGE - 1), (end + PAGE - 1) & ~(uint64_t)(PAGE - 1));
}

static void populate_ahead(cshim_ring *r, uint64_t head, uint64_t cost) {
    uint64_t end = head + cost;
    if (end <= r->sh->populated_to || ((end - 1) & r->hot.mask) < r->keep) return;
    uint64_t from = head > r->sh->populated_to ? head : r->sh->populated_to;
    uint64_t lap_end = (from | r->hot.mask) + 1;
    if (end > lap_end) from = lap_end;  // the record goes to the next lap (padding first)
    uint64_t to = end + POPULATE_AHEAD;
    if (to > ((from | r->hot.mask) + 1)) to = (from | r->hot.mask) + 1;
    uint64_t a = from & r->hot.mask, b = a + (to - from);
    if (a < r->window) a = r->window;
    a &= ~(uint64_t)(PAGE - 1);
    b = (b + PAGE - 1) & ~(uint64_t)(PAGE - 1);
    if (b > r->hot.capacity) b = r->hot.capacity;
    if (b > a) (void)madvise(r->hot.data + a, (size_t)(b - a), MADV_POPULATE_WRITE);
    r->sh->populated_to = to > end ? to : end;
}

// Releases the pages of data indices [from, to) that lie past the kept area (whole pages only). The kept area
// is the window and half again: a record that starts in the window and ends past it (the writer wraps after it)
// would otherwise cost its last pages a fault and a release on every lap.
static void punch_pages(cshim_ring *r, uint64_t from, uint64_t to) {
    if (from < r->keep) from = r->keep;
    from &= ~(uint64_t)(PAGE - 1);
    to &= ~(uint64_t)(PAGE - 1);
    if (to > from) (void)madvise(r->hot.data + from, (size_t)(to - from), MADV_REMOVE);
}

// Called with the consumer side owned, before the consumer position moves to `tail`: releases what was consumed
// since the last release, in batches. Safe because writers keep SLACK (= PUNCH_BATCH) bytes clear behind the
// published tail: the watermark is never further behind it, so no writer of the next lap touches those pages.
static void punch_consumed(cshim_ring *r, uint64_t tail) {
    struct ring_shared *sh = r->sh;
    uint64_t from = sh->punched;
    if (tail - from < PUNCH_BATCH && (from | r->hot.mask) == (tail | r->hot.mask)) return;  // same lap, small step
    uint64_t lap_end = (from | r->hot.mask) + 1;
    if (tail < lap_end) {
        punch_pages(r, from & r->hot.mask, tail & r->hot.mask);
    } else {
        // Crossed the end of the data area: the old lap was touched up to its padding record (if any).
        uint64_t end = r->hot.capacity;
        if (r->pad_pos >= from && r->pad_pos < lap_end)
            end = ((r->pad_pos & r->hot.mask) + HEADER_BYTES + PAGE - 1) & ~(uint64_t)(PAGE - 1);
        punch_pages(r, from & r->hot.mask, end);
        punch_pages(r, 0, tail & r->hot.mask);
    }
    sh->punched = tail & ~(uint64_t)(PAGE - 1);
}

// Past the window, a writer goes back to the start of the data area (padding the rest) when little is
// outstanding, so that a ring whose readers keep up stays in its hot window. If the readers then stop, the
// writer meets their unread records at the start of the window: it moves its own records behind them
// (relocate), or steps over a lone padding record (skip_tail_pad), so the whole reach stays available.
struct wrap_need {
    uint64_t head;
    uint64_t rec;
};

// Whether the writer at `head` may go back to the start now (refreshes the cached tail).
static int can_wrap(cshim_ring *r, const void *arg) {
    const struct wrap_need *n = arg;
    uint64_t head = n->head;
    r->hot.cached_tail = atomic_load_explicit(&r->sh->tail, memory_order_acquire);
    return head - r->hot.cached_tail <= r->window / 2 && (r->hot.cached_tail | r->hot.mask) == (head | r->hot.mask) &&
           r->hot.capacity - (head & r->hot.mask) + n->rec + RESERVE_BYTES + (head - r->hot.cached_tail) <= r->room;
}

// At or past the end of the window: whether to wrap. A writer reaching the end with readers behind waits for
// them as a plain ring's writer would, as long as they make progress (so that streaming to a slower reader
// stays in the hot window); once they made none for THROTTLE_NS (or at the put's own deadline), it goes on into
// fresh pages without waiting again until it has wrapped.
static int early_wrap(cshim_ring *r, uint64_t head, uint64_t rec, struct deadline *d, int nonblock) {
    uint64_t idx = head & r->hot.mask;
    if (idx < r->window) return 0;
    if (r->extending && head < r->wrap_check_at) return 0;
    struct wrap_need need = { head, rec };
    if (can_wrap(r, &need)) {
        r->extending = 0;
        return 1;
    }
    if (!r->extending && !nonblock) {
        // Wait while readers make progress; give up once they made none for THROTTLE_NS (or at the deadline).
        for (;;) {
            uint64_t seen = r->hot.cached_tail;
            int64_t until = cshim_deadline_after(THROTTLE_NS);
            int last = when(d) >= 0 && when(d) <= until;
            struct deadline t = deadline_at(last ? when(d) : until);
            int w = wait_once(r, &r->sh->space_ready, can_wrap, &need, CSHIM_RING_CLOSE_READ, &t, 0);
            if (w == WAIT_READY) return 1;
            if (w != ETIMEDOUT || last || atomic_load_explicit(&r->sh->tail, memory_order_acquire) == seen) break;
        }
    }
    r->extending = 1;
    r->wrap_check_at = head + WRAP_CHECK_BYTES;
    return 0;
}

// With both sides owned and the readers' unread records split around an early wrap: D1 in the old lap from the
// tail to the padding record at `pad_at`, D2 at the start of the new lap up to the head. Moves D2 just behind D1
// (over the padding) and renumbers the unread records one lap on: the tail moves forward by exactly one lap
// (same place), the head to the end of D2's new place. Positions only grow, so every handle's cached view stays
// behind the real one. Returns whether it did.
static int relocate(cshim_ring *r) {
    struct ring_shared *sh = r->sh;
    uint64_t head = atomic_load_explicit(&sh->head, memory_order_relaxed);
    uint64_t tail = atomic_load_explicit(&sh->tail, memory_order_acquire);
    uint64_t lap_end = (tail | r->hot.mask) + 1;
    uint64_t pad = sh->pad_at;
    if (atomic_load_explicit(&sh->partial, memory_order_acquire) || head < lap_end || head - lap_end >= r->hot.capacity ||
        pad < tail || pad >= lap_end)
        return 0;
    uint64_t d2 = head - lap_end, pad_idx = pad & r->hot.mask;
    if (pad_idx + d2 + RESERVE_BYTES + SLACK + PAGE > r->hot.capacity) return 0;  // no room behind D1 either
    memmove(r->hot.data + pad_idx, r->hot.data, (size_t)d2);
    sh->populated_to = 0;
    punch_pages(r, 0, tail & r->hot.mask);  // nothing lives before D1 now (D2 moved away)
    uint64_t new_tail = tail + r->hot.capacity;
    sh->punched = new_tail & ~(uint64_t)(PAGE - 1);  // D1 and D2 now live where the watermark's old lap was
    atomic_store_explicit(&sh->tail, new_tail, memory_order_release);
    publish(r, new_tail - (tail & r->hot.mask) + pad_idx + d2);
    return 1;
}

// With the producer side owned and no room: if the next unread record is a padding record, consume it on the
// readers' behalf; if the readers stopped just after an early wrap, relocate. Both under the consumer lock, only
// if it is free: a reader holding it is reading, and makes room itself.
static void repair_consumer(cshim_ring *r);

static void skip_tail_pad(cshim_ring *r) {
    struct ring_shared *sh = r->sh;
    uint64_t head = atomic_load_explicit(&sh->head, memory_order_relaxed);
    uint64_t tail = atomic_load_explicit(&sh->tail, memory_order_acquire);
    if (tail == head) return;
    struct record_header h;
    memcpy(&h, r->hot.data + (tail & r->hot.mask), sizeof h);  // written under the producer lock, which we hold
    if (h.type != REC_PAD && (sh->pad_at < tail || (sh->pad_at | r->hot.mask) != (tail | r->hot.mask) || head <= (tail | r->hot.mask)))
        return;  // neither a padding record at the tail nor records split around an early wrap
    int rc = cshim_mutex_lock_until(&sh->consumer_lock, -1, 1);
    if (rc != 0 && rc != EOWNERDEAD) return;
    if (rc == EOWNERDEAD) repair_consumer(r);
    tail = atomic_load_explicit(&sh->tail, memory_order_acquire);
    if (tail != head) {
        memcpy(&h, r->hot.data + (tail & r->hot.mask), sizeof h);
        if (h.type == REC_PAD) {
            r->pad_pos = tail;
            release_bytes(r, tail + (r->hot.capacity - (tail & r->hot.mask)));
        } else {
            (void)relocate(r);
        }
    }
    cshim_mutex_unlock(&sh->consumer_lock);
}

// The elastic writer's wait for space: in slices, stepping over a padding record left at the tail between them.
static int wait_space_elastic(cshim_ring *r, struct space_need *need, struct deadline *d, int nonblock,
                              const struct stall_check *stall) {
    skip_tail_pad(r);
    if (atomic_load_explicit(&r->sh->head, memory_order_relaxed) != need->head) return WAIT_READY;  // relocated
    if (nonblock) return wait_once(r, &r->sh->space_ready, space_ready, need, CSHIM_RING_CLOSE_READ, d, 1);
    int64_t last_check = cshim_now_ns();
    for (;;) {
        int64_t slice = cshim_deadline_after(LIVENESS_SLICE_NS);
        int last = when(d) >= 0 && when(d) <= slice;
        struct deadline part = deadline_at(last ? when(d) : slice);
        int w = wait_once(r, &r->sh->space_ready, space_ready, need, CSHIM_RING_CLOSE_READ, &part, 0);
        if (w != ETIMEDOUT || last) return w;
        skip_tail_pad(r);
        if (atomic_load_explicit(&r->sh->head, memory_order_relaxed) != need->head) return WAIT_READY;
        if (stall && stall->fn && stall->every_ns > 0 && cshim_now_ns() - last_check >= stall->every_ns) {
            last_check = cshim_now_ns();
            if (stall->fn(stall->context)) return WAIT_CLOSED;
        }
    }
}

static int write_locked(cshim_ring *r, const struct iovec *iov, int iovcnt, uint64_t total, struct deadline *d,
                        int nonblock, const struct stall_check *stall) {
    struct source src = { .iov = iov, .count = iovcnt, .index = 0, .offset = 0 };
    uint64_t head = writer_position(r);
    if (nonblock && total > r->hot.max_fragment) {
        // A try must not block part-way: start only if every fragment fits now (an upper bound: each fragment's
        // header and length prefix, one padding record per wrap, and the reserve).
        uint64_t fragments = total / (r->hot.max_fragment - 8) + 1;
        uint64_t bound = total + fragments * (HEADER_BYTES + 16) + (total / r->hot.capacity + 1) * r->hot.max_fragment;
        r->hot.cached_tail = atomic_load_explicit(&r->sh->tail, memory_order_acquire);
        if (head + bound + RESERVE_BYTES - r->hot.cached_tail > r->room) return EAGAIN;
    }
    int first = 1;
    uint64_t remaining = total;
    do {
    again:;
        uint64_t room_for_data = r->hot.max_fragment - (first && total > r->hot.max_fragment ? 8 : 0);
        uint64_t chunk = remaining < room_for_data ? remaining : room_for_data;
        uint32_t type;
        const uint64_t *prefix = NULL;
        if (total <= r->hot.max_fragment) {
            type = REC_FULL;
        } else if (first) {
            type = REC_FIRST;
            prefix = &total;
        } else {
            type = remaining == chunk ? REC_LAST : REC_MORE;
        }
        uint64_t rec = record_size(chunk + (prefix ? 8 : 0));
        struct space_need need = { head, placement_cost(r, head, rec), rec };
        if (r->window && type == REC_FULL && early_wrap(r, head, rec, d, nonblock)) need.cost = r->hot.capacity - (head & r->hot.mask) + rec;
        if (!(head + need.cost + RESERVE_BYTES - r->hot.cached_tail <= r->room)) {
            int w = r->window ? wait_space_elastic(r, &need, d, nonblock, stall)
                              : wait_for_checked(r, &r->sh->space_ready, space_ready, &need, CSHIM_RING_CLOSE_READ, d,
                                                 nonblock, stall, CSHIM_RING_READER);
            if (w != WAIT_READY) {
                if (!first) abort_partial(r);  // a message is delivered whole or not at all
                return w == WAIT_CLOSED ? closed_code(r, CSHIM_RING_READER) : w;
            }
            if (r->window && atomic_load_explicit(&r->sh->head, memory_order_relaxed) != head) {
                head = atomic_load_explicit(&r->sh->head, memory_order_relaxed);  // relocated: plan again
                goto again;
            }
        }
        if (type == REC_FIRST) {
            atomic_store_explicit(&r->sh->partial_pid, (int32_t)getpid(), memory_order_relaxed);
            atomic_store_explicit(&r->sh->partial, 1, memory_order_relaxed);  // published by the head store
        }
        if (r->window) {
            if (need.cost > need.rec) release_ahead(r, head);  // padding first: back to the start
            populate_ahead(r, head, need.cost);
        }
        put_record(r, &head, type, prefix, &src, chunk, need.cost > placement_cost(r, head, need.rec));
        publish(r, head);
        remaining -= chunk;
        first = 0;
    } while (remaining > 0);
    if (total > r->hot.max_fragment) atomic_store_explicit(&r->sh->partial, 0, memory_order_release);
    return 0;
}

int cshim_ring_writev(cshim_ring *r, const struct iovec *iov, int iovcnt, int64_t timeout_ns) {
    return cshim_ring_writev_checked(r, iov, iovcnt, timeout_ns, 0, NULL, NULL);
}

int cshim_ring_writev_checked(cshim_ring *r, const struct iovec *iov, int iovcnt, int64_t timeout_ns,
                              int64_t every_ns, cshim_ring_stall_fn stall_fn, void *context) {
    struct stall_check stall = { every_ns, stall_fn, context };
    if (iovcnt < 0 || (iovcnt > 0 && !iov)) return EINVAL;
    uint64_t total = 0;
    for (int i = 0; i < iovcnt; i++) {
        if (iov[i].iov_len > 0 && !iov[i].iov_base) return EINVAL;
        total += iov[i].iov_len;
    }
    if (atomic_load_explicit(&r->sh->closed, memory_order_acquire)) return closed_code(r, CSHIM_RING_READER);
    struct deadline d = deadline_lazy(timeout_ns);
    int nonblock = timeout_ns == 0;
    if (r->mode == CSHIM_RING_SPSC) {
        int rc = claim(r, CSHIM_RING_WRITER);
        if (rc) return rc;
        flush_deferred(r);  // before any wait for room: the reader may need these records to make it
        return write_locked(r, iov, iovcnt, total, &d, nonblock, &stall);
    }

    int rc = lock_side(&r->sh->producer_lock, &d, nonblock);
    if (rc == EBUSY) return EAGAIN;
    if (rc == EOWNERDEAD) {
        repair_producer(r);
    } else if (rc != 0) {
        return rc;
    }
    rc = write_locked(r, iov, iovcnt, total, &d, nonblock, &stall);
    cshim_mutex_unlock(&r->sh->producer_lock);
    return rc;
}

int cshim_ring_write(cshim_ring *r, const void *data, size_t length, int64_t timeout_ns) {
    // The fast path: SPSC, one record, room known from the cached consumer position, nothing closed.
    unsigned char *at = (data || length == 0) ? cshim_ring_hot_room(r, length) : NULL;
    if (at) {
        struct record_header h = { .length = (uint32_t)length, .type = REC_FULL };
        memcpy(at, &h, sizeof h);
        if (length) memcpy(at + HEADER_BYTES, data, length);
        commit_record(r, r->hot.write_pos + record_size(length));
        return 0;
    }
    struct iovec one = { .iov_base = (void *)data, .iov_len = length };
    return cshim_ring_writev(r, &one, 1, timeout_ns);
}

// ---------------------------------------------------------------------------------------------------------------
// The consumer side. The caller owns the consumer side (SPSC by contract, MPMC by the consumer lock).

static int data_ready(cshim_ring *r, const void *arg) {
    uint64_t tail = *(const uint64_t *)arg;
    // acquire: the record's bytes, written before the producer's head store, are visible to us.
    r->hot.cached_head = atomic_load_explicit(&r->sh->head, memory_order_acquire);
    return (int64_t)(r->hot.cached_head - tail) > 0;
}

// data_ready, and if `head` shows nothing, the writer's committed records (see "Deferred publication").
static int data_committed(cshim_ring *r, const void *arg) {
    if (data_ready(r, arg) || r->mode != CSHIM_RING_SPSC) return (int64_t)(r->hot.cached_head - *(const uint64_t *)arg) > 0;
    // acquire: pairs with the writer's release store of `committed`, made after the records were whole.
    uint64_t committed = atomic_load_explicit(&r->sh->committed, memory_order_acquire);
    if ((int64_t)(committed - r->hot.cached_head) > 0) r->hot.cached_head = committed;
    return (int64_t)(r->hot.cached_head - *(const uint64_t *)arg) > 0;
}

static int process_is_gone(pid_t pid) {
    if (pid <= 0) return 0;
    if (kill(pid, 0) != 0 && errno == ESRCH) return 1;
    // A dead child that nobody reaped yet still answers kill(): look for the zombie state.
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "re");
    if (!f) return errno == ENOENT;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *close_paren = strrchr(buf, ')');  // "pid (comm) S ...": the state follows the last ')'
    if (!close_paren || close_paren[1] != ' ') return 0;
    return close_paren[2] == 'Z' || close_paren[2] == 'X';
}

// A reader holding the first fragments of a message found no more data for a while: if the writer of that
// message is gone, cancel the message on its behalf so that the reader can move on.
static void check_partial_writer(cshim_ring *r) {
    if (!atomic_load_explicit(&r->sh->partial, memory_order_acquire)) return;
    if (r->mode == CSHIM_RING_MPMC) {
        // The producer lock tells: EOWNERDEAD means its holder died (kernel robust list), even unreaped.
        int rc = cshim_mutex_lock_until(&r->sh->producer_lock, -1, 1);
        if (rc == 0 || rc == EOWNERDEAD) {
            repair_producer(r);
            cshim_mutex_unlock(&r->sh->producer_lock);
        }
        return;  // EBUSY: a live writer owns it and will finish or abort
    }
    if (process_is_gone((pid_t)atomic_load_explicit(&r->sh->partial_pid, memory_order_relaxed))) abort_partial(r);
}

static void release_bytes(cshim_ring *r, uint64_t tail) {
    if (r->window) {
        r->sh->pending_tail = tail;  // a reader killed between the release of pages and the store: see repair
        punch_consumed(r, tail);
    }
    r->hot.read_pos = tail;
    // Release: the copy-out is done before the writer may reuse the bytes.
    store_and_signal(&r->sh->tail, tail, &r->sh->space_ready);
}

// Returns space by bytes, not by message: an SPSC reader publishes its position once a sixteenth of the ring is
// consumed, or at once when a writer has announced that it waits for space (a cheap load: that flag's line
// rarely changes). next_record also releases before the reader itself waits, so consumed space is never held
// while the reader sleeps. Publishing the position after every 8-byte message made the writer's and the
// reader's cache lines bounce once per message.
void cshim_ring_release_to(cshim_ring *r, uint64_t tail) { release_bytes(r, tail); }

static inline __attribute__((always_inline)) void release_lazily(cshim_ring *r, uint64_t tail) {
    uint64_t released = atomic_load_explicit(&r->sh->tail, memory_order_relaxed);
    if (r->mode == CSHIM_RING_SPSC && tail - released < r->hot.capacity / 16 &&
        !(atomic_load_explicit(&r->sh->space_ready.word, memory_order_relaxed) & 1u)) {
        r->hot.read_pos = tail;
        return;
    }
    release_bytes(r, tail);
}

// Waits for the record at `*tail`, stepping over padding. Sets *h and returns a pointer to its payload, or
// NULL with *rc = EAGAIN, ETIMEDOUT or EPIPE (end of stream). `mid_message`: ignore the deadline while the
// message's writer lives.
static const unsigned char *next_record(cshim_ring *r, uint64_t *tail, struct record_header *h, struct deadline *d,
                                        int nonblock, int mid_message, int *rc) {
    for (;;) {
        if ((int64_t)(r->hot.cached_head - *tail) <= 0 && !data_ready(r, tail)) {
            // Caught up: hand back what we consumed before waiting (the writer may be waiting for it).
            if (atomic_load_explicit(&r->sh->tail, memory_order_relaxed) != *tail) release_bytes(r, *tail);
            int w;
            if (mid_message) {
                struct deadline slice = deadline_at(cshim_deadline_after(r->liveness_ns));
                w = wait_once(r, &r->sh->data_ready, data_committed, tail, CSHIM_RING_CLOSE_WRITE, &slice, 0);
                if (w == ETIMEDOUT) {
                    check_partial_writer(r);
                    continue;
                }
            } else {
                w = wait_for_checked(r, &r->sh->data_ready, data_committed, tail, CSHIM_RING_CLOSE_WRITE, d, nonblock,
                                     NULL, CSHIM_RING_WRITER);
            }
            if (w == WAIT_CLOSED) {
                // Closed: but records published before the close are still delivered.
                if (data_committed(r, tail)) continue;
                *rc = closed_code(r, CSHIM_RING_WRITER);
                return NULL;
            }
            if (w != WAIT_READY) {
                *rc = w;
                return NULL;
            }
        }
        uint64_t idx = *tail & r->hot.mask;
        memcpy(h, r->hot.data + idx, sizeof *h);
        if (h->type == REC_PAD) {
            r->pad_pos = *tail;
            *tail += r->hot.capacity - idx;
            continue;
        }
        return r->hot.data + idx + HEADER_BYTES;
    }
}

// Reads (consume) or measures (!consume) the next message. See cshim_ring_read.
static int read_locked(cshim_ring *r, void *buffer, size_t capacity, size_t *length, struct deadline *d,
                       int nonblock, int consume, int exact) {
    unsigned char *out = buffer;
    // SPSC: our own position, possibly ahead of the published one; MPMC: the shared one, under the lock.
    uint64_t tail = r->mode == CSHIM_RING_SPSC ? r->hot.read_pos : atomic_load_explicit(&r->sh->tail, memory_order_relaxed);
    uint64_t start = tail;
    int rc = 0;
    for (;;) {
        struct record_header h;
        const unsigned char *p = next_record(r, &tail, &h, d, nonblock, 0, &rc);
        if (!p) break;
        if (h.type != REC_FULL && h.type != REC_FIRST) {
            // ABORT, or the rest of a message whose reader died part-way (MPMC): step over it.
            tail += record_size(h.length);
            continue;
        }
        uint64_t total = h.type == REC_FULL ? h.length : *(const uint64_t *)(const void *)p;
        *length = (size_t)total;
        if (!consume) break;
        if (total > capacity || (exact && total != capacity)) {
            rc = EMSGSIZE;
            break;
        }
        if (h.type == REC_FULL) {
            if (total) memcpy(out, p, (size_t)total);
            tail += record_size(h.length);
            break;
        }
        // A fragmented message: take fragments until LAST; an ABORT or a new message means it was cancelled.
        uint64_t got = h.length - 8;
        memcpy(out, p + 8, (size_t)got);
        tail += record_size(h.length);
        release_bytes(r, tail);  // the writer may be waiting for this room to send the next fragment
        int complete = 0;
        while (!complete) {
            p = next_record(r, &tail, &h, d, nonblock, 1, &rc);
            if (!p) break;
            if ((h.type != REC_MORE && h.type != REC_LAST) || got + h.length > total ||
                (h.type == REC_LAST && got + h.length != total)) {
                if (h.type != REC_FULL && h.type != REC_FIRST) tail += record_size(h.length);
                break;  // cancelled (ABORT) or malformed: drop what we have, look for the next message
            }
            memcpy(out + got, p, h.length);
            got += h.length;
            tail += record_size(h.length);
            release_bytes(r, tail);
            complete = h.type == REC_LAST;
        }
        if (complete) break;
        if (!p && rc != EPIPE) break;
        rc = 0;  // dropped a cancelled message: go on to the next one
    }
    if (tail != start) release_lazily(r, tail);
    return rc;
}

static int read_entry(cshim_ring *r, void *buffer, size_t capacity, size_t *length, int64_t timeout_ns, int consume,
                      int exact) {
    if (capacity > 0 && !buffer) return EINVAL;
    struct deadline d = deadline_lazy(timeout_ns);
    int nonblock = timeout_ns == 0;
    if (r->mode == CSHIM_RING_SPSC) {
        int rc = claim(r, CSHIM_RING_READER);
        return rc ? rc : read_locked(r, buffer, capacity, length, &d, nonblock, consume, exact);
    }

    int rc = lock_side(&r->sh->consumer_lock, &d, nonblock);
    if (rc == EBUSY) return EAGAIN;
    if (rc == EOWNERDEAD) {
        // A reader died holding the consumer side. Its position was only ever advanced past records it had
        // copied, so nothing is torn; any fragments it left are skipped as orphans. (Elastic: see repair.)
        repair_consumer(r);
    } else if (rc != 0) {
        return rc;
    }
    rc = read_locked(r, buffer, capacity, length, &d, nonblock, consume, exact);
    cshim_mutex_unlock(&r->sh->consumer_lock);
    return rc;
}

// With the consumer side owned after its owner died. An elastic ring's reader releases the pages it passed
// before it publishes its position: if it died in between, those records (which it had taken) may be gone, so
// the position moves to where it was going.
static void repair_consumer(cshim_ring *r) {
    if (!r->window) return;
    uint64_t tail = atomic_load_explicit(&r->sh->tail, memory_order_relaxed);
    if ((int64_t)(r->sh->pending_tail - tail) > 0) release_bytes(r, r->sh->pending_tail);
}

// The fast path of a read: SPSC, this side claimed, a whole record already visible, and it fits (`exact`: has
// exactly `capacity` bytes). Returns whether it read.
static inline int read_fast(cshim_ring *r, void *buffer, size_t capacity, size_t *length, int exact) {
    if (r->mode != CSHIM_RING_SPSC || r->hot.claimed[1] != cshim_ring_fork_epoch) return 0;
    uint64_t tail = r->hot.read_pos;
    if ((int64_t)(r->hot.cached_head - tail) <= 0 && !data_ready(r, &tail)) return 0;
    uint64_t idx = tail & r->hot.mask;
    struct record_header h;
    memcpy(&h, r->hot.data + idx, sizeof h);
    if (h.type != REC_FULL || h.length > capacity || (exact && h.length != capacity) || (!buffer && h.length != 0))
        return 0;
    if (h.length) memcpy(buffer, r->hot.data + idx + HEADER_BYTES, h.length);
    *length = h.length;
    release_lazily(r, tail + record_size(h.length));
    return 1;
}

// A try that found nothing arms the readiness descriptor, if the handle has one: an epoll or DispatchSource
// user reads until EAGAIN and then waits on the descriptor.
static inline int armed_if_empty(cshim_ring *r, int rc) {
    if (rc == EAGAIN && r->readiness_fd >= 0) (void)cshim_ring_arm_readiness(r);
    return rc;
}

int cshim_ring_read(cshim_ring *r, void *buffer, size_t capacity, size_t *length, int64_t timeout_ns) {
    if (read_fast(r, buffer, capacity, length, 0)) return 0;
    return armed_if_empty(r, read_entry(r, buffer, capacity, length, timeout_ns, 1, 0));
}

int cshim_ring_read_exact(cshim_ring *r, void *buffer, size_t size, size_t *length, int64_t timeout_ns) {
    if (read_fast(r, buffer, size, length, 1)) return 0;
    return armed_if_empty(r, read_entry(r, buffer, size, length, timeout_ns, 1, 1));
}

int cshim_ring_wait_readable(cshim_ring *r, size_t *length, int64_t timeout_ns) {
    return armed_if_empty(r, read_entry(r, NULL, 0, length, timeout_ns, 0, 0));
}

// Whether a reader would find something: a record past the shared consumer position, or an ended stream.
static int ring_has_input(const cshim_ring *r) {
    uint64_t tail = r->mode == CSHIM_RING_SPSC ? r->hot.read_pos : atomic_load_explicit(&r->sh->tail, memory_order_acquire);
    return (int64_t)(atomic_load_explicit(&r->sh->head, memory_order_acquire) - tail) > 0 ||
           (r->mode == CSHIM_RING_SPSC &&
            (int64_t)(atomic_load_explicit(&r->sh->committed, memory_order_acquire) - tail) > 0) ||
           (atomic_load_explicit(&r->sh->closed, memory_order_acquire) & CSHIM_RING_CLOSE_WRITE);
}

int cshim_ring_readable(const cshim_ring *r) { return ring_has_input(r); }

int cshim_ring_wait_input(cshim_ring *r, const uint32_t *flag, int64_t timeout_ns) {
    if (ring_has_input(r) || (flag && __atomic_load_n(flag, __ATOMIC_SEQ_CST))) return 1;
    if (timeout_ns == 0) return 0;
    int64_t deadline = cshim_deadline_after(timeout_ns);
    // Announce, then look (Dekker with the writers' publication and with notify's flag store), then sleep.
    uint32_t token = cshim_event_prepare(&r->sh->data_ready);
    if (ring_has_input(r) || (flag && __atomic_load_n(flag, __ATOMIC_SEQ_CST))) {
        cshim_event_cancel(&r->sh->data_ready);
        return 1;
    }
    cshim_event_wait(&r->sh->data_ready, token, deadline);
    return ring_has_input(r) || (flag && __atomic_load_n(flag, __ATOMIC_SEQ_CST));
}

void cshim_ring_notify_readers(cshim_ring *r, uint32_t *flag) {
    if (flag) __atomic_store_n(flag, 1u, __ATOMIC_SEQ_CST);
    cshim_event_signal(&r->sh->data_ready);
}

uint32_t cshim_ring_take_flag(uint32_t *flag) { return __atomic_exchange_n(flag, 0u, __ATOMIC_SEQ_CST); }

void cshim_ring_pause(void) { cshim_cpu_relax(); }

int cshim_ring_wait_any(cshim_ring *const *rings, int count, int64_t timeout_ns, unsigned char *ready) {
    if (count < 0 || count > 128) {
        errno = EINVAL;
        return -1;
    }
    int64_t deadline = cshim_deadline_after(timeout_ns);
    struct futex_waitv waiters[128];
    for (;;) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            // Announce on every ring before looking at any (each prepare also orders our announcement before
            // the look, Dekker with the writers' signals), then look.
            uint32_t token = cshim_event_prepare(&rings[i]->sh->data_ready);
            waiters[i] = (struct futex_waitv){ .val = token, .uaddr = (uintptr_t)&rings[i]->sh->data_ready.word,
                                               .flags = FUTEX_32, .__reserved = 0 };
        }
        for (int i = 0; i < count; i++) n += (ready[i] = (unsigned char)ring_has_input(rings[i]));
        if (n > 0 || timeout_ns == 0) return n;
        if (deadline >= 0 && cshim_now_ns() >= deadline) return 0;
        struct timespec ts, *tsp = NULL;
        if (deadline >= 0) {
            ts = cshim_timespec_from_ns(deadline);
            tsp = &ts;
        }
        long rc = syscall(SYS_futex_waitv, waiters, (unsigned)count, 0, tsp, CLOCK_MONOTONIC);
        if (rc < 0 && errno != EAGAIN && errno != EINTR && errno != ETIMEDOUT) return -1;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Zero copy and batches. A reservation or a peek keeps its side owned (MPMC: its lock held) until it ends, so a
// process killed inside one leaves nothing torn: a writer's record is published only by the commit's head store,
// a reader's position moves only at consume. Elastic rings (internal to Queue) take neither reservations nor
// batches.

int cshim_ring_reserve(cshim_ring *r, size_t length, void **out, int64_t timeout_ns) {
    // The fast path: SPSC, this side claimed, room known from the cached consumer position without padding,
    // nothing closed.
    if (r->mode == CSHIM_RING_SPSC && r->hot.claimed[0] == cshim_ring_fork_epoch && !r->hot.reserving && length <= r->hot.max_fragment) {
        uint64_t head = r->hot.write_pos, need = record_size(length), idx = head & r->hot.mask;
        if (need <= r->hot.capacity - idx && head + need + RESERVE_BYTES - r->hot.cached_tail <= r->hot.capacity &&
            !atomic_load_explicit(&r->sh->closed, memory_order_relaxed)) {
            r->hot.reserving = 1;
            r->hot.reserve_head = head;
            r->hot.reserve_len = length;
            *out = r->hot.data + idx + HEADER_BYTES;
            return 0;
        }
    }
    *out = NULL;
    // MPMC: threads may share the handle, so `reserving` is the lock holder's; the lock (error-checking) refuses
    // a thread that holds it already.
    if ((r->mode == CSHIM_RING_SPSC && r->hot.reserving) || r->window || length > r->hot.max_fragment) return EINVAL;
    if (atomic_load_explicit(&r->sh->closed, memory_order_acquire)) return closed_code(r, CSHIM_RING_READER);
    struct deadline d = deadline_lazy(timeout_ns);
    int nonblock = timeout_ns == 0;
    int rc = claim(r, CSHIM_RING_WRITER);
    if (rc) return rc;
    flush_deferred(r);
    if (r->mode == CSHIM_RING_MPMC) {
        rc = lock_side(&r->sh->producer_lock, &d, nonblock);
        if (rc == EBUSY) return EAGAIN;
        if (rc == EDEADLK) return EINVAL;  // this thread has a reservation open
        if (rc == EOWNERDEAD) repair_producer(r);
        else if (rc != 0) return rc;
    }
    uint64_t head = writer_position(r);
    uint64_t rec = record_size(length);
    struct space_need need = { head, placement_cost(r, head, rec), rec };
    if (!(head + need.cost + RESERVE_BYTES - r->hot.cached_tail <= r->room)) {
        int w = wait_for_checked(r, &r->sh->space_ready, space_ready, &need, CSHIM_RING_CLOSE_READ, &d, nonblock,
                                 NULL, CSHIM_RING_READER);
        if (w != WAIT_READY) {
            if (r->mode == CSHIM_RING_MPMC) cshim_mutex_unlock(&r->sh->producer_lock);
            return w == WAIT_CLOSED ? closed_code(r, CSHIM_RING_READER) : w;
        }
    }
    uint64_t idx = head & r->hot.mask;
    if (need.cost > rec) {  // the record goes to the start: padding fills the tail (published with the record)
        struct record_header pad = { .length = (uint32_t)(r->hot.capacity - idx - HEADER_BYTES), .type = REC_PAD };
        memcpy(r->hot.data + idx, &pad, sizeof pad);
        head += r->hot.capacity - idx;
        idx = 0;
    }
    r->hot.reserving = 1;
    r->hot.reserve_head = head;
    r->hot.reserve_len = length;
    *out = r->hot.data + idx + HEADER_BYTES;
    return 0;
}

int cshim_ring_commit(cshim_ring *r, size_t used) {
    if (!r->hot.reserving || used > r->hot.reserve_len) return EINVAL;
    uint64_t head = r->hot.reserve_head;
    struct record_header h = { .length = (uint32_t)used, .type = REC_FULL };
    memcpy(r->hot.data + (head & r->hot.mask), &h, sizeof h);
    r->hot.reserving = 0;
    if (r->mode == CSHIM_RING_SPSC) commit_record(r, head + record_size(used));
    else publish(r, head + record_size(used));
    if (r->mode == CSHIM_RING_MPMC) cshim_mutex_unlock(&r->sh->producer_lock);
    return 0;
}

void cshim_ring_cancel(cshim_ring *r) {
    if (!r->hot.reserving) return;
    r->hot.reserving = 0;  // nothing was published: the bytes (and any padding) are simply written over later
    if (r->mode == CSHIM_RING_MPMC) cshim_mutex_unlock(&r->sh->producer_lock);
}

// With the producer side owned: each message one record, published together (one head store and at most one
// wake-up for the batch), except that whatever is pending is published before waiting for room.
static int batch_locked(cshim_ring *r, const struct iovec *msgs, int count, struct deadline *d, int nonblock,
                        int *written) {
    uint64_t head = writer_position(r), published = head;
    int done = 0, rc = 0;
    for (int i = 0; i < count; i++) {
        uint64_t len = msgs[i].iov_len;
        if (len > 0 && !msgs[i].iov_base) {
            rc = EINVAL;
            break;
        }
        if (len > r->hot.max_fragment) {  // a long message streams in fragments, on its own
            if (head != published) publish(r, head);
            done = i;
            rc = write_locked(r, &msgs[i], 1, len, d, nonblock, NULL);
            if (rc) break;
            head = published = writer_position(r);
            done = i + 1;
            continue;
        }
        uint64_t rec = record_size(len);
        struct space_need need = { head, placement_cost(r, head, rec), rec };
        if (!(head + need.cost + RESERVE_BYTES - r->hot.cached_tail <= r->room)) {
            if (head != published) {
                publish(r, head);
                published = head;
                done = i;
            }
            int w = wait_for_checked(r, &r->sh->space_ready, space_ready, &need, CSHIM_RING_CLOSE_READ, d, nonblock,
                                     NULL, CSHIM_RING_READER);
            if (w != WAIT_READY) {
                rc = w == WAIT_CLOSED ? closed_code(r, CSHIM_RING_READER) : w;
                break;
            }
        }
        struct source src = { .iov = &msgs[i], .count = 1, .index = 0, .offset = 0 };
        put_record(r, &head, REC_FULL, NULL, &src, len, 0);
    }
    if (rc == 0) {
        if (head != published) publish(r, head);
        done = count;
    }
    *written = done;
    return rc;
}

int cshim_ring_write_batch(cshim_ring *r, const struct iovec *messages, int count, int64_t timeout_ns,
                           int *written) {
    *written = 0;
    if (count < 0 || (count > 0 && !messages) || r->window) return EINVAL;
    if (atomic_load_explicit(&r->sh->closed, memory_order_acquire)) return closed_code(r, CSHIM_RING_READER);
    struct deadline d = deadline_lazy(timeout_ns);
    int nonblock = timeout_ns == 0;
    int rc = claim(r, CSHIM_RING_WRITER);
    if (rc) return rc;
    if (r->mode == CSHIM_RING_SPSC) {
        flush_deferred(r);
        return batch_locked(r, messages, count, &d, nonblock, written);
    }
    rc = lock_side(&r->sh->producer_lock, &d, nonblock);
    if (rc == EBUSY) return EAGAIN;
    if (rc == EOWNERDEAD) repair_producer(r);
    else if (rc != 0) return rc;
    rc = batch_locked(r, messages, count, &d, nonblock, written);
    cshim_mutex_unlock(&r->sh->producer_lock);
    return rc;
}

int cshim_ring_peek(cshim_ring *r, const void **payload, size_t *length, int64_t timeout_ns) {
    // The fast path: SPSC, this side claimed, a whole record already visible.
    if (r->mode == CSHIM_RING_SPSC && r->hot.claimed[1] == cshim_ring_fork_epoch && !r->hot.peeking) {
        uint64_t tail = r->hot.read_pos;
        if ((int64_t)(r->hot.cached_head - tail) > 0 || data_ready(r, &tail)) {
            uint64_t idx = tail & r->hot.mask;
            struct record_header h;
            memcpy(&h, r->hot.data + idx, sizeof h);
            if (h.type == REC_FULL) {
                *payload = r->hot.data + idx + HEADER_BYTES;
                *length = h.length;
                r->hot.peeking = 1;
                r->hot.peek_end = tail + record_size(h.length);
                return 0;
            }
        }
    }
    *payload = NULL;
    if (r->mode == CSHIM_RING_SPSC && r->hot.peeking) return EINVAL;  // MPMC: see cshim_ring_reserve
    struct deadline d = deadline_lazy(timeout_ns);
    int nonblock = timeout_ns == 0;
    int rc = claim(r, CSHIM_RING_READER);
    if (rc) return rc;
    if (r->mode == CSHIM_RING_MPMC) {
        rc = lock_side(&r->sh->consumer_lock, &d, nonblock);
        if (rc == EBUSY) return EAGAIN;
        if (rc == EDEADLK) return EINVAL;  // this thread has a record peeked
        if (rc == EOWNERDEAD) repair_consumer(r);
        else if (rc != 0) return rc;
    }
    uint64_t tail = r->mode == CSHIM_RING_SPSC ? r->hot.read_pos : atomic_load_explicit(&r->sh->tail, memory_order_relaxed);
    uint64_t start = tail;
    for (;;) {
        struct record_header h;
        const unsigned char *p = next_record(r, &tail, &h, &d, nonblock, 0, &rc);
        if (!p) break;
        if (h.type == REC_FULL) {
            *payload = p;
            *length = h.length;
            r->hot.peeking = 1;
            r->hot.peek_end = tail + record_size(h.length);
            return 0;  // the side stays owned until consume or unpeek
        }
        if (h.type == REC_FIRST) {  // fragmented: cannot be read in place
            *length = (size_t)*(const uint64_t *)(const void *)p;
            rc = EMSGSIZE;
            break;
        }
        tail += record_size(h.length);  // ABORT, or an orphan fragment: step over it
    }
    if (tail != start) release_lazily(r, tail);
    if (r->mode == CSHIM_RING_MPMC) cshim_mutex_unlock(&r->sh->consumer_lock);
    return armed_if_empty(r, rc);
}

void cshim_ring_consume(cshim_ring *r) {
    if (!r->hot.peeking) return;
    r->hot.peeking = 0;
    release_lazily(r, r->hot.peek_end);
    if (r->mode == CSHIM_RING_MPMC) cshim_mutex_unlock(&r->sh->consumer_lock);
}

void cshim_ring_unpeek(cshim_ring *r) {
    if (!r->hot.peeking) return;
    r->hot.peeking = 0;
    if (r->mode == CSHIM_RING_MPMC) cshim_mutex_unlock(&r->sh->consumer_lock);
}

// ---------------------------------------------------------------------------------------------------------------
// Readiness descriptor. An eventfd that the handle's process shares with the ring's other processes by
// inheritance (fork) or fd passing: a descriptor cannot live in the shared memory, and another process's eventfd
// cannot be opened by path. A reader arms it (sets `fd_armed`, then announces itself on the data event like a
// sleeper, then looks: Dekker with the writer, which loads the announcement after publishing); a writer that finds
// the announcement wakes the futex sleepers and, if `fd_armed` is set, clears it and adds 1 to the eventfd. So a
// writer pays nothing while no reader waits, and one write(2) per arming when one does.

//
// Processes that share no descriptor (a reader or a writer that attached by name, a forkserver or spawn child)
// meet through the header: arming registers the armed descriptor (its process, its number there, its eventfd id,
// and a new generation when that changes), and a writer whose handle holds another descriptor, or none, takes the
// registered one from its process with pidfd_getfd (Linux 5.6; the permission of ptrace: same user, and under
// Yama's ptrace_scope 1 only from a descendant) and checks by its eventfd id that it is the one registered. A handle
// asking for its descriptor first takes the registered one the same way, so that the processes of a ring share
// one eventfd where they can. A writer that cannot take it (no pidfd_getfd, no permission, the registrant gone)
// leaves the descriptor armed for a writer that can, and the reader's poll needs its timeout (as for a dead
// writer).

// The eventfd id of descriptor `fd` of this process (the "eventfd-id" line of its fdinfo, Linux 5.x): 0 if the
// kernel does not say, UINT64_MAX if `fd` is not an eventfd.
static uint64_t eventfd_id(int fd) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    int f = open(path, O_RDONLY | O_CLOEXEC);
    if (f < 0) return UINT64_MAX;
    ssize_t n;
    do n = read(f, buf, sizeof buf - 1); while (n < 0 && errno == EINTR);
    close(f);
    if (n <= 0) return UINT64_MAX;
    buf[n] = 0;
    const char *count = strstr(buf, "eventfd-count:");
    if (!count) return UINT64_MAX;
    const char *id = strstr(buf, "eventfd-id:");
    return id ? strtoull(id + strlen("eventfd-id:"), NULL, 10) : 0;
}

// Takes the registered descriptor: a duplicate of it (close-on-exec), or -1. `owner` and `id` as registered.
static int take_registered(uint64_t owner, uint64_t id) {
    pid_t pid = (pid_t)(owner >> 32);
    int number = (int)(uint32_t)owner, fd = -1;
    if (pid == getpid()) {
        fd = fcntl(number, F_DUPFD_CLOEXEC, 0);
    } else {
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_getfd)
        int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        if (pidfd < 0) return -1;
        fd = (int)syscall(SYS_pidfd_getfd, pidfd, number, 0);  // close-on-exec by the kernel
        close(pidfd);
#endif
    }
    if (fd < 0) return -1;
    uint64_t got = eventfd_id(fd);
    if (got == UINT64_MAX || got != id) {  // not an eventfd, or another one (the number was reused)
        close(fd);
        return -1;
    }
    return fd;
}

// Reads the registry consistently: 0 with *owner, *id and *generation set, or -1 (none registered, or it keeps
// changing).
static int read_registry(cshim_ring *r, uint64_t *owner, uint64_t *id, uint32_t *generation) {
    for (int tries = 0; tries < 100; tries++) {
        uint32_t g = atomic_load_explicit(&r->sh->fd_generation, memory_order_acquire);
        *owner = atomic_load_explicit(&r->sh->fd_owner, memory_order_acquire);
        *id = atomic_load_explicit(&r->sh->fd_id, memory_order_acquire);
        if (atomic_load_explicit(&r->sh->fd_generation, memory_order_acquire) == g) {
            *generation = g;
            return *owner ? 0 : -1;
        }
    }
    return -1;
}

// Makes the registered descriptor this handle's (see above). 0, or -1 if there is none or it cannot be taken.
static int adopt_armed_readiness(cshim_ring *r) {
    uint64_t owner, id;
    uint32_t generation;
    int mine = r->readiness_fd >= 0 ? 0 : -1;
    if (read_registry(r, &owner, &id, &generation) != 0) return mine;  // none registered: this handle's, if any
    if (r->readiness_fd >= 0 && (id == 0 || r->readiness_id == id)) {
        r->readiness_generation = generation;  // the same eventfd (or the kernel cannot tell: as before)
        return 0;
    }
    int fd = take_registered(owner, id);
    if (fd < 0) return mine;  // not taken: signal this handle's own, and try again next time
    if (r->owns_readiness_fd) close(r->readiness_fd);
    r->readiness_fd = fd;
    r->owns_readiness_fd = 1;
    r->readiness_id = id;
    r->readiness_generation = generation;
    return 0;
}

// Registers this handle's descriptor as the one to signal (a reader arming it), unless it is already.
static void register_readiness(cshim_ring *r) {
    uint64_t owner = (uint64_t)(uint32_t)getpid() << 32 | (uint32_t)r->readiness_fd;
    if (atomic_load_explicit(&r->sh->fd_owner, memory_order_acquire) == owner &&
        atomic_load_explicit(&r->sh->fd_id, memory_order_acquire) == r->readiness_id) {
        r->readiness_generation = atomic_load_explicit(&r->sh->fd_generation, memory_order_acquire);
        return;
    }
    // A taker that reads the words mid-change (or after registrants raced, or one was killed between them) may
    // see an owner and an id that do not match: it then finds the id wrong and takes nothing, and the next
    // arming registers again. No state a killed registrant leaves is worse than that.
    atomic_store_explicit(&r->sh->fd_id, r->readiness_id, memory_order_release);
    atomic_store_explicit(&r->sh->fd_owner, owner, memory_order_release);
    uint32_t g = atomic_fetch_add_explicit(&r->sh->fd_generation, 1, memory_order_acq_rel) + 1;
    r->readiness_generation = g;
}

// At detach: a registered descriptor that is about to close is registered no more.
static void unregister_readiness(cshim_ring *r) {
    uint64_t owner = (uint64_t)(uint32_t)getpid() << 32 | (uint32_t)r->readiness_fd;
    if (!r->owns_readiness_fd) return;  // the caller's descriptor stays open
    if (atomic_compare_exchange_strong_explicit(&r->sh->fd_owner, &owner, 0, memory_order_acq_rel,
                                                memory_order_relaxed))
        atomic_fetch_add_explicit(&r->sh->fd_generation, 1, memory_order_acq_rel);
}

int cshim_ring_readiness_fd(cshim_ring *r) {
    if (r->readiness_fd >= 0) return r->readiness_fd;
    // The registered descriptor if it can be taken (one eventfd for the ring's processes), else a new one.
    if (adopt_armed_readiness(r) != 0) {
        int fd = cshim_eventfd_create(0, 0);
        if (fd < 0) return -1;
        r->readiness_fd = fd;
        r->owns_readiness_fd = 1;
        uint64_t id = eventfd_id(fd);
        r->readiness_id = id == UINT64_MAX ? 0 : id;
    }
    (void)cshim_ring_arm_readiness(r);
    return r->readiness_fd;
}

int cshim_ring_set_readiness_fd(cshim_ring *r, int fd, int take_ownership) {
    if (fd < 0) return EINVAL;
    if (r->owns_readiness_fd && r->readiness_fd != fd) close(r->readiness_fd);
    r->readiness_fd = fd;
    r->owns_readiness_fd = take_ownership != 0;
    uint64_t id = eventfd_id(fd);
    r->readiness_id = id == UINT64_MAX ? 0 : id;
    r->readiness_generation = 0;  // matched against the registry at the first signal or arming
    return 0;
}

int cshim_ring_arm_readiness(cshim_ring *r) {
    if (r->readiness_fd < 0) {
        errno = EBADF;
        return -1;
    }
    uint64_t drained;
    ssize_t n;
    do n = read(r->readiness_fd, &drained, sizeof drained); while (n < 0 && errno == EINTR);  // non-blocking
    // A writer that died cannot signal: look at it now (SPSC; a pidfd poll), so that its death, taken as the end
    // of writing, makes the descriptor readable and the next try reports it.
    if (!ring_has_input(r) && r->mode == CSHIM_RING_SPSC) (void)peer_died(r, CSHIM_RING_WRITER);
    if (!ring_has_input(r)) {
        register_readiness(r);
        atomic_store_explicit(&r->sh->fd_armed, 1, memory_order_seq_cst);
        (void)cshim_event_prepare(&r->sh->data_ready);  // orders the store before the look below (membarrier)
        if (!ring_has_input(r)) return 0;
    }
    // Readable already: the descriptor says so at once.
    if (cshim_eventfd_signal(r->readiness_fd, 1) != 0) return -1;
    return 1;
}
