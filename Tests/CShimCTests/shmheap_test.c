// C tests of CShim/shmheap.c (the Manager's shared heap), with real processes. Built and run by
// Tests/CShimCTests/run.sh, plainly and under ASan + UBSan. Same output format as the other C tests.
//
// Usage: shmheap_test [-q] [test-name-substring]
#include "harness.h"

#include <sched.h>
#include <stdatomic.h>

static cshim_shmheap *heap_new(size_t reserve) {
    cshim_shmheap *h = cshim_shmheap_create("cshim-shmheap-test", reserve);
    if (!h) {
        perror("cshim_shmheap_create");
        exit(2);
    }
    return h;
}

static void spin_until_set(_Atomic int64_t *word) {
    while (atomic_load(word) == 0) sched_yield();
}

static int lock_ok(cshim_shmheap *h) {
    int rc = cshim_shmheap_lock(h, CSHIM_FOREVER);
    return rc == 0 || rc == EOWNERDEAD;
}

static int set_int(cshim_shmheap *h, uint64_t d, int64_t k, int64_t v) {
    return cshim_shmheap_dict_set(h, d, &k, sizeof k, cshim_shmheap_hash(&k, sizeof k), &v, sizeof v);
}

// The value of key k, or -1 when absent.
static int64_t get_int(cshim_shmheap *h, uint64_t d, int64_t k) {
    const void *v;
    size_t n;
    if (!cshim_shmheap_dict_find(h, d, &k, sizeof k, cshim_shmheap_hash(&k, sizeof k), &v, &n)) return -1;
    int64_t out;
    if (n != sizeof out) return -2;
    memcpy(&out, v, sizeof out);
    return out;
}

static int remove_int(cshim_shmheap *h, uint64_t d, int64_t k) {
    return cshim_shmheap_dict_remove(h, d, &k, sizeof k, cshim_shmheap_hash(&k, sizeof k));
}

static int64_t list_int(cshim_shmheap *h, uint64_t l, size_t i) {
    const void *v;
    size_t n;
    if (cshim_shmheap_list_get(h, l, i, &v, &n) != 0 || n != sizeof(int64_t)) return -1;
    int64_t out;
    memcpy(&out, v, sizeof out);
    return out;
}

// ---------------------------------------------------------------------------------------------------------------

static void test_dict_set_find_replace_remove_grow(void) {
    cshim_shmheap *h = heap_new(1 << 24);
    CHECK(lock_ok(h), "lock");
    uint64_t d = cshim_shmheap_new_object(h, CSHIM_SHMHEAP_DICT);
    CHECK(d != 0, "new dict");
    CHECK(get_int(h, d, 1) == -1 && cshim_shmheap_dict_count(h, d) == 0, "empty");
    for (int64_t i = 0; i < 5000; i++) CHECK(set_int(h, d, i, i * 10) == 0, "set %lld", (long long)i);
    CHECK(cshim_shmheap_dict_count(h, d) == 5000, "count %zu", cshim_shmheap_dict_count(h, d));
    int bad = 0;
    for (int64_t i = 0; i < 5000; i++) bad += get_int(h, d, i) != i * 10;
    CHECK(bad == 0, "%d wrong values after growth", bad);
    CHECK(set_int(h, d, 7, -7) == 0 && get_int(h, d, 7) == -7 && cshim_shmheap_dict_count(h, d) == 5000, "replace");
    for (int64_t i = 0; i < 5000; i += 2) CHECK(remove_int(h, d, i) == 1, "remove %lld", (long long)i);
    CHECK(remove_int(h, d, 0) == 0, "removing an absent key");
    CHECK(cshim_shmheap_dict_count(h, d) == 2500, "count after removes");
    CHECK(get_int(h, d, 2) == -1 && get_int(h, d, 3) == 30, "removed vs kept");
    // iteration sees each live key once
    size_t cursor = 0, seen = 0;
    const void *k, *v;
    size_t kn, vn;
    int64_t sum = 0;
    uint64_t seq;
    int order_ok = 1;
    while (cshim_shmheap_dict_next(h, d, &cursor, &seq, &k, &kn, &v, &vn)) {
        int64_t key;
        memcpy(&key, k, sizeof key);
        order_ok &= seq == (uint64_t)key;  // inserted in key order; key 7's replacement kept its place
        sum += key;
        seen++;
    }
    CHECK(seen == 2500 && sum == 2500LL * 2500, "iteration: %zu keys, sum %lld", seen, (long long)sum);
    CHECK(order_ok, "insertion numbers follow the insertion order");
    // many removes and re-inserts reuse deleted slots and freed blocks instead of growing for ever
    size_t used = cshim_shmheap_used(h);
    for (int round = 0; round < 20; round++) {
        for (int64_t i = 100000; i < 100500; i++) set_int(h, d, i, i);
        for (int64_t i = 100000; i < 100500; i++) remove_int(h, d, i);
    }
    CHECK(cshim_shmheap_used(h) - used < (1 << 16), "churn reuses memory (%zu more bytes)", cshim_shmheap_used(h) - used);
    // empty keys and values are keys and values
    CHECK(cshim_shmheap_dict_set(h, d, NULL, 0, cshim_shmheap_hash(NULL, 0), NULL, 0) == 0, "empty key");
    const void *ev;
    size_t en = 99;
    CHECK(cshim_shmheap_dict_find(h, d, NULL, 0, cshim_shmheap_hash(NULL, 0), &ev, &en) == 1 && en == 0, "found");
    CHECK(cshim_shmheap_check(h) == 0, "consistent");
    CHECK(cshim_shmheap_dict_clear(h, d) == 0 && cshim_shmheap_dict_count(h, d) == 0 && get_int(h, d, 3) == -1, "clear");
    CHECK(set_int(h, d, 3, 4) == 0 && get_int(h, d, 3) == 4, "usable after clear");
    CHECK(cshim_shmheap_check(h) == 0, "consistent after clear");
    cshim_shmheap_unlock(h);
    cshim_shmheap_unmap(h);
}

