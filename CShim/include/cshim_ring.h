// A shared-memory ring buffer of variable-length records.
//
// Layout: a header (constants, then the producer's, the consumer's and each wake-up's words on cache lines of
// their own, then two robust mutexes) followed by `capacity` data bytes. Positions are 64-bit byte counters that
// only grow (index = position & (capacity - 1)), so full and empty are never ambiguous and there is no ABA.
//
// A record is an 8-byte header {uint32 length, uint32 type} and its payload, padded to 8 bytes. A record never
// straddles the end of the data area: a padding record fills the tail. A writer copies the whole record first and
// only then publishes it by advancing the producer position (release store), so a reader never sees a partial
// record, whatever happens to the writer. Messages longer than a quarter of the ring travel as fragments
// (FIRST carries the total length, MORE..., LAST); a writer that times out or dies between fragments is followed
// by an ABORT record, and readers drop the partial message. 8 bytes of the ring are always kept free for that
// ABORT record, so it can be written at once.
//
// Modes:
//   SPSC: one writing handle and one reading handle for the ring's whole life (a forked child may take over its
//         parent's handle if the parent stops using that side); lock-free. Each side keeps its own position
//         privately and publishes it: the writer every 64 records or a sixteenth of the ring, the reader in
//         batches of a sixteenth of the ring (each at once when its peer is about to wait). Between two
//         publications the writer counts its whole records in a word of its own line that readers look at only
//         when the published position shows nothing ("Deferred publication", ring.c): no record waits for the
//         writer's next call, and a killed writer's whole records are delivered.
//   MPMC: any number of writers and readers. Each side is serialised by a robust process-shared mutex, under
//         which the SPSC algorithm runs: a writer SIGKILLed mid-record never published it, and the next writer
//         (told EOWNERDEAD) writes the ABORT record if the dead one had a message half sent. Lock-free
//         multi-producer schemes would block every writer behind one killed between claim and publish.
//
// Endpoints (layout version 3 on; version 4 added deferred publication and the readiness descriptor, version 5
// the armed descriptor's registration and the inline fast paths' handle layout): an SPSC ring's
// writer and reader are claimed by the first process that writes or reads (pid and start time in the header);
// another process using the same side while the claimant lives is refused with EBUSY, never left to race it. A side
// that waits on its peer checks every 10 ms that the peer's process lives (by a pidfd where the kernel has them,
// else by pid and start time in /proc): a dead writer is an implied close of writing (readers drain what it
// published, then get ECONNRESET instead of EPIPE), a dead reader an implied close of reading (writers get
// ECONNRESET). MPMC rings rely on their robust mutexes instead and register no endpoints. The creator's pid and
// start time are kept too, so that a named ring whose creator died can be recognised as stale.
//
// Zero copy: cshim_ring_reserve hands out room for one record inside the ring, cshim_ring_commit publishes it
// (a writer killed in between published nothing); cshim_ring_peek shows the next record in place and
// cshim_ring_consume releases it (a reader killed in between consumed nothing: the record stays for the next
// reader). cshim_ring_write_batch publishes many records with one position store.
//
// C ABI: this header is the whole interface for C and C++ processes (link the CShim library: its product in
// Package.swift, or compile CShim/*.c). A ring's memory holds CSHIM_RING_LAYOUT_VERSION; a process built
// against another layout is refused at attach (EINVAL), never misreads it. Rings made by Swift's RingBuffer are
// the same rings: attach by name with shm_open + mmap + cshim_ring_attach (see Examples/ring-c/).
//
// Waiting spins for a short budget (default 50 µs, re-reading the peer's position), then sleeps on a futex event
// count; a side issues a wake only when the other side has announced a sleeper.
#pragma once
#include "cshim_base.h"
#include <sys/types.h>
#include <sys/uio.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The process-private handle of a ring (opaque: it keeps positions of its own). In SPSC mode one per side and
/// thread; in MPMC mode threads may share a handle (each side is serialised by its lock).
/// The ring's functions are in C because the shared header is made of `_Atomic` words, futex event counts and
/// pthread mutexes that Swift cannot see, and because the memory orderings must be exactly as written here.
typedef struct cshim_ring cshim_ring;

enum {
    CSHIM_RING_SPSC = 0,  ///< one writer, one reader
    CSHIM_RING_MPMC = 1,  ///< several writers and readers, one robust mutex per side
};

