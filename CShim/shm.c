#include "cshim_shm.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int cshim_shm_anon_create(const char *debug_name, size_t size) {
    int fd = memfd_create(debug_name, MFD_CLOEXEC);
    if (fd < 0) return -1;
    if (ftruncate(fd, (off_t)size) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int cshim_shm_named_create(const char *name, size_t size) {
    int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    if (ftruncate(fd, (off_t)size) != 0) {
        int saved = errno;
        close(fd);
        shm_unlink(name);  // we created it: never leave the name behind
        errno = saved;
        return -1;
    }
    return fd;
}

int cshim_shm_named_open(const char *name, size_t *size_out) {
    int fd = shm_open(name, O_RDWR | O_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    *size_out = (size_t)st.st_size;
    return fd;
}

int cshim_shm_named_unlink(const char *name) { return shm_unlink(name); }

void *cshim_shm_map(int fd, size_t size) {
    // Large areas (an elastic ring's reach) are backed lazily: populating them would cost their whole size.
    int populate = size <= CSHIM_SHM_POPULATE_LIMIT ? MAP_POPULATE : 0;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | populate, fd, 0);
    return p == MAP_FAILED ? NULL : p;
}

int cshim_shm_unmap(void *addr, size_t size) { return munmap(addr, size); }
