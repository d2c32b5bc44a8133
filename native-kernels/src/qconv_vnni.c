/* The INT8 pointwise convolution's AVX-512 VNNI path (qconv.h): compiled with -mavx512f -mavx512bw -mavx512vl
 * -mavx512vnni -mfma, called only when the CPU has them (dq_supported_paths).
 *
 * A register block is R pixels x C vectors of 16 output channels: per group of 4 input channels, C weight vectors
 * are loaded and each pixel's 4 input bytes broadcast to every lane, then R x C vpdpbusd (u8 x s8, 4 products
 * summed into each int32 lane, exact: no saturation). The activations must be the unsigned operand, which
 * vpdpbusd takes only from a register, hence the explicit broadcast rather than a memory operand. */
#include <immintrin.h>
#include <string.h>

#include "qconv.h"

#define AI static inline __attribute__((always_inline))

/* The 4 input bytes of group g as one int32 in every lane; the last group of a channel count that is not a
 * multiple of 4 reads only its n real bytes (never past the pixel, so never past the array), the rest zero. */
AI __m512i bcast(const uint8_t *a, int n)
{
    int32_t v;
    if (n == 4) memcpy(&v, a, 4);
    else v = a[0] | (n > 1 ? a[1] << 8 : 0) | (n > 2 ? a[2] << 16 : 0); /* no memcpy call: it would spill acc */
    return _mm512_set1_epi32(v);
}

/* Full vectors (n = 16, a constant where it matters) store unmasked. */
AI void finish(const dq_conv *cv, __m512i acc, int o, int n, int kind, const float *res, void *out, size_t at)
{
    __mmask16 m = (__mmask16)(n == DQ_LANES ? 0xFFFFu : (1u << n) - 1);
    if (kind == DQ_OUT_INT32) {
        if (n == DQ_LANES) _mm512_storeu_si512((int32_t *)out + at, acc);
        else _mm512_mask_storeu_epi32((int32_t *)out + at, m, acc);
        return;
    }
    __m512 f = _mm512_cvtepi32_ps(acc);
    if (kind == DQ_OUT_FLOAT) {
        __m512 y = _mm512_fmadd_ps(f, _mm512_load_ps(cv->scale + o), _mm512_load_ps(cv->bias + o));
        y = _mm512_min_ps(_mm512_max_ps(y, _mm512_set1_ps(cv->lo)), _mm512_set1_ps(cv->hi));
        if (res) y = _mm512_add_ps(y, n == DQ_LANES ? _mm512_loadu_ps(res + at) : _mm512_maskz_loadu_ps(m, res + at));
        if (cv->clamp2) y = _mm512_min_ps(_mm512_max_ps(y, _mm512_set1_ps(cv->rlo)), _mm512_set1_ps(cv->rhi));
        if (n == DQ_LANES) _mm512_storeu_ps((float *)out + at, y);
        else _mm512_mask_storeu_ps((float *)out + at, m, y);
        return;
    }
    __m512 t = _mm512_fmadd_ps(f, _mm512_load_ps(cv->qscale + o), _mm512_load_ps(cv->qbias + o));
    t = _mm512_min_ps(_mm512_max_ps(t, _mm512_set1_ps(cv->qlo)), _mm512_set1_ps(cv->qhi));
    __m128i q = _mm512_cvtepi32_epi8(_mm512_cvtps_epi32(t)); /* nearest even; already in [0, 255] */
    if (n == DQ_LANES) _mm_storeu_si128((__m128i *)((uint8_t *)out + at), q);
    else _mm_mask_storeu_epi8((uint8_t *)out + at, m, q);
}

/* Four vectors of one pixel (64 channels from o) to uint8 when cv->saturate: rounded to int32, then saturating packs
 * (int32 -> int16 -> uint8) do the clamp to [0, 255], 4 instructions and one 64-byte store for 64 values instead
 * of a min, max, narrowing and store per vector; the packs interleave the vectors per 128-bit lane, the permute
 * puts them back in order. */
AI void saturated64(const dq_conv *cv, const __m512i acc[4], int o, uint8_t *out)
{
    __m512i q[4];
#pragma GCC unroll 4
    for (int c = 0; c < 4; c++) {
        __m512 t = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[c]), _mm512_load_ps(cv->qscale + o + c * DQ_LANES),
                                   _mm512_load_ps(cv->qbias + o + c * DQ_LANES));
        q[c] = _mm512_cvtps_epi32(t);
    }
    __m512i b = _mm512_packus_epi16(_mm512_packs_epi32(q[0], q[1]), _mm512_packs_epi32(q[2], q[3]));
    /* dword 4 lane + k of b holds vector k's values 4 lane .. 4 lane + 3 */
    const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    _mm512_storeu_si512(out, _mm512_permutexvar_epi32(order, b));
}

/* acc + the four products of x's unsigned bytes and w's signed bytes, per int32 lane. In asm because GCC 12
 * allocates the intrinsic's tied accumulator badly here (a register copy per vpdpbusd, spills at 24 accumulators). */