enum {
    CSHIM_RING_CLOSE_WRITE = 1,  ///< no more writes: readers get end-of-stream (EPIPE) once drained
    CSHIM_RING_CLOSE_READ = 2,   ///< no more reads: writers get EPIPE at once
};

/// The version of the shared layout this header describes; stored in every ring and checked by attach.
#define CSHIM_RING_LAYOUT_VERSION 5u

enum {
    CSHIM_RING_WRITER = 1,   ///< the writing side (also a bit of cshim_ring_died)
    CSHIM_RING_READER = 2,   ///< the reading side (also a bit of cshim_ring_died)
    CSHIM_RING_CREATOR = 3,  ///< the process that formatted the ring (cshim_ring_endpoint_pid/alive only)
};

/// The smallest and largest data capacities (powers of two).
#define CSHIM_RING_MIN_CAPACITY ((uint64_t)4096)
#define CSHIM_RING_MAX_CAPACITY ((uint64_t)1 << 32)

/// Bytes of shared memory a ring of `capacity` data bytes needs (header included); 0 when `capacity` is not a
/// power of two in [CSHIM_RING_MIN_CAPACITY, CSHIM_RING_MAX_CAPACITY].
size_t cshim_ring_shared_size(uint64_t capacity);

/// Alignment the shared area needs (a page is always enough).
size_t cshim_ring_shared_align(void);

/// Formats a ring at `base` (`size` bytes, at least `cshim_ring_shared_size(capacity)`): 0 or an errno value
/// (EINVAL for a bad capacity, mode or size; a pthread code if the mutexes cannot be made).
/// In C: the header is full of `_Atomic` words and pthread mutexes.
int cshim_ring_init_at(void *CSHIM_NONNULL base, size_t size, uint64_t capacity, int mode);

/// Formats an elastic ring (MPMC only): a large data area (`capacity`, the ring's reach) of which writers use the
/// first `window` bytes (a power of two from 4 KiB to capacity/4) while readers keep up. Map it without
/// pre-faulting: memfd pages cost memory only once touched.
/// - At the end of the window a writer goes back to the start if at most window/2 bytes are outstanding. If
///   more are, it waits for readers to catch up as long as they make progress (as a plain ring's writer would:
///   streaming to a slower reader stays in the hot window); once they made none for 10 ms (or at its own
///   deadline) it goes on into fresh pages (backing them 256 KiB at a time, MADV_POPULATE_WRITE) without waiting again until
///   it can go back to the start. A write waits for readers only when the whole reach is outstanding.
/// - Readers give the pages they passed beyond the window and half again (a record that starts in the window
///   may end past it) back to the kernel (MADV_REMOVE, 64 KiB at a time),
///   so resident memory follows what is outstanding. Writers keep 64 KiB clear behind the readers (the reach is
///   that much smaller), so a released page is never one a writer is filling.
/// - If readers stop just after a writer went back to the start, their unread records sit at the start of the
///   window: a writer that meets them steps over a lone padding record, or moves its own records behind theirs
///   and renumbers them one lap on (positions still only grow), under both locks.
/// 0 or an errno value (EINVAL for a bad window or mode).
int cshim_ring_init_elastic_at(void *CSHIM_NONNULL base, size_t size, uint64_t capacity, uint64_t window, int mode);

/// Attaches to a formatted ring at `base`; checks magic, version and size. NULL with errno (EINVAL: not a
/// ring or a different layout version; ENOMEM).
cshim_ring *CSHIM_NULLABLE cshim_ring_attach(void *CSHIM_NONNULL base, size_t size);

/// Frees the private handle; the shared area is untouched.
void cshim_ring_detach(cshim_ring *CSHIM_NULLABLE ring);

/// Writes one message gathered from `iov` (total length any size: long messages are fragmented).
/// Returns 0; EAGAIN (timeout 0 and no room); ETIMEDOUT; EPIPE (the read side is closed, or this ring's write
/// side); ECONNRESET (SPSC: the reader's process died); EBUSY (SPSC: another live process is the writer);
/// EINVAL (bad arguments). On ETIMEDOUT part-way through a fragmented message, the fragments already
/// sent are cancelled by an ABORT record: a message is delivered whole or not at all.
int cshim_ring_writev(cshim_ring *CSHIM_NONNULL ring, const struct iovec *CSHIM_NULLABLE iov, int iovcnt,
                      int64_t timeout_ns);

