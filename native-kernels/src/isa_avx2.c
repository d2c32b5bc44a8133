/* The kernels for AVX2 with FMA: 8 lanes; 16 vector registers hold 6 pixels x 2 vectors of accumulators. */
#include <immintrin.h>
#include <stdint.h>

typedef __m256 vec;
#define DK_V 8
#define DK_RMAX 6
#define DK_IMPL dk_impl_avx2

/* a sliding window over it gives the mask of the first n lanes */
static const int32_t lanes[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

static inline __m256i first(int n) { return _mm256_loadu_si256((const __m256i *)(lanes + 8 - n)); }
static inline vec vload(const float *p) { return _mm256_loadu_ps(p); }
static inline vec vload_n(const float *p, int n) { return _mm256_maskload_ps(p, first(n)); }
static inline void vstore(float *p, vec v) { _mm256_storeu_ps(p, v); }
static inline void vstore_n(float *p, vec v, int n) { _mm256_maskstore_ps(p, first(n), v); }
static inline vec vset1(float x) { return _mm256_set1_ps(x); }
static inline vec vfma(vec a, vec b, vec c) { return _mm256_fmadd_ps(a, b, c); }
static inline vec vadd(vec a, vec b) { return _mm256_add_ps(a, b); }
static inline vec vmax(vec a, vec b) { return _mm256_max_ps(a, b); }
static inline vec vmin(vec a, vec b) { return _mm256_min_ps(a, b); }

#include "conv_body.h"
