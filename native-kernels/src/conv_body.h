/* The convolution kernels, written once over vector primitives that the including ISA file defines first:
 *   vec, DK_V (lanes), DK_RMAX (output pixels per register block, at most 15), DK_IMPL (the dk_impl to define),
 *   vload, vload_n (first n lanes, the rest zero), vstore, vstore_n (first n lanes), vset1, vfma (a * b + c),
 *   vadd, vmax, vmin.
 * Each ISA file is compiled with its own -m flags, so nothing here may run on a CPU without that ISA.
 *
 * Both kernels vectorise over output channels of HWC tensors: stride, padding and image width then only change
 * which pixel a pointer points at, never the shape of a vector access. Every output value is accumulated in the
 * same order (taps row by row, input channels in order) whatever the register block or thread split, so results
 * do not depend on the thread count. */

#include "dk.h"

#define AI static inline __attribute__((always_inline))

static inline int imin(int a, int b) { return a < b ? a : b; }
static inline int imax(int a, int b) { return a > b ? a : b; }

AI vec load_part(const float *p, int n) { return n == DK_V ? vload(p) : vload_n(p, n); }

/* The epilogue: first clamp, residual, second clamp (dk_conv.clamp), store of the first n lanes. Four broadcast
 * loads and min/max per output vector: small beside the FMAs that made it. */
AI void finish(float *o, vec v, const float *res, int n, const dk_conv *cv)
{
    v = vmin(vmax(v, vset1(cv->clamp[0])), vset1(cv->clamp[1]));
    if (res) v = vadd(v, load_part(res, n));
    v = vmin(vmax(v, vset1(cv->clamp[2])), vset1(cv->clamp[3]));
    if (n == DK_V) vstore(o, v);
    else vstore_n(o, v, n);
}

/* One call's geometry and the split into tasks: output row, chunk of its pixels, chunk of the tiles. */
typedef struct {
    const dk_conv *cv;
    const float *in, *res;
    float *out;
    int h, w, ho, wo;
    int xchunks, xchunk, tchunks, tchunk;
} job;

/* Interior of an output row: [*xa, *xb) are the pixels whose kernel window lies inside the input's width. */
static void interior(const dk_conv *cv, int w, int wo, int *xa, int *xb)
{
    long last = (long)w + cv->pl - cv->kw;   /* x * sw <= last */
    *xa = imin((cv->pl + cv->sw - 1) / cv->sw, wo);
    long end = last < 0 ? 0 : last / cv->sw + 1;
    *xb = imax(*xa, end < wo ? (int)end : wo);
}

/*
 * What one task computes of output row y: the columns [xs, xe) of its chunk xc, split where the kernel window lies
 * inside the input's width, [xa, xb); iy0 is the window's top input row and [ky0, ky1) its rows inside the input.
 */
typedef struct {
    int xs, xe, xa, xb, ky0, ky1;
    long iy0;
} span;

static span row_span(const job *j, int y, int xc)
{
    const dk_conv *cv = j->cv;
    span s;
    s.xs = xc * j->xchunk;
    s.xe = imin(s.xs + j->xchunk, j->wo);
    s.iy0 = (long)y * cv->sh - cv->pt;
    s.ky0 = s.iy0 < 0 ? (int)-s.iy0 : 0;
    s.ky1 = (int)(j->h - s.iy0 < cv->kh ? j->h - s.iy0 : cv->kh);
    interior(cv, j->w, j->wo, &s.xa, &s.xb);
    s.xa = imin(imax(s.xa, s.xs), s.xe);
    s.xb = imin(imax(s.xb, s.xa), s.xe);
    return s;
}

/* ---- dense and grouped: tiles of output channels x register blocks of pixels ---- */

/* One weight row into R pixels x C vectors of accumulators: C weight vectors loaded, each pixel's input value
 * (a[r * ps]) broadcast, R x C FMAs. The dense and the sparse loop both run this, so they sum alike. */
AI void dense_row(const int R, const int C, vec acc[][2], const float *a, long ps, const float *b)
{
    vec wv[2];
#pragma GCC unroll 16
    for (int c = 0; c < C; c++) wv[c] = vload(b + c * DK_V);
#pragma GCC unroll 16
    for (int r = 0; r < R; r++) {
        vec s = vset1(a[r * ps]);
#pragma GCC unroll 16
        for (int c = 0; c < C; c++) acc[r][c] = vfma(s, wv[c], acc[r][c]);
    }
}