/// Called by a writer whose wait for space has stalled for `every_ns`: return 0 to keep waiting, non-zero to
/// give up (the write then fails with EPIPE, cancelling a half-sent message). For a caller that must notice a
/// vanished reader without putting a deadline on a long message.
typedef int (*cshim_ring_stall_fn)(void *CSHIM_NULLABLE context);

/// `cshim_ring_writev` that also consults `stall` every `every_ns` of waiting for space (in addition to the
/// overall timeout). In C: the callback runs inside the wait loop.
int cshim_ring_writev_checked(cshim_ring *CSHIM_NONNULL ring, const struct iovec *CSHIM_NULLABLE iov, int iovcnt,
                              int64_t timeout_ns, int64_t every_ns, cshim_ring_stall_fn CSHIM_NULLABLE stall,
                              void *CSHIM_NULLABLE context);

/// `cshim_ring_writev` with a single buffer.
int cshim_ring_write(cshim_ring *CSHIM_NONNULL ring, const void *CSHIM_NULLABLE data, size_t length,
                     int64_t timeout_ns);

/// Reads one whole message into `buffer` (capacity `capacity`) and sets *length. Returns 0; EAGAIN (timeout 0,
/// nothing to read); ETIMEDOUT; EPIPE (end of stream: the write side is closed and everything was read);
/// EMSGSIZE (the next message is longer than `capacity`: *length says how long, nothing is consumed — call again
/// with a larger buffer); ECONNRESET (SPSC: the writer's process died and everything it published was read);
/// EBUSY (SPSC: another live process is the reader). Once the first fragment of a long message is taken, the rest is awaited as long as its
/// writer is alive; a dead or timed-out writer's partial message is dropped.
int cshim_ring_read(cshim_ring *CSHIM_NONNULL ring, void *CSHIM_NULLABLE buffer, size_t capacity,
                    size_t *CSHIM_NONNULL length, int64_t timeout_ns);

/// `cshim_ring_read` for a message of exactly `size` bytes (a fixed-size value): a message of any other length
/// is left in place and reported as EMSGSIZE with *length set, so a typed read never swallows a foreign message.
int cshim_ring_read_exact(cshim_ring *CSHIM_NONNULL ring, void *CSHIM_NULLABLE buffer, size_t size,
                          size_t *CSHIM_NONNULL length, int64_t timeout_ns);

/// Waits until a message can be read or the stream ended (same return values as `cshim_ring_read`, without
/// consuming anything) and sets *length to the next message's length. With several readers another reader may
/// take that message first.
int cshim_ring_wait_readable(cshim_ring *CSHIM_NONNULL ring, size_t *CSHIM_NONNULL length, int64_t timeout_ns);

/// Waits until at least one of `count` rings (at most 128) has a message to read or an ended stream, at most
/// `timeout_ns`. Sets ready[i] to 1 for each such ring and returns how many are ready (0 on timeout), or -1
/// with errno. Sleeps on all their event counts at once (futex_waitv); writers pay nothing extra.
/// In C: futex_waitv has no libc wrapper, and the rings' words are opaque.
int cshim_ring_wait_any(cshim_ring *CSHIM_NONNULL const *CSHIM_NONNULL rings, int count, int64_t timeout_ns,
                        unsigned char *CSHIM_NONNULL ready);

/// Whether a reader would find a message (or an ended stream) now: a few loads, no lock, no syscall. A snapshot:
/// with several readers another may take the message first. For a thread that polls a ring while it spins.
int cshim_ring_readable(const cshim_ring *CSHIM_NONNULL ring);

/// Sleeps at most `timeout_ns` (<0: no limit) until the ring is readable, `*flag` is non-zero (when `flag` is not
/// NULL), or a `cshim_ring_notify_readers` — once: the caller loops. Returns 1 if readable or flagged on return,
/// else 0 (timed out, woken for nothing, or signalled). Holds no lock, so other threads of this process may read
/// the ring meanwhile. In C: the flag must be checked after the sleep is announced (Dekker with the notifier).
int cshim_ring_wait_input(cshim_ring *CSHIM_NONNULL ring, const uint32_t *CSHIM_NULLABLE flag, int64_t timeout_ns);