static void test_list_operations(void) {
    cshim_shmheap *h = heap_new(1 << 20);
    CHECK(lock_ok(h), "lock");
    uint64_t l = cshim_shmheap_new_object(h, CSHIM_SHMHEAP_LIST);
    for (int64_t i = 0; i < 100; i++) {
        CHECK(cshim_shmheap_list_insert(h, l, cshim_shmheap_list_count(h, l), &i, sizeof i) == 0, "append");
    }
    CHECK(cshim_shmheap_list_count(h, l) == 100 && list_int(h, l, 99) == 99, "100 appended");
    int64_t x = -5;
    CHECK(cshim_shmheap_list_insert(h, l, 0, &x, sizeof x) == 0 && list_int(h, l, 0) == -5 && list_int(h, l, 1) == 0,
          "insert at the front");
    CHECK(cshim_shmheap_list_insert(h, l, 102, &x, sizeof x) == ERANGE, "insert past the end");
    CHECK(cshim_shmheap_list_remove(h, l, 0) == 0 && list_int(h, l, 0) == 0, "remove the front");
    CHECK(cshim_shmheap_list_remove(h, l, 50) == 0 && list_int(h, l, 50) == 51, "remove the middle");
    CHECK(cshim_shmheap_list_remove(h, l, 98) == 0 && cshim_shmheap_list_count(h, l) == 98, "pop the end");
    CHECK(cshim_shmheap_list_remove(h, l, 98) == ERANGE, "remove out of range");
    int64_t y = 1234;
    CHECK(cshim_shmheap_list_set(h, l, 3, &y, sizeof y) == 0 && list_int(h, l, 3) == 1234, "set");
    CHECK(cshim_shmheap_list_set(h, l, 98, &y, sizeof y) == ERANGE, "set out of range");
    CHECK(cshim_shmheap_check(h) == 0, "consistent");
    CHECK(cshim_shmheap_list_clear(h, l) == 0 && cshim_shmheap_list_count(h, l) == 0, "clear");
    CHECK(cshim_shmheap_check(h) == 0, "consistent after clear");
    cshim_shmheap_unlock(h);
    cshim_shmheap_unmap(h);
}

