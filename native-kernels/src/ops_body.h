/* The vectorised operators (discrepancy, bilinear resize, Gaussian blur, sigmoid), written once over vector
 * primitives that the including ISA file defines first:
 *   vec, OPS_V (lanes), OPS_IMPL (the dk_ops_impl to define), vload, vload_n (first n lanes, the rest zero),
 *   vstore, vstore_n (first n lanes), vset1, vadd, vsub, vmul, vdiv, vfma (a * b + c), vmin, vmax, vhsum.
 * Each ISA file is compiled with its own -m flags, so nothing here may run on a CPU without that ISA.
 *
 * Vectors run across channels of HWC tensors, except for single-channel maps, where they run along a row. A task
 * is a band of output rows, and every output value is computed the same way whatever band it falls in: results do
 * not depend on the thread count. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "ops.h"

#define AI static inline __attribute__((always_inline))

AI int imin(int a, int b) { return a < b ? a : b; }
AI vec load_part(const float *p, int n) { return n == OPS_V ? vload(p) : vload_n(p, n); }
AI void store_part(float *p, vec v, int n)
{
    if (n == OPS_V) vstore(p, v);
    else vstore_n(p, v, n);
}

/* PyTorch's 'reflect' padding (c b | a b c | b a), for i in (-n, 2n - 1). */
AI int reflect_edge_once(int i, int n) { return i < 0 ? -i : (i < n ? i : 2 * (n - 1) - i); }

/* SciPy's 'reflect' (d c b a | a b c d | d c b a), edge repeated, for any i. */
AI int reflect_edge_twice(int i, int n)
{
    int period = 2 * n;
    i %= period;
    if (i < 0) i += period;
    return i < n ? i : period - 1 - i;
}

static void minmax(const float *x, long pixels, int c, int c0, float *lo, float *hi)
{
    int nb = imin(OPS_V, c - c0);
    vec mn = vset1(INFINITY), mx = vset1(-INFINITY);
    for (long p = 0; p < pixels; p++) {
        vec v = load_part(x + p * c + c0, nb);
        mn = vmin(mn, v);
        mx = vmax(mx, v);
    }
    store_part(lo + c0, mn, nb);
    store_part(hi + c0, mx, nb);
}

/* ---- discrepancy: (1 - SSIM(n(S), n(T))) + (1 - cos_c(S, T)) per pixel and channel ---- */

#define SSIM_PAD 5
#define SSIM_TAPS 11

/*
 * The vertical pass of one input column: the five moments, over the 11 rows of `rs` and `rt`, of x = S - shift and
 * y = T - shift (the scale is applied after both passes, which are linear), into b (5 rows of cp floats).
 */
AI void disc_column(const dk_disc_job *j, const float *const *rs, const float *const *rt, size_t at, float *b,
                    int shifted)
{
    int c = j->c, cp = j->cpad;
    const float *g = j->taps;
    for (int cb = 0; cb < c; cb += OPS_V) {
        int nb = imin(OPS_V, c - cb);
        vec shs = vload(j->shift_s + cb), sht = vload(j->shift_t + cb);
        vec mx = vset1(0), my = vset1(0), mxx = vset1(0), myy = vset1(0), mxy = vset1(0);
        for (int k = 0; k < SSIM_TAPS; k++) {
            vec x = load_part(rs[k] + at + cb, nb), y = load_part(rt[k] + at + cb, nb);
            if (shifted) {
                x = vsub(x, shs);
                y = vsub(y, sht);
            }
            vec gk = vset1(g[k]);
            vec gx = vmul(gk, x), gy = vmul(gk, y);
            mx = vadd(mx, gx);
            my = vadd(my, gy);
            mxx = vfma(gx, x, mxx);
            myy = vfma(gy, y, myy);
            mxy = vfma(gx, y, mxy);
        }
        vstore(b + cb, mx);
        vstore(b + cp + cb, my);
        vstore(b + 2 * cp + cb, mxx);
        vstore(b + 3 * cp + cb, myy);
        vstore(b + 4 * cp + cb, mxy);
    }
}