/// Sets `*flag` (when not NULL) and wakes the readers asleep in `cshim_ring_wait_input` (or in a read). In C:
/// the seq_cst store pairs with the sleeper's announcement.
void cshim_ring_notify_readers(cshim_ring *CSHIM_NONNULL ring, uint32_t *CSHIM_NULLABLE flag);

/// Reads and clears a flag set by `cshim_ring_notify_readers`; returns its old value.
uint32_t cshim_ring_take_flag(uint32_t *CSHIM_NONNULL flag);

/// One pause instruction: what a spin loop does between two looks.
void cshim_ring_pause(void);

/// Closes one or both directions (CSHIM_RING_CLOSE_*) for every process, and wakes all sleepers.
void cshim_ring_close(cshim_ring *CSHIM_NONNULL ring, int how);

/// Which directions are closed (CSHIM_RING_CLOSE_* bits).
int cshim_ring_closed(const cshim_ring *CSHIM_NONNULL ring);

/// Sets how long a waiting side spins before sleeping, in nanoseconds (0: sleep at once; default 50 µs).
/// Per handle: each process chooses its own.
void cshim_ring_set_spin(cshim_ring *CSHIM_NONNULL ring, int64_t spin_ns);

/// How often a side of an SPSC ring that waits on its peer checks that the peer's process lives (default 10 ms,
/// at least 0.1 ms): the bound on how late a death is noticed, paid for with one wake-up per interval of waiting.
void cshim_ring_set_liveness_check(cshim_ring *CSHIM_NONNULL ring, int64_t every_ns);

/// `cshim_ring_set_spin`, where the spin also yields the CPU (sched_yield) every few dozen turns: for a side
/// whose peer may be queued on the same CPU (more runnable processes than CPUs), which a plain spin would keep
/// from running until the spin ends.
void cshim_ring_set_spin_yielding(cshim_ring *CSHIM_NONNULL ring, int64_t spin_ns);

/// Data capacity in bytes, and the largest fragment payload (a quarter of it).
uint64_t cshim_ring_capacity(const cshim_ring *CSHIM_NONNULL ring);
uint64_t cshim_ring_max_fragment(const cshim_ring *CSHIM_NONNULL ring);

/// An elastic ring's window (0 for a plain ring).
uint64_t cshim_ring_window(const cshim_ring *CSHIM_NONNULL ring);

/// Bytes of the data area backed by memory now (mincore): a diagnostic, for tests.
size_t cshim_ring_resident_bytes(const cshim_ring *CSHIM_NONNULL ring);

/// Bytes currently queued (records and their headers): a snapshot.
uint64_t cshim_ring_bytes_used(const cshim_ring *CSHIM_NONNULL ring);

/// The mode the ring was formatted with.
int cshim_ring_mode(const cshim_ring *CSHIM_NONNULL ring);

/// How many partial messages were aborted so far (a writer timed out or died between fragments).
uint64_t cshim_ring_aborted_messages(const cshim_ring *CSHIM_NONNULL ring);

/// Claims `side` (CSHIM_RING_WRITER or CSHIM_RING_READER) of an SPSC ring for this process now, instead of at its
/// first write or read, so that the peer's waits can tell if this process dies before using it. 0; EBUSY (another
/// live process holds it); EINVAL. Always 0 for an MPMC ring. In C: the claim is an atomic word of the header.
int cshim_ring_claim(cshim_ring *CSHIM_NONNULL ring, int side);

/// Gives up this process's claim on `side`, so that another process (a forked child, say) may take it.
void cshim_ring_unclaim(cshim_ring *CSHIM_NONNULL ring, int side);

/// The pid registered for `side` (CSHIM_RING_WRITER, CSHIM_RING_READER or CSHIM_RING_CREATOR); 0 if none.
pid_t cshim_ring_endpoint_pid(const cshim_ring *CSHIM_NONNULL ring, int side);

/// Whether the process registered for `side` is alive (its pid exists, is not a zombie, and has the start time
/// recorded at registration). 0 when none is registered.
int cshim_ring_endpoint_alive(const cshim_ring *CSHIM_NONNULL ring, int side);

/// Which sides' processes were found dead (CSHIM_RING_WRITER / CSHIM_RING_READER bits).
int cshim_ring_died(const cshim_ring *CSHIM_NONNULL ring);

