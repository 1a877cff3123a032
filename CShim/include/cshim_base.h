// Common definitions for CShim: nullability, time, the timeout convention.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

// Nullability qualifiers are a clang extension; gcc (used for the sanitizer build) sees nothing.
#if defined(__clang__)
#define CSHIM_NONNULL _Nonnull
#define CSHIM_NULLABLE _Nullable
#else
#define CSHIM_NONNULL
#define CSHIM_NULLABLE
#endif

#ifdef __cplusplus
extern "C" {
#endif

/// Timeouts across CShim are `int64_t` nanoseconds: negative waits forever, 0 never blocks (a "try"),
/// positive waits at most that long. Blocking calls turn them into one absolute CLOCK_MONOTONIC deadline.
#define CSHIM_FOREVER ((int64_t)-1)

/// CLOCK_MONOTONIC now, in nanoseconds. Shared by every process on the machine, so a timestamp written by one
/// process can be compared by another (the ring's latency benchmark relies on this).
/// In C so that the clock id and `struct timespec` arithmetic stay in one place.
int64_t cshim_now_ns(void);

/// The absolute deadline for a CShim timeout (see above); negative means none.
int64_t cshim_deadline_after(int64_t timeout_ns);

#ifdef __cplusplus
}
#endif
