// See include/cringbench.h.
#define _GNU_SOURCE
#include "cringbench.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#define LINE 64
#define DATA 4096
#define PAD_TYPE 2u

struct shared {
    _Alignas(LINE) _Atomic uint64_t head;
    _Alignas(LINE) _Atomic uint64_t tail;
    _Alignas(LINE) uint64_t capacity;
};
_Static_assert(sizeof(struct shared) <= DATA, "header fits before the data");

// One turn of a wait: a pause, and every 64 turns the CPU given away (sched_yield), as the Swift ring's
// yielding spin does: with more runnable processes than CPUs, the peer may be queued behind the spinner.
static inline void relax(unsigned *turns) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
    if ((++*turns & 63) == 0) sched_yield();
}

static inline uint64_t align8(uint64_t n) { return (n + 7) & ~(uint64_t)7; }

size_t cringbench_size(uint64_t capacity) { return DATA + (size_t)capacity; }

void cringbench_init(void *base, uint64_t capacity) {
    struct shared *s = base;
    atomic_init(&s->head, 0);
    atomic_init(&s->tail, 0);
    s->capacity = capacity;
}

void cringbench_write(void *base, uint64_t count, size_t size, unsigned batch) {
    struct shared *s = base;
    unsigned char *data = (unsigned char *)base + DATA;
    uint64_t cap = s->capacity, mask = cap - 1, head = 0, tail = 0;
    unsigned char *src = malloc(size < 8 ? 8 : size);
    memset(src, 0x5a, size < 8 ? 8 : size);
    unsigned pending = 0, turns = 0;
    uint64_t need = align8(8 + size), published = 0;
    for (uint64_t seq = 0; seq < count; seq++) {
        uint64_t idx = head & mask, room = cap - idx;
        uint64_t cost = need <= room ? need : room + need;
        while (head + cost - tail > cap) {
            if (pending) {
                atomic_store_explicit(&s->head, head, memory_order_release);
                pending = 0;
                published = head;
            }
            relax(&turns);
            tail = atomic_load_explicit(&s->tail, memory_order_acquire);
        }
        if (need > room) {
            uint32_t pad[2] = { (uint32_t)(room - 8), PAD_TYPE };
            memcpy(data + idx, pad, 8);
            head += room;
            idx = 0;
        }
        uint32_t h[2] = { (uint32_t)size, 1 };
        memcpy(data + idx, h, 8);
        memcpy(src, &seq, 8);
        memcpy(data + idx + 8, src, size);
        head += need;
        // Publish every `batch` records, or every sixteenth of the ring (large records), whichever comes first.
        if (++pending >= batch || head - published >= cap / 16) {
            atomic_store_explicit(&s->head, head, memory_order_release);
            pending = 0;
            published = head;
        }
    }
    atomic_store_explicit(&s->head, head, memory_order_release);
    free(src);
}

int cringbench_read(void *base, uint64_t count, size_t size, unsigned batch) {
    struct shared *s = base;
    unsigned char *data = (unsigned char *)base + DATA;
    uint64_t cap = s->capacity, mask = cap - 1, head = 0, tail = 0;
    unsigned char *out = malloc(size < 8 ? 8 : size);
    unsigned pending = 0, turns = 0;
    uint64_t released = 0;
    int rc = 0;
    for (uint64_t seq = 0; seq < count;) {
        while (tail == head) {
            if (pending) {
                atomic_store_explicit(&s->tail, tail, memory_order_release);
                pending = 0;
                released = tail;
            }
            relax(&turns);
            head = atomic_load_explicit(&s->head, memory_order_acquire);
        }
        uint64_t idx = tail & mask;
        uint32_t h[2];
        memcpy(h, data + idx, 8);
        if (h[1] == PAD_TYPE) {
            tail += cap - idx;
            continue;
        }
        memcpy(out, data + idx + 8, h[0]);
        uint64_t got;
        memcpy(&got, out, 8);
        if (got != seq || h[0] != size) rc = -1;
        tail += align8(8 + h[0]);
        seq++;
        if (++pending >= batch || tail - released >= cap / 16) {
            atomic_store_explicit(&s->tail, tail, memory_order_release);
            pending = 0;
            released = tail;
        }
    }
    atomic_store_explicit(&s->tail, tail, memory_order_release);
    free(out);
    return rc;
}

int cringbench_pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (cpu < 0) {
        for (int i = 0; i < CPU_SETSIZE; i++) CPU_SET(i, &set);
    } else {
        CPU_SET(cpu, &set);
    }
    return sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : errno;
}
