// The Manager's shared heap: see cshim_shmheap.h for the layout and the crash-consistency rule (build in fresh
// blocks, publish with one release store, free what was replaced afterwards).
#include "cshim_shmheap.h"
#include "cshim_mutex.h"
#include "internal.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define HEAP_MAGIC 0x70616568687370ULL  // "psheap"
#define HEADER_SIZE 4096                  // the header page; blocks start after it
#define MIN_CLASS 5                       // 32-byte blocks
#define CLASSES 48
#define BLOCK_HEADER 16
#define SLOT_EMPTY 0
#define SLOT_DELETED 1
#define MIN_TABLE 8

// Publishing store: everything written before it (by this thread) is in memory before it is. A process killed
// at any instruction leaves memory as of some point in program order, so what matters is that the compiler
// does not sink earlier stores below this one; release ordering says exactly that (and is what another CPU
// would need, were it to read without the mutex).
#define PUBLISH(place, value) __atomic_store_n((place), (value), __ATOMIC_RELEASE)

struct cshim_shmheap {
    uint64_t magic;
    uint64_t reserve;
    uint64_t top;          // bump pointer: offset of the first never-used byte
    uint32_t shutdown;     // written under the lock, read with an atomic load
    uint32_t unused;
    uint64_t recoveries;
    uint64_t objects;      // head of the object list (offset), for repair and check
    uint64_t free_heads[CLASSES];
    _Alignas(64) struct cshim_mutex mutex;
};
_Static_assert(sizeof(struct cshim_shmheap) <= HEADER_SIZE, "the header fits in its page");

struct block {             // precedes every block's payload
    uint32_t size_class;
    uint32_t magic;
    uint64_t next_free;    // only while on a free list
};
_Static_assert(sizeof(struct block) == BLOCK_HEADER, "block header size");
#define BLOCK_MAGIC 0x6b6c62u

struct entry {             // a dictionary entry or a list item: one block
    uint64_t hash;
    uint64_t seq;          // dict: insertion number (a replaced value keeps its key's), for Python's order
    uint32_t key_length;
    uint32_t value_length;
    unsigned char bytes[];  // key, then value
};

struct slot {
    uint64_t hash;
    uint64_t entry;        // SLOT_EMPTY, SLOT_DELETED, or an entry's offset (the publishing word)
};

struct table {
    uint64_t capacity;     // a power of two
    struct slot slots[];
};

struct items {
    uint64_t count;        // the publishing word for appends and pops at the end
    uint64_t capacity;
    uint64_t entries[];
};

struct object {
    uint32_t kind;
    uint32_t unused;
    uint64_t next;         // next object in the heap's list
    uint64_t data;         // table (dict) or items block (list); 0 while empty
    uint64_t live;         // dict: live entries; repaired after a death
    uint64_t used;         // dict: live + deleted slots; repaired after a death
    uint64_t next_seq;     // dict: the next insertion number (taken before publishing: a death leaves a gap)
};

static int kill_point;
void cshim_shmheap_set_kill_point(int point) { kill_point = point; }
#define KILL_POINT(n)                        \
    do {                                     \
        if (kill_point == (n)) raise(SIGKILL); \
    } while (0)

static inline void *at(const cshim_shmheap *h, uint64_t offset) { return (char *)h + offset; }

// MARK: - Blocks

static int class_for(size_t payload) {
    size_t need = payload + BLOCK_HEADER;
    int c = MIN_CLASS;
    while (c < CLASSES && ((size_t)1 << c) < need) c++;
    return c;
}

// A block with room for `payload` bytes; returns the payload's offset, or 0 when the arena is full.
static uint64_t heap_alloc(cshim_shmheap *h, size_t payload) {
    if (payload > h->reserve) return 0;
    int c = class_for(payload);
    if (c >= CLASSES) return 0;
    uint64_t b = h->free_heads[c];
    if (b != 0) {
        struct block *blk = at(h, b);
        PUBLISH(&h->free_heads[c], blk->next_free);  // a death after this leaks the block, nothing worse
    } else {
        uint64_t size = (uint64_t)1 << c;
        if (h->top + size > h->reserve) return 0;
        b = h->top;
        PUBLISH(&h->top, h->top + size);
        struct block *blk = at(h, b);
        blk->size_class = (uint32_t)c;
        blk->magic = BLOCK_MAGIC;
    }
    return b + BLOCK_HEADER;
}

