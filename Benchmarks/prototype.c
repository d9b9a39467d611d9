/*
 * The trial loop at the plausible limit of this machine, for `make bench`: what effsim's
 * throughput is measured against (issue 11). Not a product; figures are printed, never asserted.
 *
 * seed-2024's model, a block of trials at a time, every step written lane by lane for the
 * compiler's vectoriser (built with -O3 -march=native):
 *   - a vectorised generator: xoshiro256+ in 8 independent lanes;
 *   - Box–Muller normals with vector log, sin and cos (effsim's own fdlibm kernels, included
 *     from Sources/CPhilox/philox.c, so the math is the same and not written twice);
 *   - lognormals kept in logs (mu + sigma z, floored at log 1 = 0), truncated normals by
 *     rejection, then one vector log;
 *   - the same histograms as effsim: 20,480 bins a decade of the natural log, one 32-bit
 *     counter array per metric (6 factors, 2 outputs), plus each metric's extremes.
 * Then the medians of compute and hardware from the histograms (~173 and ~419).
 *
 * Usage: prototype TRIALS [THREADS [SEED]]
 */
#include "../Sources/CPhilox/philox.c"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define BLOCK 2048
#define METRICS 8
#define BINS_PER_DECADE 20480
#define DECADES 40                      /* logs in (-40, 40) decades, as effsim's counters */
#define XLANES 8

static double scale;                    /* bins per unit of natural log */

typedef struct {
    uint64_t s[4][XLANES];              /* xoshiro256+ state, lane by lane */
    uint32_t *counts[METRICS];          /* 2 * DECADES * BINS_PER_DECADE counters each */
    double lo[METRICS], hi[METRICS];
    size_t trials;
    uint64_t seed;
} worker;

static uint64_t splitmix(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* 8 lanes of xoshiro256+ -> 8 raw 64-bit words. */
static inline void xoshiro(worker *w, uint64_t out[XLANES]) {
    for (int l = 0; l < XLANES; l++) {
        uint64_t *a = w->s[0], *b = w->s[1], *c = w->s[2], *d = w->s[3];
        out[l] = a[l] + d[l];
        uint64_t t = b[l] << 17;
        c[l] ^= a[l]; d[l] ^= b[l]; b[l] ^= c[l]; a[l] ^= d[l]; c[l] ^= t;
        d[l] = (d[l] << 45) | (d[l] >> 19);
    }
}

/* n standard normals (n a multiple of 2 * GROUP), Box–Muller with the vector kernels. */
static void normals(worker *w, double *z, size_t n) {
    uint64_t a[GROUP], b[GROUP];
    for (size_t i = 0; i < n; i += 2 * GROUP) {
        for (int g = 0; g < GROUP; g += XLANES) { xoshiro(w, a + g); xoshiro(w, b + g); }
        box_muller(a, b, z + i, z + i + GROUP);
    }
}

/* One normal at a time, for the rare rejected draws. */
static double one_normal(worker *w) {
    static __thread double spare[2 * GROUP];
    static __thread int left = 0;
    if (left == 0) { normals(w, spare, 2 * GROUP); left = 2 * GROUP; }
    return spare[--left];
}

static inline void bin(worker *w, int m, const double *x, size_t n) {
    uint32_t *c = w->counts[m];
    double lo = w->lo[m], hi = w->hi[m];
    const double off = (double)DECADES * BINS_PER_DECADE;
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        c[(int32_t)(v * scale + off)]++;
    }
    w->lo[m] = lo; w->hi[m] = hi;
}

