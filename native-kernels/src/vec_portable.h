/* The vector primitives for 4-lane vectors of GCC's vector extension (SSE2 on x86-64, NEON on arm64): what conv_body.h and ops_body.h are written over, shared by
 * isa_portable.c and ops_portable.c. */
#ifndef DK_VEC_PORTABLE_H
#define DK_VEC_PORTABLE_H

#include <string.h>

typedef float vec __attribute__((vector_size(16)));
typedef int ivec __attribute__((vector_size(16)));

static inline vec vload(const float *p) { vec v; memcpy(&v, p, sizeof v); return v; }
static inline vec vload_n(const float *p, int n) { vec v = {0}; memcpy(&v, p, (size_t)n * sizeof(float)); return v; }
static inline void vstore(float *p, vec v) { memcpy(p, &v, sizeof v); }
static inline void vstore_n(float *p, vec v, int n) { memcpy(p, &v, (size_t)n * sizeof(float)); }
static inline vec vset1(float x) { return (vec){0} + x; }
static inline vec vadd(vec a, vec b) { return a + b; }
static inline vec vsub(vec a, vec b) { return a - b; }
static inline vec vmul(vec a, vec b) { return a * b; }
static inline vec vdiv(vec a, vec b) { return a / b; }
static inline vec vfma(vec a, vec b, vec c) { return a * b + c; }
static inline vec pick(ivec m, vec a, vec b) { return (vec)((m & (ivec)a) | (~m & (ivec)b)); }
static inline vec vmin(vec a, vec b) { return pick(a < b, a, b); }
static inline vec vmax(vec a, vec b) { return pick(a > b, a, b); }
static inline float vhsum(vec v) { return (v[0] + v[2]) + (v[1] + v[3]); }

#define VEC_LANES 4

#endif
