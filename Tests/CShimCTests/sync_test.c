// C tests of CShim/sync.c (Lock/RLock, Semaphore, Condition wait queue, Event flag), with real processes.
// Built and run by Tests/CShimCTests/run.sh beside cshim_test.c, plainly and under ASan + UBSan. Same output
// format: one "ok"/"FAIL" line per test, then "N passed, N failed".
//
// Usage: sync_test [-q] [test-name-substring]
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

// One shared page per test: the primitive at offset 0, then test words.
struct area {
    _Alignas(64) unsigned char primitive[4096];
    _Atomic int64_t words[8];
};

static struct area *area_new(void) {
    int fd = cshim_shm_anon_create("sync-test", sizeof(struct area));
    if (fd < 0) {
        perror("memfd");
        exit(2);
    }
    struct area *a = cshim_shm_map(fd, sizeof(struct area));
    close(fd);
    if (!a) {
        perror("mmap");
        exit(2);
    }
    return a;
}

static void area_free(struct area *a) { cshim_shm_unmap(a, sizeof *a); }

static void spin_until(_Atomic int64_t *word, int64_t value) {
    while (atomic_load(word) != value) sched_yield();
}

// ---------------------------------------------------------------------------------------------------------------

static void test_lock_rules(void) {
    struct area *a = area_new();
    cshim_lock *l = (cshim_lock *)a->primitive;
    CHECK(cshim_lock_size() <= 64 && cshim_lock_init_at(l) == 0, "init");
    CHECK(!cshim_lock_is_mine(l), "not held yet");
    CHECK(cshim_lock_release(l) == EPERM, "release of an unheld lock");
    CHECK(cshim_lock_acquire(l, CSHIM_FOREVER) == 0 && cshim_lock_is_mine(l), "acquire");
    CHECK(cshim_lock_acquire(l, 0) == EBUSY, "a try by the holder is busy (CPython: acquire(False) is False)");
    CHECK(cshim_lock_acquire(l, CSHIM_FOREVER) == EDEADLK, "a blocking acquire by the holder is EDEADLK");
    CHECK(cshim_lock_acquire(l, 10000000) == EDEADLK, "so is a timed one");
    pid_t c = fork_child();
    if (c == 0) _exit(!cshim_lock_is_mine(l) && cshim_lock_release(l) == EPERM && cshim_lock_acquire(l, 0) == EBUSY ? 0 : 1);
    CHECK(wait_exitcode(c) == 0, "another process neither owns nor releases it");
    CHECK(cshim_lock_release(l) == 0 && !cshim_lock_is_mine(l), "release");
    area_free(a);
}

static void test_lock_owner_killed_recovered_and_told(void) {
    struct area *a = area_new();
    cshim_lock *l = (cshim_lock *)a->primitive;
    cshim_lock_init_at(l);
    pid_t c = fork_child();
    if (c == 0) {
        cshim_rlock_acquire(l, CSHIM_FOREVER);
        cshim_rlock_acquire(l, CSHIM_FOREVER);
        atomic_store(&a->words[0], 1);
        for (;;) pause();
    }
    spin_until(&a->words[0], 1);
    int64_t t0 = cshim_now_ns();
    CHECK(cshim_rlock_acquire(l, 50000000) == ETIMEDOUT, "held by a live process");
    CHECK(cshim_now_ns() - t0 >= 50000000, "not early");
    kill(c, SIGKILL);
    CHECK(wait_exitcode(c) == -SIGKILL, "killed");
    CHECK(cshim_rlock_acquire(l, 1000000000) == EOWNERDEAD, "recovered");
    CHECK(cshim_lock_recovered(l) && cshim_rlock_count(l) == 1, "told, with a fresh count");
    CHECK(cshim_rlock_release(l) == 0 && cshim_rlock_count(l) == 0, "released");
    CHECK(cshim_lock_acquire(l, 0) == 0 && !cshim_lock_recovered(l), "ordinary again");
    cshim_lock_release(l);
    area_free(a);
}

static void test_rlock_depth_and_release_all(void) {
    struct area *a = area_new();
    cshim_lock *l = (cshim_lock *)a->primitive;
    cshim_lock_init_at(l);
    for (int i = 0; i < 3; i++) CHECK(cshim_rlock_acquire(l, 0) == 0, "nested acquire %d", i);
    CHECK(cshim_rlock_count(l) == 3, "depth 3");
    uint32_t depth = 0;
    CHECK(cshim_rlock_release_all(l, &depth) == 0 && depth == 3 && !cshim_lock_is_mine(l), "released all");
    pid_t c = fork_child();
    if (c == 0) {
        int ok = cshim_rlock_acquire(l, 0) == 0 && cshim_rlock_release(l) == 0;
        _exit(ok ? 0 : 1);
    }
    CHECK(wait_exitcode(c) == 0, "free for another process meanwhile");
    CHECK(cshim_rlock_restore(l, depth) == 0 && cshim_rlock_count(l) == 3, "restored at depth 3");
    for (int i = 0; i < 3; i++) CHECK(cshim_rlock_release(l) == 0, "release %d", i);
    CHECK(cshim_rlock_release(l) == EPERM, "one release too many");
    area_free(a);
}

