/* INT8 pointwise (1x1) convolution, batch 1, HWC: uint8 activations (one scale and zero point per tensor) times
 * int8 weights (symmetric, one scale per output channel), summed exactly in int32, then an epilogue that
 * dequantises, adds the bias, clamps and writes float, or requantises to uint8 for the next layer, or writes the
 * raw int32 sums. The weights are packed once in the layout AVX-512 VNNI's vpdpbusd reads: groups of 4 input
 * channels, 16 output channels to a vector.
 *
 * Every path sums the same integers (no overflow: |sum| <= in_c * 255 * 128 < 2^31 for in_c < 65793) and runs the
 * same float epilogue (an explicit fused multiply-add, round to nearest even), so all paths give the same bits. */
#ifndef DQ_CONV_H
#define DQ_CONV_H

#include <stdint.h>

enum dq_path { DQ_PORTABLE = 0, DQ_VNNI = 1, DQ_PATHS = 2 };
enum dq_out { DQ_OUT_INT32 = 0, DQ_OUT_FLOAT = 1, DQ_OUT_UINT8 = 2 };

/* Output channels computed together: 1 to 4 vectors of 16, out0 a multiple of 64. */
#define DQ_LANES 16
#define DQ_TILE 64

typedef struct {
    int path;
    int in_c, out_c;
    int groups4;      /* input channels in groups of 4: ceil(in_c / 4) */
    int ntiles;
    int out_pad;      /* out_c rounded up to 16: the length of the per-channel arrays below */
    /* per output channel, zero past out_c: acc starts at comp = -zero_point * sum of the channel's weights (so it
     * ends as sum (a - zero_point) * w), then y = clamp(fma((float)acc, scale, bias), lo, hi) */
    int32_t *comp;
    float *scale, *bias;
    float lo, hi;
    /* DQ_OUT_UINT8, requantised in one step from the sum (out_inv_scale = 1 / the output's scale):
     *   q = rint(min(max(fma((float)acc, qscale, qbias), qlo), qhi))
     * qscale = scale * out_inv_scale, qbias = bias * out_inv_scale + out_zero (float, rounded after each operation),
     * qlo = max(lo * out_inv_scale + out_zero, 0), qhi = min(hi * out_inv_scale + out_zero, 255): the float output's
     * clamp moved to the uint8 grid, which holds it within half a step of the float output requantised */
    float *qscale, *qbias;
    float qlo, qhi;
    /* qlo = 0 and qhi = 255 (the clamp is the uint8 range itself, as in a network quantised with its clip ranges)
     * and |fma(acc, qscale, qbias)| < 2^30 for every possible sum: rounding to int32 and saturating to [0, 255]
     * then gives the same bytes as clamping first, which the VNNI path uses (saturating packs) */
    int saturate;
    /* tile t (output channels [64t, 64t + width)): groups4 rows of width x 4 bytes at t * groups4 * 256; row g,
     * lane j holds the weights of output channel 64t + j for input channels 4g .. 4g + 3, zero where either runs
     * past the real channels */
    int8_t *packed;
} dq_conv;

/* Bit p set when path p runs on this CPU (and OS). */
int dq_supported_paths(void);

/* weights: out_c x in_c int8 (OI); scale: per output channel, input scale times the weight scale; bias: per output
 * channel or NULL; in_zero: the activations' zero point. NULL when out of memory or the path is not supported;
 * values are trusted (checked by the caller). */
dq_conv *dq_conv_create(int path, int in_c, int out_c, const int8_t *weights, const float *scale,
                        const float *bias, int in_zero, float lo, float hi, float out_inv_scale, int out_zero);
void dq_conv_free(dq_conv *cv);

/* in: pixels x in_c uint8; out: pixels x out_c of int32_t, float or uint8_t as `kind` says. */
void dq_conv_run(const dq_conv *cv, const uint8_t *in, long pixels, int kind, void *out, int threads);

/* What a path file provides: pixels [p0, p1) x tiles [t0, t1). */
typedef void (*dq_span_fn)(const dq_conv *cv, const uint8_t *in, long p0, long p1, int t0, int t1, int kind,
                           void *out);
extern const dq_span_fn dq_span_vnni;

/* The epilogue of one value, as the vector paths compute it lane by lane. */
static inline float dq_dequant(const dq_conv *cv, int32_t acc, int o)
{
    float y = __builtin_fmaf((float)acc, cv->scale[o], cv->bias[o]);
    y = y > cv->lo ? y : cv->lo; /* as maxps: the bound when y is NaN */
    return y < cv->hi ? y : cv->hi;
}

static inline uint8_t dq_requant(const dq_conv *cv, int32_t acc, int o)
{
    float t = __builtin_fmaf((float)acc, cv->qscale[o], cv->qbias[o]);
    t = t > cv->qlo ? t : cv->qlo;
    t = t < cv->qhi ? t : cv->qhi;
    return (uint8_t)__builtin_rintf(t);
}

#endif
