// Stackful coroutines (cshim_coro.h): the stack switch in assembly, the stacks in a free list.
#include "cshim_coro.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

// void cshim_coro_switch(void **save_sp, void *load_sp): pushes the callee-saved registers on the current stack,
// stores the stack pointer in *save_sp, loads load_sp and pops the registers saved there. A fresh stack is laid
// out as if it had been left by a switch whose return address is the trampoline, which calls entry(co) from the
// saved registers. Only what the C ABI says a call preserves is saved: the floating-point control words (MXCSR,
// x87 CW, FPCR) are left alone, nothing in mpsh changes them.
void cshim_coro_trampoline(void);
static void coro_main(cshim_coro *co);

// AddressSanitizer must be told of every stack switch (else it takes the coroutine stack for a wild one).
#if defined(__SANITIZE_ADDRESS__)
#define CORO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN 1
#endif
#endif
#ifdef CORO_ASAN
#include <sanitizer/common_interface_defs.h>
#else
static inline void __sanitizer_start_switch_fiber(void **fake, const void *bottom, size_t size) {
    (void)fake, (void)bottom, (void)size;
}
static inline void __sanitizer_finish_switch_fiber(void *fake, const void **bottom, size_t *size) {
    (void)fake, (void)bottom, (void)size;
}
#endif

#if defined(__x86_64__)
__asm__(
    ".text\n"
    ".p2align 4\n"
    ".globl cshim_coro_switch\n"
    ".type cshim_coro_switch,@function\n"
    "cshim_coro_switch:\n"
    "    pushq %rbp\n"
    "    pushq %rbx\n"
    "    pushq %r12\n"
    "    pushq %r13\n"
    "    pushq %r14\n"
    "    pushq %r15\n"
    "    movq %rsp, (%rdi)\n"
    "    movq %rsi, %rsp\n"
    "    popq %r15\n"
    "    popq %r14\n"
    "    popq %r13\n"
    "    popq %r12\n"
    "    popq %rbx\n"
    "    popq %rbp\n"
    "    ret\n"
    ".size cshim_coro_switch, .-cshim_coro_switch\n"
    ".globl cshim_coro_trampoline\n"
    ".hidden cshim_coro_trampoline\n"
    ".type cshim_coro_trampoline,@function\n"
    "cshim_coro_trampoline:\n"
    "    movq %r12, %rdi\n"  // co
    "    callq *%rbx\n"      // coro_main(co), which never returns
    "    ud2\n"
    ".size cshim_coro_trampoline, .-cshim_coro_trampoline\n");
enum { SAVED_WORDS = 7 };  // r15 r14 r13 r12 rbx rbp, return address
static void *initial_sp(void *top, cshim_coro *co) {
    void **sp = (void **)top - SAVED_WORDS;  // top is 16-aligned: after the `ret`, rsp = top, as a call wants
    memset(sp, 0, SAVED_WORDS * sizeof(void *));
    sp[3] = co;                                     // r12
    sp[4] = (void *)coro_main;                      // rbx
    sp[6] = (void *)cshim_coro_trampoline;          // return address
    return sp;
}
#elif defined(__aarch64__)
__asm__(
    ".text\n"
    ".p2align 4\n"
    ".globl cshim_coro_switch\n"
    ".type cshim_coro_switch,%function\n"
    "cshim_coro_switch:\n"
    "    sub sp, sp, #160\n"
    "    stp x19, x20, [sp, #0]\n"
    "    stp x21, x22, [sp, #16]\n"
    "    stp x23, x24, [sp, #32]\n"
    "    stp x25, x26, [sp, #48]\n"
    "    stp x27, x28, [sp, #64]\n"
    "    stp x29, x30, [sp, #80]\n"
    "    stp d8, d9, [sp, #96]\n"
    "    stp d10, d11, [sp, #112]\n"
    "    stp d12, d13, [sp, #128]\n"
    "    stp d14, d15, [sp, #144]\n"
    "    mov x9, sp\n"
    "    str x9, [x0]\n"
    "    mov sp, x1\n"
    "    ldp x19, x20, [sp, #0]\n"
    "    ldp x21, x22, [sp, #16]\n"
    "    ldp x23, x24, [sp, #32]\n"
    "    ldp x25, x26, [sp, #48]\n"
    "    ldp x27, x28, [sp, #64]\n"
    "    ldp x29, x30, [sp, #80]\n"
    "    ldp d8, d9, [sp, #96]\n"
    "    ldp d10, d11, [sp, #112]\n"
    "    ldp d12, d13, [sp, #128]\n"
    "    ldp d14, d15, [sp, #144]\n"
    "    add sp, sp, #160\n"
    "    ret\n"
    ".size cshim_coro_switch, .-cshim_coro_switch\n"
    ".globl cshim_coro_trampoline\n"
    ".hidden cshim_coro_trampoline\n"
    ".type cshim_coro_trampoline,%function\n"
    "cshim_coro_trampoline:\n"
    "    mov x0, x20\n"  // co
    "    blr x19\n"      // coro_main(co), which never returns
    "    brk #0\n"
    ".size cshim_coro_trampoline, .-cshim_coro_trampoline\n");
