/* The operators of DAF's inference graph other than the convolutions: set-up of the vectorised ones (per-ISA
 * kernels in ops_body.h), and the memory-bound ones, in plain C for the baseline (the compiler's SSE2 suffices
 * where loads and stores are the cost). Compiled with -ffp-contract=off: the resize's source positions must round
 * as the Java reference's float arithmetic does. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

static const dk_ops_impl *impl(int isa)
{
    return isa == DK_AVX512 ? &dk_ops_avx512 : isa == DK_AVX2 ? &dk_ops_avx2 : &dk_ops_portable;
}

static int imin(int a, int b) { return a < b ? a : b; }

/* Bands of output rows, the tasks of a call: about four per thread so that a thread slowed by other load takes
 * fewer; one band with one thread. Each band gets its own scratch buffer. */
static void split(int rows, int threads, int *bands, int *per_band)
{
    int want = threads <= 1 ? 1 : imin(rows, 4 * threads);
    *per_band = (rows + want - 1) / want;
    *bands = (rows + *per_band - 1) / *per_band;
}

/* ---- discrepancy ---- */

typedef struct {
    const dk_ops_impl *o;
    const float *s, *t;
    long pixels;
    int c, blocks;
    float *lo_s, *hi_s, *lo_t, *hi_t;
} minmax_job;

static void minmax_task(void *arg, int task)
{
    const minmax_job *j = arg;
    int map = task / j->blocks, c0 = task % j->blocks * j->o->lanes;
    if (map == 0) j->o->minmax(j->s, j->pixels, j->c, c0, j->lo_s, j->hi_s);
    else j->o->minmax(j->t, j->pixels, j->c, c0, j->lo_t, j->hi_t);
}

/* n(x) = (x - shift) * scale from the channel's extremes, divisor in double as io.dafedge.model.daf.Normalisation */
static void scaling_of(int scaling, float lo, float hi, float *scale, float *shift)
{
    const double eps = (double)1e-10f;
    double divisor;
    *shift = 0;
    switch (scaling) {
    case DK_SCALE_MIN_MAX:
        *shift = lo;
        divisor = (double)hi - lo + eps;
        break;
    case DK_SCALE_MAX_ABS:
        divisor = fmax(fabs(lo), fabs(hi)) + eps;
        break;
    default:
        divisor = hi + eps;
    }
    *scale = (float)(1.0 / divisor);
}

int dk_discrepancy(int isa, const float *s, const float *t, int h, int w, int c, int scaling, float *out,
                   int threads)
{
    const dk_ops_impl *o = impl(isa);
    int cpad = (c + o->lanes - 1) / o->lanes * o->lanes;
    float *params = calloc((size_t)cpad * 8, sizeof *params);
    if (!params) return -3;
    float *lo_s = params, *hi_s = lo_s + cpad, *lo_t = hi_s + cpad, *hi_t = lo_t + cpad;
    float *scale_s = hi_t + cpad, *shift_s = scale_s + cpad, *scale_t = shift_s + cpad, *shift_t = scale_t + cpad;
    minmax_job mm = {o, s, t, (long)h * w, c, cpad / o->lanes, lo_s, hi_s, lo_t, hi_t};
    dk_parallel(threads, 2 * mm.blocks, minmax_task, &mm);
    for (int i = 0; i < c; i++) {
        scaling_of(scaling, lo_s[i], hi_s[i], scale_s + i, shift_s + i);
        scaling_of(scaling, lo_t[i], hi_t[i], scale_t + i, shift_t + i);
    }

    /* the SSIM window, io.dafedge.model.daf.SsimWindow.taps() */
    float taps[11];
    double g[11], sum = 0;
    for (int i = 0; i < 11; i++) {
        int d = i - 5;
        g[i] = exp(-d * d / (2 * 1.5 * 1.5));
        sum += g[i];
    }
    for (int i = 0; i < 11; i++) taps[i] = (float)(g[i] / sum);

    dk_disc_job j = {.s = s, .t = t, .out = out, .h = h, .w = w, .c = c, .cpad = cpad, .scale_s = scale_s,
                     .shift_s = shift_s, .scale_t = scale_t, .shift_t = shift_t, .taps = taps};
    split(h, threads, &j.bands, &j.rows);
    j.buffer = ((size_t)(w + 10) * 5 * cpad + w + 15) / 16 * 16;
    j.buffers = malloc(j.buffer * j.bands * sizeof(float));
    int status = -3;
    if (j.buffers) {
        dk_parallel(threads, j.bands, o->disc_band, &j);
        status = 0;
    }
    free(j.buffers);
    free(params);
    return status;
}

