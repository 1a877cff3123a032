// The C libraries behind mpsh's `hashlib` (OpenSSL's libcrypto) and `zlib` (zlib). Swift calls most of their
// functions directly through this module; the few wrappers below exist for what Swift cannot import or would make
// error-prone (a function-like macro, a struct whose fields must be set before a call).
#ifndef CMODULES_H
#define CMODULES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <zlib.h>
#include <openssl/evp.h>

#pragma clang assume_nonnull begin

/// Initialises `strm` for `deflate` at `level` with window bits `wbits` (zlib's `deflateInit2`, a macro that
/// passes the library's version and the struct's size, which Swift cannot call). Returns zlib's code.
int cmodules_deflate_init(z_stream *strm, int level, int method, int wbits, int memlevel, int strategy);

/// Initialises `strm` for `inflate` with window bits `wbits` (zlib's `inflateInit2`, a macro). Returns zlib's code.
int cmodules_inflate_init(z_stream *strm, int wbits);

/// The message-digest algorithm named `name` ("sha256", "md5", "blake2b512", ...), or NULL if libcrypto has none.
/// A wrapper so that the lookup also covers the names Python spells differently (`blake2b` is OpenSSL's
/// `blake2b512`, `sha3_256` is `sha3-256`).
const EVP_MD *_Nullable cmodules_digest_named(const char *name);

/// Fills `buf` with `len` bytes from the kernel's CSPRNG; returns the count or -1 with errno set. In C because
/// `<sys/random.h>` is not part of Swift's Glibc module. The corresponding C function is `getrandom`.
long cmodules_getrandom(void *buf, size_t len);

/// Starts a program for `subprocess`: posix_spawnp (PATH searched) when `search` is non-zero, else posix_spawn;
/// `argv` and `envp` NULL-terminated; `stdin_fd`, `stdout_fd`, `stderr_fd` (when >= 0) become descriptors 0, 1
/// and 2 in the new program; `cwd` (when not NULL) is its working directory; every descriptor from 3 up is
/// closed there. Returns 0 and sets *pid, or an errno value (posix_spawn's convention). In C: posix_spawn's file
/// actions, with addchdir_np and addclosefrom_np, which Swift's Glibc module does not import.
int cmodules_spawn(const char *path, char *_Nullable const *_Nonnull argv, char *_Nullable const *_Nonnull envp, const char *_Nullable cwd,
                   int stdin_fd, int stdout_fd, int stderr_fd, int search, pid_t *pid);

/// The trashcan's nesting depth (`Trash` in Sources/PyLang/Objects/Value.swift): how many container frees are
/// running inside one another. In C, with the release called from here, so that the release happens between the
/// increment and the decrement: Swift's optimiser may move a release anywhere after the object's last use, and did.
long cmodules_trash_depth(void);
/// Calls `release(object)` one level deeper: what it frees sees the depth one higher.
void cmodules_trash_run(void (*release)(void *_Nullable), void *object);
void cmodules_trash_set(long depth);

#pragma clang assume_nonnull end

#endif