/// Reserves room for one record of at most `length` bytes (at most cshim_ring_max_fragment) and sets *out to it,
/// waiting for room as a write does. Returns 0 (then call cshim_ring_commit or cshim_ring_cancel; an MPMC ring's
/// producer lock is held until then), EAGAIN, ETIMEDOUT, EPIPE, ECONNRESET (the reader died), EBUSY (another
/// process is this SPSC ring's writer) or EINVAL (too long, elastic ring, or a reservation already open).
int cshim_ring_reserve(cshim_ring *CSHIM_NONNULL ring, size_t length, void *CSHIM_NULLABLE *CSHIM_NONNULL out,
                       int64_t timeout_ns);

/// Publishes the reserved record with its first `used` bytes (≤ the reserved length). 0 or EINVAL.
int cshim_ring_commit(cshim_ring *CSHIM_NONNULL ring, size_t used);

/// Abandons the open reservation: nothing is published.
void cshim_ring_cancel(cshim_ring *CSHIM_NONNULL ring);

/// Writes `count` messages (each iovec one message), publishing them together: one position store and at most
/// one wake-up per batch, except that what is pending is published before waiting for room. Sets *written to the
/// messages published; returns as cshim_ring_writev (on an error, messages [*written, count) were not sent).
int cshim_ring_write_batch(cshim_ring *CSHIM_NONNULL ring, const struct iovec *CSHIM_NULLABLE messages, int count,
                           int64_t timeout_ns, int *CSHIM_NONNULL written);

/// Shows the next message in place: sets *payload and *length and returns 0 (then call cshim_ring_consume or
/// cshim_ring_unpeek; an MPMC ring's consumer lock is held until then, and the bytes stay valid). EMSGSIZE: the
/// next message is fragmented (*length is its length): read it with cshim_ring_read. Otherwise as cshim_ring_read
/// (EAGAIN, ETIMEDOUT, EPIPE, ECONNRESET: the writer died and everything was read; EBUSY: another reader).
int cshim_ring_peek(cshim_ring *CSHIM_NONNULL ring, const void *CSHIM_NULLABLE *CSHIM_NONNULL payload,
                    size_t *CSHIM_NONNULL length, int64_t timeout_ns);

/// Consumes the peeked message.
void cshim_ring_consume(cshim_ring *CSHIM_NONNULL ring);

/// Leaves the peeked message in place (the next read or peek sees it again).
void cshim_ring_unpeek(cshim_ring *CSHIM_NONNULL ring);

/// Publishes what this handle's writer has written but not yet published (see "Deferred publication" above).
/// Writes do this on their own when it matters (a reader about to sleep, a wait for room, close, unclaim,
/// detach); call it before a writer goes quiet to spare the reader its look at the committed records.
void cshim_ring_flush(cshim_ring *CSHIM_NONNULL ring);

/// Turns this handle's deferred publication on (the default for SPSC rings where membarrier works) or off
/// (publish every record: the behaviour of layout version 3, kept for A/B measurements).
void cshim_ring_set_deferred_publication(cshim_ring *CSHIM_NONNULL ring, int on);
int cshim_ring_deferred_publication(const cshim_ring *CSHIM_NONNULL ring);

/// The handle's readiness descriptor: an eventfd (close-on-exec, non-blocking) that is readable when the ring
/// has a record or its stream ended, for poll/epoll, DispatchSource or SwiftNIO. Created on the first call and
/// armed; closed by cshim_ring_detach. The first call takes the descriptor registered in the ring's header by the
/// last arming, if its process lets us (pidfd_getfd), so that a ring's processes share one eventfd; else it makes
/// one. Arming registers the handle's descriptor; a writer whose handle holds another, or none (it attached by
/// name), takes the registered one the first time it must signal it (see ring.c, "Readiness descriptor": it needs
/// ptrace's permission over the reader). Where that is refused, get it before forking the writer, or pass it with
/// the ring's fd (SCM_RIGHTS) and adopt it there with cshim_ring_set_readiness_fd. Protocol: when it is readable, read until a try (timeout 0) returns EAGAIN — that
/// try re-arms it — then wait on it again. It may be readable with nothing to read (a try then re-arms). Arming
/// looks at an SPSC writer's liveness: a writer found dead makes it readable (the next try says ECONNRESET); one
/// that dies while the reader sleeps in poll cannot signal it: wait with a timeout, and try again (which arms).
/// -1 with errno if no eventfd can be made.
/// In C: the arming is a store and an event announcement in the shared header.
int cshim_ring_readiness_fd(cshim_ring *CSHIM_NONNULL ring);

