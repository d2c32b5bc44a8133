/* INT8 pointwise convolution (qconv.h): CPU detection, packing, the portable path, the split into tasks. Compiled
 * for the baseline x86-64; the VNNI path (qconv_vnni.c) is only called after checking the CPU. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dk.h"
#include "qconv.h"

int dq_supported_paths(void)
{
    __builtin_cpu_init();
    int paths = 1 << DQ_PORTABLE;
    /* vpdpbusd on zmm needs AVX512_VNNI; the byte stores of the requantised output need AVX512BW and VL */
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni")) {
        paths |= 1 << DQ_VNNI;
    }
    return paths;
}

static size_t round_up(size_t n, size_t m) { return (n + m - 1) / m * m; }

static void *zalloc(size_t bytes)
{
    void *p = aligned_alloc(64, round_up(bytes ? bytes : 1, 64));
    if (p) memset(p, 0, bytes);
    return p;
}

dq_conv *dq_conv_create(int path, int in_c, int out_c, const int8_t *weights, const float *scale,
                        const float *bias, float in_inv_scale, int in_zero, float lo, float hi, float rlo, float rhi,
                        float out_inv_scale, int out_zero)
{
    if (path < 0 || path >= DQ_PATHS || !(dq_supported_paths() & (1 << path))) return NULL;
    dq_conv *cv = calloc(1, sizeof *cv);
    if (!cv) return NULL;
    cv->path = path;
    cv->in_c = in_c;
    cv->out_c = out_c;
    cv->groups4 = (in_c + 3) / 4;
    cv->ntiles = (out_c + DQ_TILE - 1) / DQ_TILE;
    cv->out_pad = (int)round_up((size_t)out_c, DQ_LANES);
    cv->lo = lo;
    cv->hi = hi;
    cv->rlo = rlo;
    cv->rhi = rhi;
    cv->clamp2 = rlo > -INFINITY || rhi < INFINITY;
    cv->in_inv_scale = in_inv_scale;
    cv->in_zero = in_zero;
    float qlo = lo * out_inv_scale + (float)out_zero, qhi = hi * out_inv_scale + (float)out_zero;
    cv->qlo = qlo > 0.0f ? qlo : 0.0f;
    cv->qhi = qhi < 255.0f ? qhi : 255.0f;
    cv->comp = zalloc((size_t)cv->out_pad * sizeof(int32_t));
    cv->scale = zalloc((size_t)cv->out_pad * sizeof(float));
    cv->bias = zalloc((size_t)cv->out_pad * sizeof(float));
    cv->qscale = zalloc((size_t)cv->out_pad * sizeof(float));
    cv->qbias = zalloc((size_t)cv->out_pad * sizeof(float));
    cv->packed = zalloc((size_t)cv->ntiles * cv->groups4 * DQ_TILE * 4);
    if (!cv->comp || !cv->scale || !cv->bias || !cv->qscale || !cv->qbias || !cv->packed) {
        dq_conv_free(cv);
        return NULL;
    }
    double reach = 0; /* the largest |fma(acc, qscale, qbias)|: |acc| <= in_c x 255 x 128 */
    for (int o = 0; o < out_c; o++) {
        const int8_t *w = weights + (size_t)o * in_c;
        int32_t sum = 0;
        for (int i = 0; i < in_c; i++) sum += w[i];
        cv->comp[o] = -in_zero * sum;
        cv->scale[o] = scale[o];
        cv->bias[o] = bias ? bias[o] : 0.0f;
        cv->qscale[o] = scale[o] * out_inv_scale;
        cv->qbias[o] = cv->bias[o] * out_inv_scale + (float)out_zero;
        double r = (double)in_c * 255 * 128 * fabs(cv->qscale[o]) + fabs(cv->qbias[o]);
        reach = r > reach || r != r ? r : reach; /* NaN stays */
        int t = o / DQ_TILE, j = o % DQ_TILE;
        int width = out_c - t * DQ_TILE < DQ_TILE ? (int)round_up((size_t)(out_c - t * DQ_TILE), DQ_LANES) : DQ_TILE;
        int8_t *block = cv->packed + (size_t)t * cv->groups4 * DQ_TILE * 4;
        for (int i = 0; i < in_c; i++) block[((size_t)(i / 4) * width + j) * 4 + i % 4] = w[i];
    }
    cv->saturate = cv->qlo == 0.0f && cv->qhi == 255.0f && reach < 1073741824.0;
    return cv;
}

void dq_conv_free(dq_conv *cv)
{
    if (!cv) return;
    free(cv->comp);
    free(cv->scale);
    free(cv->bias);
    free(cv->qscale);
    free(cv->qbias);
    free(cv->packed);
    free(cv);
}

/* Output channels of tile t and its packed width (whole vectors). */
static int tile_valid(const dq_conv *cv, int t)
{
    int n = cv->out_c - t * DQ_TILE;
    return n < DQ_TILE ? n : DQ_TILE;
}