static void test_semaphore_bounds_and_timeouts(void) {
    struct area *a = area_new();
    cshim_sem *s = (cshim_sem *)a->primitive;
    CHECK(cshim_sem_init_at(s, 3, 2) == EINVAL, "value above bound");
    CHECK(cshim_sem_init_at(s, 0, CSHIM_SEM_VALUE_MAX + 1u) == EINVAL, "bound above SEM_VALUE_MAX");
    CHECK(cshim_sem_init_at(s, 2, 2) == 0, "bounded(2)");
    CHECK(cshim_sem_release(s) == EOVERFLOW && cshim_sem_value(s) == 2, "over-release refused, unchanged");
    CHECK(cshim_sem_acquire(s, 0) == 0 && cshim_sem_acquire(s, 0) == 0 && cshim_sem_value(s) == 0, "two units");
    CHECK(cshim_sem_acquire(s, 0) == EBUSY, "try at zero");
    int64_t t0 = cshim_now_ns();
    CHECK(cshim_sem_acquire(s, 100000000) == ETIMEDOUT, "timed at zero");
    int64_t waited = cshim_now_ns() - t0;
    CHECK(waited >= 100000000 && waited < 150000000, "on time: %lld ns", (long long)waited);
    pid_t c = fork_child();
    if (c == 0) _exit(cshim_sem_release(s));
    CHECK(cshim_sem_acquire(s, 5000000000) == 0, "a child's release wakes us");
    CHECK(wait_exitcode(c) == 0, "child released");
    area_free(a);
}

static void test_semaphore_counts_exactly_under_contention(void) {
    struct area *a = area_new();
    cshim_sem *s = (cshim_sem *)a->primitive;
    cshim_sem_init_at(s, 0, CSHIM_SEM_VALUE_MAX);
    enum { PER = 100000 };
    pid_t kids[4];
    for (int k = 0; k < 4; k++) {
        kids[k] = fork_child();
        if (kids[k] == 0) {
            int bad = 0;
            for (int i = 0; i < PER; i++) {
                if (k < 2) bad |= cshim_sem_release(s);
                else bad |= cshim_sem_acquire(s, 10000000000) != 0;
            }
            _exit(bad ? 1 : 0);
        }
    }
    for (int k = 0; k < 4; k++) CHECK(wait_exitcode(kids[k]) == 0, "party %d", k);
    CHECK(cshim_sem_value(s) == 0, "every unit taken exactly once: %u left", cshim_sem_value(s));
    area_free(a);
}

static void test_condition_queue_is_fifo_and_bounded(void) {
    struct area *a = area_new();
    cshim_cond *c = (cshim_cond *)a->primitive;
    CHECK(cshim_cond_size() <= sizeof a->primitive, "fits");
    cshim_cond_init_at(c);
    uint32_t slots[CSHIM_COND_SLOTS];
    for (uint32_t i = 0; i < CSHIM_COND_SLOTS; i++) CHECK(cshim_cond_enqueue(c, &slots[i]) == 0, "slot %u", i);
    uint32_t extra;
    CHECK(cshim_cond_enqueue(c, &extra) == EAGAIN, "full");
    CHECK(cshim_cond_waiting(c) == CSHIM_COND_SLOTS, "all waiting");
    // Free a middle slot and queue again: the newcomer is youngest even though its slot index is low.
    CHECK(cshim_cond_dequeue(c, slots[5]) == 0, "not notified");
    CHECK(cshim_cond_enqueue(c, &slots[5]) == 0, "re-queued");
    CHECK(cshim_cond_notify(c, 2) == 2, "two marked");
    CHECK(cshim_cond_wait(c, slots[0], -1) == 0 && cshim_cond_wait(c, slots[1], -1) == 0, "the two oldest");
    int64_t t0 = cshim_now_ns();
    CHECK(cshim_cond_wait(c, slots[5], cshim_deadline_after(20000000)) == ETIMEDOUT, "the newcomer waits");
    CHECK(cshim_now_ns() - t0 >= 20000000, "until its deadline");
    CHECK(cshim_cond_notify(c, CSHIM_COND_SLOTS - 3) == CSHIM_COND_SLOTS - 3, "all but the newcomer");
    CHECK(cshim_cond_wait(c, slots[5], cshim_deadline_after(0)) == ETIMEDOUT, "still the newcomer waits");
    CHECK(cshim_cond_notify(c, UINT32_MAX) == 1 && cshim_cond_waiting(c) == 0, "notify_all takes the rest");
    for (uint32_t i = 0; i < CSHIM_COND_SLOTS; i++) CHECK(cshim_cond_dequeue(c, slots[i]) == 1, "slot %u notified", i);
    CHECK(cshim_cond_notify(c, 1) == 0, "nobody left");
    area_free(a);
}

