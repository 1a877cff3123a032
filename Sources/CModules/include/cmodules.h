// The C libraries behind mpsh's `hashlib` (OpenSSL's libcrypto) and `zlib` (zlib). Swift calls most of their
// functions directly through this module; the few wrappers below exist for what Swift cannot import or would make
// error-prone (a function-like macro, a struct whose fields must be set before a call).
#ifndef CMODULES_H
#define CMODULES_H

#include <stddef.h>
#include <stdint.h>
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

#pragma clang assume_nonnull end

#endif
