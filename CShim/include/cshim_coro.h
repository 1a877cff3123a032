// Stackful coroutines on the calling thread: the mpsh generators' suspended frames.
#pragma once
#include "cshim_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/// A coroutine: a stack of its own plus the two saved stack pointers of a switch. The tree-walking evaluator keeps
/// a generator's state in Swift stack frames, so a generator runs its body on such a stack and `yield` switches
/// back to whoever resumed it, on the same thread: a switch saves the callee-saved registers on the stack being
/// left and loads the other stack's, a few nanoseconds with no syscall (`swapcontext` also saves the signal mask,
/// a sigprocmask syscall per switch). The stacks are private anonymous mappings, so fork() copies a suspended
/// coroutine with the rest of the process and the child can resume it.
///
/// In C: the register save and the stack-pointer swap are a few instructions of assembly (x86_64 and aarch64),
/// and the stacks are mmap'ed with a guard page and kept in a free list across coroutines.
///
/// Usage: zero the struct (`cshim_coro_init`), then `cshim_coro_resume` runs `entry(co)` on a fresh stack until it
/// calls `cshim_coro_suspend(co)`; the next resume returns from that suspend. The entry function must end with
/// `cshim_coro_exit(co)` (it never returns); then `cshim_coro_release` gives the stack back. A coroutine can be
/// released while suspended too: its frames are dropped unrun (anything they hold is not released).
typedef struct cshim_coro {
    /// The coroutine's saved stack pointer while it is suspended (NULL before its first resume).
    void *CSHIM_NULLABLE sp;
    /// The resumer's saved stack pointer while the coroutine runs.
    void *CSHIM_NULLABLE caller_sp;
    /// The lowest usable address of the stack (just above the guard page), NULL when it has none yet.
    void *CSHIM_NULLABLE stack_low;
    /// The usable stack size in bytes (below `stack_low + stack_size`).
    size_t stack_size;
    /// The function run on the stack at the first resume, and what the caller attaches (e.g. the generator).
    void (*CSHIM_NULLABLE entry)(struct cshim_coro *CSHIM_NONNULL co);
    void *CSHIM_NULLABLE user;
    /// Set by the user when the stack went deeper than `CSHIM_CORO_SHALLOW` bytes: `cshim_coro_release` then
    /// returns the deep pages to the kernel (MADV_DONTNEED) before the stack goes to the free list.
    int deep;
    /// 1 once `entry` has called `cshim_coro_exit`.
    int finished;
    /// The resumer's stack bounds, for AddressSanitizer's fiber annotations only.
    const void *CSHIM_NULLABLE caller_stack;
    size_t caller_stack_size;
} cshim_coro;

/// The usable size of every coroutine stack (virtual: pages are only committed when touched; MAP_NORESERVE).
#define CSHIM_CORO_STACK_SIZE ((size_t)64 << 20)
/// How deep a stack may go and still be reused as it is (see `deep`).
#define CSHIM_CORO_SHALLOW ((size_t)256 << 10)

/// Zeroes `co` and sets its entry function and user pointer; no stack is taken yet.
void cshim_coro_init(cshim_coro *CSHIM_NONNULL co, void (*CSHIM_NONNULL entry)(cshim_coro *CSHIM_NONNULL co),
                     void *CSHIM_NULLABLE user);

/// Takes a stack for the coroutine (from the free list, else a new mapping), if it has none yet, and lays out its
/// first switch to `entry(co)`. 0, or -1 with errno (ENOMEM). `cshim_coro_resume` does it when needed; calling it
/// first makes the stack's bounds known before the coroutine runs.
int cshim_coro_prepare(cshim_coro *CSHIM_NONNULL co);

/// Switches to the coroutine: the first time, takes a stack (from the free list, else a new mapping) and starts
/// `entry(co)` on it; later, returns from its `cshim_coro_suspend`. Comes back when the coroutine suspends or
/// exits. 0, or -1 with errno (ENOMEM: no stack could be mapped; the coroutine did not run). Must not be called
/// on a finished coroutine or one that is running.
int cshim_coro_resume(cshim_coro *CSHIM_NONNULL co);

/// From inside the running coroutine: switches back to its resumer, and returns when it is resumed again.
void cshim_coro_suspend(cshim_coro *CSHIM_NONNULL co);

/// The last thing `entry` does: marks the coroutine finished and switches back to its resumer for good.
__attribute__((noreturn)) void cshim_coro_exit(cshim_coro *CSHIM_NONNULL co);

/// Gives the coroutine's stack back (to the free list, or unmaps it when the list is full); safe on a coroutine
/// that never ran or was already released. Must not be called on a running coroutine.
void cshim_coro_release(cshim_coro *CSHIM_NONNULL co);

/// The stack switch itself (assembly): saves the callee-saved registers and the stack pointer in `*save_sp`, loads
/// `load_sp` and returns to whatever was saved there. For the inline resume and suspend below.
void cshim_coro_switch(void *CSHIM_NULLABLE *CSHIM_NONNULL save_sp, void *CSHIM_NONNULL load_sp);

/// `cshim_coro_resume` of a coroutine that has its stack (`cshim_coro_prepare` succeeded), and
/// `cshim_coro_suspend`, inline: one call less on each side of the switch, for the evaluator's hot path. Without
/// AddressSanitizer's fiber annotations, which only the C tests need.
static inline void cshim_coro_resume_prepared(cshim_coro *CSHIM_NONNULL co) {
    void *target = co->sp;
    co->sp = NULL;
    cshim_coro_switch(&co->caller_sp, target);
}
static inline void cshim_coro_suspend_inline(cshim_coro *CSHIM_NONNULL co) {
    void *target = co->caller_sp;
    co->caller_sp = NULL;
    cshim_coro_switch(&co->sp, target);
}

/// The current stack pointer (near enough: this frame's address), for stack-depth checks.
static inline uintptr_t cshim_coro_stack_pointer(void) { return (uintptr_t)__builtin_frame_address(0); }

/// The free list's counts, for tests: stacks waiting for reuse, and stacks mapped in all (free or in use).
void cshim_coro_stack_counts(size_t *CSHIM_NONNULL free_count, size_t *CSHIM_NONNULL mapped_count);

#ifdef __cplusplus
}
#endif
