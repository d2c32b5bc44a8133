/* The vector primitives for AVX2 with FMA, 8 lanes: what conv_body.h and ops_body.h are written over, shared by
 * isa_avx2.c and ops_avx2.c. */
#ifndef DK_VEC_AVX2_H
#define DK_VEC_AVX2_H

#include <immintrin.h>
#include <stdint.h>

typedef __m256 vec;

/* a sliding window over it gives the mask of the first n lanes */
static const int32_t lanes[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

static inline __m256i first(int n) { return _mm256_loadu_si256((const __m256i *)(lanes + 8 - n)); }
static inline vec vload(const float *p) { return _mm256_loadu_ps(p); }
static inline vec vload_n(const float *p, int n) { return _mm256_maskload_ps(p, first(n)); }
static inline void vstore(float *p, vec v) { _mm256_storeu_ps(p, v); }
static inline void vstore_n(float *p, vec v, int n) { _mm256_maskstore_ps(p, first(n), v); }
static inline vec vset1(float x) { return _mm256_set1_ps(x); }
static inline vec vadd(vec a, vec b) { return _mm256_add_ps(a, b); }
static inline vec vsub(vec a, vec b) { return _mm256_sub_ps(a, b); }
static inline vec vmul(vec a, vec b) { return _mm256_mul_ps(a, b); }
static inline vec vdiv(vec a, vec b) { return _mm256_div_ps(a, b); }
static inline vec vfma(vec a, vec b, vec c) { return _mm256_fmadd_ps(a, b, c); }
static inline vec vmin(vec a, vec b) { return _mm256_min_ps(a, b); }
static inline vec vmax(vec a, vec b) { return _mm256_max_ps(a, b); }
static inline float vhsum(vec v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
}

#define VEC_LANES 8

#endif