// Frees a block that nothing reachable refers to any more.
static void heap_free(cshim_shmheap *h, uint64_t payload) {
    if (payload == 0) return;
    uint64_t b = payload - BLOCK_HEADER;
    struct block *blk = at(h, b);
    uint32_t c = blk->size_class;
    blk->next_free = h->free_heads[c];
    KILL_POINT(6);
    PUBLISH(&h->free_heads[c], b);
}

static size_t block_payload(const cshim_shmheap *h, uint64_t payload) {
    const struct block *blk = at(h, payload - BLOCK_HEADER);
    return ((size_t)1 << blk->size_class) - BLOCK_HEADER;
}

// MARK: - Heap

cshim_shmheap *cshim_shmheap_create(const char *debug_name, size_t reserve) {
    long page = sysconf(_SC_PAGESIZE);
    if (reserve < 65536 || page <= 0 || reserve % (size_t)page != 0) {
        errno = EINVAL;
        return NULL;
    }
    int fd = memfd_create(debug_name, MFD_CLOEXEC);
    if (fd < 0) return NULL;
    if (ftruncate(fd, (off_t)reserve) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return NULL;
    }
    void *p = mmap(NULL, reserve, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd, 0);
    int saved = errno;
    close(fd);  // the mapping keeps the memory
    if (p == MAP_FAILED) {
        errno = saved;
        return NULL;
    }
    // Pre-fault the first MiB (a page fault is a VM exit on this host); older kernels refuse: no matter.
    size_t prefault = reserve < ((size_t)1 << 20) ? reserve : ((size_t)1 << 20);
    (void)madvise(p, prefault, MADV_POPULATE_WRITE);

    cshim_shmheap *h = p;  // the memfd reads as zeros: only the non-zero fields need setting
    h->reserve = reserve;
    h->top = HEADER_SIZE;
    int rc = cshim_mutex_init_at(&h->mutex);
    if (rc != 0) {
        munmap(p, reserve);
        errno = rc;
        return NULL;
    }
    PUBLISH(&h->magic, HEAP_MAGIC);
    return h;
}

int cshim_shmheap_unmap(cshim_shmheap *h) { return munmap(h, h->reserve); }

size_t cshim_shmheap_reserve(const cshim_shmheap *h) { return h->reserve; }
size_t cshim_shmheap_used(const cshim_shmheap *h) { return __atomic_load_n(&h->top, __ATOMIC_RELAXED); }
uint64_t cshim_shmheap_recoveries(const cshim_shmheap *h) { return __atomic_load_n(&h->recoveries, __ATOMIC_RELAXED); }
int cshim_shmheap_is_shutdown(const cshim_shmheap *h) { return __atomic_load_n(&h->shutdown, __ATOMIC_ACQUIRE) != 0; }

// Recomputes what is not published by a single store: the dictionaries' counters.
static void repair(cshim_shmheap *h) {
    for (uint64_t o = h->objects; o != 0; o = ((struct object *)at(h, o))->next) {
        struct object *obj = at(h, o);
        if (obj->kind != CSHIM_SHMHEAP_DICT) continue;
        uint64_t live = 0, used = 0;
        if (obj->data != 0) {
            struct table *t = at(h, obj->data);
            for (uint64_t i = 0; i < t->capacity; i++) {
                uint64_t e = t->slots[i].entry;
                used += e != SLOT_EMPTY;
                live += e > SLOT_DELETED;
            }
        }
        obj->live = live;
        obj->used = used;
    }
}

int cshim_shmheap_lock(cshim_shmheap *h, int64_t timeout_ns) {
    if (cshim_shmheap_is_shutdown(h)) return ESHUTDOWN;
    int rc = cshim_mutex_lock(&h->mutex, timeout_ns);
    if (rc == EOWNERDEAD) {
        repair(h);
        h->recoveries++;
    } else if (rc != 0) {
        return rc;
    }
    if (h->shutdown) {
        cshim_mutex_unlock(&h->mutex);
        return ESHUTDOWN;
    }
    return rc;
}

