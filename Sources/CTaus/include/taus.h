/* GSL's taus2 generator and its ziggurat normals, drawn a block at a time without a library call
   per draw: the same numbers as gsl_rng_uniform_pos and gsl_ran_gaussian_ziggurat (sigma 1) on a
   gsl_rng_taus2 generator, bit for bit, leaving the generator in the same state.

   taus2's recurrence is L'Ecuyer's (1996) and its state GSL's three words (s1, s2, s3). The
   ziggurat's two tables that its common path needs (a strip's width and its bound) are GSL's
   own, read from gsl_ran_gaussian_ziggurat by feeding it chosen words (see taus.c); its rare
   path (a draw outside a strip's rectangle, about 2.8% of draws) is GSL's call itself. */
#ifndef EFFSIM_TAUS_H
#define EFFSIM_TAUS_H

#include <stddef.h>
#include <gsl/gsl_rng.h>

/* Whether the block draws below stand in for GSL's on `r`: r is a gsl_rng_taus2 generator and,
   once per process, the tables were read and a check of a few thousand draws against GSL's
   matched bit for bit. When it returns 0, call GSL. Thread-safe. */
int effsim_taus_exact(const gsl_rng *r);

/* out[i] = gsl_rng_uniform_pos(r), i in 0 ..< n. */
void effsim_taus_uniforms_pos(gsl_rng *r, double *out, size_t n);

/* out[i] = gsl_ran_gaussian_ziggurat(r, 1.0), i in 0 ..< n. */
void effsim_taus_normals(gsl_rng *r, double *out, size_t n);

/* out[i] = mean + sd * z for the first z = gsl_ran_gaussian_ziggurat(r, 1.0) (draw after draw)
   that makes it lie in [lower, upper]: a normal truncated by rejection. The multiply and the
   add are rounded separately, as Swift rounds them. */
void effsim_taus_truncated_normals(gsl_rng *r, double mean, double sd, double lower, double upper,
                                   double *out, size_t n);

#endif
