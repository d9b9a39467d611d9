/* See include/taus.h. */
#include "taus.h"

#include <gsl/gsl_randist.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

/* mean + sd * z must round as Swift rounds it: a multiply and an add, never one FMA. */
#pragma STDC FP_CONTRACT OFF

/* GSL's taus state: three words, each below 2^32 (taus.c in GSL). effsim_taus_exact checks the
   size before anything reads it this way. */
typedef struct { unsigned long s1, s2, s3; } taus_words;

/* One step of taus2 (L'Ecuyer 1996, "Maximally equidistributed combined Tausworthe
   generators"). In 32-bit words the masks GSL applies to its 64-bit longs are implicit. */
static inline __attribute__((always_inline)) uint32_t taus_step(uint32_t s[3]) {
    s[0] = ((s[0] & 0xFFFFFFFEu) << 12) ^ (((s[0] << 13) ^ s[0]) >> 19);
    s[1] = ((s[1] & 0xFFFFFFF8u) << 4) ^ (((s[1] << 2) ^ s[1]) >> 25);
    s[2] = ((s[2] & 0xFFFFFFF0u) << 17) ^ (((s[2] << 3) ^ s[2]) >> 11);
    return s[0] ^ s[1] ^ s[2];
}

static inline void load(const gsl_rng *r, uint32_t s[3]) {
    const taus_words *w = r->state;
    s[0] = (uint32_t)w->s1; s[1] = (uint32_t)w->s2; s[2] = (uint32_t)w->s3;
}

static inline void store(gsl_rng *r, const uint32_t s[3]) {
    taus_words *w = r->state;
    w->s1 = s[0]; w->s2 = s[1]; w->s3 = s[2];
}

/* ---- The ziggurat's tables, read from GSL ------------------------------------------------

   For a generator whose words span 32 bits, gsl_ran_gaussian_ziggurat takes one word k per try:
   strip i = k & 0x7f, sign from bit 7, j = k >> 8 (24 bits), x = j * width[i]; it returns
   sign * x at once when j < bound[i], and otherwise takes its rare path, which draws more.

   So both tables can be read off the function: give it a generator whose first word is chosen
   (and whose later words end the draw), and see whether it asked for a second. bound[i] is the
   smallest j for which it does (found by bisection, 24 tries a strip); width[i] is the x it
   returns for j = 1. The tables are GSL's, whatever its version holds, and no copy of them
   lives here. A check against GSL's own draws (below) guards every assumption made. */

static uint32_t bound[128];
static double width[128];
static int exact;

typedef struct { unsigned long first; int calls; } probe_state;

/* Later words: strip 1, positive, j = 0: the common path if strip 1 has one; else the rare
   path at x = 0, where any y below 1 is accepted. Uniforms are 0, which ends the tail too. */
static unsigned long probe_get(void *v) { probe_state *p = v; return p->calls++ == 0 ? p->first : 0x81ul; }
static double probe_get_double(void *v) { ((probe_state *)v)->calls++; return 0.0; }
static void probe_set(void *v, unsigned long seed) { (void)v; (void)seed; }

static const gsl_rng_type probe_type = {
    "effsim-ziggurat-probe", 0xFFFFFFFFul, 0, sizeof(probe_state), &probe_set, &probe_get, &probe_get_double
};

/* Whether GSL's draw from the word k takes the common path; *x is the draw. */
static int gsl_common_path(uint32_t k, double *x) {
    probe_state p = {k, 0};
    gsl_rng r = {&probe_type, &p};
    *x = gsl_ran_gaussian_ziggurat(&r, 1.0);
    return p.calls == 1;
}

static uint32_t word(uint32_t i, uint32_t j, uint32_t sign) { return j << 8 | sign | i; }

/* The draws' common path, from the tables: whether the word k takes it, and *x, the draw. */
static inline __attribute__((always_inline)) int common_path(uint32_t k, double *x) {
    uint32_t i = k & 0x7f, j = k >> 8;
    if (!(j < bound[i])) return 0;
    /* -x when bit 7 is clear, by flipping the sign bit: a branch here would be mispredicted
       half the time. */
    double v = (double)j * width[i];
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    bits ^= (uint64_t)(~k & 0x80) << 56;
    memcpy(x, &bits, sizeof bits);
    return 1;
}

/* Both signs of every strip at j = 0, 1, 2 and the 24-bit maximum, and either side of its
   bound: the same choice of path as GSL's and, on the common path, the same draw. */