static void test_condition_wakes_another_process(void) {
    struct area *a = area_new();
    cshim_lock *l = (cshim_lock *)a->primitive;
    cshim_cond *c = (cshim_cond *)(a->primitive + 64);
    cshim_lock_init_at(l);
    cshim_cond_init_at(c);
    pid_t kid = fork_child();
    if (kid == 0) {
        uint32_t slot;
        cshim_lock_acquire(l, CSHIM_FOREVER);
        cshim_cond_enqueue(c, &slot);
        atomic_store(&a->words[0], 1);
        cshim_lock_release(l);
        int rc = cshim_cond_wait(c, slot, cshim_deadline_after(10000000000));
        cshim_lock_acquire(l, CSHIM_FOREVER);
        int notified = cshim_cond_dequeue(c, slot);
        cshim_lock_release(l);
        _exit(rc == 0 && notified ? 0 : 1);
    }
    spin_until(&a->words[0], 1);
    cshim_lock_acquire(l, CSHIM_FOREVER);
    CHECK(cshim_cond_notify(c, 1) == 1, "one marked");
    cshim_lock_release(l);
    CHECK(wait_exitcode(kid) == 0, "the child woke, notified");
    area_free(a);
}

static void test_condition_skips_and_reclaims_dead_waiters(void) {
    struct area *a = area_new();
    cshim_cond *c = (cshim_cond *)a->primitive;
    cshim_cond_init_at(c);
    // The oldest waiter's process dies while queued (it never dequeues).
    pid_t kid = fork_child();
    if (kid == 0) {
        uint32_t slot;
        _exit(cshim_cond_enqueue(c, &slot));
    }
    CHECK(wait_exitcode(kid) == 0, "the child queued");
    uint32_t mine;
    CHECK(cshim_cond_enqueue(c, &mine) == 0, "a live waiter queues behind it");
    CHECK(cshim_cond_notify(c, 1) == 1, "one marked");
    CHECK(cshim_cond_wait(c, mine, cshim_deadline_after(0)) == 0, "the live waiter, not the dead one");
    CHECK(cshim_cond_waiting(c) == 0, "the dead waiter's slot was freed");
    CHECK(cshim_cond_dequeue(c, mine) == 1, "dequeued as notified");
    // A full table reclaims the slots of dead waiters.
    kid = fork_child();
    if (kid == 0) {
        uint32_t slot;
        int bad = 0;
        for (uint32_t i = 0; i < CSHIM_COND_SLOTS; i++) bad |= cshim_cond_enqueue(c, &slot);
        _exit(bad);
    }
    CHECK(wait_exitcode(kid) == 0, "the child filled the table and died");
    CHECK(cshim_cond_enqueue(c, &mine) == 0, "a slot was reclaimed");
    CHECK(cshim_cond_dequeue(c, mine) == 0, "not notified");
    area_free(a);
}

static void test_flag_set_clear_wait(void) {
    struct area *a = area_new();
    cshim_flag *f = (cshim_flag *)a->primitive;
    cshim_flag_init_at(f);
    CHECK(!cshim_flag_is_set(f) && cshim_flag_wait(f, 0) == 0, "starts clear");
    int64_t t0 = cshim_now_ns();
    CHECK(cshim_flag_wait(f, 50000000) == 0, "timed wait");
    CHECK(cshim_now_ns() - t0 >= 50000000, "not early");
    pid_t kid = fork_child();
    if (kid == 0) {
        spin_until(&a->words[0], 1);
        cshim_flag_set(f);
        _exit(0);
    }
    atomic_store(&a->words[0], 1);
    CHECK(cshim_flag_wait(f, 10000000000) == 1, "set by the child");
    CHECK(wait_exitcode(kid) == 0, "child");
    cshim_flag_clear(f);
    CHECK(!cshim_flag_is_set(f), "cleared");
    area_free(a);
}

// ---------------------------------------------------------------------------------------------------------------

static const struct test tests[] = {
    { "sync_lock_rules", test_lock_rules },
    { "sync_lock_owner_killed_recovered_and_told", test_lock_owner_killed_recovered_and_told },
    { "sync_rlock_depth_and_release_all", test_rlock_depth_and_release_all },
    { "sync_semaphore_bounds_and_timeouts", test_semaphore_bounds_and_timeouts },
    { "sync_semaphore_counts_exactly_under_contention", test_semaphore_counts_exactly_under_contention },
    { "sync_condition_queue_is_fifo_and_bounded", test_condition_queue_is_fifo_and_bounded },
    { "sync_condition_wakes_another_process", test_condition_wakes_another_process },
    { "sync_condition_skips_and_reclaims_dead_waiters", test_condition_skips_and_reclaims_dead_waiters },
    { "sync_flag_set_clear_wait", test_flag_set_clear_wait },
};

int main(int argc, char **argv) {
    return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv, 120, "sync_no_leaks", "cshim-sync-");
}
