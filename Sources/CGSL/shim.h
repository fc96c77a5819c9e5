#ifndef SIMRUN_CGSL_SHIM_H
#define SIMRUN_CGSL_SHIM_H

// Only the GSL headers simrun calls.
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_sort_vector.h>
#include <gsl/gsl_statistics_double.h>

// Swift 6 rejects reading a mutable C global such as `gsl_rng_mt19937`
// ("not concurrency-safe"). These globals are written once by GSL's static
// initialisation and only read afterwards, so returning them from a function
// is safe on any thread.
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *cgsl_rng_ranlxd2(void) { return gsl_rng_ranlxd2; }
static inline const gsl_rng_type *cgsl_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_root_fsolver_type *cgsl_root_fsolver_brent(void) { return gsl_root_fsolver_brent; }

// GSL's default error handler calls abort(). simrun checks every status code
// instead; this switches the process-wide handler off (call once, at start-up).
static inline void cgsl_disable_abort_handler(void) { gsl_set_error_handler_off(); }

// glibc's allocator (Swift's Glibc module does not export <malloc.h>): keep freed blocks up to
// `bytes` in the process instead of unmapping them or trimming the heap, for work that frees and
// allocates the same large arrays again and again (a sweep's variants). A no-op elsewhere.
#if defined(__GLIBC__)
#include <malloc.h>
static inline void cgsl_keep_freed_memory(int bytes) {
    mallopt(M_MMAP_THRESHOLD, bytes);
    mallopt(M_TRIM_THRESHOLD, bytes);
}
#else
static inline void cgsl_keep_freed_memory(int bytes) { (void)bytes; }
#endif

#endif
