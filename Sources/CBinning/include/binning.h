/* The sampling loop's binning kernel, in C for one reason: a double -> integer conversion
   without Swift's overflow trap (the range is checked first, in doubles), so the loop is a
   multiply, an add, a conversion and an increment per value. */
#ifndef EFFSIM_BINNING_H
#define EFFSIM_BINNING_H

#include <stddef.h>
#include <stdint.h>

/* Counts logs[i] (natural logs) into counts[k - offset] with k = trunc(logs[i] * scale + bias)
   - bias, LogHistogram's fine bin, for i from 0 while the bin lies in [offset, offset + count).
   Returns how many values were counted (it stops at the first whose bin lies outside, or that
   is NaN), and widens *lo and *hi to the smallest and largest value counted. */
size_t effsim_bin_logs(const double *logs, size_t n, double scale, double bias, int64_t offset,
                       uint32_t *counts, size_t count, double *lo, double *hi);

/* How many of logs[0 ..< n] lie in LogHistogram's fine bin k (computed as effsim_bin_logs
   computes it) and above `level` (above != 0) or below it: the part of a threshold's bin on
   one side of the threshold. Branch-free, so it vectorises. */
size_t effsim_count_in_bin(const double *logs, size_t n, double scale, double bias, int64_t k,
                           double level, int above);

#endif
