/* The kernels for AVX-512F: 16 lanes; 32 vector registers hold 12 pixels x 2 vectors of accumulators. */
#include "vec_avx512.h"

#define DK_V VEC_LANES
#define DK_RMAX 12
#define DK_IMPL dk_impl_avx512

#include "conv_body.h"
