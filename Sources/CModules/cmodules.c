// See cmodules.h: the wrappers over zlib's init macros and libcrypto's digest lookup.
#include "cmodules.h"

#include <string.h>
#include <sys/random.h>

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
