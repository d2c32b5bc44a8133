/* The kernels for AVX2 with FMA: 8 lanes; 16 vector registers hold 6 pixels x 2 vectors of accumulators. */
#include "vec_avx2.h"

#define DK_V VEC_LANES
#define DK_RMAX 6
#define DK_IMPL dk_impl_avx2

#include "conv_body.h"
