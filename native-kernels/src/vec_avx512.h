/* The vector primitives for AVX-512F, 16 lanes: what conv_body.h and ops_body.h are written over, shared by
 * isa_avx512.c and ops_avx512.c. */
#ifndef DK_VEC_AVX512_H
#define DK_VEC_AVX512_H

#include <immintrin.h>

typedef __m512 vec;

static inline __mmask16 first(int n) { return (__mmask16)((1u << n) - 1); }
static inline vec vload(const float *p) { return _mm512_loadu_ps(p); }
static inline vec vload_n(const float *p, int n) { return _mm512_maskz_loadu_ps(first(n), p); }
static inline void vstore(float *p, vec v) { _mm512_storeu_ps(p, v); }
static inline void vstore_n(float *p, vec v, int n) { _mm512_mask_storeu_ps(p, first(n), v); }
static inline vec vset1(float x) { return _mm512_set1_ps(x); }
static inline vec vadd(vec a, vec b) { return _mm512_add_ps(a, b); }
static inline vec vsub(vec a, vec b) { return _mm512_sub_ps(a, b); }
static inline vec vmul(vec a, vec b) { return _mm512_mul_ps(a, b); }
static inline vec vdiv(vec a, vec b) { return _mm512_div_ps(a, b); }
static inline vec vfma(vec a, vec b, vec c) { return _mm512_fmadd_ps(a, b, c); }
static inline vec vmin(vec a, vec b) { return _mm512_min_ps(a, b); }
static inline vec vmax(vec a, vec b) { return _mm512_max_ps(a, b); }
static inline float vhsum(vec v) { return _mm512_reduce_add_ps(v); }

#define VEC_LANES 16

#endif