/*
 * Per output row: the vertical pass of the five moments of the normalised maps over the 11 reflected input rows,
 * for every input column, into the band's buffer (a padding column is a copy of the column it reflects); then the
 * horizontal pass over 11 buffer columns, the scales, SSIM, and the sum with the pixel's cosine. The products are
 * formed in registers, so nothing of the size of the map is written besides the output.
 */
static void disc_band(void *arg, int band)
{
    const dk_disc_job *j = arg;
    int h = j->h, w = j->w, c = j->c, cp = j->cpad, pw = w + 2 * SSIM_PAD;
    size_t column = (size_t)5 * cp;
    float *buf = j->buffers + (size_t)band * j->buffer;
    float *cosines = buf + (size_t)pw * column;
    const float *g = j->taps;
    int shifted = 0;
    for (int i = 0; i < c; i++) shifted |= j->shift_s[i] != 0 || j->shift_t[i] != 0;
    const vec c1 = vset1(1e-4f), c2 = vset1(9e-4f), one = vset1(1.0f), two = vset1(2.0f);
    int y0 = band * j->rows, y1 = imin(h, y0 + j->rows);
    for (int y = y0; y < y1; y++) {
        const float *rs[SSIM_TAPS], *rt[SSIM_TAPS];
        for (int k = 0; k < SSIM_TAPS; k++) {
            size_t row = (size_t)reflect_edge_once(y + k - SSIM_PAD, h) * w * c;
            rs[k] = j->s + row;
            rt[k] = j->t + row;
        }
        for (int x = 0; x < w; x++) {
            float *b = buf + (size_t)(x + SSIM_PAD) * column;
            if (shifted) disc_column(j, rs, rt, (size_t)x * c, b, 1);
            else disc_column(j, rs, rt, (size_t)x * c, b, 0);
        }
        for (int i = 1; i <= SSIM_PAD; i++) {
            memcpy(buf + (size_t)(SSIM_PAD - i) * column, buf + (size_t)(SSIM_PAD + i) * column,
                   column * sizeof *buf);
            memcpy(buf + (size_t)(SSIM_PAD + w - 1 + i) * column, buf + (size_t)(SSIM_PAD + w - 1 - i) * column,
                   column * sizeof *buf);
        }
        /* cosine over channels of the raw maps, PyTorch's guard: st / sqrt(max(ss tt, eps^2)) */
        for (int x = 0; x < w; x++) {
            const float *s = rs[SSIM_PAD] + (size_t)x * c, *t = rt[SSIM_PAD] + (size_t)x * c;
            vec st = vset1(0), ss = vset1(0), tt = vset1(0);
            for (int cb = 0; cb < c; cb += OPS_V) {
                int nb = imin(OPS_V, c - cb);
                vec a = load_part(s + cb, nb), bv = load_part(t + cb, nb);
                st = vfma(a, bv, st);
                ss = vfma(a, a, ss);
                tt = vfma(bv, bv, tt);
            }
            double norm = (double)vhsum(ss) * vhsum(tt);
            cosines[x] = (float)(vhsum(st) / sqrt(norm > 1e-16 ? norm : 1e-16));
        }
        float *o = j->out + (size_t)y * w * c;
        for (int x = 0; x < w; x++) {
            vec distance = vsub(one, vset1(cosines[x]));
            for (int cb = 0; cb < c; cb += OPS_V) {
                /* the window is symmetric: columns k and 10 - k are added first (adds and FMAs use separate
                 * pipes on current x86 cores) */
                const float *b = buf + (size_t)x * column + cb, *e = b + (SSIM_TAPS - 1) * column;
                const float *mid = b + SSIM_PAD * column;
                vec gm = vset1(g[SSIM_PAD]);
                vec m0 = vmul(gm, vload(mid)), m1 = vmul(gm, vload(mid + cp)), m2 = vmul(gm, vload(mid + 2 * cp));
                vec m3 = vmul(gm, vload(mid + 3 * cp)), m4 = vmul(gm, vload(mid + 4 * cp));
                for (int k = 0; k < SSIM_PAD; k++, b += column, e -= column) {
                    vec gk = vset1(g[k]);
                    m0 = vfma(gk, vadd(vload(b), vload(e)), m0);
                    m1 = vfma(gk, vadd(vload(b + cp), vload(e + cp)), m1);
                    m2 = vfma(gk, vadd(vload(b + 2 * cp), vload(e + 2 * cp)), m2);
                    m3 = vfma(gk, vadd(vload(b + 3 * cp), vload(e + 3 * cp)), m3);
                    m4 = vfma(gk, vadd(vload(b + 4 * cp), vload(e + 4 * cp)), m4);
                }
                vec scs = vload(j->scale_s + cb), sct = vload(j->scale_t + cb);
                m0 = vmul(m0, scs);
                m1 = vmul(m1, sct);
                m2 = vmul(vmul(m2, scs), scs);
                m3 = vmul(vmul(m3, sct), sct);
                m4 = vmul(vmul(m4, scs), sct);
                vec m00 = vmul(m0, m0), m11 = vmul(m1, m1), m01 = vmul(m0, m1);
                vec num = vmul(vfma(two, m01, c1), vfma(two, vsub(m4, m01), c2));
                vec den = vmul(vadd(vadd(m00, m11), c1), vadd(vadd(vsub(m2, m00), vsub(m3, m11)), c2));
                vec d = vadd(vsub(one, vdiv(num, den)), distance);
                store_part(o + (size_t)x * c + cb, d, imin(OPS_V, c - cb));
            }
        }
    }
}