/// Makes `fd` (an eventfd shared with the writer's handle, received with the ring's descriptor) this handle's
/// readiness descriptor; with `take_ownership`, cshim_ring_detach closes it. 0 or EINVAL.
int cshim_ring_set_readiness_fd(cshim_ring *CSHIM_NONNULL ring, int fd, int take_ownership);

/// Arms the readiness descriptor: drains it, then returns 1 (and leaves it readable) if the ring is readable
/// now, 0 if a writer will signal it, -1 with errno (EBADF: the handle has none). Tries that find nothing arm it
/// themselves.
int cshim_ring_arm_readiness(cshim_ring *CSHIM_NONNULL ring);

// ---------------------------------------------------------------------------------------------------------------
// Inline fast paths (SPSC). The calls below are the usual ones (cshim_ring_write, _read, _read_exact, _reserve,
// _commit, _peek, _consume) with their fast case compiled into the caller: a claimed SPSC side, a whole record
// already visible or room already known, nothing closed. Anything else (MPMC, a wait, padding, a fragment, a
// first use that must claim the side) calls the function of the same name without `_inline`. They exist because
// a call across the Swift/C boundary cannot be inlined, and four of them per 8-byte record (reserve, commit,
// peek, consume) were most of the zero-copy path's cost; Swift's RingBuffer uses these.
//
// In C: they load and store the shared header's words with the compiler's atomic builtins through plain pointers,
// in the orders ring.c explains ("Deferred publication", release_lazily); Swift sees only the functions.

/// The process-private part of a handle the inline fast paths use: the first member of every `cshim_ring`.
/// Not for callers: read and written only by the functions below and by ring.c.
struct cshim_ring_hot {
    unsigned char *CSHIM_NULLABLE data;  // the data area
    uint64_t capacity, mask, max_fragment;
    uint64_t release_every;  // capacity / 16: publication and release batches
    int spsc;                // formatted CSHIM_RING_SPSC
    int defer;               // SPSC writer: deferred publication on
    uint32_t claimed[2];     // the fork epoch in which this handle claimed the writer / reader side (0: not)
    // The writer's.
    uint64_t write_pos;      // bytes written (published or committed)
    uint64_t cached_tail;    // last view of the consumer position (never ahead of the real one)
    uint64_t published;      // the last position stored to the shared head
    uint32_t deferred;       // records written since then
    int reserving;           // a reservation is open
    uint64_t reserve_head;   // where its record goes (after any padding)
    uint64_t reserve_len;    // bytes reserved
    // The reader's.
    uint64_t read_pos;       // bytes consumed (released to the writer in batches)
    uint64_t cached_head;    // last view of the producer position (never ahead of the real one)
    int peeking;             // a record is peeked
    uint64_t peek_end;       // the position after it
    // The shared header's words (atomic objects, reached only with atomic builtins).
    uint64_t *CSHIM_NULLABLE head;
    uint64_t *CSHIM_NULLABLE tail;
    uint64_t *CSHIM_NULLABLE committed;
    uint32_t *CSHIM_NULLABLE closed;
    uint32_t *CSHIM_NULLABLE data_ready_word;   // bit 0: a reader announced that it sleeps
    uint32_t *CSHIM_NULLABLE space_ready_word;  // bit 0: a writer announced that it sleeps
};

/// Bumped in every forked child: a handle's side is claimed in the epoch it records (see ring.c, "Endpoints").
extern uint32_t cshim_ring_fork_epoch;

/// The slow halves of the inline paths (ring.c): publish the writer's records up to `head` (and wake a
/// sleeping reader); release the reader's bytes up to `tail` (and wake a sleeping writer).
void cshim_ring_publish_to(cshim_ring *CSHIM_NONNULL ring, uint64_t head);
void cshim_ring_release_to(cshim_ring *CSHIM_NONNULL ring, uint64_t tail);

#define CSHIM_RING_HOT_DEFER_RECORDS 64u  // an SPSC writer publishes at least every 64 records
#define CSHIM_RING_HOT_RECORD_FULL 1u     // the type of a record that holds a whole message

static inline __attribute__((always_inline)) struct cshim_ring_hot *CSHIM_NONNULL
cshim_ring_hot_of(cshim_ring *CSHIM_NONNULL ring) {
    return (struct cshim_ring_hot *)(void *)ring;
}