void dk_channel_mean(const float *x, long pixels, int c, float *plane)
{
    /* in double and in channel order, as the reference: the same bits; four pixels at once for four chains */
    long p = 0;
    for (; p + 4 <= pixels; p += 4) {
        const float *a = x + p * c;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int i = 0; i < c; i++) {
            s0 += a[i];
            s1 += a[c + i];
            s2 += a[2 * c + i];
            s3 += a[3 * c + i];
        }
        plane[p] = (float)(s0 / c);
        plane[p + 1] = (float)(s1 / c);
        plane[p + 2] = (float)(s2 / c);
        plane[p + 3] = (float)(s3 / c);
    }
    for (; p < pixels; p++) {
        double sum = 0;
        for (int i = 0; i < c; i++) sum += x[p * c + i];
        plane[p] = (float)(sum / c);
    }
}

/* ---- fusion, concatenation, depth to space, activations ---- */

void dk_fuse_nearest(const float *src, int h, int w, int c, int factor, float *dst, int dc, int accumulate)
{
    int ow = w * factor;
    for (long y = 0; y < (long)h * factor; y++) {
        const float *row = src + y / factor * w * (long)c;
        float *o = dst + y * ow * dc;
        for (int x = 0; x < ow; x++, o += dc) {
            const float *p = row + (long)(x / factor) * c;
            for (int k0 = 0; k0 < dc; k0 += c) {
                int n = imin(c, dc - k0);
                float *q = o + k0;
                if (accumulate) {
                    for (int k = 0; k < n; k++) q[k] += p[k];
                } else {
                    memcpy(q, p, (size_t)n * sizeof *q);
                }
            }
        }
    }
}

void dk_copy_channels(const float *src, long pixels, int c, float *dst, int dc, int off)
{
    if (c == dc) {
        memcpy(dst, src, (size_t)pixels * c * sizeof *dst);
        return;
    }
    for (long p = 0; p < pixels; p++) memcpy(dst + p * dc + off, src + p * c, (size_t)c * sizeof *dst);
}

/* channel 4k + 2a + b of input pixel (i, j) is channel k of output pixel (2i + a, 2j + b) */
void dk_depth_to_space(const float *src, int h, int w, int c4, float *dst)
{
    int c = c4 / 4;
    for (long i = 0; i < h; i++) {
        for (int a = 0; a < 2; a++) {
            float *o = dst + (2 * i + a) * 2 * w * c;
            for (long j = 0; j < w; j++) {
                const float *p = src + (i * w + j) * c4 + 2 * a;
                for (int b = 0; b < 2; b++, o += c) {
                    for (int k = 0; k < c; k++) o[k] = p[4 * k + b];
                }
            }
        }
    }
}

void dk_sigmoid(int isa, float *x, long n) { impl(isa)->sigmoid(x, n); }

/* max(x, 0), written so that NaN stays NaN as in PyTorch */
void dk_relu(float *x, long n)
{
    for (long i = 0; i < n; i++) x[i] = x[i] < 0 ? 0 : x[i];
}

/* ---- bilinear resize ---- */

void dk_axis_free(dk_axis *a)
{
    free(a->lo);
    free(a->w);
    a->lo = NULL;
    a->w = NULL;
}

/*
 * The taps of one axis. Same size: the input. Enlarging: half-pixel centres, the source clamped to [0, in - 1],
 * in float exactly as io.dafedge.model.Maps.resize (two taps, one at the last pixel). Shrinking: PyTorch's
 * antialiased bilinear filter, a triangle stretched by in / out and normalised, in double as
 * io.dafedge.model.daf.DafNetwork.antialiasWeights.
 */
