// See cmodules.h: the wrappers over zlib's init macros and libcrypto's digest lookup.
// posix_spawn_file_actions_addchdir_np and addclosefrom_np are GNU extensions
#define _GNU_SOURCE
#include "cmodules.h"

#include <string.h>
#include <sys/random.h>
#include <spawn.h>
#include <fcntl.h>
#include <errno.h>

static long trash_depth;   // one thread frees interpreter objects (the one-thread rule)

long cmodules_trash_depth(void) { return trash_depth; }
void cmodules_trash_run(void (*release)(void *), void *object) {
    trash_depth++;
    release(object);
    trash_depth--;
}
void cmodules_trash_set(long depth) { trash_depth = depth; }

int cmodules_deflate_init(z_stream *strm, int level, int method, int wbits, int memlevel, int strategy) {
    return deflateInit2(strm, level, method, wbits, memlevel, strategy);
}

int cmodules_inflate_init(z_stream *strm, int wbits) {
    return inflateInit2(strm, wbits);
}

const EVP_MD *cmodules_digest_named(const char *name) {
    static const struct { const char *python, *openssl; } aliases[] = {
        {"blake2b", "blake2b512"}, {"blake2s", "blake2s256"},
        {"sha3_224", "sha3-224"}, {"sha3_256", "sha3-256"}, {"sha3_384", "sha3-384"}, {"sha3_512", "sha3-512"},
        {"sha512_224", "sha512-224"}, {"sha512_256", "sha512-256"}, {"shake_128", "shake128"}, {"shake_256", "shake256"},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        if (strcmp(name, aliases[i].python) == 0) return EVP_get_digestbyname(aliases[i].openssl);
    }
    return EVP_get_digestbyname(name);
}

long cmodules_getrandom(void *buf, size_t len) {
    return (long)getrandom(buf, len, 0);
}

int cmodules_spawn(const char *path, char *const *argv, char *const *envp, const char *cwd,
                   int stdin_fd, int stdout_fd, int stderr_fd, int search, pid_t *pid) {
    posix_spawn_file_actions_t actions;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc != 0) return rc;
    const int sources[3] = {stdin_fd, stdout_fd, stderr_fd};
    for (int target = 0; target < 3 && rc == 0; target++) {
        if (sources[target] < 0) continue;
        // dup2 onto itself keeps FD_CLOEXEC; glibc (2.29+) clears it for an adddup2 of a descriptor onto itself
        rc = posix_spawn_file_actions_adddup2(&actions, sources[target], target);
    }
    if (rc == 0 && cwd != NULL) rc = posix_spawn_file_actions_addchdir_np(&actions, cwd);
    if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (rc == 0) {
        rc = search ? posix_spawnp(pid, path, &actions, NULL, argv, envp)
                    : posix_spawn(pid, path, &actions, NULL, argv, envp);
    }
    posix_spawn_file_actions_destroy(&actions);
    return rc;
}
