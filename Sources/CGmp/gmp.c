// Python's int semantics over GMP: see include/cgmp.h.
#include "cgmp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

uint64_t cshim_big_low_bits(cshim_big_src a) {
    uint64_t low = mpz_size(a) ? (uint64_t)mpz_getlimbn(a, 0) : 0;
    return mpz_sgn(a) < 0 ? (uint64_t)0 - low : low;
}

size_t cshim_big_bit_length(cshim_big_src a) {
    return mpz_sgn(a) == 0 ? 0 : mpz_sizeinbase(a, 2);
}

size_t cshim_big_popcount(cshim_big_src a) {
    size_t n = 0;
    for (size_t i = 0; i < mpz_size(a); i++) n += (size_t)__builtin_popcountll(mpz_getlimbn(a, i));
    return n;
}

size_t cshim_big_get_str(char *buf, int base, cshim_big_src a) {
    mpz_get_str(buf, base, a);
    return strlen(buf);
}

int cshim_big_set_str(cshim_big_ptr r, const char *digits, size_t len, int base) {
    // mpz_set_str needs a NUL-terminated string: copy small inputs to the stack
    char stack[256];
    char *s = len < sizeof stack ? stack : malloc(len + 1);
    if (!s) return -1;
    memcpy(s, digits, len);
    s[len] = 0;
    int rc = mpz_set_str(r, s, base);
    if (s != stack) free(s);
    return rc;
}

/// `m * 2^exp` rounded to a double with round-half-even, where `m` (> 0) carries `sticky` for nonzero bits
/// below it. Keeps 53 bits, or fewer where the result is subnormal.
static double round_scaled(mpz_t m, int sticky, long exp, int *overflow) {
    long bits = (long)mpz_sizeinbase(m, 2);
    long top = bits + exp;                       // the value lies in [2^(top-1), 2^top)
    if (top > 1024) { *overflow = 1; return 0; }
    long keep = 53;
    if (top - 53 < -1074) keep = top + 1074;     // subnormal: fewer bits
    if (keep < 0) return 0;                      // below half the smallest subnormal
    long drop = bits - keep;
    if (drop > 0) {
        int half = mpz_tstbit(m, (mp_bitcnt_t)(drop - 1));
        int rest = sticky || (mpz_scan1(m, 0) < (mp_bitcnt_t)(drop - 1));
        mpz_fdiv_q_2exp(m, m, (mp_bitcnt_t)drop);
        if (half && (rest || mpz_odd_p(m))) mpz_add_ui(m, m, 1);
        exp += drop;
    }
    double d = ldexp(mpz_get_d(m), (int)exp);   // m has at most 54 bits: exact
    if (isinf(d)) { *overflow = 1; return 0; }
    return d;
}

double cshim_big_to_double(cshim_big_src a, int *overflow) {
    *overflow = 0;
    int sign = mpz_sgn(a);
    if (sign == 0) return 0;
    if (mpz_sizeinbase(a, 2) <= 53) return mpz_get_d(a);
    mpz_t m;
    mpz_init(m);
    mpz_abs(m, a);
    double d = round_scaled(m, 0, 0, overflow);
    mpz_clear(m);
    return sign < 0 ? -d : d;
}

double cshim_big_true_div(cshim_big_src a, cshim_big_src b, int *overflow) {
    *overflow = 0;
    int sign = mpz_sgn(a) * mpz_sgn(b);
    if (sign == 0) return mpz_sgn(b) < 0 ? -0.0 : 0.0;
    size_t na = mpz_sizeinbase(a, 2), nb = mpz_sizeinbase(b, 2);
    if (na <= 53 && nb <= 53) return mpz_get_d(a) / mpz_get_d(b);   // both exact: one IEEE division
    // q = |a| * 2^-shift / |b| with at least 55 bits, then rounded once
    long shift = (long)na - (long)nb - 55;
    mpz_t x, y, q, r;
    mpz_inits(x, y, q, r, NULL);
    mpz_abs(x, a);
    mpz_abs(y, b);
    if (shift > 0) mpz_mul_2exp(y, y, (mp_bitcnt_t)shift); else mpz_mul_2exp(x, x, (mp_bitcnt_t)-shift);
    mpz_tdiv_qr(q, r, x, y);
    double d = round_scaled(q, mpz_sgn(r) != 0, shift, overflow);
    mpz_clears(x, y, q, r, NULL);
    return sign < 0 ? -d : d;
}

int cshim_big_powm(cshim_big_ptr r, cshim_big_src b, cshim_big_src e, cshim_big_src m) {
    mpz_t am, base, ex;
    mpz_inits(am, base, ex, NULL);
    mpz_abs(am, m);
    int rc = 0;
    if (mpz_cmp_ui(am, 1) == 0) {
        mpz_set_ui(r, 0);
    } else {
        mpz_set(base, b);
        mpz_set(ex, e);
        if (mpz_sgn(e) < 0) {
            if (!mpz_invert(base, base, am)) { rc = -1; goto done; }
            mpz_neg(ex, ex);
        }
        mpz_powm(r, base, ex, am);   // in [0, |m|)
        if (mpz_sgn(m) < 0 && mpz_sgn(r) != 0) mpz_add(r, r, m);
    }
done:
    mpz_clears(am, base, ex, NULL);
    return rc;
}

int64_t cshim_big_hash(cshim_big_src a) {
    const uint64_t modulus = ((uint64_t)1 << 61) - 1;
    int64_t h = (int64_t)mpz_tdiv_ui(a, modulus);   // of |a|
    if (mpz_sgn(a) < 0) h = -h;
    return h == -1 ? -2 : h;
}

void cshim_big_export(uint8_t *out, size_t n, cshim_big_src a) {
    memset(out, 0, n);
    size_t count = 0;
    if (mpz_sgn(a) != 0) mpz_export(out, &count, -1, 1, 0, 0, a);
}

void cshim_big_import(cshim_big_ptr r, const uint8_t *bytes, size_t n) {
    if (n == 0 || !bytes) { mpz_set_ui(r, 0); return; }
    mpz_import(r, n, -1, 1, 0, 0, bytes);
}
