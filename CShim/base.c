#include "cshim_base.h"
#include <time.h>

int64_t cshim_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t cshim_deadline_after(int64_t timeout_ns) {
    if (timeout_ns < 0) return -1;
    int64_t now = cshim_now_ns();
    // Saturate rather than overflow for absurdly long timeouts.
    return timeout_ns > INT64_MAX - now ? INT64_MAX : now + timeout_ns;
}