AI __m512i dpbusd(__m512i acc, __m512i x, __m512i w)
{
    __asm__("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(x), "v"(w));
    return acc;
}

/* One group of 4 input channels (n real) into R pixels x C vectors: C weight vectors, R broadcasts, R x C
 * vpdpbusd. */
AI void group(const int R, const int C, __m512i acc[][4], const uint8_t *a, int cin, const int8_t *b, const int n)
{
    __m512i w[4];
#pragma GCC unroll 4
    for (int c = 0; c < C; c++) w[c] = _mm512_load_si512(b + c * 64);
#pragma GCC unroll 12
    for (int r = 0; r < R; r++) {
        __m512i x = bcast(a + (size_t)r * cin, n);
#pragma GCC unroll 4
        for (int c = 0; c < C; c++) acc[r][c] = dpbusd(acc[r][c], x, w[c]);
    }
}

/* R pixels from p on x the C vectors of tile t (output channels o0 .., valid of them real). */
AI void block(const int R, const int C, const dq_conv *cv, const uint8_t *in, long p, int o0, int valid,
              const int8_t *b, const float *res, int kind, void *out)
{
    const int cin = cv->in_c, full = cin / 4, rest = cin % 4;
    const uint8_t *a = in + p * cin; /* advances by a group */
    __m512i acc[12][4];
#pragma GCC unroll 4
    for (int c = 0; c < C; c++) {
        __m512i comp = _mm512_load_si512(cv->comp + o0 + c * DQ_LANES);
#pragma GCC unroll 12
        for (int r = 0; r < R; r++) acc[r][c] = comp;
    }
    for (int g = 0; g < full; g++, a += 4, b += C * 64) group(R, C, acc, a, cin, b, 4);
    if (rest) group(R, C, acc, a, cin, b, rest);
    if (C == 4 && kind == DQ_OUT_UINT8 && valid == DQ_TILE && cv->saturate) {
#pragma GCC unroll 12
        for (int r = 0; r < R; r++) saturated64(cv, acc[r], o0, (uint8_t *)out + (size_t)(p + r) * cv->out_c + o0);
        return;
    }
#pragma GCC unroll 12
    for (int r = 0; r < R; r++) {
#pragma GCC unroll 4
        for (int c = 0; c < C; c++) {
            int o = o0 + c * DQ_LANES, n = valid - c * DQ_LANES;
            size_t at = (size_t)(p + r) * cv->out_c + o;
            if (n >= DQ_LANES) finish(cv, acc[r][c], o, DQ_LANES, kind, res, out, at);
            else finish(cv, acc[r][c], o, n, kind, res, out, at);
        }
    }
}

/* Pixels [p0, p1) of a tile of C vectors: blocks of R (24 accumulators at most), the rest one pixel at a time. */
AI void tile_span(const int R, const int C, const dq_conv *cv, const uint8_t *in, long p0, long p1, int t,
                  const float *res, int kind, void *out)
{
    int o0 = t * DQ_TILE, valid = cv->out_c - o0 < DQ_TILE ? cv->out_c - o0 : DQ_TILE;
    const int8_t *b = cv->packed + (size_t)t * cv->groups4 * DQ_TILE * 4;
    long p = p0;
    for (; p + R <= p1; p += R) block(R, C, cv, in, p, o0, valid, b, res, kind, out);
    for (; p < p1; p++) block(1, C, cv, in, p, o0, valid, b, res, kind, out);
}

static void span(const dq_conv *cv, const uint8_t *in, long p0, long p1, int t0, int t1, const float *res,
                 int kind, void *out)
{
    for (int t = t0; t < t1; t++) {
        int valid = cv->out_c - t * DQ_TILE < DQ_TILE ? cv->out_c - t * DQ_TILE : DQ_TILE;
        switch ((valid + DQ_LANES - 1) / DQ_LANES) {
        case 1: tile_span(12, 1, cv, in, p0, p1, t, res, kind, out); break;
        case 2: tile_span(12, 2, cv, in, p0, p1, t, res, kind, out); break;
        case 3: tile_span(8, 3, cv, in, p0, p1, t, res, kind, out); break;
        default: tile_span(6, 4, cv, in, p0, p1, t, res, kind, out); break;
        }
    }
}

/* dq_quantise1 on 16 values a vector: max with 0 first, which maxps resolves to 0 for NaN; the rounding is
 * cvtps's nearest even; the tail masked. */
static void quantise(const float *x, long n, float inv_scale, int zero, uint8_t *q)
{
    const __m512 inv = _mm512_set1_ps(inv_scale), z = _mm512_set1_ps((float)zero);
    const __m512 lo = _mm512_setzero_ps(), hi = _mm512_set1_ps(255.0f);
    for (long i = 0; i < n; i += DQ_LANES) {
        __mmask16 m = n - i >= DQ_LANES ? 0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        __m512 t = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, x + i), inv, z);
        t = _mm512_min_ps(_mm512_max_ps(t, lo), hi);
        _mm_mask_storeu_epi8(q + i, m, _mm512_cvtepi32_epi8(_mm512_cvtps_epi32(t)));
    }
}

const dq_span_fn dq_span_vnni = span;
const dq_quantise_fn dq_quantise_vnni = quantise;