static void test_full_arena_leaves_objects_unchanged(void) {
    cshim_shmheap *h = heap_new(65536);
    CHECK(lock_ok(h), "lock");
    uint64_t d = cshim_shmheap_new_object(h, CSHIM_SHMHEAP_DICT);
    uint64_t l = cshim_shmheap_new_object(h, CSHIM_SHMHEAP_LIST);
    int64_t i = 0;
    while (set_int(h, d, i, i) == 0) i++;
    CHECK(i > 100, "some keys fit (%lld)", (long long)i);
    CHECK(cshim_shmheap_dict_count(h, d) == (size_t)i && get_int(h, d, i) == -1 && get_int(h, d, i - 1) == i - 1,
          "the failed set changed nothing");
    char big[70000] = {0};
    CHECK(cshim_shmheap_list_insert(h, l, 0, big, sizeof big) == ENOMEM, "a value larger than the arena");
    CHECK(cshim_shmheap_list_count(h, l) == 0, "list unchanged");
    CHECK(cshim_shmheap_check(h) == 0, "consistent when full");
    CHECK(cshim_shmheap_dict_clear(h, d) == 0 && set_int(h, d, 1, 1) == 0, "room again after clear");
    cshim_shmheap_unlock(h);
    cshim_shmheap_unmap(h);
}

// A child takes the lock and runs `op` with kill point `point` set: it dies by SIGKILL part-way. The parent then
// locks (EOWNERDEAD), checks the structures, and returns with the lock held.
static void die_at(cshim_shmheap *h, int point, void (*op)(cshim_shmheap *, uint64_t), uint64_t object) {
    pid_t c = fork_child();
    if (c == 0) {
        if (!lock_ok(h)) _exit(2);
        cshim_shmheap_set_kill_point(point);
        op(h, object);
        _exit(0);  // the kill point was not reached
    }
    CHECK(wait_exitcode(c) == -SIGKILL, "the child died at kill point %d", point);
    CHECK(cshim_shmheap_lock(h, CSHIM_FOREVER) == EOWNERDEAD, "the next locker is told (point %d)", point);
    CHECK(cshim_shmheap_check(h) == 0, "consistent after a death at point %d", point);
}

static void op_replace(cshim_shmheap *h, uint64_t d) { set_int(h, d, 1, 111); }
static void op_insert(cshim_shmheap *h, uint64_t d) { set_int(h, d, 999, 999); }
static void op_fill(cshim_shmheap *h, uint64_t d) {
    for (int64_t i = 1000; i < 2000; i++) set_int(h, d, i, i);
}
static void op_list_remove(cshim_shmheap *h, uint64_t l) { cshim_shmheap_list_remove(h, l, 1); }
static void op_list_append(cshim_shmheap *h, uint64_t l) {
    int64_t v = 77;
    cshim_shmheap_list_insert(h, l, cshim_shmheap_list_count(h, l), &v, sizeof v);
}
static void op_remove(cshim_shmheap *h, uint64_t d) { remove_int(h, d, 2); }

static void test_writer_killed_at_each_point_leaves_consistent_heap(void) {
    cshim_shmheap *h = heap_new(1 << 22);
    CHECK(lock_ok(h), "lock");
    uint64_t d = cshim_shmheap_new_object(h, CSHIM_SHMHEAP_DICT);
    uint64_t l = cshim_shmheap_new_object(h, CSHIM_SHMHEAP_LIST);
    for (int64_t i = 0; i < 5; i++) {
        set_int(h, d, i, i);
        cshim_shmheap_list_insert(h, l, (size_t)i, &i, sizeof i);
    }
    cshim_shmheap_unlock(h);

    die_at(h, 1, op_replace, d);  // replacing: the old value stays
    CHECK(get_int(h, d, 1) == 1 && cshim_shmheap_dict_count(h, d) == 5, "old value kept");
    cshim_shmheap_unlock(h);
    die_at(h, 1, op_insert, d);  // inserting, before publishing: absent
    CHECK(get_int(h, d, 999) == -1 && cshim_shmheap_dict_count(h, d) == 5, "not inserted");
    cshim_shmheap_unlock(h);
    die_at(h, 2, op_insert, d);  // published, counters stale: present, and the count repaired
    CHECK(get_int(h, d, 999) == 999 && cshim_shmheap_dict_count(h, d) == 6, "inserted, count %zu",
          cshim_shmheap_dict_count(h, d));
    cshim_shmheap_unlock(h);
    die_at(h, 3, op_fill, d);  // mid-rehash: the old table is intact
    size_t n = cshim_shmheap_dict_count(h, d);
    int bad = 0;
    for (int64_t i = 1000; i < 1000 + (int64_t)n - 6; i++) bad += get_int(h, d, i) != i;
    CHECK(n >= 6 && bad == 0 && get_int(h, d, 4) == 4, "the rehash lost nothing (%zu keys, %d bad)", n, bad);
    cshim_shmheap_unlock(h);
    die_at(h, 6, op_remove, d);  // removed, the entry's block not yet on its free list: leaked, nothing worse
    CHECK(get_int(h, d, 2) == -1 && get_int(h, d, 3) == 3, "removed");
    cshim_shmheap_unlock(h);
    die_at(h, 4, op_list_remove, l);  // list remove before publishing: unchanged
    CHECK(cshim_shmheap_list_count(h, l) == 5 && list_int(h, l, 1) == 1, "list unchanged");
    cshim_shmheap_unlock(h);
    die_at(h, 5, op_list_append, l);  // append before the count: not there
    CHECK(cshim_shmheap_list_count(h, l) == 5, "not appended");
    CHECK(cshim_shmheap_recoveries(h) == 7, "7 recoveries counted (%llu)",
          (unsigned long long)cshim_shmheap_recoveries(h));
    // and the heap goes on working
    CHECK(set_int(h, d, 5000, 1) == 0 && get_int(h, d, 5000) == 1, "usable");
    CHECK(cshim_shmheap_check(h) == 0, "consistent at the end");
    cshim_shmheap_unlock(h);
    cshim_shmheap_unmap(h);
}