/* R pixels (consecutive in the row, sw apart in the input) x C vectors of one tile's channels. Accumulators stay
 * in registers; per input channel and tap, C weight vectors are loaded and each pixel's input value broadcast.
 * ix0 is the input column of pixel 0's window; taps [kx0, kx1) are the ones inside the image for all R pixels.
 * S (sparse packing): per tap only the tile's kept rows, from its lists; a tap outside the image is skipped
 * whole, as in the dense loop, so border pixels need nothing else. Rows stay in the dense order (taps row by row,
 * input channels rising), so the sums differ from dense packing's only by the products with zero weights. */
AI void dense_block(const int R, const int C, const int S, const job *j, const dk_tile *t, long iy0, int ky0,
                    int ky1, long ix0, int kx0, int kx1, float *out, const float *res)
{
    const dk_conv *cv = j->cv;
    const int width = C * DK_V, icg = cv->in_c / cv->groups, cin = cv->in_c;
    const long ps = (long)cv->sw * cin;
    const float *wt = cv->packed + t->packed;
    vec acc[DK_RMAX][2]; /* fixed sizes: a variable-length array would live on the stack, not in registers */
#pragma GCC unroll 16
    for (int c = 0; c < C; c++) {
        vec b = vload(wt + c * DK_V);
#pragma GCC unroll 16
        for (int r = 0; r < R; r++) acc[r][c] = b;
    }
    wt += width;
    for (int ky = ky0; ky < ky1; ky++) {
        for (int kx = kx0; kx < kx1; kx++) {
            const float *a = j->in + ((iy0 + ky) * j->w + ix0 + kx) * cin + t->in0;
            if (S) {
                const int k = ky * cv->kw + kx, *ic = t->ic;
                for (int p = t->tap[k], e = t->tap[k + 1]; p < e; p++) {
                    const float *ap = a + ic[p];
                    /* an opaque pointer, so the R broadcasts address it plus the pixel offsets (base + index),
                     * as in the dense loop, instead of GCC adding ic[p] to each pixel's offset first */
                    __asm__("" : "+r"(ap));
                    dense_row(R, C, acc, ap, ps, wt + (size_t)p * width);
                }
            } else {
                const float *b = wt + (size_t)(ky * cv->kw + kx) * icg * width;
                for (int i = 0; i < icg; i++, a++, b += width) dense_row(R, C, acc, a, ps, b);
            }
        }
    }
    const int oc = cv->out_c, last = t->valid - (C - 1) * DK_V;
#pragma GCC unroll 16
    for (int r = 0; r < R; r++) {
#pragma GCC unroll 16
        for (int c = 0; c < C; c++) {
            size_t at = (size_t)r * oc + c * DK_V;
            finish(out + at, acc[r][c], res ? res + at : NULL, c < C - 1 ? DK_V : last, cv);
        }
    }
}

/* R pixels from column x on, all taps from kx0 to kx1, for a tile of one or two vectors. */
AI void dense_at(const int R, const int S, const job *j, const dk_tile *t, long iy0, int ky0, int ky1, int x,
                 int kx0, int kx1, float *o, const float *q)
{
    const dk_conv *cv = j->cv;
    long ix0 = (long)x * cv->sw - cv->pl;
    size_t at = (size_t)x * cv->out_c;
    if (t->width == DK_V) dense_block(R, 1, S, j, t, iy0, ky0, ky1, ix0, kx0, kx1, o + at, q ? q + at : NULL);
    else dense_block(R, 2, S, j, t, iy0, ky0, ky1, ix0, kx0, kx1, o + at, q ? q + at : NULL);
}

/* A pixel at the left or right border: only the taps inside the image. */
AI void edge_at(const int S, const job *j, const dk_tile *t, long iy0, int ky0, int ky1, int x, float *o,
                const float *q)
{
    const dk_conv *cv = j->cv;
    long ix0 = (long)x * cv->sw - cv->pl;
    int kx0 = ix0 < 0 ? (int)-ix0 : 0, kx1 = (int)(j->w - ix0 < cv->kw ? j->w - ix0 : cv->kw);
    dense_at(1, S, j, t, iy0, ky0, ky1, x, kx0, kx1, o, q);
}

static void dense_edge(const job *j, const dk_tile *t, long iy0, int ky0, int ky1, int x, float *o, const float *q)
{
    edge_at(0, j, t, iy0, ky0, ky1, x, o, q);
}

static void sparse_edge(const job *j, const dk_tile *t, long iy0, int ky0, int ky1, int x, float *o, const float *q)
{
    edge_at(1, j, t, iy0, ky0, ky1, x, o, q);
}

