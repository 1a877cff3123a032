// without-pidfd PROGRAM [ARGS...]: runs PROGRAM with pidfd_open(2) refused (ENOSYS) by a seccomp filter, as on a
// kernel before 5.3 or in a sandbox that refuses it, so the tests can check the fallbacks (sentinel pipes) end to
// end with the real mpsh.
#include "deny_pidfd.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: without-pidfd PROGRAM [ARGS...]\n");
        return 2;
    }
    if (deny_pidfd_open() != 0) {
        fprintf(stderr, "without-pidfd: cannot install the seccomp filter: %s\n", strerror(errno));
        return 2;
    }
    execvp(argv[1], argv + 1);
    fprintf(stderr, "without-pidfd: cannot run %s: %s\n", argv[1], strerror(errno));
    return 127;
}
