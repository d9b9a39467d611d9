#ifndef EFFSIM_CPHILOX_H
#define EFFSIM_CPHILOX_H

/* Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC11; the
   generator of Random123, numpy and cuRAND) and the block draws effsim makes from it.

   Why C: the rounds, the uniforms and the Box–Muller normals are written lane by lane so that
   the compiler vectorises them (SSE2 everywhere on x86-64, AVX2 when the CPU has it, chosen at
   run time). Every lane does the same IEEE-754 operations without FMA, so both paths, and any
   machine, give the same bits. */

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

/* One stream: key (the run seed), the high counter words (the chunk), the next low counter,
   and the unused words of the last block for draws made one 32-bit word at a time (GSL's
   interface). It is also the state of the GSL generator type below. */
typedef struct {
    uint32_t key[2];
    uint32_t stream[2];
    uint64_t next;
    uint32_t word[4];
    uint32_t used;
} effsim_philox_state;

/* The bijection itself: out = Philox4x32-10(counter, key). For the known-answer tests. */
void effsim_philox4x32_10(const uint32_t counter[4], const uint32_t key[2], uint32_t out[4]);

/* Positions a stream at counter (0, 0, stream lo, stream hi) under key (key lo, key hi). */
void effsim_philox_start(effsim_philox_state *s, uint64_t key, uint64_t stream);

/* n uniforms (2j + 1) 2^-53, j < 2^52, in the open interval (0, 1): two per counter. */
void effsim_philox_uniforms(effsim_philox_state *s, double *out, size_t n);

/* n standard normals by Box–Muller, two per counter, with log, sin and cos computed to
   within about one ulp (fdlibm's polynomials). */
void effsim_philox_normals(effsim_philox_state *s, double *out, size_t n);

/* x[i] = log(x[i]) in place, for normal positive x, with the same fdlibm polynomial (error
   below one ulp; not always glibc's rounding): the logs of Philox runs' factors drawn as
   values, which the GSL generators take from libm to keep their output byte-identical. */
void effsim_philox_logs(double *x, size_t n);

/* A GSL generator type over the same state, for the draws GSL makes itself (beta, PERT,
   mixtures): gsl_rng_get returns the counter's 32-bit words in order. */
const gsl_rng_type *effsim_philox_gsl_type(void);

/* The lane code the block draws run on this CPU: "avx2" or "baseline" (SSE2 on x86-64). */
const char *effsim_philox_isa(void);

#endif
