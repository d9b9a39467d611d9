/* See include/binning.h. */
#include "binning.h"

/* The bin must be computed exactly as Swift computes it (LogHistogram.bin): a multiply and an
   add, each rounded, never fused into one FMA. */
#pragma STDC FP_CONTRACT OFF

size_t effsim_bin_logs(const double *logs, size_t n, double scale, double bias, int64_t offset,
                       uint32_t *counts, size_t count, double *lo, double *hi) {
    /* y = l * scale + bias lies in [first, end) exactly when trunc(y) - bias, the bin, lies in
       [offset, offset + count): both ends are whole numbers. The comparison, made in doubles,
       also refuses NaN, so the conversion below is always defined. */
    const double first = (double)(offset + (int64_t)bias), end = first + (double)count;
    const int64_t base = offset + (int64_t)bias;
    double mn = *lo, mx = *hi;
    size_t i = 0;
    for (; i < n; i++) {
        double l = logs[i], y = l * scale + bias;
        if (!(y >= first && y < end)) break;
        counts[(int64_t)y - base] += 1;
        mn = l < mn ? l : mn;
        mx = l > mx ? l : mx;
    }
    *lo = mn;
    *hi = mx;
    return i;
}

size_t effsim_count_in_bin(const double *logs, size_t n, double scale, double bias, int64_t k,
                           double level, int above) {
    const double first = (double)(k + (int64_t)bias), end = first + 1.0;
    size_t count = 0;
    if (above) {
        for (size_t i = 0; i < n; i++) {
            double l = logs[i], y = l * scale + bias;
            count += (y >= first) & (y < end) & (l > level);
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            double l = logs[i], y = l * scale + bias;
            count += (y >= first) & (y < end) & (l < level);
        }
    }
    return count;
}