/* Scalar, over the same packed rows: one pixel and one tile at a time, the tile's sums in a small array. */
static void span_portable(const dq_conv *cv, const uint8_t *in, long p0, long p1, int t0, int t1,
                          const float *res, int kind, void *out)
{
    for (long p = p0; p < p1; p++) {
        const uint8_t *a = in + p * cv->in_c;
        for (int t = t0; t < t1; t++) {
            int valid = tile_valid(cv, t), width = (int)round_up((size_t)valid, DQ_LANES), o0 = t * DQ_TILE;
            const int8_t *b = cv->packed + (size_t)t * cv->groups4 * DQ_TILE * 4;
            int32_t acc[DQ_TILE];
            for (int j = 0; j < width; j++) acc[j] = cv->comp[o0 + j];
            for (int g = 0; g < cv->groups4; g++, b += (size_t)width * 4) {
                int32_t x[4] = {0, 0, 0, 0};
                for (int k = 0; k < 4 && 4 * g + k < cv->in_c; k++) x[k] = a[4 * g + k];
                for (int j = 0; j < width; j++) {
                    acc[j] += x[0] * b[4 * j] + x[1] * b[4 * j + 1] + x[2] * b[4 * j + 2] + x[3] * b[4 * j + 3];
                }
            }
            size_t at = (size_t)p * cv->out_c + o0;
            for (int j = 0; j < valid; j++) {
                if (kind == DQ_OUT_INT32) {
                    ((int32_t *)out)[at + j] = acc[j];
                } else if (kind == DQ_OUT_FLOAT) {
                    ((float *)out)[at + j] = dq_dequant(cv, acc[j], o0 + j, res ? res + at + j : NULL);
                } else {
                    ((uint8_t *)out)[at + j] = dq_requant(cv, acc[j], o0 + j);
                }
            }
        }
    }
}

static void quantise_portable(const float *x, long n, float inv_scale, int zero, uint8_t *q)
{
    for (long i = 0; i < n; i++) q[i] = dq_quantise1(x[i], inv_scale, zero);
}

static dq_span_fn span_of(const dq_conv *cv) { return cv->path == DQ_VNNI ? dq_span_vnni : span_portable; }

void dq_quantise(int path, const float *x, long n, float inv_scale, int zero, uint8_t *q)
{
    (path == DQ_VNNI ? dq_quantise_vnni : quantise_portable)(x, n, inv_scale, zero, q);
}

void dq_conv_span(const dq_conv *cv, const uint8_t *in, long pixels, const float *res, int kind, void *out)
{
    span_of(cv)(cv, in, 0, pixels, 0, cv->ntiles, res, kind, out);
}

typedef struct {
    const dq_conv *cv;
    dq_span_fn span;
    const uint8_t *in;
    const float *res;
    void *out;
    long pixels, chunk;
    int kind, tchunk, tchunks;
} dq_job;

static void dq_task(void *arg, int task)
{
    const dq_job *j = arg;
    int tc = task % j->tchunks;
    long p0 = (long)(task / j->tchunks) * j->chunk, p1 = p0 + j->chunk < j->pixels ? p0 + j->chunk : j->pixels;
    int t0 = tc * j->tchunk, t1 = t0 + j->tchunk < j->cv->ntiles ? t0 + j->tchunk : j->cv->ntiles;
    j->span(j->cv, j->in, p0, p1, t0, t1, j->res, j->kind, j->out);
}

/* Pixels in chunks of whole register blocks (24: a multiple of every block's 12, 8 or 6 pixels), at most 384 so a
 * chunk's input stays in L1/L2 while every tile runs over it, at least four chunks per thread when the image has
 * them; then tiles in chunks when there are still too few tasks. */
#define DQ_BLOCK 24
#define DQ_MAX_CHUNK 384

void dq_conv_run(const dq_conv *cv, const uint8_t *in, long pixels, const float *res, int kind, void *out,
                 int threads)
{
    dq_job j = {cv, span_of(cv), in, res, out, pixels, 0, kind, 0, 0};
    long want = threads > 1 ? 4L * threads : 1;
    long blocks = (pixels + DQ_BLOCK - 1) / DQ_BLOCK;
    long per = (blocks + want - 1) / want;
    if (per > DQ_MAX_CHUNK / DQ_BLOCK) per = DQ_MAX_CHUNK / DQ_BLOCK;
    j.chunk = per * DQ_BLOCK;
    long chunks = (pixels + j.chunk - 1) / j.chunk;
    j.tchunks = chunks >= want ? 1 : (int)((want + chunks - 1) / chunks);
    if (j.tchunks > cv->ntiles) j.tchunks = cv->ntiles;
    j.tchunk = (cv->ntiles + j.tchunks - 1) / j.tchunks;
    j.tchunks = (cv->ntiles + j.tchunk - 1) / j.tchunk;
    long tasks = chunks * j.tchunks;
    dk_parallel(threads, (int)tasks, dq_task, &j);
}
