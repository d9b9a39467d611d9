/* Philox4x32-10 and effsim's block draws from it; see include/philox.h. */
#include "philox.h"

#include <math.h>
#include <string.h>

/* Random123's multipliers and Weyl key increments for Philox4x32. */
#define PHILOX_M0 0xD2511F53ull
#define PHILOX_M1 0xCD9E8D57ull
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

/* Counters handled together: wide enough for two AVX2 registers of 32-bit lanes. */
#define LANES 8

void effsim_philox4x32_10(const uint32_t counter[4], const uint32_t key[2], uint32_t out[4]) {
    uint32_t c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3];
    uint32_t k0 = key[0], k1 = key[1];
    for (int r = 0; r < 10; r++) {
        if (r > 0) { k0 += PHILOX_W0; k1 += PHILOX_W1; }
        uint64_t p0 = (uint64_t)PHILOX_M0 * c0, p1 = (uint64_t)PHILOX_M1 * c2;
        uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0, n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
        c0 = n0; c1 = (uint32_t)p1; c2 = n2; c3 = (uint32_t)p0;
    }
    out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

void effsim_philox_start(effsim_philox_state *s, uint64_t key, uint64_t stream) {
    s->key[0] = (uint32_t)key; s->key[1] = (uint32_t)(key >> 32);
    s->stream[0] = (uint32_t)stream; s->stream[1] = (uint32_t)(stream >> 32);
    s->next = 0;
    s->used = 4;
}

/* sqrt without errno (its argument is never negative here): libm's sqrt may set errno, which
   keeps the compiler from vectorising it. */
#if defined(__has_builtin)
#if __has_builtin(__builtin_elementwise_sqrt)
#define lane_sqrt(x) __builtin_elementwise_sqrt(x)
#endif
#endif
#ifndef lane_sqrt
#define lane_sqrt(x) sqrt(x)
#endif

static inline uint64_t bits_of(double x) { uint64_t b; memcpy(&b, &x, 8); return b; }
static inline double double_of(uint64_t b) { double x; memcpy(&x, &b, 8); return x; }

/* (2j + 1) 2^-53 from the top 52 bits of x: 1.j - 1 is exact, and so is adding half a step. */
static inline double open_uniform(uint64_t x) {
    return (double_of(0x3FF0000000000000ull | (x >> 12)) - 1.0) + 0x1p-53;
}

/* Counters first .. first + LANES - 1 of a stream; a[l] and b[l] are lane l's two 64-bit halves.
   Each 32-bit word lives in a 64-bit lane, where one vector multiply (pmuludq) gives the full
   32 x 32 -> 64-bit product without repacking. */
static inline __attribute__((always_inline))
void philox_lanes(const effsim_philox_state *s, uint64_t first, uint64_t a[LANES], uint64_t b[LANES]) {
    const uint64_t low = 0xFFFFFFFFu;
    uint64_t c0[LANES], c1[LANES], c2[LANES], c3[LANES];
    for (int l = 0; l < LANES; l++) {
        uint64_t i = first + (uint64_t)l;
        c0[l] = i & low; c1[l] = i >> 32; c2[l] = s->stream[0]; c3[l] = s->stream[1];
    }
    uint64_t k0 = s->key[0], k1 = s->key[1];
    for (int r = 0; r < 10; r++) {
        for (int l = 0; l < LANES; l++) {
            uint64_t p0 = PHILOX_M0 * (c0[l] & low), p1 = PHILOX_M1 * (c2[l] & low);
            uint64_t n0 = (p1 >> 32) ^ c1[l] ^ k0, n2 = (p0 >> 32) ^ c3[l] ^ k1;
            c0[l] = n0; c1[l] = p1 & low; c2[l] = n2; c3[l] = p0 & low;
        }
        k0 = (k0 + PHILOX_W0) & low; k1 = (k1 + PHILOX_W1) & low;
    }
    for (int l = 0; l < LANES; l++) {
        a[l] = c1[l] << 32 | c0[l];
        b[l] = c3[l] << 32 | c2[l];
    }
}