static void *run(void *arg) {
    worker *w = arg;
    double z80 = 1.2815515655446004, z90 = 1.6448536269514722;
    double mu[4] = {0.5 * log(1.25 * 6), 0.5 * log(1.25 * 5), log(3.5), 0.5 * log(6.0)};
    double sg[4] = {log(6 / 1.25) / (2 * z80), log(5 / 1.25) / (2 * z90), 0.8425, log(6.0) / (2 * z80)};
    double sd_c = 1.5 / z80, sd_h = 0.8 / z80;
    static __thread double z[6][BLOCK], f[METRICS][BLOCK];
    for (size_t done = 0; done < w->trials; done += BLOCK) {
        size_t n = w->trials - done < BLOCK ? w->trials - done : BLOCK;
        for (int k = 0; k < 6; k++) normals(w, z[k], BLOCK);
        /* lognormal factors in logs: transformer_pp, moe, unpublished, data_quality */
        const int lognormal[4] = {0, 1, 2, 4};
        for (int j = 0; j < 4; j++) {
            double m = mu[j], s = sg[j];
            double *zz = z[lognormal[j]], *out = f[lognormal[j]];
            for (size_t i = 0; i < BLOCK; i++) { double l = m + s * zz[i]; out[i] = l > 0 ? l : 0; }
        }
        /* chinchilla: normal(3, sd_c) on [0, inf); hardware_efficiency: normal(2.5, sd_h) on [0, 4.7] */
        for (size_t i = 0; i < BLOCK; i++) {
            double c = 3.0 + sd_c * z[3][i], h = 2.5 + sd_h * z[5][i];
            z[3][i] = c; z[5][i] = h;
        }
        for (size_t i = 0; i < BLOCK; i++) {
            while (z[3][i] < 0) z[3][i] = 3.0 + sd_c * one_normal(w);
            while (z[5][i] < 0 || z[5][i] > 4.7) z[5][i] = 2.5 + sd_h * one_normal(w);
        }
        for (size_t i = 0; i < BLOCK; i++) {
            double c = z[3][i], h = z[5][i];
            f[3][i] = lane_log(c > 1 ? c : 1);
            f[5][i] = lane_log(h > 1 ? h : 1);
        }
        for (size_t i = 0; i < BLOCK; i++) {
            double compute = f[0][i] + f[1][i] + f[2][i] + f[3][i] + f[4][i];
            f[6][i] = compute;
            f[7][i] = compute + f[5][i];
        }
        for (int m = 0; m < METRICS; m++) bin(w, m, f[m], n);
    }
    return NULL;
}

/* exp of the centre of the bin holding rank r (0-based) of the merged counters of metric m. */
static double quantile(worker *ws, int threads, int m, size_t r) {
    size_t total = 2 * (size_t)DECADES * BINS_PER_DECADE, cum = 0;
    for (size_t b = 0; b < total; b++) {
        for (int t = 0; t < threads; t++) cum += ws[t].counts[m][b];
        if (cum > r) return exp(((double)b - (double)DECADES * BINS_PER_DECADE + 0.5) / scale);
    }
    return NAN;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: prototype TRIALS [THREADS [SEED]]\n"); return 2; }
    size_t trials = strtoull(argv[1], NULL, 10);
    int threads = argc > 2 ? atoi(argv[2]) : 1;
    uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 2024;
    if (threads < 1 || threads > 64) { fprintf(stderr, "prototype: 1 to 64 threads\n"); return 2; }
    scale = BINS_PER_DECADE / log(10.0);
    worker ws[64];
    pthread_t th[64];
    size_t bins = 2 * (size_t)DECADES * BINS_PER_DECADE;
    for (int t = 0; t < threads; t++) {
        worker *w = &ws[t];
        uint64_t x = seed * 64 + (uint64_t)t;
        for (int i = 0; i < 4; i++) for (int l = 0; l < XLANES; l++) w->s[i][l] = splitmix(&x);
        for (int m = 0; m < METRICS; m++) {
            w->counts[m] = calloc(bins, sizeof(uint32_t));   /* pages are touched only where values fall */
            if (!w->counts[m]) { fprintf(stderr, "out of memory\n"); return 1; }
            w->lo[m] = INFINITY; w->hi[m] = -INFINITY;
        }
        /* Whole blocks per thread; 32-bit counters hold 4e9 values a bin, far above any bin here. */
        size_t blocks = (trials + BLOCK - 1) / BLOCK;
        size_t first = blocks * t / threads, last = blocks * (t + 1) / threads;
        size_t end = last * BLOCK < trials ? last * BLOCK : trials;
        w->trials = end > first * BLOCK ? end - first * BLOCK : 0;
        pthread_create(&th[t], NULL, run, w);
    }
    for (int t = 0; t < threads; t++) pthread_join(th[t], NULL);
    printf("trials %zu threads %d compute_p50 %.6g hardware_p50 %.6g isa %s\n", trials, threads,
           quantile(ws, threads, 6, trials / 2), quantile(ws, threads, 7, trials / 2), effsim_philox_isa());
    return 0;
}
