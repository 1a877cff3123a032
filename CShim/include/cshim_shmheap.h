// A shared heap for the Manager: dictionaries and lists of byte strings in one shared-memory arena, under one
// robust process-shared mutex.
//
// The arena is a memfd of a fixed *reserved* size (default 1 GiB in the Swift layer), mapped MAP_SHARED |
// MAP_NORESERVE before the users fork: tmpfs allocates a page only when it is first written, so the reserve
// costs address space, not memory. Inside it: a header page (the mutex, a bump pointer, free lists of
// power-of-two blocks, the list of objects), then blocks. An object is a dictionary (open addressing, linear
// probing, 16-byte slots {hash, entry}, grown or cleaned by rehashing into a new table) or a list (a block of
// entry offsets). An entry is one block holding {hash, insertion number, key length, value length, key bytes,
// value bytes}; the insertion numbers give iteration Python's order.
//
// Crash consistency (a process SIGKILLed while it holds the mutex): every mutation builds what it needs in
// fresh blocks first and makes it reachable with ONE release store (a slot's entry word, a table or item-block
// pointer, a list count); what it replaced is freed only afterwards. So at any instruction the structures are
// either before or after the change, never half-way; a death can only leak the blocks of one operation. The
// counters that are not the publishing store (a dictionary's live/used counts) are recomputed by the next
// locker, who is told EOWNERDEAD by the robust mutex. Offsets, not pointers, so the layout does not depend on
// where the arena is mapped.
//
// In C because the structure needs release stores at exact points (the publishing order above) and a
// pthread robust mutex inside the arena, neither of which Swift can express over raw shared memory.
#pragma once
#include "cshim_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cshim_shmheap cshim_shmheap;

/// Object kinds.
enum { CSHIM_SHMHEAP_DICT = 1, CSHIM_SHMHEAP_LIST = 2 };

/// Creates an anonymous arena of `reserve` bytes (memfd_create(MFD_CLOEXEC) + ftruncate + mmap MAP_SHARED |
/// MAP_NORESERVE; the descriptor is closed again, the mapping keeps the memory) and formats its header.
/// Processes forked afterwards share it. Returns the heap (the start of the mapping) or NULL with errno
/// (EINVAL when `reserve` is under 64 KiB or not a multiple of the page size).
cshim_shmheap *CSHIM_NULLABLE cshim_shmheap_create(const char *CSHIM_NONNULL debug_name, size_t reserve);

/// Unmaps the arena from this process (other processes keep their mappings). Returns munmap's answer.
int cshim_shmheap_unmap(cshim_shmheap *CSHIM_NONNULL heap);

/// The reserved size and the bytes handed out so far (the bump pointer: blocks freed since are reused, not
/// subtracted).
size_t cshim_shmheap_reserve(const cshim_shmheap *CSHIM_NONNULL heap);
size_t cshim_shmheap_used(const cshim_shmheap *CSHIM_NONNULL heap);
/// How many times a locker found the previous holder dead and repaired the counters.
uint64_t cshim_shmheap_recoveries(const cshim_shmheap *CSHIM_NONNULL heap);
/// Whether `cshim_shmheap_shutdown` was called (by any process).
int cshim_shmheap_is_shutdown(const cshim_shmheap *CSHIM_NONNULL heap);

/// Locks the heap, waiting at most `timeout_ns` (CShim's convention). Returns 0; EOWNERDEAD when the previous
/// holder died (the lock is held and the structures have been repaired); ESHUTDOWN when the heap was shut down
/// (the lock is NOT held); ETIMEDOUT/EBUSY; EDEADLK when this thread holds it already.
int cshim_shmheap_lock(cshim_shmheap *CSHIM_NONNULL heap, int64_t timeout_ns);
/// Unlocks. Returns the pthread code (EPERM when not the holder).
int cshim_shmheap_unlock(cshim_shmheap *CSHIM_NONNULL heap);

/// Marks the heap shut down (every later lock gets ESHUTDOWN, in every process) and gives its memory back to
/// the system (MADV_REMOVE on everything after the header). Idempotent. Takes the lock itself.
int cshim_shmheap_shutdown(cshim_shmheap *CSHIM_NONNULL heap);

/// The hash of a key's bytes (64-bit, seeded by the length).
uint64_t cshim_shmheap_hash(const void *CSHIM_NULLABLE bytes, size_t length);

// Everything below needs the lock held. Objects are offsets in the arena; pointers to bytes returned by the
// look-ups stay valid only while the lock is held.

/// A new empty object of `kind`. Returns its offset, or 0 when the arena is full (ENOMEM).
uint64_t cshim_shmheap_new_object(cshim_shmheap *CSHIM_NONNULL heap, int kind);

