/* The vectorised operators for AVX2 with FMA: 8 lanes (see ops_body.h). */
#include "vec_avx2.h"

#define OPS_V VEC_LANES
#define OPS_IMPL dk_ops_avx2

#include "ops_body.h"