enum { SAVED_WORDS = 20 };  // x19..x30 (12), d8..d15 (8): 160 bytes, a multiple of 16
static void *initial_sp(void *top, cshim_coro *co) {
    void **sp = (void **)top - SAVED_WORDS;
    memset(sp, 0, SAVED_WORDS * sizeof(void *));
    sp[0] = (void *)coro_main;             // x19
    sp[1] = co;                            // x20
    sp[11] = (void *)cshim_coro_trampoline;  // x30, the return address; x29 (frame pointer) stays 0
    return sp;
}
#else
#error "cshim_coro: the stack switch is written for x86_64 and aarch64 only"
#endif

// ---- stacks ---------------------------------------------------------------------------------------------------

// A stack is one mapping: a guard page (PROT_NONE) at the bottom, then CSHIM_CORO_STACK_SIZE usable bytes. A
// guarded stack costs two of the process's vm.max_map_count (65530) mappings, so only the first GUARDED_MAX
// stacks mapped at a time get a guard: later ones go without (the evaluator's stack-depth check still stops deep
// recursion before the bottom), and their mappings merge with their neighbours', so tens of thousands of live
// generators leave room for the mappings malloc needs. The guard is also skipped when mprotect fails.
enum { FREE_MAX = 32, GUARDED_MAX = 16384 };
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static void *free_stacks[FREE_MAX];  // usable low addresses
static size_t free_count;
static size_t mapped_count;

static size_t page_size(void) {
    static size_t size;
    if (!size) size = (size_t)sysconf(_SC_PAGESIZE);
    return size;
}

static void *stack_take(void) {
    pthread_mutex_lock(&pool_lock);
    if (free_count > 0) {
        void *low = free_stacks[--free_count];
        pthread_mutex_unlock(&pool_lock);
        return low;
    }
    pthread_mutex_unlock(&pool_lock);
    size_t guard = page_size();
    char *base = mmap(NULL, guard + CSHIM_CORO_STACK_SIZE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (base == MAP_FAILED) return NULL;
    pthread_mutex_lock(&pool_lock);
    int guarded = mapped_count < GUARDED_MAX;
    mapped_count++;
    pthread_mutex_unlock(&pool_lock);
    if (guarded) (void)mprotect(base, guard, PROT_NONE);  // best effort (see above)
    return base + guard;
}

static void stack_give(void *low, int deep) {
    if (deep) {
        // keep the top (what a shallow generator touches) and return the rest of the pages to the kernel
        (void)madvise(low, CSHIM_CORO_STACK_SIZE - CSHIM_CORO_SHALLOW, MADV_DONTNEED);
    }
    pthread_mutex_lock(&pool_lock);
    if (free_count < FREE_MAX) {
        free_stacks[free_count++] = low;
        pthread_mutex_unlock(&pool_lock);
        return;
    }
    mapped_count--;
    pthread_mutex_unlock(&pool_lock);
    size_t guard = page_size();
    (void)munmap((char *)low - guard, guard + CSHIM_CORO_STACK_SIZE);
}

void cshim_coro_stack_counts(size_t *free_out, size_t *mapped_out) {
    pthread_mutex_lock(&pool_lock);
    *free_out = free_count;
    *mapped_out = mapped_count;
    pthread_mutex_unlock(&pool_lock);
}

// ---- coroutines -----------------------------------------------------------------------------------------------

void cshim_coro_init(cshim_coro *co, void (*entry)(cshim_coro *co), void *user) {
    memset(co, 0, sizeof *co);
    co->entry = entry;
    co->user = user;
}

int cshim_coro_prepare(cshim_coro *co) {
    if (co->stack_low) return 0;
    void *low = stack_take();
    if (!low) {
        errno = ENOMEM;
        return -1;
    }
    co->stack_low = low;
    co->stack_size = CSHIM_CORO_STACK_SIZE;
    co->sp = initial_sp((char *)low + CSHIM_CORO_STACK_SIZE, co);
    return 0;
}

int cshim_coro_resume(cshim_coro *co) {
    if (!co->stack_low && cshim_coro_prepare(co) != 0) return -1;
    void *target = co->sp;
    co->sp = NULL;
    void *fake = NULL;
    __sanitizer_start_switch_fiber(&fake, co->stack_low, co->stack_size);
    cshim_coro_switch(&co->caller_sp, target);
    __sanitizer_finish_switch_fiber(fake, NULL, NULL);
    return 0;
}

static void coro_main(cshim_coro *co) {
    __sanitizer_finish_switch_fiber(NULL, &co->caller_stack, &co->caller_stack_size);
    co->entry(co);
    abort();  // entry ends in cshim_coro_exit
}

void cshim_coro_suspend(cshim_coro *co) {
    void *target = co->caller_sp;
    co->caller_sp = NULL;
    void *fake = NULL;
    __sanitizer_start_switch_fiber(&fake, co->caller_stack, co->caller_stack_size);
    cshim_coro_switch(&co->sp, target);
    __sanitizer_finish_switch_fiber(fake, &co->caller_stack, &co->caller_stack_size);
}

void cshim_coro_exit(cshim_coro *co) {
    co->finished = 1;
    void *target = co->caller_sp;
    co->caller_sp = NULL;
    void *unused;
    __sanitizer_start_switch_fiber(NULL, co->caller_stack, co->caller_stack_size);
    cshim_coro_switch(&unused, target);
    abort();  // a finished coroutine is never resumed
}

void cshim_coro_release(cshim_coro *co) {
    if (co->stack_low) stack_give(co->stack_low, co->deep);
    co->stack_low = NULL;
    co->sp = NULL;
    co->stack_size = 0;
}
