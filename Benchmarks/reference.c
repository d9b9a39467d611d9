/*
 * The C reference for `make bench`: what plain GSL does on one core for the seed-2024 model.
 *
 * Per trial: six factors drawn with taus2 and ziggurat normals (lognormals as exp of a normal,
 * truncated normals by rejection), each raised to the floor 1.0, multiplied into compute
 * (five factors) and hardware (all six). Then exact type-7 percentiles of both by selection
 * (quickselect), the fastest exact method. Single-threaded, per-trial arrays.
 *
 * Usage: reference TRIALS [SEED]   prints the medians and P(hardware > 1000).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

static double clamp1(double x) { return x < 1.0 ? 1.0 : x; }

static void swap(double *a, double *b) { double t = *a; *a = *b; *b = t; }

/* Rearranges x[lo..hi] so that x[k] is the k-th smallest (Hoare's quickselect, median of three). */
static void select_kth(double *x, size_t lo, size_t hi, size_t k) {
    while (hi > lo) {
        size_t mid = lo + (hi - lo) / 2;
        if (x[mid] < x[lo]) swap(&x[mid], &x[lo]);
        if (x[hi] < x[lo]) swap(&x[hi], &x[lo]);
        if (x[hi] < x[mid]) swap(&x[hi], &x[mid]);
        double pivot = x[mid];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (x[i] < pivot) i++;
            while (x[j] > pivot) j--;
            if (i <= j) { swap(&x[i], &x[j]); i++; if (j == 0) break; j--; }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else return;
    }
}

/* Type-7 percentiles p[0..m-1] (ascending, in [0,1]) of x[0..n-1]; x is reordered. */
static void percentiles(double *x, size_t n, const double *p, size_t m, double *out) {
    size_t from = 0;
    for (size_t i = 0; i < m; i++) {
        double h = (double)(n - 1) * p[i];
        size_t r = (size_t)floor(h);
        select_kth(x, from, n - 1, r);
        double lo = x[r], hi = lo;
        if (r + 1 < n) {
            /* The (r+1)-th smallest is the minimum of what lies to the right of r. */
            hi = x[r + 1];
            for (size_t j = r + 2; j < n; j++) if (x[j] < hi) hi = x[j];
        }
        out[i] = lo + (h - (double)r) * (hi - lo);
        from = r;
    }
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: reference TRIALS [SEED]\n"); return 2; }
    size_t n = strtoull(argv[1], NULL, 10);
    unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 10) : 2024;
    double z80 = gsl_cdf_ugaussian_Pinv(0.9), z90 = gsl_cdf_ugaussian_Pinv(0.95);
    double mu_t = 0.5 * log(1.25 * 6), s_t = log(6 / 1.25) / (2 * z80);
    double mu_m = 0.5 * log(1.25 * 5), s_m = log(5 / 1.25) / (2 * z90);
    double mu_u = log(3.5), s_u = 0.8425;
    double mu_d = 0.5 * log(1.0 * 6), s_d = log(6 / 1.0) / (2 * z80);
    double sd_c = (4.5 - 1.5) / (2 * z80), sd_h = (3.3 - 1.7) / (2 * z80);

    double *compute = malloc(n * sizeof *compute), *hardware = malloc(n * sizeof *hardware);
    if (!compute || !hardware) { fprintf(stderr, "out of memory\n"); return 1; }
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, seed);
    size_t over = 0;
    for (size_t i = 0; i < n; i++) {
        double t = clamp1(exp(mu_t + s_t * gsl_ran_gaussian_ziggurat(r, 1.0)));
        double m = clamp1(exp(mu_m + s_m * gsl_ran_gaussian_ziggurat(r, 1.0)));
        double u = clamp1(exp(mu_u + s_u * gsl_ran_gaussian_ziggurat(r, 1.0)));
        double c;
        do c = 3.0 + sd_c * gsl_ran_gaussian_ziggurat(r, 1.0); while (c < 0);
        double d = clamp1(exp(mu_d + s_d * gsl_ran_gaussian_ziggurat(r, 1.0)));
        double h;
        do h = 2.5 + sd_h * gsl_ran_gaussian_ziggurat(r, 1.0); while (h < 0 || h > 4.7);
        double cp = t * m * u * clamp1(c) * d;
        compute[i] = cp;
        hardware[i] = cp * clamp1(h);
        over += hardware[i] > 1000;
    }
    const double p[] = {0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99};
    double qc[9], qh[9];
    percentiles(compute, n, p, 9, qc);
    percentiles(hardware, n, p, 9, qh);
    printf("trials %zu compute_p50 %.6g hardware_p50 %.6g p_gt_1000 %.4f\n", n, qc[4], qh[4], (double)over / n);
    gsl_rng_free(r);
    free(compute);
    free(hardware);
    return 0;
}