static int matches_gsl_at_bounds(void) {
    for (uint32_t i = 0; i < 128; i++) {
        const uint32_t b = bound[i], js[] = {0, 1, 2, b - 1, b, b + 1, 0xFFFFFF};
        for (size_t n = 0; n < sizeof js / sizeof js[0]; n++) {
            if (js[n] > 0xFFFFFF) continue;
            for (uint32_t sign = 0; sign <= 0x80; sign += 0x80) {
                uint32_t k = word(i, js[n], sign);
                double theirs, ours;
                int gsl = gsl_common_path(k, &theirs);
                if (gsl != common_path(k, &ours) || (gsl && memcmp(&theirs, &ours, sizeof ours) != 0)) return 0;
            }
        }
    }
    return 1;
}

/* n draws each way from a fresh taus2 generator per seed: the same doubles, bit for bit, and
   the same state after. Some 2.8% of draws take the rare path, so both paths are covered. */
static int matches_gsl(void) {
    enum { N = 4096 };
    static const unsigned long seeds[] = {1, 2024, 4294967295ul};
    double ours[N], theirs[N];
    int ok = 1;
    gsl_rng *a = gsl_rng_alloc(gsl_rng_taus2), *b = gsl_rng_alloc(gsl_rng_taus2);
    if (!a || !b) ok = 0;
    for (size_t s = 0; ok && s < sizeof seeds / sizeof seeds[0]; s++) {
        gsl_rng_set(a, seeds[s]);
        gsl_rng_set(b, seeds[s]);
        effsim_taus_normals(a, ours, N);
        for (int i = 0; i < N; i++) theirs[i] = gsl_ran_gaussian_ziggurat(b, 1.0);
        ok = memcmp(ours, theirs, sizeof ours) == 0 && memcmp(a->state, b->state, sizeof(taus_words)) == 0;
        double u = gsl_rng_uniform_pos(b);
        effsim_taus_uniforms_pos(a, ours, 1);
        ok = ok && memcmp(&u, ours, sizeof u) == 0 && memcmp(a->state, b->state, sizeof(taus_words)) == 0;
    }
    if (a) gsl_rng_free(a);
    if (b) gsl_rng_free(b);
    return ok;
}

static void read_tables(void) {
    if (gsl_rng_taus2->size != sizeof(taus_words) || gsl_rng_taus2->max != 0xFFFFFFFFul || gsl_rng_taus2->min != 0)
        return;
    for (uint32_t i = 0; i < 128; i++) {
        uint32_t lo = 0, hi = 1u << 24;
        double x;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (gsl_common_path(word(i, mid, 0x80), &x)) lo = mid + 1; else hi = mid;
        }
        bound[i] = lo;
        /* With bound 0 or 1 only j = 0 can take the common path, and 0 * width is 0 for any width. */
        width[i] = 0.0;
        if (lo > 1 && !gsl_common_path(word(i, 1, 0x80), &width[i])) return;
    }
    exact = matches_gsl_at_bounds() && matches_gsl();
}

int effsim_taus_exact(const gsl_rng *r) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    if (r->type != gsl_rng_taus2) return 0;
    pthread_once(&once, read_tables);
    return exact;
}

/* ---- Block draws -------------------------------------------------------------------------- */

void effsim_taus_uniforms_pos(gsl_rng *r, double *out, size_t n) {
    uint32_t s[3];
    load(r, s);
    for (size_t i = 0; i < n; i++) {
        double x;
        do { x = taus_step(s) / 4294967296.0; } while (x == 0);
        out[i] = x;
    }
    store(r, s);
}

/* One normal: the common path here, the rare one GSL's, from the state before this draw's word. */
static inline __attribute__((always_inline)) double normal(gsl_rng *r, uint32_t s[3]) {
    uint32_t before[3] = {s[0], s[1], s[2]};
    double x;
    if (__builtin_expect(common_path(taus_step(s), &x), 1)) return x;
    store(r, before);
    x = gsl_ran_gaussian_ziggurat(r, 1.0);
    load(r, s);
    return x;
}

void effsim_taus_normals(gsl_rng *r, double *out, size_t n) {
    uint32_t s[3];
    load(r, s);
    for (size_t i = 0; i < n; i++) out[i] = normal(r, s);
    store(r, s);
}

void effsim_taus_truncated_normals(gsl_rng *r, double mean, double sd, double lower, double upper,
                                   double *out, size_t n) {
    uint32_t s[3];
    load(r, s);
    for (size_t i = 0; i < n; i++) {
        double x;
        do { x = mean + sd * normal(r, s); } while (!(x >= lower && x <= upper));
        out[i] = x;
    }
    store(r, s);
}
