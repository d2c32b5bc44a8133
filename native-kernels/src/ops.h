/* daf-edge kernels: the operators of DAF's inference graph other than the convolutions (ops.c, ops_body.h).
 * Tensors are HWC float32, batch 1. Every shape is checked by the caller (Java); these functions trust them. */
#ifndef DK_OPS_H
#define DK_OPS_H

#include <stddef.h>

#include "dk.h"

/* The normalisation n() of the discrepancy's SSIM, per channel over the map (io.dafedge.kernels.Scaling). */
enum dk_scaling { DK_SCALE_MAX = 0, DK_SCALE_MIN_MAX = 1, DK_SCALE_MAX_ABS = 2 };

/* One axis of a resize: output pixel i is the sum over t < n[i] of w[at[i] + t] * input[lo[i] + t]. */
typedef struct {
    int *lo, *n, *at;
    float *w;
} dk_axis;

/* Geometry of one discrepancy call, shared by its tasks. */
typedef struct {
    const float *s, *t;
    float *out;
    int h, w, c, cpad;
    /* n(x) = (x - shift) * scale per channel, each map its own; cpad long (zero padded) */
    const float *scale_s, *shift_s, *scale_t, *shift_t;
    float *buffers;              /* one per band: (w + 10) x 5 x cpad floats, then w floats of cosines */
    size_t buffer;               /* floats per band */
    int bands, rows;             /* `rows` output rows per band */
    const float *taps;           /* the 11 SSIM window taps */
} dk_disc_job;

typedef struct {
    const float *src;
    float *dst;
    int h, w, c, oh, ow, dc, off;
    dk_axis ya, xa;
    /* one per band: w * c floats (a vertically resampled input row), or with one channel the input rows the band
     * needs resampled horizontally, ow floats each */
    float *buffers;
    size_t buffer;
    int bands, rows;
} dk_resize_job;

typedef struct {
    const float *in;
    float *out;
    int w, h, r;
    const float *k;   /* 2 r + 1 taps */
    float *buffers;   /* one per band: the padded row (row_floats), then 2 r + 1 row pointers */
    size_t row_floats;
    size_t buffer;
    int bands, rows;
} dk_blur_job;

/* What an ISA file (ops_portable.c, ops_avx2.c, ops_avx512.c) provides; each runs one task (a band of rows). */
typedef struct {
    int lanes;
    /* per-channel minimum and maximum over `pixels` pixels, channels [c0, c0 + lanes) at most */
    void (*minmax)(const float *x, long pixels, int c, int c0, float *lo, float *hi);
    void (*disc_band)(void *job, int band);
    void (*resize_band)(void *job, int band);
    void (*blur_band)(void *job, int band);
    void (*sigmoid)(float *x, long n);
} dk_ops_impl;

extern const dk_ops_impl dk_ops_portable, dk_ops_avx2, dk_ops_avx512;

/* Return 0, or -3 when out of memory (a scratch buffer); isa must be supported by the CPU. */
int dk_discrepancy(int isa, const float *s, const float *t, int h, int w, int c, int scaling, float *out,
                   int threads);
void dk_channel_mean(const float *x, long pixels, int c, float *plane);
void dk_fuse_nearest(const float *src, int h, int w, int c, int factor, float *dst, int dc, int accumulate);
int dk_resize_bilinear(int isa, const float *src, int h, int w, int c, int oh, int ow, float *dst, int dc, int off,
                       int threads);
void dk_copy_channels(const float *src, long pixels, int c, float *dst, int dc, int off);
void dk_depth_to_space(const float *src, int h, int w, int c4, float *dst);
void dk_sigmoid(int isa, float *x, long n);
void dk_relu(float *x, long n);
int dk_gaussian_blur(int isa, const float *in, int w, int h, double sigma, float *out, int threads);
float dk_top_k_mean(const float *x, long n, long k);

/* Exposed for the C check: the resize filter of one axis (in -> out pixels), freed with dk_axis_free. */
int dk_axis_make(dk_axis *a, int in, int out);
void dk_axis_free(dk_axis *a);

#endif
