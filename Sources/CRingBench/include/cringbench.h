// The C baseline of `mpbench ring-paths`: a minimal single-producer single-consumer ring of variable-length
// records between two processes, written for the benchmark (no blocking, no crash safety, no liveness: both
// sides spin, giving the CPU away every 64 turns), with batched publishing on both sides, in the manner of rigtorp's SPSCQueue and the LMAX
// Disruptor's batching. It is what a plain shared-memory ring costs on this machine: the Swift ring is compared
// with it in the same run. In C because it is the C limit being measured.
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Bytes of shared memory a ring of `capacity` data bytes (a power of two) needs.
size_t cringbench_size(uint64_t capacity);

/// Formats the ring at `base` (page-aligned, cringbench_size bytes).
void cringbench_init(void *_Nonnull base, uint64_t capacity);

/// Writes `count` records of `size` bytes (the first 8 are the sequence number, the rest copied from a
/// buffer), publishing the head every `batch` records and whenever it must wait for room.
void cringbench_write(void *_Nonnull base, uint64_t count, size_t size, unsigned batch);

/// Reads `count` records into a buffer of its own, checking that their sequence numbers follow; publishes the
/// tail every `batch` records and whenever it must wait. Returns 0, or -1 on a record out of order.
int cringbench_read(void *_Nonnull base, uint64_t count, size_t size, unsigned batch);

/// Pins the calling process to CPU `cpu` (sched_setaffinity), or lets it run anywhere again with -1.
/// 0 or an errno value. In C: the CPU_* macros.
int cringbench_pin(int cpu);

#ifdef __cplusplus
}
#endif