/* ---- bilinear resize: vertical pass into a row of the input's width, then horizontal, per output row ---- */

/*
 * One channel (the anomaly maps): vectors along rows instead. Horizontal pass first, scalar, over the input rows the
 * band needs (fewer than its output rows when enlarging), then the vertical pass over whole output rows.
 */
static void resize_plane_band(const dk_resize_job *j, int y0, int y1, float *rows)
{
    int ow = j->ow, dc = j->dc;
    int first = j->ya.lo[y0], last = j->ya.lo[y1 - 1] + j->ya.n[y1 - 1];
    for (int i = first; i < last; i++) {
        const float *in = j->src + (size_t)i * j->w;
        float *o = rows + (size_t)(i - first) * ow;
        for (int x = 0; x < ow; x++) {
            const float *wx = j->xa.w + j->xa.at[x], *p = in + j->xa.lo[x];
            float acc = wx[0] * p[0];
            for (int t = 1; t < j->xa.n[x]; t++) acc += wx[t] * p[t];
            o[x] = acc;
        }
    }
    for (int y = y0; y < y1; y++) {
        int n = j->ya.n[y];
        const float *wy = j->ya.w + j->ya.at[y], *in = rows + (size_t)(j->ya.lo[y] - first) * ow;
        float *o = j->dst + (size_t)y * ow * dc + j->off;
        for (int x = 0; x < ow; x += OPS_V) {
            int nb = imin(OPS_V, ow - x);
            vec acc = vmul(vset1(wy[0]), load_part(in + x, nb));
            for (int t = 1; t < n; t++) acc = vfma(vset1(wy[t]), load_part(in + (size_t)t * ow + x, nb), acc);
            if (dc == 1) {
                store_part(o + x, acc, nb);
            } else {
                float lanes[OPS_V];
                vstore(lanes, acc);
                for (int i = 0; i < nb; i++) o[(size_t)(x + i) * dc] = lanes[i];
            }
        }
    }
}

