#include "cshim_mutex.h"
#include "internal.h"
#include <errno.h>
#include <pthread.h>

_Static_assert(sizeof(struct cshim_mutex) == sizeof(pthread_mutex_t), "cshim_mutex wraps a pthread mutex only");

size_t cshim_mutex_size(void) { return sizeof(struct cshim_mutex); }
size_t cshim_mutex_align(void) { return _Alignof(struct cshim_mutex); }

int cshim_mutex_init_at(void *place) {
    pthread_mutexattr_t attr;
    int rc = pthread_mutexattr_init(&attr);
    if (rc != 0) return rc;
    if ((rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED)) == 0 &&
        (rc = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST)) == 0 &&
        (rc = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK)) == 0) {
        rc = pthread_mutex_init(&((struct cshim_mutex *)place)->m, &attr);
    }
    pthread_mutexattr_destroy(&attr);
    return rc;
}

int cshim_mutex_lock(cshim_mutex *mx, int64_t timeout_ns) {
    return cshim_mutex_lock_until(mx, cshim_deadline_after(timeout_ns), timeout_ns == 0);
}

int cshim_mutex_lock_until(struct cshim_mutex *mx, int64_t deadline_ns, int nonblock) {
    int rc;
    if (nonblock) {
        rc = pthread_mutex_trylock(&mx->m);
    } else if (deadline_ns < 0) {
        rc = pthread_mutex_lock(&mx->m);
    } else {
        struct timespec deadline = cshim_timespec_from_ns(deadline_ns);
        rc = pthread_mutex_clocklock(&mx->m, CLOCK_MONOTONIC, &deadline);
    }
    if (rc == EOWNERDEAD) {
        // We hold it now. Mark it consistent at once: unlocking without doing so would make it unusable for
        // ever (ENOTRECOVERABLE). The caller still hears EOWNERDEAD and repairs what the mutex protects.
        int c = pthread_mutex_consistent(&mx->m);
        if (c != 0) return c;
    }
    return rc;
}

int cshim_mutex_unlock(cshim_mutex *mx) { return pthread_mutex_unlock(&mx->m); }

int cshim_mutex_destroy(cshim_mutex *mx) { return pthread_mutex_destroy(&mx->m); }
