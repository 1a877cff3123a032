// A C process on a ring that a Swift process made (or the other way round), through CShim's C ABI
// (CShim/include/cshim_ring.h). Build, from the repository's root:
//   gcc -std=gnu11 -D_GNU_SOURCE -ICShim/include -ICShim Examples/ring-c/ring_peer.c CShim/*.c -o ring_peer -lpthread
//
// Usage:
//   ring_peer write NAME COUNT   attach to the named ring, write the int64 values 0..COUNT-1, close writing
//   ring_peer read NAME COUNT    attach (waiting up to 10 s for the name), read 0..COUNT-1, then the end of stream
//   ring_peer create NAME COUNT  create a 64 KiB SPSC ring NAME, write 0..COUNT-1, close writing; the name stays
//                                (the reader removes it: RingBuffer.remove(name:) in Swift, shm_unlink in C)
// Exit status 0 on success; otherwise a message on stderr says what went wrong.
#include "cshim_ring.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *what, int code) {
    fprintf(stderr, "ring_peer: %s: %s\n", what, strerror(code));
    return 1;
}

// Maps the named ring and attaches to it; NULL with errno.
static cshim_ring *attach(const char *name, int wait_for_it) {
    char path[256];
    snprintf(path, sizeof path, "/%s", name);
    int fd = -1;
    for (int tries = 0; tries < 1000; tries++) {  // up to 10 s while the creator makes it
        fd = shm_open(path, O_RDWR, 0);
        if (fd >= 0 || errno != ENOENT || !wait_for_it) break;
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
    }
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) return NULL;
    void *base = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (base == MAP_FAILED) return NULL;
    cshim_ring *ring = NULL;
    for (int tries = 0; tries < 1000 && !ring; tries++) {  // EINVAL until the creator has formatted it
        ring = cshim_ring_attach(base, (size_t)st.st_size);
        if (!ring && wait_for_it) nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
    }
    return ring;
}

static int write_values(cshim_ring *ring, long count) {
    for (int64_t i = 0; i < count; i++) {
        int rc = cshim_ring_write(ring, &i, sizeof i, 10000000000LL);
        if (rc != 0) return fail("write", rc);
    }
    cshim_ring_close(ring, CSHIM_RING_CLOSE_WRITE);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: ring_peer write|read|create NAME COUNT\n");
        return 2;
    }
    const char *mode = argv[1], *name = argv[2];
    long count = strtol(argv[3], NULL, 10);
    if (strcmp(mode, "create") == 0) {
        uint64_t capacity = 1 << 16;
        size_t size = cshim_ring_shared_size(capacity);
        char path[256];
        snprintf(path, sizeof path, "/%s", name);
        int fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd < 0) return fail("shm_open", errno);
        if (ftruncate(fd, (off_t)size) != 0) return fail("ftruncate", errno);
        void *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);
        if (base == MAP_FAILED) return fail("mmap", errno);
        int rc = cshim_ring_init_at(base, size, capacity, CSHIM_RING_SPSC);
        if (rc != 0) return fail("cshim_ring_init_at", rc);
        cshim_ring *ring = cshim_ring_attach(base, size);
        if (!ring) return fail("cshim_ring_attach", errno);
        return write_values(ring, count);
    }
    cshim_ring *ring = attach(name, strcmp(mode, "read") == 0);
    if (!ring) return fail("attach", errno);
    if (strcmp(mode, "write") == 0) return write_values(ring, count);
    for (int64_t i = 0; i < count; i++) {
        int64_t v;
        size_t length;
        int rc = cshim_ring_read(ring, &v, sizeof v, &length, 10000000000LL);
        if (rc != 0) return fail("read", rc);
        if (length != sizeof v || v != i) {
            fprintf(stderr, "ring_peer: expected %lld, got %lld (%zu bytes)\n", (long long)i, (long long)v, length);
            return 1;
        }
    }
    int64_t v;
    size_t length;
    int rc = cshim_ring_read(ring, &v, sizeof v, &length, 10000000000LL);
    if (rc != EPIPE) return fail("expected the end of the stream", rc);
    cshim_ring_detach(ring);
    return 0;
}
