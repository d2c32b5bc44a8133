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

typedef struct dq_conv {
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
    /* DQ_OUT_FLOAT: y = clamp(clamp(...) + res, rlo, rhi), res 0 without a residual (the float kernels' epilogue);
     * clamp2 says whether [rlo, rhi] clamps anything */
    float rlo, rhi;
    int clamp2;
    /* the activations' quantisation, for dq_quantise when a chain quantises float rows for this convolution */
    float in_inv_scale;
    int in_zero;
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
 * channel or NULL; in_inv_scale, in_zero: the activations' quantisation (1 / scale, zero point); [rlo, rhi]: the
 * clamp after the residual add (float output only; infinities for none). NULL when out of memory or the path is not supported; values are
 * trusted (checked by the caller). */
dq_conv *dq_conv_create(int path, int in_c, int out_c, const int8_t *weights, const float *scale,
                        const float *bias, float in_inv_scale, int in_zero, float lo, float hi, float rlo, float rhi,
                        float out_inv_scale, int out_zero);
void dq_conv_free(dq_conv *cv);

/* in: pixels x in_c uint8; out: pixels x out_c of int32_t, float or uint8_t as `kind` says; res: pixels x out_c
 * floats added before the second clamp, DQ_OUT_FLOAT only, or NULL. */
void dq_conv_run(const dq_conv *cv, const uint8_t *in, long pixels, const float *res, int kind, void *out,
                 int threads);
/* Pixels [0, pixels) on the calling thread alone (a fused chain's rows). */
void dq_conv_span(const dq_conv *cv, const uint8_t *in, long pixels, const float *res, int kind, void *out);

/* q[i] = rint(min(max(fma(x[i], inv_scale, zero), 0), 255)) (NaN to 0) for i in [0, n), on the path's code. */
void dq_quantise(int path, const float *x, long n, float inv_scale, int zero, uint8_t *q);

/* What a path file provides: pixels [p0, p1) x tiles [t0, t1); res as dq_conv_run's. */
typedef void (*dq_span_fn)(const dq_conv *cv, const uint8_t *in, long p0, long p1, int t0, int t1,
                           const float *res, int kind, void *out);
typedef void (*dq_quantise_fn)(const float *x, long n, float inv_scale, int zero, uint8_t *q);
extern const dq_span_fn dq_span_vnni;
extern const dq_quantise_fn dq_quantise_vnni;

/* The epilogue of one value, as the vector paths compute it lane by lane. */
static inline float dq_clamp(float y, float lo, float hi)
{
    y = y > lo ? y : lo; /* as maxps: the bound when y is NaN */
    return y < hi ? y : hi;
}

/* res: the residual value, or NULL */
static inline float dq_dequant(const dq_conv *cv, int32_t acc, int o, const float *res)
{
    float y = dq_clamp(__builtin_fmaf((float)acc, cv->scale[o], cv->bias[o]), cv->lo, cv->hi);
    if (res) y += *res;
    return cv->clamp2 ? dq_clamp(y, cv->rlo, cv->rhi) : y;
}

static inline uint8_t dq_quantise1(float x, float inv_scale, int zero)
{
    return (uint8_t)__builtin_rintf(dq_clamp(__builtin_fmaf(x, inv_scale, (float)zero), 0.0f, 255.0f));
}

static inline uint8_t dq_requant(const dq_conv *cv, int32_t acc, int o)
{
    float t = __builtin_fmaf((float)acc, cv->qscale[o], cv->qbias[o]);
    t = t > cv->qlo ? t : cv->qlo;
    t = t < cv->qhi ? t : cv->qhi;
    return (uint8_t)__builtin_rintf(t);
}

#endif