static void resize_band(void *arg, int band)
{
    const dk_resize_job *j = arg;
    int c = j->c, w = j->w, dc = j->dc;
    size_t len = (size_t)w * c;
    float *row = j->buffers + (size_t)band * j->buffer;
    int y0 = band * j->rows, y1 = imin(j->oh, y0 + j->rows);
    if (c == 1) {
        resize_plane_band(j, y0, y1, row);
        return;
    }
    for (int y = y0; y < y1; y++) {
        int n = j->ya.n[y];
        const float *wy = j->ya.w + j->ya.at[y];
        const float *src = j->src + (size_t)j->ya.lo[y] * len;
        const float *r = row;
        if (n == 1 && wy[0] == 1.0f) {
            r = src;  /* an axis kept at its size: the input row itself */
        } else {
            for (size_t i = 0; i < len; i += OPS_V) {
                int nb = len - i < OPS_V ? (int)(len - i) : OPS_V;
                vec acc = vmul(vset1(wy[0]), load_part(src + i, nb));
                for (int t = 1; t < n; t++) acc = vfma(vset1(wy[t]), load_part(src + t * len + i, nb), acc);
                store_part(row + i, acc, nb);
            }
        }
        float *o = j->dst + (size_t)y * j->ow * dc + j->off;
        for (int x = 0; x < j->ow; x++) {
            int nx = j->xa.n[x];
            const float *wx = j->xa.w + j->xa.at[x], *in = r + (size_t)j->xa.lo[x] * c;
            for (int cb = 0; cb < c; cb += OPS_V) {
                int nb = imin(OPS_V, c - cb);
                vec acc = vmul(vset1(wx[0]), load_part(in + cb, nb));
                for (int t = 1; t < nx; t++) acc = vfma(vset1(wx[t]), load_part(in + (size_t)t * c + cb, nb), acc);
                store_part(o + (size_t)x * dc + cb, acc, nb);
            }
        }
    }
}

/* ---- Gaussian blur of a single-channel map, SciPy's reflect borders, vectors along rows ---- */

/*
 * Vertical pass of output row y into the middle of the band's padded row, mirrored borders, horizontal pass. The
 * kernel is symmetric: the two inputs of a tap pair are added first, half the multiplications.
 */