/// Dictionary operations. `hash` must be cshim_shmheap_hash of the key. find: 1 (found; value and its
/// length set) or 0. set: 0, or ENOMEM (arena full; the dictionary is unchanged). remove: 1 or 0 (absent).
int cshim_shmheap_dict_find(cshim_shmheap *CSHIM_NONNULL heap, uint64_t dict, const void *CSHIM_NULLABLE key,
                            size_t key_length, uint64_t hash, const void *CSHIM_NULLABLE *CSHIM_NONNULL value,
                            size_t *CSHIM_NONNULL value_length);
int cshim_shmheap_dict_set(cshim_shmheap *CSHIM_NONNULL heap, uint64_t dict, const void *CSHIM_NULLABLE key,
                           size_t key_length, uint64_t hash, const void *CSHIM_NULLABLE value, size_t value_length);
int cshim_shmheap_dict_remove(cshim_shmheap *CSHIM_NONNULL heap, uint64_t dict, const void *CSHIM_NULLABLE key,
                              size_t key_length, uint64_t hash);
/// Stores `count` pairs (keys[k] of key_lengths[k] bytes, hashes[k], values[k] of value_lengths[k] bytes; a
/// later pair for the same key wins) in ONE publishing store: a new table holding the old entries and the new
/// ones replaces the old table. So another process, or a writer killed at any instruction, sees the dictionary
/// before or after the whole update, never part of it (Manager's `d.update({...})`). 0, or ENOMEM (the arena is
/// full: unchanged, nothing leaked).
int cshim_shmheap_dict_update(cshim_shmheap *CSHIM_NONNULL heap, uint64_t dict, size_t count,
                              const void *CSHIM_NULLABLE const *CSHIM_NONNULL keys,
                              const size_t *CSHIM_NONNULL key_lengths, const uint64_t *CSHIM_NONNULL hashes,
                              const void *CSHIM_NULLABLE const *CSHIM_NONNULL values,
                              const size_t *CSHIM_NONNULL value_lengths);
size_t cshim_shmheap_dict_count(const cshim_shmheap *CSHIM_NONNULL heap, uint64_t dict);
/// Empties the dictionary and frees its entries. 0, or ENOMEM (no room for the new empty table: unchanged).
int cshim_shmheap_dict_clear(cshim_shmheap *CSHIM_NONNULL heap, uint64_t dict);
/// Iterates in table order: start with *cursor = 0; returns 1 with the next entry's insertion number, key and
/// value, or 0 at the end. Sorting by insertion number gives Python's order (a replaced value keeps its key's
/// place; a key removed and set again goes last).
int cshim_shmheap_dict_next(const cshim_shmheap *CSHIM_NONNULL heap, uint64_t dict, size_t *CSHIM_NONNULL cursor,
                            uint64_t *CSHIM_NONNULL seq,
                            const void *CSHIM_NULLABLE *CSHIM_NONNULL key, size_t *CSHIM_NONNULL key_length,
                            const void *CSHIM_NULLABLE *CSHIM_NONNULL value, size_t *CSHIM_NONNULL value_length);

/// List operations; indices are 0..<count (the caller maps Python's negative indices). get/set/remove:
/// ERANGE for an index out of range; insert accepts 0...count (count appends). 0 on success, ENOMEM when the
/// arena is full (the list is unchanged).
size_t cshim_shmheap_list_count(const cshim_shmheap *CSHIM_NONNULL heap, uint64_t list);
int cshim_shmheap_list_get(const cshim_shmheap *CSHIM_NONNULL heap, uint64_t list, size_t index,
                           const void *CSHIM_NULLABLE *CSHIM_NONNULL value, size_t *CSHIM_NONNULL value_length);
int cshim_shmheap_list_set(cshim_shmheap *CSHIM_NONNULL heap, uint64_t list, size_t index,
                           const void *CSHIM_NULLABLE value, size_t value_length);
int cshim_shmheap_list_insert(cshim_shmheap *CSHIM_NONNULL heap, uint64_t list, size_t index,
                              const void *CSHIM_NULLABLE value, size_t value_length);
int cshim_shmheap_list_remove(cshim_shmheap *CSHIM_NONNULL heap, uint64_t list, size_t index);
int cshim_shmheap_list_clear(cshim_shmheap *CSHIM_NONNULL heap, uint64_t list);

/// Checks every invariant of every object (offsets inside the arena, entries' hashes, counts). Returns 0, or
/// EUCLEAN when something is inconsistent (a bug). For tests: after a writer was killed mid-operation.
int cshim_shmheap_check(const cshim_shmheap *CSHIM_NONNULL heap);

/// Test hook: this process SIGKILLs itself when it reaches kill point `point` (0: none) inside a mutation:
///   1 dict set: new entry written, not yet published   2 dict set: published, counters not yet updated
///   3 rehash: new table filled, not yet published        4 list remove: new item block built, not published
///   5 list append: entry written, count not yet published 6 free: block linked, free-list head not yet moved
///   7 dict update: new table filled, not yet published    8 dict update: published, counters not yet updated
void cshim_shmheap_set_kill_point(int point);

#ifdef __cplusplus
}
#endif