/* log(x) for normal x > 0: fdlibm's e_log.c (error < 1 ulp) without branches. x = 2^k m with
   m in [sqrt(2)/2, sqrt(2)); the exponent is read with unsigned shifts and turned into a double
   through the 2^52 trick, so that SSE2 and AVX2 can do it lane by lane. */
static inline double lane_log(double x) {
    const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
                 Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
                 Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                 Lg7 = 1.479819860511658591e-01;
    const uint64_t sqrt_half = 0x3FE6A09E667F3BCDull, bias = 0x400ull << 52;
    uint64_t bx = bits_of(x);
    uint64_t kb = (bx - sqrt_half + bias) >> 52;          /* k + 0x400, in [1, 0x7FF] */
    double m = double_of(bx - (kb << 52) + bias);          /* x / 2^k */
    double dk = double_of(0x4330000000000000ull | kb) - (0x1p52 + 1024.0);
    double f = m - 1.0, s = f / (2.0 + f), z = s * s, w = z * z;
    double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
    double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
    double R = t2 + t1, hfsq = 0.5 * f * f;
    return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
}

/* sin and cos of a in [-pi/4, pi/4]: fdlibm's k_sin.c and k_cos.c kernels (error < 1 ulp). */
static inline double lane_sin(double x) {
    const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03,
                 S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06,
                 S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
    double z = x * x, v = z * x;
    double r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
    return x + v * (S1 + z * r);
}

static inline double lane_cos(double x) {
    const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03,
                 C3 = 2.48015872894767294178e-05, C4 = -2.75573143513906633035e-07,
                 C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
    double z = x * x, w = z * z;
    double r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
    double hz = 0.5 * z, v = 1.0 - hz;
    return v + (((1.0 - v) - hz) + z * r);
}

/* The two normals of counters whose halves are a[l], b[l]: r = sqrt(-2 log u), theta = 2 pi v,
   in separate passes over GROUP counters so that the long polynomial chains of many lanes
   overlap (one pass for everything is bound by their latency). The angle is reduced exactly
   (4v has at most 53 significant bits): 4v = q + t with q a whole quadrant and |t| <= 1/2. */
#define GROUP (4 * LANES)
static inline __attribute__((always_inline))
void box_muller(const uint64_t *a, const uint64_t *b, double *zc, double *zs) {
    double r[GROUP], s[GROUP], c[GROUP];
    uint64_t q[GROUP];
    for (int l = 0; l < GROUP; l++) r[l] = lane_log(open_uniform(a[l]));
    for (int l = 0; l < GROUP; l++) r[l] = lane_sqrt(-2.0 * r[l]);
    for (int l = 0; l < GROUP; l++) {
        double t4 = 4.0 * open_uniform(b[l]);
        double shifted = t4 + 0x1.8p52;                    /* rounds t4 to the nearest whole number */
        q[l] = bits_of(shifted);
        double angle = (t4 - (shifted - 0x1.8p52)) * 1.57079632679489661923;
        s[l] = lane_sin(angle);
        c[l] = lane_cos(angle);
    }
    for (int l = 0; l < GROUP; l++) {
        uint64_t sb = bits_of(s[l]), cb = bits_of(c[l]);
        uint64_t swap = 0 - (q[l] & 1);                    /* odd quadrant: sin and cos trade places */
        uint64_t sin_b = (sb & ~swap) | (cb & swap), cos_b = (cb & ~swap) | (sb & swap);
        uint64_t sign = 1ull << 63;
        sin_b ^= (q[l] & 2) ? sign : 0;                    /* quadrants 2, 3 */
        cos_b ^= ((q[l] + 1) & 2) ? sign : 0;              /* quadrants 1, 2 */
        zc[l] = r[l] * double_of(cos_b);
        zs[l] = r[l] * double_of(sin_b);
    }
}