static void blur_band(void *arg, int band)
{
    const dk_blur_job *j = arg;
    int w = j->w, h = j->h, r = j->r, taps = 2 * r + 1;
    const float *k = j->k;
    float *p = j->buffers + (size_t)band * j->buffer;
    int y0 = band * j->rows, y1 = imin(h, y0 + j->rows);
    const float **rows = (const float **)(p + j->row_floats);
    for (int y = y0; y < y1; y++) {
        for (int t = 0; t < taps; t++) rows[t] = j->in + (size_t)reflect_edge_twice(y + t - r, h) * w;
        /* four vectors at a time: independent sums, not one chain of FMAs waiting on each other */
        int x = 0;
        for (; x + 4 * OPS_V <= w; x += 4 * OPS_V) {
            vec kr = vset1(k[r]);
            const float *m = rows[r] + x;
            vec a0 = vmul(kr, vload(m)), a1 = vmul(kr, vload(m + OPS_V)), a2 = vmul(kr, vload(m + 2 * OPS_V));
            vec a3 = vmul(kr, vload(m + 3 * OPS_V));
            for (int t = 0; t < r; t++) {
                vec kt = vset1(k[t]);
                const float *q = rows[t] + x, *u = rows[taps - 1 - t] + x;
                a0 = vfma(kt, vadd(vload(q), vload(u)), a0);
                a1 = vfma(kt, vadd(vload(q + OPS_V), vload(u + OPS_V)), a1);
                a2 = vfma(kt, vadd(vload(q + 2 * OPS_V), vload(u + 2 * OPS_V)), a2);
                a3 = vfma(kt, vadd(vload(q + 3 * OPS_V), vload(u + 3 * OPS_V)), a3);
            }
            vstore(p + r + x, a0);
            vstore(p + r + x + OPS_V, a1);
            vstore(p + r + x + 2 * OPS_V, a2);
            vstore(p + r + x + 3 * OPS_V, a3);
        }
        for (; x < w; x += OPS_V) {
            int nb = imin(OPS_V, w - x);
            vec acc = vmul(vset1(k[r]), load_part(rows[r] + x, nb));
            for (int t = 0; t < r; t++) {
                acc = vfma(vset1(k[t]), vadd(load_part(rows[t] + x, nb), load_part(rows[taps - 1 - t] + x, nb)), acc);
            }
            vstore(p + r + x, acc);  /* the buffer has OPS_V floats to spare */
        }
        for (int i = 1; i <= r; i++) {
            p[r - i] = p[r + reflect_edge_twice(-i, w)];
            p[r + w - 1 + i] = p[r + reflect_edge_twice(w - 1 + i, w)];
        }
        float *o = j->out + (size_t)y * w;
        for (x = 0; x + 4 * OPS_V <= w; x += 4 * OPS_V) {
            vec kr = vset1(k[r]);
            const float *m = p + x + r;
            vec a0 = vmul(kr, vload(m)), a1 = vmul(kr, vload(m + OPS_V)), a2 = vmul(kr, vload(m + 2 * OPS_V));
            vec a3 = vmul(kr, vload(m + 3 * OPS_V));
            for (int t = 0; t < r; t++) {
                vec kt = vset1(k[t]);
                const float *q = p + x + t, *u = p + x + taps - 1 - t;
                a0 = vfma(kt, vadd(vload(q), vload(u)), a0);
                a1 = vfma(kt, vadd(vload(q + OPS_V), vload(u + OPS_V)), a1);
                a2 = vfma(kt, vadd(vload(q + 2 * OPS_V), vload(u + 2 * OPS_V)), a2);
                a3 = vfma(kt, vadd(vload(q + 3 * OPS_V), vload(u + 3 * OPS_V)), a3);
            }
            vstore(o + x, a0);
            vstore(o + x + OPS_V, a1);
            vstore(o + x + 2 * OPS_V, a2);
            vstore(o + x + 3 * OPS_V, a3);
        }
        for (; x < w; x += OPS_V) {
            vec a = vmul(vset1(k[r]), vload(p + x + r));
            for (int t = 0; t < r; t++) a = vfma(vset1(k[t]), vadd(vload(p + x + t), vload(p + x + taps - 1 - t)), a);
            store_part(o + x, a, imin(OPS_V, w - x));
        }
    }
}

/* ---- sigmoid in place ---- */

/*
 * e^x for x in [-87.3, 0]: x = n ln 2 + r with |r| <= ln 2 / 2 (ln 2 in two parts, Cody and Waite), e^r by Cephes'
 * expf polynomial (relative error about 1e-7), times 2^n built in the exponent bits. Plain arithmetic so that the
 * loop below vectorises at this file's width (glibc's expf would not).
 */
AI float exp_negative(float x)
{
    x = x < -87.3f ? -87.3f : x;
    float t = x * 1.44269504088896341f + 12582912.0f;  /* rounds x / ln 2 to an integer: 1.5 * 2^23 */
    float n = t - 12582912.0f;
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/* 1 / (1 + e^-x), as e^-|x| so that nothing overflows and negative x keep their relative accuracy; NaN stays NaN. */
static void sigmoid(float *x, long n)
{
    for (long i = 0; i < n; i++) {
        float v = x[i];
        float e = exp_negative(-fabsf(v));
        float s = 1.0f / (1.0f + e);
        float y = v >= 0 ? s : e * s;
        x[i] = v != v ? v : y;
    }
}

const dk_ops_impl OPS_IMPL = {OPS_V, minmax, disc_band, resize_band, blur_band, sigmoid};