static void test_random_kills_never_corrupt(void) {
    cshim_shmheap *h = heap_new(1 << 24);
    _Atomic int64_t *progress = shared_alloc(4096);
    CHECK(lock_ok(h), "lock");
    uint64_t d = cshim_shmheap_new_object(h, CSHIM_SHMHEAP_DICT);
    uint64_t l = cshim_shmheap_new_object(h, CSHIM_SHMHEAP_LIST);
    cshim_shmheap_unlock(h);
    for (int trial = 0; trial < 30; trial++) {
        atomic_store(progress, 0);
        pid_t c = fork_child();
        if (c == 0) {
            for (int64_t i = 0;; i++) {
                if (!lock_ok(h)) _exit(2);
                int64_t k = (i * 7919 + trial) % 3000;
                if (i % 3 == 2) remove_int(h, d, k);
                else set_int(h, d, k, k);
                if (i % 5 == 0) cshim_shmheap_list_insert(h, l, cshim_shmheap_list_count(h, l), &k, sizeof k);
                if (i % 7 == 0 && cshim_shmheap_list_count(h, l) > 1) cshim_shmheap_list_remove(h, l, 0);
                cshim_shmheap_unlock(h);
                atomic_store(progress, i);
            }
        }
        int64_t target = 200 + trial * 37;
        while (atomic_load(progress) < target) sched_yield();
        kill(c, SIGKILL);
        CHECK(wait_exitcode(c) == -SIGKILL, "killed");
        CHECK(lock_ok(h), "lock after the kill");
        CHECK(cshim_shmheap_check(h) == 0, "consistent after kill %d", trial);
        int bad = 0;
        for (int64_t k = 0; k < 3000; k++) {
            int64_t v = get_int(h, d, k);
            bad += v != -1 && v != k;
        }
        CHECK(bad == 0, "%d wrong values", bad);
        cshim_shmheap_unlock(h);
    }
    cshim_shm_unmap((void *)progress, 4096);
    cshim_shmheap_unmap(h);
}

static void test_concurrent_writers_lose_nothing(void) {
    cshim_shmheap *h = heap_new(1 << 24);
    CHECK(lock_ok(h), "lock");
    uint64_t d = cshim_shmheap_new_object(h, CSHIM_SHMHEAP_DICT);
    cshim_shmheap_unlock(h);
    pid_t kids[4];
    for (int w = 0; w < 4; w++) {
        kids[w] = fork_child();
        if (kids[w] == 0) {
            for (int64_t i = 0; i < 3000; i++) {
                if (!lock_ok(h)) _exit(2);
                int rc = set_int(h, d, w * 100000 + i, i);
                cshim_shmheap_unlock(h);
                if (rc != 0) _exit(3);
            }
            _exit(0);
        }
    }
    for (int w = 0; w < 4; w++) CHECK(wait_exitcode(kids[w]) == 0, "writer %d", w);
    CHECK(lock_ok(h), "lock");
    CHECK(cshim_shmheap_dict_count(h, d) == 12000, "count %zu", cshim_shmheap_dict_count(h, d));
    int bad = 0;
    for (int w = 0; w < 4; w++)
        for (int64_t i = 0; i < 3000; i++) bad += get_int(h, d, w * 100000 + i) != i;
    CHECK(bad == 0 && cshim_shmheap_check(h) == 0, "%d wrong", bad);
    cshim_shmheap_unlock(h);
    cshim_shmheap_unmap(h);
}

