// Python's arbitrary-precision ints over GMP (libgmp), for MPShell's `PyBig`.
//
// Why in C: gmp.h's API is macros over `__gmpz_*` symbols and `mpz_t` is an array typedef, neither of which
// Swift can name; a few operations (float conversion with CPython's rounding, true division, the modular
// inverse of pow) are loops over GMP calls that are plainer here. Swift owns each `cshim_big` (an mpz struct
// stored in a final class, cleared in its deinit) and calls these thin wrappers.
#pragma once

#include <stdint.h>
#include <stddef.h>
#include <gmp.h>

#if defined(__clang__)
#define CGMP_NONNULL _Nonnull
#define CGMP_NULLABLE _Nullable
#else
#define CGMP_NONNULL
#define CGMP_NULLABLE
#endif

#ifdef __cplusplus
extern "C" {
#endif

/// One GMP integer (`__mpz_struct`): an allocation count, a signed limb count and a limb pointer.
typedef __mpz_struct cshim_big;
typedef cshim_big *CGMP_NONNULL cshim_big_ptr;
typedef const cshim_big *CGMP_NONNULL cshim_big_src;

static inline void cshim_big_init(cshim_big_ptr r) { mpz_init(r); }
static inline void cshim_big_clear(cshim_big_ptr r) { mpz_clear(r); }
static inline void cshim_big_set_si(cshim_big_ptr r, long v) { mpz_set_si(r, v); }
static inline void cshim_big_set_ui(cshim_big_ptr r, unsigned long v) { mpz_set_ui(r, v); }
static inline void cshim_big_set(cshim_big_ptr r, cshim_big_src a) { mpz_set(r, a); }
/// Truncates toward zero; `d` must be finite.
static inline void cshim_big_set_d(cshim_big_ptr r, double d) { mpz_set_d(r, d); }

static inline void cshim_big_add(cshim_big_ptr r, cshim_big_src a, cshim_big_src b) { mpz_add(r, a, b); }
static inline void cshim_big_sub(cshim_big_ptr r, cshim_big_src a, cshim_big_src b) { mpz_sub(r, a, b); }
static inline void cshim_big_mul(cshim_big_ptr r, cshim_big_src a, cshim_big_src b) { mpz_mul(r, a, b); }
/// `a + b` for a machine-word `b` of either sign, without making `b` an mpz.
static inline void cshim_big_add_si(cshim_big_ptr r, cshim_big_src a, long b) {
    if (b >= 0) mpz_add_ui(r, a, (unsigned long)b); else mpz_sub_ui(r, a, -(unsigned long)b);
}
static inline void cshim_big_sub_si(cshim_big_ptr r, cshim_big_src a, long b) {
    if (b >= 0) mpz_sub_ui(r, a, (unsigned long)b); else mpz_add_ui(r, a, -(unsigned long)b);
}
static inline void cshim_big_mul_si(cshim_big_ptr r, cshim_big_src a, long b) { mpz_mul_si(r, a, b); }
static inline void cshim_big_neg(cshim_big_ptr r, cshim_big_src a) { mpz_neg(r, a); }
static inline void cshim_big_abs(cshim_big_ptr r, cshim_big_src a) { mpz_abs(r, a); }
static inline void cshim_big_com(cshim_big_ptr r, cshim_big_src a) { mpz_com(r, a); }
/// Floor division and modulo, Python's (the remainder takes the divisor's sign). `b` must not be zero.
static inline void cshim_big_fdiv_q(cshim_big_ptr q, cshim_big_src a, cshim_big_src b) { mpz_fdiv_q(q, a, b); }
static inline void cshim_big_fdiv_r(cshim_big_ptr r, cshim_big_src a, cshim_big_src b) { mpz_fdiv_r(r, a, b); }
/// Truncating division (C's and Swift's). `b` must not be zero.
static inline void cshim_big_tdiv_qr(cshim_big_ptr q, cshim_big_ptr r, cshim_big_src a, cshim_big_src b) {
    mpz_tdiv_qr(q, r, a, b);
}
static inline void cshim_big_pow_ui(cshim_big_ptr r, cshim_big_src a, unsigned long e) { mpz_pow_ui(r, a, e); }
/// Bitwise operations with two's complement semantics for negatives (as Python's).
static inline void cshim_big_and(cshim_big_ptr r, cshim_big_src a, cshim_big_src b) { mpz_and(r, a, b); }
static inline void cshim_big_ior(cshim_big_ptr r, cshim_big_src a, cshim_big_src b) { mpz_ior(r, a, b); }
static inline void cshim_big_xor(cshim_big_ptr r, cshim_big_src a, cshim_big_src b) { mpz_xor(r, a, b); }
static inline void cshim_big_shl(cshim_big_ptr r, cshim_big_src a, unsigned long n) { mpz_mul_2exp(r, a, n); }
/// Arithmetic right shift: floors, as Python's `>>` on negatives.
static inline void cshim_big_shr(cshim_big_ptr r, cshim_big_src a, unsigned long n) { mpz_fdiv_q_2exp(r, a, n); }
static inline void cshim_big_gcd(cshim_big_ptr r, cshim_big_src a, cshim_big_src b) { mpz_gcd(r, a, b); }
static inline void cshim_big_lcm(cshim_big_ptr r, cshim_big_src a, cshim_big_src b) { mpz_lcm(r, a, b); }
/// Floor of the square root; `a` must not be negative.
static inline void cshim_big_sqrt(cshim_big_ptr r, cshim_big_src a) { mpz_sqrt(r, a); }
static inline void cshim_big_fac(cshim_big_ptr r, unsigned long n) { mpz_fac_ui(r, n); }
static inline void cshim_big_bin(cshim_big_ptr r, unsigned long n, unsigned long k) { mpz_bin_uiui(r, n, k); }

static inline int cshim_big_cmp(cshim_big_src a, cshim_big_src b) { return mpz_cmp(a, b); }
static inline int cshim_big_cmp_si(cshim_big_src a, long b) { return mpz_cmp_si(a, b); }
/// Exact comparison with a double (infinities allowed, NaN not).
static inline int cshim_big_cmp_d(cshim_big_src a, double b) { return mpz_cmp_d(a, b); }
static inline int cshim_big_sgn(cshim_big_src a) { return mpz_sgn(a); }
static inline int cshim_big_fits_long(cshim_big_src a) { return mpz_fits_slong_p(a); }
static inline long cshim_big_get_si(cshim_big_src a) { return mpz_get_si(a); }
/// The low 64 bits of the two's complement representation.
uint64_t cshim_big_low_bits(cshim_big_src a);
/// Bits in |a| (0 for 0): Python's `int.bit_length`.
size_t cshim_big_bit_length(cshim_big_src a);
/// Set bits in |a|: Python's `int.bit_count`.
size_t cshim_big_popcount(cshim_big_src a);

/// Digits of |a| in `base` (2...36) plus one: the buffer size `cshim_big_get_str` needs, possibly one too many.
static inline size_t cshim_big_str_size(cshim_big_src a, int base) { return mpz_sizeinbase(a, base) + 2; }
/// Writes `a` in `base` (lowercase digits, a leading '-' when negative, NUL-terminated) into `buf`
/// of `cshim_big_str_size` bytes; returns the length written.
size_t cshim_big_get_str(char *CGMP_NONNULL buf, int base, cshim_big_src a);
/// Parses `len` digits (validated by the caller: no sign, no spaces) in `base` into `r`. Returns 0 on success.
int cshim_big_set_str(cshim_big_ptr r, const char *CGMP_NONNULL digits, size_t len, int base);

/// `a` as the nearest double, ties to even (CPython's int.__float__); sets `*overflow` and returns 0 when
/// the result is too large for a double.
double cshim_big_to_double(cshim_big_src a, int *CGMP_NONNULL overflow);
/// `a / b` correctly rounded (CPython's long_true_divide); `b` must not be zero. Sets `*overflow` when the
/// quotient is too large for a double.
double cshim_big_true_div(cshim_big_src a, cshim_big_src b, int *CGMP_NONNULL overflow);
/// `pow(b, e, m)` as Python's: the result takes the sign of `m` (m != 0); a negative `e` uses the inverse of
/// `b` modulo `m`. Returns 0, or -1 when `b` has no inverse modulo `m`.
int cshim_big_powm(cshim_big_ptr r, cshim_big_src b, cshim_big_src e, cshim_big_src m);
/// CPython's hash of an int: |a| modulo 2^61 - 1, with a's sign, and -1 made -2.
int64_t cshim_big_hash(cshim_big_src a);
/// `a` as `n` bytes of little-endian magnitude (n = (bit_length + 7) / 8), into `out`.
void cshim_big_export(uint8_t *CGMP_NONNULL out, size_t n, cshim_big_src a);
/// r = the non-negative integer of `n` little-endian bytes.
void cshim_big_import(cshim_big_ptr r, const uint8_t *CGMP_NULLABLE bytes, size_t n);

#ifdef __cplusplus
}
#endif