/* One task of a dense or grouped convolution, S: its weights packed sparse. */
AI void tiles_task(const int S, void *arg, int task)
{
    const job *j = arg;
    const dk_conv *cv = j->cv;
    int tc = task % j->tchunks, xc = task / j->tchunks % j->xchunks, y = task / j->tchunks / j->xchunks;
    int t0 = tc * j->tchunk, t1 = imin(t0 + j->tchunk, cv->ntiles);
    span s = row_span(j, y, xc);
    int xs = s.xs, xe = s.xe, xa = s.xa, xb = s.xb, ky0 = s.ky0, ky1 = s.ky1;
    long iy0 = s.iy0;
    size_t row = (size_t)y * j->wo * cv->out_c;
    for (int ti = t0; ti < t1; ti++) {
        const dk_tile *t = &cv->tiles[ti];
        float *o = j->out + row + t->out0;
        const float *q = j->res ? j->res + row + t->out0 : NULL;
        int x = xs;
        for (; x < xa; x++) {
            if (S) sparse_edge(j, t, iy0, ky0, ky1, x, o, q);
            else dense_edge(j, t, iy0, ky0, ky1, x, o, q);
        }
        for (; x + DK_RMAX <= xb; x += DK_RMAX) dense_at(DK_RMAX, S, j, t, iy0, ky0, ky1, x, 0, cv->kw, o, q);
        switch (xb - x) {
#define REST(R) case R: if (R < DK_RMAX) dense_at(R, S, j, t, iy0, ky0, ky1, x, 0, cv->kw, o, q); break;
        REST(1) REST(2) REST(3) REST(4) REST(5) REST(6) REST(7)
        REST(8) REST(9) REST(10) REST(11) REST(12) REST(13) REST(14)
#undef REST
        default: break;
        }
        for (x = xb; x < xe; x++) {
            if (S) sparse_edge(j, t, iy0, ky0, ky1, x, o, q);
            else dense_edge(j, t, iy0, ky0, ky1, x, o, q);
        }
    }
}

/* Dense and sparse packing get a task function each, so neither's loops share registers or code with the
 * other's: the dense one compiles exactly as it did before sparse packing existed. */
static void dense_task(void *arg, int task) { tiles_task(0, arg, task); }
static void sparse_task(void *arg, int task) { tiles_task(1, arg, task); }

/* ---- depthwise: each output channel from its own input channel; vectors over channels ---- */

#define DW_PIXELS 8

/* Pixels [x0, x1) of row iy0 / sh, every tap inside the image, channels [c, c + n): a 3x3 kernel's nine weight
 * vectors stay in registers for the whole span. Called with n = DK_V as a constant for whole vectors, so the
 * partial loads and stores compile away there. */
AI void dw3_span(const job *j, long iy0, int x0, int x1, int c, int n, float *o, const float *q)
{
    const dk_conv *cv = j->cv;
    const int cin = cv->in_c, cp = cv->cpad;
    const float *wt = cv->packed + c;
    vec b = vload(wt), k[9];
#pragma GCC unroll 9
    for (int i = 0; i < 9; i++) k[i] = vload(wt + (size_t)(i + 1) * cp);
    const long rs = (long)j->w * cin, ps = (long)cv->sw * cin;
    const float *a = j->in + (iy0 * j->w + (long)x0 * cv->sw - cv->pl) * cin + c;
    for (int x = x0; x < x1; x++, a += ps) {
        vec acc = b;
#pragma GCC unroll 3
        for (int ky = 0; ky < 3; ky++) {
#pragma GCC unroll 3
            for (int kx = 0; kx < 3; kx++) acc = vfma(load_part(a + ky * rs + kx * cin, n), k[ky * 3 + kx], acc);
        }
        size_t at = (size_t)x * cin + c;
        finish(o + at, acc, q ? q + at : NULL, n, cv);
    }
}

/* Any pixel, any kernel: taps clipped to the image. */
static void dw_pixel(const job *j, long iy0, int ky0, int ky1, int x, int c, int n, float *o, const float *q)
{
    const dk_conv *cv = j->cv;
    const int cin = cv->in_c, cp = cv->cpad;
    long ix0 = (long)x * cv->sw - cv->pl;
    int kx0 = ix0 < 0 ? (int)-ix0 : 0, kx1 = (int)(j->w - ix0 < cv->kw ? j->w - ix0 : cv->kw);
    const float *wt = cv->packed + c;
    vec acc = vload(wt);
    for (int ky = ky0; ky < ky1; ky++) {
        for (int kx = kx0; kx < kx1; kx++) {
            const float *a = j->in + ((iy0 + ky) * j->w + ix0 + kx) * cin + c;
            acc = vfma(load_part(a, n), vload(wt + (size_t)(1 + ky * cv->kw + kx) * cp), acc);
        }
    }
    size_t at = (size_t)x * cin + c;
    finish(o + at, acc, q ? q + at : NULL, n, cv);
}

