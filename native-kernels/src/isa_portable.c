/* The kernels in portable GNU C: 4-lane vectors of GCC's vector extension, which the compiler maps to whatever
 * SIMD the target has as a baseline (SSE2 on x86-64, NEON on arm64), or to scalars. */
#include "vec_portable.h"

#define DK_V VEC_LANES
#define DK_RMAX 6
#define DK_IMPL dk_impl_portable

#include "conv_body.h"