/* The loops below are compiled twice (baseline and AVX2) from these bodies. A partial last
   group computes whole groups of counters and keeps what was asked for; the stream advances by
   ceil(n / 2) counters either way. */
typedef void lanes_function(const effsim_philox_state *, uint64_t, uint64_t *, uint64_t *);

static inline __attribute__((always_inline))
void uniforms_body(effsim_philox_state *s, double *out, size_t n, lanes_function lanes) {
    uint64_t a[LANES], b[LANES];
    double u[2 * LANES];
    for (size_t i = 0; i < n; i += 2 * LANES) {
        lanes(s, s->next + i / 2, a, b);
        for (int l = 0; l < LANES; l++) { u[2 * l] = open_uniform(a[l]); u[2 * l + 1] = open_uniform(b[l]); }
        size_t m = n - i < 2 * LANES ? n - i : 2 * LANES;
        memcpy(out + i, u, m * sizeof(double));
    }
    s->next += (n + 1) / 2;
}

static inline __attribute__((always_inline))
void normals_body(effsim_philox_state *s, double *out, size_t n, lanes_function lanes) {
    uint64_t a[GROUP], b[GROUP];
    double zc[GROUP], zs[GROUP], z[2 * GROUP];
    for (size_t i = 0; i < n; i += 2 * GROUP) {
        for (int g = 0; g < GROUP; g += LANES) lanes(s, s->next + i / 2 + (uint64_t)g, a + g, b + g);
        box_muller(a, b, zc, zs);
        for (int l = 0; l < GROUP; l++) { z[2 * l] = zc[l]; z[2 * l + 1] = zs[l]; }
        size_t m = n - i < 2 * GROUP ? n - i : 2 * GROUP;
        memcpy(out + i, z, m * sizeof(double));
    }
    s->next += (n + 1) / 2;
}

static inline __attribute__((always_inline)) void logs_body(double *x, size_t n) {
    for (size_t i = 0; i < n; i++) x[i] = lane_log(x[i]);
}

static void logs_generic(double *x, size_t n) { logs_body(x, n); }
static void uniforms_generic(effsim_philox_state *s, double *out, size_t n) { uniforms_body(s, out, n, philox_lanes); }
static void normals_generic(effsim_philox_state *s, double *out, size_t n) { normals_body(s, out, n, philox_lanes); }

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

/* The rounds on 8 counters of 32-bit words at once (one AVX2 register a word): even and odd
   lanes are multiplied separately (vpmuludq takes the low word of each 64-bit lane) and the
   high and low halves blended back. Counters whose low word would wrap inside the group go to
   the portable lanes, so the two agree for every counter. */
__attribute__((target("avx2"), always_inline))
static inline void philox_lanes_avx2(const effsim_philox_state *s, uint64_t first, uint64_t a[LANES], uint64_t b[LANES]) {
    if ((uint32_t)first > UINT32_MAX - (LANES - 1)) { philox_lanes(s, first, a, b); return; }
    __m256i c0 = _mm256_add_epi32(_mm256_set1_epi32((int)(uint32_t)first), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    __m256i c1 = _mm256_set1_epi32((int)(uint32_t)(first >> 32));
    __m256i c2 = _mm256_set1_epi32((int)s->stream[0]), c3 = _mm256_set1_epi32((int)s->stream[1]);
    const __m256i m0 = _mm256_set1_epi64x(PHILOX_M0), m1 = _mm256_set1_epi64x(PHILOX_M1);
    uint32_t k0 = s->key[0], k1 = s->key[1];
    for (int r = 0; r < 10; r++) {
        __m256i even0 = _mm256_mul_epu32(c0, m0), odd0 = _mm256_mul_epu32(_mm256_srli_epi64(c0, 32), m0);
        __m256i even1 = _mm256_mul_epu32(c2, m1), odd1 = _mm256_mul_epu32(_mm256_srli_epi64(c2, 32), m1);
        __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(even0, 32), odd0, 0xAA);
        __m256i lo0 = _mm256_blend_epi32(even0, _mm256_slli_epi64(odd0, 32), 0xAA);
        __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(even1, 32), odd1, 0xAA);
        __m256i lo1 = _mm256_blend_epi32(even1, _mm256_slli_epi64(odd1, 32), 0xAA);
        c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32((int)k0));
        c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32((int)k1));
        c1 = lo1;
        c3 = lo0;
        k0 += PHILOX_W0; k1 += PHILOX_W1;
    }
    /* (c1:c0) and (c3:c2) as 64-bit lanes, back in counter order. */
    __m256i alo = _mm256_unpacklo_epi32(c0, c1), ahi = _mm256_unpackhi_epi32(c0, c1);
    __m256i blo = _mm256_unpacklo_epi32(c2, c3), bhi = _mm256_unpackhi_epi32(c2, c3);
    _mm256_storeu_si256((__m256i *)a, _mm256_permute2x128_si256(alo, ahi, 0x20));
    _mm256_storeu_si256((__m256i *)(a + 4), _mm256_permute2x128_si256(alo, ahi, 0x31));
    _mm256_storeu_si256((__m256i *)b, _mm256_permute2x128_si256(blo, bhi, 0x20));
    _mm256_storeu_si256((__m256i *)(b + 4), _mm256_permute2x128_si256(blo, bhi, 0x31));
}