int dk_axis_make(dk_axis *a, int in, int out)
{
    double scale = (double)in / out;
    size_t most = out < in ? (size_t)out * (size_t)(2 * scale + 3) : 2 * (size_t)out;
    a->lo = malloc(3 * (size_t)out * sizeof(int));
    a->w = malloc(most * sizeof(float));
    if (!a->lo || !a->w) {
        dk_axis_free(a);
        return -3;
    }
    a->n = a->lo + out;
    a->at = a->n + out;
    int at = 0;
    for (int i = 0; i < out; i++) {
        a->at[i] = at;
        if (in == out) {
            a->lo[i] = i;
            a->n[i] = 1;
            a->w[at++] = 1;
        } else if (out > in) {
            float s = (float)in / out;
            float f = (i + 0.5f) * s - 0.5f;
            if (f < 0) f = 0;
            int i0 = imin((int)f, in - 1);
            float l = f - i0;
            a->lo[i] = i0;
            if (i0 + 1 < in) {
                a->n[i] = 2;
                a->w[at++] = 1 - l;
                a->w[at++] = l;
            } else {
                a->n[i] = 1;  /* both taps on the last pixel: (1 - l) + l of it */
                a->w[at++] = 1;
            }
        } else {
            double centre = scale * (i + 0.5);
            int lo = (int)(centre - scale + 0.5), hi = (int)(centre + scale + 0.5);
            lo = lo < 0 ? 0 : lo;
            hi = hi > in ? in : hi;
            double total = 0;
            for (int k = lo; k < hi; k++) total += fmax(0, 1 - fabs((k - centre + 0.5) / scale));
            for (int k = lo; k < hi; k++) a->w[at++] = (float)(fmax(0, 1 - fabs((k - centre + 0.5) / scale)) / total);
            a->lo[i] = lo;
            a->n[i] = hi - lo;
        }
    }
    return 0;
}

int dk_resize_bilinear(int isa, const float *src, int h, int w, int c, int oh, int ow, float *dst, int dc, int off,
                       int threads)
{
    const dk_ops_impl *o = impl(isa);
    dk_resize_job j = {.src = src, .dst = dst, .h = h, .w = w, .c = c, .oh = oh, .ow = ow, .dc = dc, .off = off};
    int status = -3;
    if (dk_axis_make(&j.ya, h, oh) == 0 && dk_axis_make(&j.xa, w, ow) == 0) {
        split(oh, threads, &j.bands, &j.rows);
        size_t need = (size_t)w * c;
        if (c == 1) { /* the band's input rows, resampled to ow each */
            for (int b = 0; b < j.bands; b++) {
                int first = b * j.rows, last = imin(oh, first + j.rows) - 1;
                size_t rows = (size_t)(j.ya.lo[last] + j.ya.n[last] - j.ya.lo[first]);
                if (rows * ow > need) need = rows * ow;
            }
        }
        j.buffer = (need + 15) / 16 * 16;
        j.buffers = malloc(j.buffer * j.bands * sizeof(float));
        if (j.buffers) {
            dk_parallel(threads, j.bands, o->resize_band, &j);
            status = 0;
        }
        free(j.buffers);
    }
    dk_axis_free(&j.ya);
    dk_axis_free(&j.xa);
    return status;
}

/* ---- Gaussian blur ---- */

int dk_gaussian_blur(int isa, const float *in, int w, int h, double sigma, float *out, int threads)
{
    /* io.dafedge.model.Maps.gaussianKernel: the same doubles, the same float roundings */
    int r = (int)(4 * sigma + 0.5);
    float *k = malloc((2 * (size_t)r + 1) * sizeof *k);
    if (!k) return -3;
    double sum = 0;
    for (int i = -r; i <= r; i++) {
        double v = exp(-0.5 * i * i / (sigma * sigma));
        k[i + r] = (float)v;
        sum += v;
    }
    for (int i = 0; i <= 2 * r; i++) k[i] /= (float)sum;

    dk_blur_job j = {.in = in, .out = out, .w = w, .h = h, .r = r, .k = k};
    split(h, threads, &j.bands, &j.rows);
    j.row_floats = ((size_t)w + 2 * r + 16 + 15) / 16 * 16;  /* the padded row and one vector to spare */
    j.buffer = j.row_floats + (2 * (size_t)r + 1) * 2;  /* pointers, two floats each at most */
    j.buffers = malloc(j.buffer * j.bands * sizeof(float));
    int status = -3;
    if (j.buffers) {
        dk_parallel(threads, j.bands, impl(isa)->blur_band, &j);
        status = 0;
    }
    free(j.buffers);
    free(k);
    return status;
}

/* ---- mean of the k largest ---- */

/* A float's bits as an unsigned key in the order of Java's Arrays.sort: -0 before +0, every NaN above everything.
 * Branch-free, so that the loops over keys vectorise. */
static inline uint32_t key_of(float f)
{
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    uint32_t negative = (uint32_t)((int32_t)b >> 31);
    uint32_t nan = 0u - (uint32_t)((b & 0x7fffffffu) > 0x7f800000u);
    return (b ^ (negative | 0x80000000u)) | nan;
}

static inline float value_of(uint32_t k)
{
    uint32_t b = k & 0x80000000u ? k & 0x7fffffffu : ~k;
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}