static inline __attribute__((always_inline)) uint64_t cshim_ring_hot_record_size(uint64_t payload) {
    return (8 + payload + 7) & ~(uint64_t)7;
}

/// After a record was written up to `head` (SPSC writer): counted in `committed`, or published.
static inline __attribute__((always_inline)) void cshim_ring_hot_commit(cshim_ring *CSHIM_NONNULL ring,
                                                                        uint64_t head) {
    struct cshim_ring_hot *h = cshim_ring_hot_of(ring);
    if (h->defer && ++h->deferred < CSHIM_RING_HOT_DEFER_RECORDS && head - h->published < h->release_every) {
        h->write_pos = head;
        __atomic_store_n(h->committed, head, __ATOMIC_RELEASE);
        // The compiler keeps the load below the store; a sleeping reader's membarrier orders it for the CPU.
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        if (!(__atomic_load_n(h->data_ready_word, __ATOMIC_RELAXED) & 1u)) return;
    }
    cshim_ring_publish_to(ring, head);
}

/// Room for a record of `length` bytes at the writer's position without padding, known without a look at the
/// reader's position: the record's start, or NULL.
static inline __attribute__((always_inline)) unsigned char *CSHIM_NULLABLE
cshim_ring_hot_room(cshim_ring *CSHIM_NONNULL ring, size_t length) {
    struct cshim_ring_hot *h = cshim_ring_hot_of(ring);
    if (!h->spsc || h->claimed[0] != cshim_ring_fork_epoch || length > h->max_fragment) return 0;
    uint64_t head = h->write_pos, need = cshim_ring_hot_record_size(length), idx = head & h->mask;
    // 8 bytes stay free for an ABORT record (ring.c, RESERVE_BYTES).
    if (need > h->capacity - idx || head + need + 8 - h->cached_tail > h->capacity ||
        __atomic_load_n(h->closed, __ATOMIC_RELAXED))
        return 0;
    return h->data + idx;
}

/// The next whole record if one is visible (SPSC reader, side claimed): its header's address, or NULL.
static inline __attribute__((always_inline)) const unsigned char *CSHIM_NULLABLE
cshim_ring_hot_next(cshim_ring *CSHIM_NONNULL ring) {
    struct cshim_ring_hot *h = cshim_ring_hot_of(ring);
    if (!h->spsc || h->claimed[1] != cshim_ring_fork_epoch) return 0;
    uint64_t tail = h->read_pos;
    if ((int64_t)(h->cached_head - tail) <= 0) {
        // acquire: the record's bytes, written before the writer's head store, are visible.
        h->cached_head = __atomic_load_n(h->head, __ATOMIC_ACQUIRE);
        if ((int64_t)(h->cached_head - tail) <= 0) return 0;
    }
    const unsigned char *p = h->data + (tail & h->mask);
    uint32_t type;
    __builtin_memcpy(&type, p + 4, 4);
    return type == CSHIM_RING_HOT_RECORD_FULL ? p : 0;
}

/// Consumed up to `tail` (SPSC reader): released to the writer by sixteenths of the ring, or at once when a
/// writer waits for room.
static inline __attribute__((always_inline)) void cshim_ring_hot_release(cshim_ring *CSHIM_NONNULL ring,
                                                                         uint64_t tail) {
    struct cshim_ring_hot *h = cshim_ring_hot_of(ring);
    uint64_t released = __atomic_load_n(h->tail, __ATOMIC_RELAXED);
    if (tail - released < h->release_every && !(__atomic_load_n(h->space_ready_word, __ATOMIC_RELAXED) & 1u)) {
        h->read_pos = tail;
        return;
    }
    cshim_ring_release_to(ring, tail);
}

/// cshim_ring_write with its fast case inline.
static inline __attribute__((always_inline)) int
cshim_ring_write_inline(cshim_ring *CSHIM_NONNULL ring, const void *CSHIM_NULLABLE data, size_t length,
                        int64_t timeout_ns) {
    unsigned char *at = (data || length == 0) ? cshim_ring_hot_room(ring, length) : 0;
    if (!at) return cshim_ring_write(ring, data, length, timeout_ns);
    uint32_t header[2] = { (uint32_t)length, CSHIM_RING_HOT_RECORD_FULL };
    __builtin_memcpy(at, header, 8);
    if (length) __builtin_memcpy(at + 8, data, length);
    cshim_ring_hot_commit(ring, cshim_ring_hot_of(ring)->write_pos + cshim_ring_hot_record_size(length));
    return 0;
}