int cshim_shmheap_unlock(cshim_shmheap *h) { return cshim_mutex_unlock(&h->mutex); }

int cshim_shmheap_shutdown(cshim_shmheap *h) {
    int rc = cshim_mutex_lock(&h->mutex, CSHIM_FOREVER);
    if (rc != 0 && rc != EOWNERDEAD) return rc;
    if (!h->shutdown) {
        __atomic_store_n(&h->shutdown, 1, __ATOMIC_RELEASE);
        // Give the pages back now, even while other processes keep the mapping: nobody may read them again.
        (void)madvise((char *)h + HEADER_SIZE, h->reserve - HEADER_SIZE, MADV_REMOVE);
    }
    return cshim_mutex_unlock(&h->mutex);
}

uint64_t cshim_shmheap_hash(const void *bytes, size_t length) {
    const unsigned char *p = bytes;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ (length * 0xff51afd7ed558ccdULL);
    while (length >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        w *= 0x87c37b91114253d5ULL;
        w = (w << 31) | (w >> 33);
        h ^= w * 0x4cf5ad432745937fULL;
        h = ((h << 27) | (h >> 37)) * 5 + 0x52dce729;
        p += 8;
        length -= 8;
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < length; i++) tail |= (uint64_t)p[i] << (8 * i);
    h ^= tail * 0x87c37b91114253d5ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

uint64_t cshim_shmheap_new_object(cshim_shmheap *h, int kind) {
    uint64_t o = heap_alloc(h, sizeof(struct object));
    if (o == 0) {
        errno = ENOMEM;
        return 0;
    }
    struct object *obj = at(h, o);
    obj->kind = (uint32_t)kind;
    obj->unused = 0;
    obj->data = 0;
    obj->live = 0;
    obj->used = 0;
    obj->next_seq = 0;
    obj->next = h->objects;
    PUBLISH(&h->objects, o);
    return o;
}

// A new entry block holding key and value; 0 when the arena is full.
static uint64_t new_entry(cshim_shmheap *h, const void *key, size_t key_length, uint64_t hash, uint64_t seq,
                          const void *value, size_t value_length) {
    if (key_length > UINT32_MAX || value_length > UINT32_MAX) return 0;
    uint64_t e = heap_alloc(h, sizeof(struct entry) + key_length + value_length);
    if (e == 0) return 0;
    struct entry *en = at(h, e);
    en->hash = hash;
    en->seq = seq;
    en->key_length = (uint32_t)key_length;
    en->value_length = (uint32_t)value_length;
    if (key_length) memcpy(en->bytes, key, key_length);
    if (value_length) memcpy(en->bytes + key_length, value, value_length);
    return e;
}

// MARK: - Dictionaries

// The slot holding `key`, or (when absent) -1 with *insert_at set to the first deleted or empty slot seen.
static int64_t dict_probe(const cshim_shmheap *h, const struct table *t, const void *key, size_t key_length,
                          uint64_t hash, int64_t *insert_at) {
    uint64_t mask = t->capacity - 1;
    int64_t first_free = -1;
    for (uint64_t i = hash & mask, n = 0; n < t->capacity; i = (i + 1) & mask, n++) {
        const struct slot *s = &t->slots[i];
        if (s->entry == SLOT_EMPTY) {
            if (first_free < 0) first_free = (int64_t)i;
            break;
        }
        if (s->entry == SLOT_DELETED) {
            if (first_free < 0) first_free = (int64_t)i;
            continue;
        }
        if (s->hash != hash) continue;
        const struct entry *en = at(h, s->entry);
        if (en->key_length == key_length && (key_length == 0 || memcmp(en->bytes, key, key_length) == 0)) {
            return (int64_t)i;
        }
    }
    if (insert_at) *insert_at = first_free;
    return -1;
}

// A new table of `capacity` slots holding the live entries of `old` (which may be 0). 0 when the arena is full.
static uint64_t build_table(cshim_shmheap *h, uint64_t old, uint64_t capacity) {
    uint64_t t = heap_alloc(h, sizeof(struct table) + capacity * sizeof(struct slot));
    if (t == 0) return 0;
    struct table *nt = at(h, t);
    nt->capacity = capacity;
    memset(nt->slots, 0, capacity * sizeof(struct slot));
    if (old != 0) {
        const struct table *ot = at(h, old);
        uint64_t mask = capacity - 1;
        for (uint64_t i = 0; i < ot->capacity; i++) {
            const struct slot *s = &ot->slots[i];
            if (s->entry <= SLOT_DELETED) continue;
            uint64_t j = s->hash & mask;
            while (nt->slots[j].entry != SLOT_EMPTY) j = (j + 1) & mask;
            nt->slots[j] = *s;
        }
    }
    return t;
}

// Makes room for one more slot: rehashes into a table at most half full when live + deleted slots would pass
// three quarters. 0 or ENOMEM (unchanged).
static int dict_reserve_one(cshim_shmheap *h, struct object *obj) {
    uint64_t capacity = obj->data ? ((struct table *)at(h, obj->data))->capacity : 0;
    if (obj->data != 0 && (obj->used + 1) * 4 <= capacity * 3) return 0;
    uint64_t wanted = MIN_TABLE;
    while (wanted < (obj->live + 1) * 2) wanted *= 2;
    uint64_t t = build_table(h, obj->data, wanted);
    if (t == 0) return ENOMEM;
    KILL_POINT(3);
    uint64_t old = obj->data;
    PUBLISH(&obj->data, t);
    obj->used = obj->live;
    heap_free(h, old);
    return 0;
}

int cshim_shmheap_dict_find(cshim_shmheap *h, uint64_t dict, const void *key, size_t key_length, uint64_t hash,
                            const void **value, size_t *value_length) {
    const struct object *obj = at(h, dict);
    if (obj->data == 0) return 0;
    const struct table *t = at(h, obj->data);
    int64_t i = dict_probe(h, t, key, key_length, hash, NULL);
    if (i < 0) return 0;
    const struct entry *en = at(h, t->slots[i].entry);
    *value = en->bytes + en->key_length;
    *value_length = en->value_length;
    return 1;
}

int cshim_shmheap_dict_set(cshim_shmheap *h, uint64_t dict, const void *key, size_t key_length, uint64_t hash,
                           const void *value, size_t value_length) {
    struct object *obj = at(h, dict);
    if (obj->data != 0) {
        struct table *t = at(h, obj->data);
        int64_t i = dict_probe(h, t, key, key_length, hash, NULL);
        if (i >= 0) {  // replace, keeping the key's place in the order: one store, then free the old entry
            uint64_t old = t->slots[i].entry;
            uint64_t e = new_entry(h, key, key_length, hash, ((struct entry *)at(h, old))->seq, value, value_length);
            if (e == 0) return ENOMEM;
            KILL_POINT(1);
            PUBLISH(&t->slots[i].entry, e);
            heap_free(h, old);
            return 0;
        }
    }
    uint64_t e = new_entry(h, key, key_length, hash, obj->next_seq, value, value_length);
    if (e == 0) return ENOMEM;
    obj->next_seq++;
    if (dict_reserve_one(h, obj) != 0) {
        heap_free(h, e);
        return ENOMEM;
    }
    struct table *t = at(h, obj->data);
    int64_t slot = -1;
    dict_probe(h, t, key, key_length, hash, &slot);
    struct slot *s = &t->slots[slot];
    int was_empty = s->entry == SLOT_EMPTY;
    s->hash = hash;  // unread until the entry word names an entry
    KILL_POINT(1);
    PUBLISH(&s->entry, e);
    KILL_POINT(2);
    obj->live++;
    obj->used += was_empty;
    return 0;
}

int cshim_shmheap_dict_update(cshim_shmheap *h, uint64_t dict, size_t count, const void *const *keys,
                              const size_t *key_lengths, const uint64_t *hashes, const void *const *values,
                              const size_t *value_lengths) {
    if (count == 0) return 0;
    if (count > (UINT64_MAX / 4) / sizeof(uint64_t)) return ENOMEM;
    struct object *obj = at(h, dict);
    // A new table big enough for every old entry and every new key, holding the old entries (shared, not copied).
    uint64_t wanted = MIN_TABLE;
    while (wanted < (obj->live + count) * 2) wanted *= 2;
    uint64_t nt_offset = build_table(h, obj->data, wanted);
    if (nt_offset == 0) return ENOMEM;
    struct table *nt = at(h, nt_offset);
    // Bookkeeping, in the arena too: the entries this update made (freed if it fails) and the entries its values
    // replace (freed once it is published; one made earlier by this update for the same key is among them).
    uint64_t lists = heap_alloc(h, 2 * count * sizeof(uint64_t));
    if (lists == 0) {
        heap_free(h, nt_offset);
        return ENOMEM;
    }
    uint64_t *made = at(h, lists);
    uint64_t *replaced = made + count;
    size_t n_made = 0, n_replaced = 0;
    uint64_t seq = obj->next_seq;
    uint64_t live = obj->live;
    for (size_t k = 0; k < count; k++) {
        int64_t slot = -1;
        int64_t i = dict_probe(h, nt, keys[k], key_lengths[k], hashes[k], &slot);
        uint64_t keep_seq = i >= 0 ? ((struct entry *)at(h, nt->slots[i].entry))->seq : seq;
        uint64_t e = new_entry(h, keys[k], key_lengths[k], hashes[k], keep_seq, values[k], value_lengths[k]);
        if (e == 0) {  // the arena is full: free what this update made, the dictionary is unchanged
            for (size_t m = 0; m < n_made; m++) heap_free(h, made[m]);
            heap_free(h, lists);
            heap_free(h, nt_offset);
            return ENOMEM;
        }
        made[n_made++] = e;
        if (i >= 0) {
            replaced[n_replaced++] = nt->slots[i].entry;
            nt->slots[i].entry = e;
        } else {
            seq++;
            nt->slots[slot].hash = hashes[k];
            nt->slots[slot].entry = e;
            live++;
        }
    }
    obj->next_seq = seq;  // before publishing: a death leaves a gap in the numbers, never a repeat
    KILL_POINT(7);
    uint64_t old = obj->data;
    PUBLISH(&obj->data, nt_offset);  // every pair at once
    KILL_POINT(8);
    obj->live = live;
    obj->used = live;
    for (size_t r = 0; r < n_replaced; r++) heap_free(h, replaced[r]);
    heap_free(h, lists);
    if (old != 0) heap_free(h, old);
    return 0;
}

int cshim_shmheap_dict_remove(cshim_shmheap *h, uint64_t dict, const void *key, size_t key_length, uint64_t hash) {
    struct object *obj = at(h, dict);
    if (obj->data == 0) return 0;
    struct table *t = at(h, obj->data);
    int64_t i = dict_probe(h, t, key, key_length, hash, NULL);
    if (i < 0) return 0;
    uint64_t old = t->slots[i].entry;
    PUBLISH(&t->slots[i].entry, (uint64_t)SLOT_DELETED);
    obj->live--;
    heap_free(h, old);
    return 1;
}

size_t cshim_shmheap_dict_count(const cshim_shmheap *h, uint64_t dict) {
    return ((const struct object *)at(h, dict))->live;
}

int cshim_shmheap_dict_clear(cshim_shmheap *h, uint64_t dict) {
    struct object *obj = at(h, dict);
    uint64_t old = obj->data;
    if (old == 0) return 0;
    PUBLISH(&obj->data, (uint64_t)0);  // empty at once; the old table and entries are unreachable now
    obj->live = 0;
    obj->used = 0;
    struct table *t = at(h, old);
    for (uint64_t i = 0; i < t->capacity; i++) {
        if (t->slots[i].entry > SLOT_DELETED) heap_free(h, t->slots[i].entry);
    }
    heap_free(h, old);
    return 0;
}

int cshim_shmheap_dict_next(const cshim_shmheap *h, uint64_t dict, size_t *cursor, uint64_t *seq, const void **key,
                            size_t *key_length, const void **value, size_t *value_length) {
    const struct object *obj = at(h, dict);
    if (obj->data == 0) return 0;
    const struct table *t = at(h, obj->data);
    while (*cursor < t->capacity) {
        const struct slot *s = &t->slots[(*cursor)++];
        if (s->entry <= SLOT_DELETED) continue;
        const struct entry *en = at(h, s->entry);
        *seq = en->seq;
        *key = en->bytes;
        *key_length = en->key_length;
        *value = en->bytes + en->key_length;
        *value_length = en->value_length;
        return 1;
    }
    return 0;
}

// MARK: - Lists

size_t cshim_shmheap_list_count(const cshim_shmheap *h, uint64_t list) {
    const struct object *obj = at(h, list);
    return obj->data ? ((const struct items *)at(h, obj->data))->count : 0;
}

int cshim_shmheap_list_get(const cshim_shmheap *h, uint64_t list, size_t index, const void **value,
                           size_t *value_length) {
    if (index >= cshim_shmheap_list_count(h, list)) return ERANGE;
    const struct items *it = at(h, ((const struct object *)at(h, list))->data);
    const struct entry *en = at(h, it->entries[index]);
    *value = en->bytes;
    *value_length = en->value_length;
    return 0;
}

int cshim_shmheap_list_set(cshim_shmheap *h, uint64_t list, size_t index, const void *value, size_t value_length) {
    if (index >= cshim_shmheap_list_count(h, list)) return ERANGE;
    uint64_t e = new_entry(h, NULL, 0, 0, 0, value, value_length);
    if (e == 0) return ENOMEM;
    struct items *it = at(h, ((struct object *)at(h, list))->data);
    uint64_t old = it->entries[index];
    PUBLISH(&it->entries[index], e);
    heap_free(h, old);
    return 0;
}

// A new items block of `capacity` holding `old`'s entries with `index` removed (remove >= 0) or a gap made at
// `index` for `insert` (insert != 0). 0 when the arena is full.
static uint64_t build_items(cshim_shmheap *h, const struct items *old, uint64_t capacity, size_t index, int removing,
                            uint64_t insert) {
    uint64_t n = heap_alloc(h, sizeof(struct items) + capacity * sizeof(uint64_t));
    if (n == 0) return 0;
    struct items *it = at(h, n);
    uint64_t count = old ? old->count : 0, k = 0;
    for (uint64_t i = 0; i < count; i++) {
        if (removing && i == index) continue;
        if (!removing && insert && i == index) it->entries[k++] = insert;
        it->entries[k++] = old->entries[i];
    }
    if (!removing && insert && index == count) it->entries[k++] = insert;
    it->count = k;
    it->capacity = capacity;
    return n;
}

int cshim_shmheap_list_insert(cshim_shmheap *h, uint64_t list, size_t index, const void *value, size_t value_length) {
    struct object *obj = at(h, list);
    size_t count = cshim_shmheap_list_count(h, list);
    if (index > count) return ERANGE;
    uint64_t e = new_entry(h, NULL, 0, 0, 0, value, value_length);
    if (e == 0) return ENOMEM;
    struct items *it = obj->data ? at(h, obj->data) : NULL;
    if (it && index == count && count < it->capacity) {  // append in place: the count publishes it
        it->entries[count] = e;
        KILL_POINT(5);
        PUBLISH(&it->count, count + 1);
        return 0;
    }
    uint64_t capacity = it ? it->capacity : 4;
    while (capacity < count + 1) capacity *= 2;  // doubling: appends cost O(1) amortised
    uint64_t n = build_items(h, it, capacity, index, 0, e);
    if (n == 0) {
        heap_free(h, e);
        return ENOMEM;
    }
    uint64_t old = obj->data;
    PUBLISH(&obj->data, n);
    heap_free(h, old);
    return 0;
}

int cshim_shmheap_list_remove(cshim_shmheap *h, uint64_t list, size_t index) {
    struct object *obj = at(h, list);
    size_t count = cshim_shmheap_list_count(h, list);
    if (index >= count) return ERANGE;
    struct items *it = at(h, obj->data);
    uint64_t removed = it->entries[index];
    if (index == count - 1) {  // pop from the end: the count publishes it
        PUBLISH(&it->count, (uint64_t)(count - 1));
        heap_free(h, removed);
        return 0;
    }
    uint64_t n = build_items(h, it, it->capacity, index, 1, 0);
    if (n == 0) return ENOMEM;
    KILL_POINT(4);
    uint64_t old = obj->data;
    PUBLISH(&obj->data, n);
    heap_free(h, old);
    heap_free(h, removed);
    return 0;
}

int cshim_shmheap_list_clear(cshim_shmheap *h, uint64_t list) {
    struct object *obj = at(h, list);
    uint64_t old = obj->data;
    if (old == 0) return 0;
    PUBLISH(&obj->data, (uint64_t)0);
    struct items *it = at(h, old);
    for (uint64_t i = 0; i < it->count; i++) heap_free(h, it->entries[i]);
    heap_free(h, old);
    return 0;
}

// MARK: - Check

static int block_ok(const cshim_shmheap *h, uint64_t payload, size_t need) {
    if (payload < HEADER_SIZE + BLOCK_HEADER || payload >= h->top || payload % 16 != 0) return 0;
    const struct block *blk = at(h, payload - BLOCK_HEADER);
    return blk->magic == BLOCK_MAGIC && blk->size_class >= MIN_CLASS && blk->size_class < CLASSES &&
           need <= block_payload(h, payload) && payload - BLOCK_HEADER + ((uint64_t)1 << blk->size_class) <= h->top;
}

static int entry_ok(const cshim_shmheap *h, uint64_t e) {
    if (!block_ok(h, e, sizeof(struct entry))) return 0;
    const struct entry *en = at(h, e);
    return sizeof(struct entry) + (size_t)en->key_length + en->value_length <= block_payload(h, e);
}

int cshim_shmheap_check(const cshim_shmheap *h) {
    if (h->magic != HEAP_MAGIC || h->top > h->reserve) return EUCLEAN;
    size_t objects = 0;
    for (uint64_t o = h->objects; o != 0; o = ((const struct object *)at(h, o))->next) {
        if (!block_ok(h, o, sizeof(struct object)) || ++objects > h->reserve / 32) return EUCLEAN;
        const struct object *obj = at(h, o);
        if (obj->kind == CSHIM_SHMHEAP_DICT) {
            uint64_t live = 0, used = 0;
            if (obj->data != 0) {
                if (!block_ok(h, obj->data, sizeof(struct table))) return EUCLEAN;
                const struct table *t = at(h, obj->data);
                uint64_t cap = t->capacity;
                if (cap < MIN_TABLE || (cap & (cap - 1)) != 0 ||
                    !block_ok(h, obj->data, sizeof(struct table) + cap * sizeof(struct slot))) return EUCLEAN;
                for (uint64_t i = 0; i < cap; i++) {
                    const struct slot *s = &t->slots[i];
                    if (s->entry == SLOT_EMPTY) continue;
                    used++;
                    if (s->entry == SLOT_DELETED) continue;
                    live++;
                    if (!entry_ok(h, s->entry)) return EUCLEAN;
                    const struct entry *en = at(h, s->entry);
                    if (en->hash != s->hash || cshim_shmheap_hash(en->bytes, en->key_length) != s->hash) return EUCLEAN;
                    // the key must be found where it is (no duplicate earlier in its probe sequence)
                    if (dict_probe(h, t, en->bytes, en->key_length, s->hash, NULL) != (int64_t)i) return EUCLEAN;
                }
                if (used == cap) return EUCLEAN;  // probing needs an empty slot
            }
            if (live != obj->live || used != obj->used) return EUCLEAN;
        } else if (obj->kind == CSHIM_SHMHEAP_LIST) {
            if (obj->data == 0) continue;
            if (!block_ok(h, obj->data, sizeof(struct items))) return EUCLEAN;
            const struct items *it = at(h, obj->data);
            if (it->count > it->capacity ||
                !block_ok(h, obj->data, sizeof(struct items) + it->capacity * sizeof(uint64_t))) return EUCLEAN;
            for (uint64_t i = 0; i < it->count; i++) {
                if (!entry_ok(h, it->entries[i])) return EUCLEAN;
            }
        } else {
            return EUCLEAN;
        }
    }
    for (int c = 0; c < CLASSES; c++) {
        size_t n = 0;
        for (uint64_t b = h->free_heads[c]; b != 0; b = ((const struct block *)at(h, b))->next_free) {
            if (!block_ok(h, b + BLOCK_HEADER, 0) || ((const struct block *)at(h, b))->size_class != (uint32_t)c ||
                ++n > h->reserve / 32) return EUCLEAN;
        }
    }
    return 0;
}