// A process blocked on the heap while its holder is SIGKILLed gets the heap at once (told EOWNERDEAD).
static void test_waiter_gets_the_heap_when_its_holder_is_killed(void) {
    cshim_shmheap *h = heap_new(1 << 20);
    _Atomic int64_t *words = shared_alloc(4096);
    CHECK(lock_ok(h), "lock");
    uint64_t d = cshim_shmheap_new_object(h, CSHIM_SHMHEAP_DICT);
    set_int(h, d, 1, 1);
    cshim_shmheap_unlock(h);
    pid_t holder = fork_child();
    if (holder == 0) {
        if (!lock_ok(h)) _exit(2);
        atomic_store(&words[0], 1);
        for (;;) pause();
    }
    spin_until_set(&words[0]);
    pid_t waiter = fork_child();
    if (waiter == 0) {
        atomic_store(&words[1], 1);
        int rc = cshim_shmheap_lock(h, 30 * (int64_t)1000000000);  // blocks until the holder dies
        _exit(rc == EOWNERDEAD && get_int(h, d, 1) == 1 && set_int(h, d, 2, 2) == 0 ? 0 : 1);
    }
    spin_until_set(&words[1]);
    kill(holder, SIGKILL);
    CHECK(wait_exitcode(holder) == -SIGKILL, "holder killed");
    CHECK(wait_exitcode(waiter) == 0, "the waiter got the heap, was told, and used it");
    CHECK(lock_ok(h) && get_int(h, d, 2) == 2 && cshim_shmheap_check(h) == 0, "consistent");
    cshim_shmheap_unlock(h);
    cshim_shm_unmap((void *)words, 4096);
    cshim_shmheap_unmap(h);
}

static void test_shutdown_refuses_everyone(void) {
    cshim_shmheap *h = heap_new(1 << 20);
    CHECK(lock_ok(h), "lock");
    uint64_t d = cshim_shmheap_new_object(h, CSHIM_SHMHEAP_DICT);
    set_int(h, d, 1, 1);
    cshim_shmheap_unlock(h);
    CHECK(cshim_shmheap_shutdown(h) == 0 && cshim_shmheap_is_shutdown(h), "shut down");
    CHECK(cshim_shmheap_lock(h, CSHIM_FOREVER) == ESHUTDOWN, "refused here");
    pid_t c = fork_child();
    if (c == 0) _exit(cshim_shmheap_lock(h, CSHIM_FOREVER) == ESHUTDOWN ? 0 : 1);
    CHECK(wait_exitcode(c) == 0, "refused in another process");
    CHECK(cshim_shmheap_shutdown(h) == 0, "idempotent");
    CHECK(cshim_shmheap_create("x", 1000) == NULL && errno == EINVAL, "a reserve too small");
    cshim_shmheap_unmap(h);
}

// d.update({k: v, ...}) of `count` int keys from `first`, each value `value`: one cshim_shmheap_dict_update.
static int update_ints(cshim_shmheap *h, uint64_t d, int64_t first, size_t count, int64_t value) {
    int64_t keys[64], values[64];
    const void *kp[64], *vp[64];
    size_t kl[64], vl[64];
    uint64_t hashes[64];
    for (size_t i = 0; i < count; i++) {
        keys[i] = first + (int64_t)(i % 40);  // past 40 pairs the keys repeat: a later pair for a key wins
        values[i] = value + (int64_t)i;
        kp[i] = &keys[i];
        vp[i] = &values[i];
        kl[i] = vl[i] = sizeof(int64_t);
        hashes[i] = cshim_shmheap_hash(&keys[i], sizeof keys[i]);
    }
    return cshim_shmheap_dict_update(h, d, count, kp, kl, hashes, vp, vl);
}

static void op_update(cshim_shmheap *h, uint64_t d) { update_ints(h, d, 0, 10, 500); }