/* AVX2 without FMA: wider lanes, the same roundings as the baseline. */
__attribute__((target("avx2")))
static void uniforms_avx2(effsim_philox_state *s, double *out, size_t n) { uniforms_body(s, out, n, philox_lanes_avx2); }
__attribute__((target("avx2")))
static void normals_avx2(effsim_philox_state *s, double *out, size_t n) { normals_body(s, out, n, philox_lanes_avx2); }
__attribute__((target("avx2")))
static void logs_avx2(double *x, size_t n) { logs_body(x, n); }
#define EFFSIM_HAS_AVX2() __builtin_cpu_supports("avx2")
#else
#define logs_avx2 logs_generic
#define uniforms_avx2 uniforms_generic
#define normals_avx2 normals_generic
#define EFFSIM_HAS_AVX2() 0
#endif

void effsim_philox_uniforms(effsim_philox_state *s, double *out, size_t n) {
    if (EFFSIM_HAS_AVX2()) uniforms_avx2(s, out, n); else uniforms_generic(s, out, n);
}

void effsim_philox_normals(effsim_philox_state *s, double *out, size_t n) {
    if (EFFSIM_HAS_AVX2()) normals_avx2(s, out, n); else normals_generic(s, out, n);
}

void effsim_philox_logs(double *x, size_t n) {
    if (EFFSIM_HAS_AVX2()) logs_avx2(x, n); else logs_generic(x, n);
}

const char *effsim_philox_isa(void) { return EFFSIM_HAS_AVX2() ? "avx2" : "baseline"; }

/* GSL's view: 32-bit words, four per counter, in order. */
static void gsl_set(void *state, unsigned long seed) { effsim_philox_start(state, seed, 0); }

static unsigned long gsl_get(void *state) {
    effsim_philox_state *s = state;
    if (s->used == 4) {
        uint32_t c[4] = {(uint32_t)s->next, (uint32_t)(s->next >> 32), s->stream[0], s->stream[1]};
        effsim_philox4x32_10(c, s->key, s->word);
        s->next++;
        s->used = 0;
    }
    return s->word[s->used++];
}

/* 53 bits from two words, in [0, 1) as GSL expects of get_double. */
static double gsl_get_double(void *state) {
    uint64_t hi = gsl_get(state) >> 5, lo = gsl_get(state) >> 6;
    return (double)(hi << 26 | lo) * 0x1p-53;
}

static const gsl_rng_type philox_type = {
    "philox4x32-10", 0xFFFFFFFFul, 0, sizeof(effsim_philox_state), &gsl_set, &gsl_get, &gsl_get_double
};

const gsl_rng_type *effsim_philox_gsl_type(void) { return &philox_type; }