/// cshim_ring_read (exact = 0) or cshim_ring_read_exact (exact = 1) with its fast case inline.
static inline __attribute__((always_inline)) int
cshim_ring_read_inline(cshim_ring *CSHIM_NONNULL ring, void *CSHIM_NULLABLE buffer, size_t capacity,
                       size_t *CSHIM_NONNULL length, int64_t timeout_ns, int exact) {
    const unsigned char *p = cshim_ring_hot_next(ring);
    uint32_t n = 0;
    if (p) __builtin_memcpy(&n, p, 4);
    if (!p || n > capacity || (exact && n != capacity) || (!buffer && n != 0))
        return exact ? cshim_ring_read_exact(ring, buffer, capacity, length, timeout_ns)
                     : cshim_ring_read(ring, buffer, capacity, length, timeout_ns);
    if (n) __builtin_memcpy(buffer, p + 8, n);
    *length = n;
    struct cshim_ring_hot *h = cshim_ring_hot_of(ring);
    cshim_ring_hot_release(ring, h->read_pos + cshim_ring_hot_record_size(n));
    return 0;
}

/// cshim_ring_reserve with its fast case inline.
static inline __attribute__((always_inline)) int
cshim_ring_reserve_inline(cshim_ring *CSHIM_NONNULL ring, size_t length, void *CSHIM_NULLABLE *CSHIM_NONNULL out,
                          int64_t timeout_ns) {
    struct cshim_ring_hot *h = cshim_ring_hot_of(ring);
    // spsc first: threads sharing an MPMC handle change `reserving` under its lock.
    unsigned char *at = !h->spsc || h->reserving ? 0 : cshim_ring_hot_room(ring, length);
    if (!at) return cshim_ring_reserve(ring, length, out, timeout_ns);
    h->reserving = 1;
    h->reserve_head = h->write_pos;
    h->reserve_len = length;
    *out = at + 8;
    return 0;
}

/// cshim_ring_commit with its fast case (SPSC) inline.
static inline __attribute__((always_inline)) int cshim_ring_commit_inline(cshim_ring *CSHIM_NONNULL ring,
                                                                          size_t used) {
    struct cshim_ring_hot *h = cshim_ring_hot_of(ring);
    if (!h->spsc || !h->reserving || used > h->reserve_len) return cshim_ring_commit(ring, used);
    uint32_t header[2] = { (uint32_t)used, CSHIM_RING_HOT_RECORD_FULL };
    __builtin_memcpy(h->data + (h->reserve_head & h->mask), header, 8);
    h->reserving = 0;
    cshim_ring_hot_commit(ring, h->reserve_head + cshim_ring_hot_record_size(used));
    return 0;
}

/// cshim_ring_peek with its fast case inline.
static inline __attribute__((always_inline)) int
cshim_ring_peek_inline(cshim_ring *CSHIM_NONNULL ring, const void *CSHIM_NULLABLE *CSHIM_NONNULL payload,
                       size_t *CSHIM_NONNULL length, int64_t timeout_ns) {
    struct cshim_ring_hot *h = cshim_ring_hot_of(ring);
    const unsigned char *p = !h->spsc || h->peeking ? 0 : cshim_ring_hot_next(ring);  // spsc first: as above
    if (!p) return cshim_ring_peek(ring, payload, length, timeout_ns);
    uint32_t n;
    __builtin_memcpy(&n, p, 4);
    *payload = p + 8;
    *length = n;
    h->peeking = 1;
    h->peek_end = h->read_pos + cshim_ring_hot_record_size(n);
    return 0;
}

/// cshim_ring_consume with its fast case (SPSC) inline.
static inline __attribute__((always_inline)) void cshim_ring_consume_inline(cshim_ring *CSHIM_NONNULL ring) {
    struct cshim_ring_hot *h = cshim_ring_hot_of(ring);
    if (!h->spsc || !h->peeking) {
        cshim_ring_consume(ring);
        return;
    }
    h->peeking = 0;
    cshim_ring_hot_release(ring, h->peek_end);
}

#ifdef __cplusplus
}
#endif
