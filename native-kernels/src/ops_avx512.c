/* The vectorised operators for AVX-512F: 16 lanes (see ops_body.h). */
#include "vec_avx512.h"

#define OPS_V VEC_LANES
#define OPS_IMPL dk_ops_avx512

#include "ops_body.h"