/* The highest bin at which the count from the top reaches `need`; *need becomes what is still needed in it. */
static int find_bin(const uint32_t *hist, int bins, long *need)
{
    long above = 0;
    int b = bins - 1;
    for (; b > 0 && above + hist[b] < *need; b--) above += hist[b];
    *need -= above;
    return b;
}

/*
 * The k-th largest of n keys (1 <= k <= n) by a radix select over their top 11, middle 11 and low 10 bits (three
 * passes); *ties becomes how many keys equal to it the k largest hold.
 */
static uint32_t kth_largest(const uint32_t *keys, long n, long k, long *ties)
{
    static const int shift[3] = {21, 10, 0}, bits[3] = {11, 11, 10};
    uint32_t prefix = 0;
    long need = k;
    for (int pass = 0; pass < 3; pass++) {
        uint32_t hist[2048] = {0};
        int sh = shift[pass], known = 32 - sh - bits[pass];  /* bits fixed by the earlier passes */
        uint32_t mask = (1u << bits[pass]) - 1;
        for (long i = 0; i < n; i++) {
            uint32_t key = keys[i];
            if (known == 0 || key >> (32 - known) == prefix) hist[key >> sh & mask]++;
        }
        prefix = prefix << bits[pass] | (uint32_t)find_bin(hist, 1 << bits[pass], &need);
    }
    *ties = need;
    return prefix;
}

/* sum of the values of the keys above t, plus `ties` times t's, in double as the reference; / k */
static float mean_above(const uint32_t *keys, long n, uint32_t t, long ties, long k)
{
    double sum = 0;
    for (long i = 0; i < n; i++) {
        if (keys[i] > t) sum += value_of(keys[i]);
    }
    sum += (double)ties * value_of(t);
    return (float)(sum / k);
}

/*
 * A selection, not a sort. The k-th largest block maximum (blocks of 64) is a lower bound of the k-th largest
 * value, since those k maxima are k values at least as large; when few values reach it (the usual case for the
 * small k of an image score) only they go through the exact radix select. Otherwise, or when k is large, all of
 * them do. Ties count as often as the reference's sorted order takes them: the sum is the values above the k-th
 * largest plus as many copies of it as are still needed.
 */
float dk_top_k_mean(const float *x, long n, long k)
{
    if (n < 1 || k < 1) return NAN;
    if (k > n) k = n;
    long blocks = (n + 63) / 64, ties;
    float mean = NAN;
    int done = 0;
    uint32_t *maxima = k * 8 <= blocks ? malloc((size_t)blocks * sizeof *maxima) : NULL;
    if (maxima) {
        for (long b = 0; b < blocks; b++) {
            long end = b * 64 + 64 < n ? b * 64 + 64 : n;
            uint32_t m = 0;
            for (long i = b * 64; i < end; i++) {
                uint32_t key = key_of(x[i]);
                m = key > m ? key : m;
            }
            maxima[b] = m;
        }
        uint32_t *sorted = malloc((size_t)blocks * sizeof *sorted);
        uint32_t bound = 0;
        long count = 0;
        if (sorted) {
            memcpy(sorted, maxima, (size_t)blocks * sizeof *sorted);
            bound = kth_largest(sorted, blocks, k, &ties);
            free(sorted);
            for (long b = 0; b < blocks; b++) {  /* only blocks whose maximum reaches the bound hold candidates */
                if (maxima[b] < bound) continue;
                long end = b * 64 + 64 < n ? b * 64 + 64 : n;
                for (long i = b * 64; i < end; i++) count += key_of(x[i]) >= bound;
            }
        }
        uint32_t *keys = count > 0 && count <= 64 * k + 4096 ? malloc((size_t)count * sizeof *keys) : NULL;
        if (keys) {
            long m = 0;
            for (long b = 0; b < blocks; b++) {
                if (maxima[b] < bound) continue;
                long end = b * 64 + 64 < n ? b * 64 + 64 : n;
                for (long i = b * 64; i < end; i++) {
                    uint32_t key = key_of(x[i]);
                    if (key >= bound) keys[m++] = key;
                }
            }
            uint32_t t = kth_largest(keys, count, k, &ties);
            mean = mean_above(keys, count, t, ties, k);
            free(keys);
            done = 1;
        }
        free(maxima);
        if (done) return mean;
    }
    uint32_t *keys = malloc((size_t)n * sizeof *keys);
    if (!keys) return NAN;
    for (long i = 0; i < n; i++) keys[i] = key_of(x[i]);
    uint32_t t = kth_largest(keys, n, k, &ties);
    mean = mean_above(keys, n, t, ties, k);
    free(keys);
    return mean;
}
