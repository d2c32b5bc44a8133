/* The vectorised operators in portable GNU C: 4-lane vectors of GCC's vector extension (SSE2 on x86-64, NEON on
 * arm64), see ops_body.h. */
#include "vec_portable.h"

#define OPS_V VEC_LANES
#define OPS_IMPL dk_ops_portable

#include "ops_body.h"