// Issue 20: an update is all or nothing, for readers and for a writer killed at any point.
static void test_dict_update_is_all_or_nothing(void) {
    cshim_shmheap *h = heap_new(1 << 22);
    CHECK(lock_ok(h), "lock");
    uint64_t d = cshim_shmheap_new_object(h, CSHIM_SHMHEAP_DICT);
    for (int64_t i = 0; i < 5; i++) set_int(h, d, i, i);
    CHECK(update_ints(h, d, 3, 4, 100) == 0, "update");  // replaces 3, 4; adds 5, 6
    CHECK(get_int(h, d, 2) == 2 && get_int(h, d, 3) == 100 && get_int(h, d, 4) == 101 && get_int(h, d, 6) == 103 &&
          cshim_shmheap_dict_count(h, d) == 7, "replaced and added (count %zu)", cshim_shmheap_dict_count(h, d));
    CHECK(update_ints(h, d, 1000, 60, 0) == 0, "an update whose keys repeat");
    CHECK(get_int(h, d, 1000) == 40 && get_int(h, d, 1019) == 59 && get_int(h, d, 1020) == 20 &&
          cshim_shmheap_dict_count(h, d) == 47, "the later pair wins (count %zu)", cshim_shmheap_dict_count(h, d));
    // the order: a replaced key keeps its place, new keys go last
    size_t cursor = 0, seen = 0;
    uint64_t seq, last_new = 0, seq3 = 0;
    const void *k, *v;
    size_t kn, vn;
    while (cshim_shmheap_dict_next(h, d, &cursor, &seq, &k, &kn, &v, &vn)) {
        int64_t key;
        memcpy(&key, k, sizeof key);
        if (key == 3) seq3 = seq;
        if (key == 6 && seq > last_new) last_new = seq;
        seen++;
    }
    CHECK(seen == 47 && seq3 < last_new, "order kept (%zu seen)", seen);
    CHECK(cshim_shmheap_check(h) == 0, "consistent");
    cshim_shmheap_unlock(h);

    die_at(h, 7, op_update, d);  // built, not published: none of it
    CHECK(get_int(h, d, 0) == 0 && get_int(h, d, 9) == -1 && cshim_shmheap_dict_count(h, d) == 47, "nothing applied");
    cshim_shmheap_unlock(h);
    die_at(h, 8, op_update, d);  // published, counters stale: all of it, the count repaired
    int all = 1;
    for (int64_t i = 0; i < 10; i++) all &= get_int(h, d, i) == 500 + i;
    CHECK(all && cshim_shmheap_dict_count(h, d) == 50, "everything applied (count %zu)", cshim_shmheap_dict_count(h, d));
    cshim_shmheap_unlock(h);
    cshim_shmheap_unmap(h);

    // a full arena: ENOMEM and the dictionary unchanged
    h = heap_new(65536);
    CHECK(lock_ok(h), "lock");
    d = cshim_shmheap_new_object(h, CSHIM_SHMHEAP_DICT);
    int64_t n = 0;
    while (set_int(h, d, n, n) == 0) n++;
    remove_int(h, d, n - 1);
    CHECK(update_ints(h, d, 100000, 40, 7) == ENOMEM, "no room for the update");
    CHECK(get_int(h, d, 100000) == -1 && get_int(h, d, 0) == 0 && cshim_shmheap_dict_count(h, d) == (size_t)(n - 1),
          "unchanged");
    CHECK(cshim_shmheap_check(h) == 0, "consistent when full");
    cshim_shmheap_unlock(h);
    cshim_shmheap_unmap(h);
}

static const struct test tests[] = {
    { "shmheap_dict_set_find_replace_remove_grow", test_dict_set_find_replace_remove_grow },
    { "shmheap_list_operations", test_list_operations },
    { "shmheap_full_arena_leaves_objects_unchanged", test_full_arena_leaves_objects_unchanged },
    { "shmheap_writer_killed_at_each_point_leaves_consistent_heap", test_writer_killed_at_each_point_leaves_consistent_heap },
    { "shmheap_random_kills_never_corrupt", test_random_kills_never_corrupt },
    { "shmheap_concurrent_writers_lose_nothing", test_concurrent_writers_lose_nothing },
    { "shmheap_waiter_gets_the_heap_when_its_holder_is_killed", test_waiter_gets_the_heap_when_its_holder_is_killed },
    { "shmheap_shutdown_refuses_everyone", test_shutdown_refuses_everyone },
    { "shmheap_dict_update_is_all_or_nothing", test_dict_update_is_all_or_nothing },
};

int main(int argc, char **argv) {
    return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv, 120, "shmheap_no_leaks", "cshim-shmheap-");
}