static void dw_task(void *arg, int task)
{
    const job *j = arg;
    const dk_conv *cv = j->cv;
    int xc = task % j->xchunks, y = task / j->xchunks;
    span s = row_span(j, y, xc);
    int xs = s.xs, xe = s.xe, xa = s.xa, xb = s.xb, ky0 = s.ky0, ky1 = s.ky1;
    long iy0 = s.iy0;
    int fast = ky0 == 0 && ky1 == 3 && cv->kh == 3 && cv->kw == 3;
    size_t row = (size_t)y * j->wo * cv->out_c;
    float *o = j->out + row;
    const float *q = j->res ? j->res + row : NULL;
    for (int x = xs; x < xa; x++) {
        for (int c = 0; c < cv->in_c; c += DK_V) dw_pixel(j, iy0, ky0, ky1, x, c, imin(DK_V, cv->in_c - c), o, q);
    }
    /* a few pixels at a time, all channel vectors, then the next few: the pixels' input stays in L1 across the
     * channel vectors while each vector's weights stay in registers across the pixels */
    for (int x0 = xa; x0 < xb; x0 += DW_PIXELS) {
        int x1 = imin(x0 + DW_PIXELS, xb);
        for (int c = 0; c < cv->in_c; c += DK_V) {
            int n = imin(DK_V, cv->in_c - c);
            if (fast && n == DK_V) dw3_span(j, iy0, x0, x1, c, DK_V, o, q);
            else if (fast) dw3_span(j, iy0, x0, x1, c, n, o, q);
            else for (int x = x0; x < x1; x++) dw_pixel(j, iy0, ky0, ky1, x, c, n, o, q);
        }
    }
    for (int x = xb; x < xe; x++) {
        for (int c = 0; c < cv->in_c; c += DK_V) dw_pixel(j, iy0, ky0, ky1, x, c, imin(DK_V, cv->in_c - c), o, q);
    }
}

/* ---- splitting a call into tasks ---- */

/* Rows are the natural task; when there are too few for the threads to balance (at least four tasks each, handed
 * out dynamically), rows are cut into chunks of whole register blocks, then the tiles into chunks. Chunks are
 * also capped at 16 blocks so a chunk's input stays in cache while every tile runs over it. */
static void plan(job *j, int threads, int ntiles)
{
    int want = threads > 1 ? 4 * threads : 1;
    int blocks = (j->wo + DK_RMAX - 1) / DK_RMAX;
    int per = imin(blocks, imax((want + j->ho - 1) / j->ho, (blocks + 15) / 16));
    j->xchunk = (blocks + per - 1) / per * DK_RMAX;
    j->xchunks = (j->wo + j->xchunk - 1) / j->xchunk;
    int have = j->ho * j->xchunks;
    j->tchunks = have >= want ? 1 : imin(ntiles, (want + have - 1) / have);
    j->tchunk = (ntiles + j->tchunks - 1) / j->tchunks;
    j->tchunks = (ntiles + j->tchunk - 1) / j->tchunk;
}

static void run(const dk_conv *cv, const float *in, int h, int w, const float *res, float *out, int threads)
{
    job j = {cv, in, res, out, h, w, dk_out_size(h, cv->pt, cv->pb, cv->kh, cv->sh),
             dk_out_size(w, cv->pl, cv->pr, cv->kw, cv->sw), 0, 0, 0, 0};
    if (!cv->depthwise && cv->kh == 1 && cv->kw == 1 && cv->sh == 1 && cv->sw == 1
        && (cv->pt | cv->pl | cv->pb | cv->pr) == 0) {
        /* a pointwise convolution is one long row: whole register blocks instead of one ragged block per row */
        j.w = j.wo = h * w;
        j.h = j.ho = 1;
    }
    plan(&j, threads, cv->depthwise ? 1 : cv->ntiles);
    dk_task_fn fn = cv->depthwise ? dw_task : cv->sparse ? sparse_task : dense_task;
    dk_parallel(threads, j.ho * j.xchunks * j.tchunks, fn, &j);
}

const dk_impl DK_IMPL = {DK_V, run};
