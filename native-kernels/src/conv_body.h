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

#include <stdatomic.h>

#include "dk.h"
#include "qconv.h"

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
    int yo; /* the output row `out` points at (0: the whole output) */
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

/* Tiles [t0, t1) over the columns of span s of output row y: border pixels one at a time, the interior in
 * register blocks. S: the weights are packed sparse. */
AI void tiles_span(const int S, const job *j, span s, int y, int t0, int t1)
{
    const dk_conv *cv = j->cv;
    int xs = s.xs, xe = s.xe, xa = s.xa, xb = s.xb, ky0 = s.ky0, ky1 = s.ky1;
    long iy0 = s.iy0;
    size_t row = (size_t)(y - j->yo) * j->wo * cv->out_c;
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

/* One task of a dense or grouped convolution, S: its weights packed sparse. */
AI void tiles_task(const int S, void *arg, int task)
{
    const job *j = arg;
    int tc = task % j->tchunks, xc = task / j->tchunks % j->xchunks, y = task / j->tchunks / j->xchunks;
    int t0 = tc * j->tchunk, t1 = imin(t0 + j->tchunk, j->cv->ntiles);
    tiles_span(S, j, row_span(j, y, xc), y, t0, t1);
}

/* Dense and sparse packing get a task function each, so neither's loops share registers or code with the
 * other's: the dense one compiles exactly as it did before sparse packing existed. */
static void dense_task(void *arg, int task) { tiles_task(0, arg, task); }
static void sparse_task(void *arg, int task) { tiles_task(1, arg, task); }

/* A pointwise convolution with generated code (dk_conv.gen): the same task split, the generated loop instead. */
static void gen_task(void *arg, int task)
{
    const job *j = arg;
    int tc = task % j->tchunks, xc = task / j->tchunks;
    int t0 = tc * j->tchunk, t1 = imin(t0 + j->tchunk, j->cv->ntiles);
    span s = row_span(j, 0, xc);
    j->cv->gen(j->in, s.xs, s.xe, t0, t1, j->res, j->out, j->cv->clamp);
}

/* ---- depthwise: each output channel from its own input channel; vectors over channels ---- */

#define DW_PIXELS 8

/* The 3x3 kernels read their input through three row pointers, r[ky] the start of the input row under kernel row
 * ky (NULL outside the image): rows of the input image here, rows of a fused chain's scratch ring there (dk_chain),
 * so both run the same code and sum every value in the same order. */

/* Pixels [x0, x1), every tap inside the image, channels [c, c + n): the nine weight vectors stay in registers for
 * the whole span. Called with n = DK_V as a constant for whole vectors, so the partial loads and stores compile
 * away there. */
AI void dw3_span(const dk_conv *cv, const float *const r[3], int x0, int x1, int c, int n, float *o, const float *q)
{
    const int cin = cv->in_c, cp = cv->cpad;
    const float *wt = cv->packed + c;
    vec b = vload(wt), k[9];
#pragma GCC unroll 9
    for (int i = 0; i < 9; i++) k[i] = vload(wt + (size_t)(i + 1) * cp);
    const long ps = (long)cv->sw * cin, at0 = ((long)x0 * cv->sw - cv->pl) * cin + c;
    const float *a0 = r[0] + at0, *a1 = r[1] + at0, *a2 = r[2] + at0;
    for (int x = x0; x < x1; x++, a0 += ps, a1 += ps, a2 += ps) {
        vec acc = b;
#pragma GCC unroll 3
        for (int kx = 0; kx < 3; kx++) acc = vfma(load_part(a0 + kx * cin, n), k[kx], acc);
#pragma GCC unroll 3
        for (int kx = 0; kx < 3; kx++) acc = vfma(load_part(a1 + kx * cin, n), k[3 + kx], acc);
#pragma GCC unroll 3
        for (int kx = 0; kx < 3; kx++) acc = vfma(load_part(a2 + kx * cin, n), k[6 + kx], acc);
        size_t at = (size_t)x * cin + c;
        finish(o + at, acc, q ? q + at : NULL, n, cv);
    }
}

/* One pixel, taps clipped to the image (kernel rows [ky0, ky1), columns inside width w): dw_pixel's order. */
static void dw3_pixel(const dk_conv *cv, const float *const r[3], int ky0, int ky1, int w, int x, int c, int n,
                      float *o, const float *q)
{
    const int cin = cv->in_c, cp = cv->cpad;
    long ix0 = (long)x * cv->sw - cv->pl;
    int kx0 = ix0 < 0 ? (int)-ix0 : 0, kx1 = (int)(w - ix0 < 3 ? w - ix0 : 3);
    const float *wt = cv->packed + c;
    vec acc = vload(wt);
    for (int ky = ky0; ky < ky1; ky++) {
        for (int kx = kx0; kx < kx1; kx++) {
            acc = vfma(load_part(r[ky] + (ix0 + kx) * cin + c, n), vload(wt + (size_t)(1 + ky * 3 + kx) * cp), acc);
        }
    }
    size_t at = (size_t)x * cin + c;
    finish(o + at, acc, q ? q + at : NULL, n, cv);
}

/* Columns [xs, xe) of one output row of a 3x3 depthwise convolution, [xa, xb) those whose window lies inside the
 * width w, kernel rows [ky0, ky1) inside the image; o and q point at the output row (and residual row). */
static void dw3_row(const dk_conv *cv, const float *const r[3], int ky0, int ky1, int w, int xs, int xe, int xa,
                    int xb, float *o, const float *q)
{
    const int cin = cv->in_c;
    for (int x = xs; x < xa; x++) {
        for (int c = 0; c < cin; c += DK_V) dw3_pixel(cv, r, ky0, ky1, w, x, c, imin(DK_V, cin - c), o, q);
    }
    /* a few pixels at a time, all channel vectors, then the next few: the pixels' input stays in L1 across the
     * channel vectors while each vector's weights stay in registers across the pixels */
    for (int x0 = xa; x0 < xb; x0 += DW_PIXELS) {
        int x1 = imin(x0 + DW_PIXELS, xb);
        for (int c = 0; c < cin; c += DK_V) {
            int n = imin(DK_V, cin - c);
            if (ky0 == 0 && ky1 == 3 && n == DK_V) dw3_span(cv, r, x0, x1, c, DK_V, o, q);
            else if (ky0 == 0 && ky1 == 3) dw3_span(cv, r, x0, x1, c, n, o, q);
            else for (int x = x0; x < x1; x++) dw3_pixel(cv, r, ky0, ky1, w, x, c, n, o, q);
        }
    }
    for (int x = xb; x < xe; x++) {
        for (int c = 0; c < cin; c += DK_V) dw3_pixel(cv, r, ky0, ky1, w, x, c, imin(DK_V, cin - c), o, q);
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
    int xs = s.xs, xe = s.xe, ky0 = s.ky0, ky1 = s.ky1;
    long iy0 = s.iy0;
    size_t row = (size_t)y * j->wo * cv->out_c;
    float *o = j->out + row;
    const float *q = j->res ? j->res + row : NULL;
    if (cv->kh == 3 && cv->kw == 3) {
        const float *r[3];
        for (int ky = 0; ky < 3; ky++) {
            r[ky] = ky >= ky0 && ky < ky1 ? j->in + (iy0 + ky) * (long)j->w * cv->in_c : NULL;
        }
        dw3_row(cv, r, ky0, ky1, j->w, xs, xe, s.xa, s.xb, o, q);
        return;
    }
    for (int x = xs; x < xe; x++) {
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
             dk_out_size(w, cv->pl, cv->pr, cv->kw, cv->sw), 0, 0, 0, 0, 0};
    if (dk_pointwise(cv)) {
        /* a pointwise convolution is one long row: whole register blocks instead of one ragged block per row */
        j.w = j.wo = h * w;
        j.h = j.ho = 1;
    }
    plan(&j, threads, cv->depthwise ? 1 : cv->ntiles);
    dk_task_fn fn = cv->depthwise ? dw_task : cv->gen ? gen_task : cv->sparse ? sparse_task : dense_task;
    dk_parallel(threads, j.ho * j.xchunks * j.tchunks, fn, &j);
}

/* ---- fused inverted-residual block: expand -> depthwise 3x3 -> project 1x1 over bands of rows ---- */

/* Pixels [0, n) of a pointwise convolution (1x1, stride 1, no padding, not depthwise) as one long row, as run()
 * treats it: in is n x in_c, out and res n x out_c. */
static void pointwise(const dk_conv *cv, const float *in, int n, const float *res, float *out)
{
    if (cv->gen) {
        cv->gen(in, 0, n, 0, cv->ntiles, res, out, cv->clamp);
        return;
    }
    job j = {cv, in, res, out, 1, n, 1, n, 1, n, 1, cv->ntiles, 0};
    span s = row_span(&j, 0, 0);
    if (cv->sparse) tiles_span(1, &j, s, 0, 0, cv->ntiles);
    else tiles_span(0, &j, s, 0, 0, cv->ntiles);
}

/* Output row y of a chain's first stage e on its ih x iw input, into `out`: a pointwise one as one long row, any
 * other (MobileNetV2's first convolution, 3x3 stride 2) with the row code run() uses, so the same values. */
static void expand_row(const dk_conv *e, const float *in, int ih, int iw, long y, float *out)
{
    if (dk_pointwise(e)) {
        pointwise(e, in + y * iw * e->in_c, iw, NULL, out);
        return;
    }
    job j = {e, in, NULL, out, ih, iw, dk_out_size(ih, e->pt, e->pb, e->kh, e->sh),
             dk_out_size(iw, e->pl, e->pr, e->kw, e->sw), 1, 0, 1, e->ntiles, (int)y};
    j.xchunk = j.wo;
    span s = row_span(&j, (int)y, 0);
    if (e->sparse) tiles_span(1, &j, s, (int)y, 0, e->ntiles);
    else tiles_span(0, &j, s, (int)y, 0, e->ntiles);
}

typedef struct {
    const dk_conv *e, *d, *p; /* e NULL: the depthwise reads the input */
    const float *in, *res;
    float *out;
    int ih, iw;     /* the chain's input: e's (d's when there is no e) */
    int h, w, ho, wo; /* d's input and output */
    int band;       /* output rows per task */
    int group;      /* depthwise output rows per call of the projection */
    size_t erow;    /* floats per ring row: w x channels, rounded up to 64 bytes */
    size_t scratch; /* floats of a task's scratch: three ring rows, then `group` depthwise rows */
    atomic_int failed;
} chain_job;

/*
 * One band of output rows [y0, y1). Per output row: the expansion rows its depthwise window needs and the band has
 * not computed yet go into a ring of three rows (row r in slot r % 3; any three consecutive rows have distinct
 * slots, and a window never reaches back more than two rows behind the newest), then the depthwise row, and once
 * `group` of those are done the projection over them, straight into the output with the residual. Each stage is
 * the same code as its convolution run alone (expand_row, dw3_row, pointwise) on the same values, so the result is
 * the same to the bit; a band recomputes the expansion rows its window shares with the band above (halo).
 */
static void chain_task(void *arg, int task)
{
    chain_job *c = arg;
    const dk_conv *e = c->e, *d = c->d, *p = c->p;
    float *ring = dk_scratch(c->scratch);
    if (!ring) {
        atomic_store(&c->failed, 1);
        return;
    }
    float *dbuf = e ? ring + 3 * c->erow : ring;
    const int cm = d->in_c;
    const size_t drow = (size_t)c->wo * cm, prow = (size_t)c->wo * p->out_c;
    int y0 = task * c->band, y1 = imin(y0 + c->band, c->ho);
    /* the depthwise's geometry, for its spans: interior columns, kernel rows inside the image */
    job dj = {d, NULL, NULL, NULL, c->h, c->w, c->ho, c->wo, 1, c->wo, 1, 1, 0};
    long next = imax(0, y0 * d->sh - d->pt); /* the first expansion row this band has not computed */
    int g0 = y0;                             /* first depthwise row in dbuf */
    for (int y = y0; y < y1; y++) {
        span s = row_span(&dj, y, 0);
        const float *r[3] = {NULL, NULL, NULL};
        for (int ky = s.ky0; ky < s.ky1; ky++) {
            long iy = s.iy0 + ky;
            if (!e) {
                r[ky] = c->in + iy * c->w * cm;
                continue;
            }
            for (; next <= iy; next++) expand_row(e, c->in, c->ih, c->iw, next, ring + next % 3 * c->erow);
            r[ky] = ring + iy % 3 * c->erow;
        }
        dw3_row(d, r, s.ky0, s.ky1, c->w, 0, c->wo, s.xa, s.xb, dbuf + (size_t)(y - g0) * drow, NULL);
        if (y - g0 + 1 == c->group || y == y1 - 1) {
            size_t at = (size_t)g0 * prow;
            pointwise(p, dbuf, (y - g0 + 1) * c->wo, c->res ? c->res + at : NULL, c->out + at);
            g0 = y + 1;
        }
    }
}

/* Bands per thread when several run: enough for the dynamic hand-out to balance a loaded machine, few enough that
 * the halo rows recomputed stay a small share (a stride-1 band of b rows computes b + 2 expansion rows). */
#define CHAIN_BANDS_PER_THREAD 2
/* At most one expansion row in this many recomputed as halo; fewer bands than threads then means a map too small
 * to split, which runs as three convolutions instead (below). */
#define CHAIN_HALO_SHARE 8
/* The projection runs over at least this many pixels per call, so narrow rows still fill its register blocks. */
#define CHAIN_GROUP_PIXELS 48

/* Bands for `threads` threads over a depthwise input of h rows: 1 for one thread; else enough to balance, few
 * enough to bound the halo. */
static int chain_bands(int expands, const dk_conv *d, int h, int ho, int threads)
{
    if (threads == 1) return 1;
    /* expansion rows two bands share: 3 - stride (without an expansion nothing is recomputed) */
    int halo = expands ? 3 - d->sh : 0;
    int bands = imin(ho, CHAIN_BANDS_PER_THREAD * threads);
    return halo ? imin(bands, 1 + h / (CHAIN_HALO_SHARE * halo)) : bands;
}

/* Rows per band and depthwise rows per projection call for `bands` bands. */
static void chain_rows(int ho, int wo, int bands, int *band, int *group)
{
    *band = (ho + bands - 1) / bands;
    *group = imin(*band, imax(1, (CHAIN_GROUP_PIXELS + wo - 1) / wo));
}

static int run_chain(const dk_conv *e, const dk_conv *d, const dk_conv *p, const float *in, int ih, int iw,
                     const float *res, float *out, int threads)
{
    chain_job c = {e, d, p, in, res, out, ih, iw, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    dk_chain_sizes(e, d, ih, iw, &c.h, &c.w, &c.ho, &c.wo);
    int bands = chain_bands(e != NULL, d, c.h, c.ho, threads);
    if (threads > 1 && bands < threads) {
        /* A small map: its intermediates fit the caches anyway, and split over all threads apart the three beat
         * one band on one thread. Same code and values as the fused path, so the same bits. */
        size_t mid = e ? ((size_t)c.h * c.w * d->in_c + 15) / 16 * 16 : 0;
        float *x = dk_scratch(mid + (size_t)c.ho * c.wo * d->in_c);
        if (!x) return -1;
        if (e) run(e, in, ih, iw, NULL, x, threads);
        run(d, e ? x : in, c.h, c.w, NULL, x + mid, threads);
        run(p, x + mid, c.ho, c.wo, res, out, threads);
        return 0;
    }
    chain_rows(c.ho, c.wo, bands, &c.band, &c.group);
    bands = (c.ho + c.band - 1) / c.band;
    c.erow = e ? ((size_t)c.w * d->in_c + 15) / 16 * 16 : 0;
    c.scratch = 3 * c.erow + (size_t)c.group * c.wo * d->in_c;
    dk_parallel(threads, bands, chain_task, &c);
    return atomic_load(&c.failed) ? -1 : 0;
}

/* ---- the same block with INT8 pointwise convolutions (qconv.h) around the float depthwise ---- */

typedef struct {
    const dq_conv *e, *p; /* e: an INT8 expansion, or NULL */
    const dk_conv *fe;    /* or a float first stage (MobileNetV2's first convolution), or NULL: the input */
    const dk_conv *d;
    const float *in, *res;
    float *out;
    int ih, iw, h, w, ho, wo, band, group;
    size_t erow, drows, scratch; /* floats: a ring row, the depthwise rows, the whole scratch */
    atomic_int failed;
} qchain_job;

/*
 * chain_task's band with the two pointwise convolutions in INT8: each input row the expansion needs is quantised
 * (the expansion's input quantisation) into a byte row, the expansion writes float rows into the ring, the float
 * depthwise runs on them as in chain_task, and each group of depthwise rows is quantised (the projection's input
 * quantisation) for the projection, which adds the residual and clamps in float. Between blocks everything stays
 * float, so a block's input is quantised as it is read, and its output feeds the next block, the features and the
 * residuals alike. A float first stage instead of the INT8 expansion fills the ring with its float rows.
 */
static void qchain_task(void *arg, int task)
{
    qchain_job *c = arg;
    const dq_conv *e = c->e, *p = c->p;
    const dk_conv *d = c->d, *fe = c->fe;
    float *ring = dk_scratch(c->scratch);
    if (!ring) {
        atomic_store(&c->failed, 1);
        return;
    }
    float *dbuf = ring + 3 * c->erow;
    uint8_t *bytes = (uint8_t *)(dbuf + c->drows);
    const int cm = d->in_c;
    const size_t drow = (size_t)c->wo * cm, prow = (size_t)c->wo * p->out_c;
    int y0 = task * c->band, y1 = imin(y0 + c->band, c->ho);
    job dj = {d, NULL, NULL, NULL, c->h, c->w, c->ho, c->wo, 1, c->wo, 1, 1, 0};
    long next = imax(0, y0 * d->sh - d->pt);
    int g0 = y0;
    for (int y = y0; y < y1; y++) {
        span s = row_span(&dj, y, 0);
        const float *r[3] = {NULL, NULL, NULL};
        for (int ky = s.ky0; ky < s.ky1; ky++) {
            long iy = s.iy0 + ky;
            if (!e && !fe) {
                r[ky] = c->in + iy * c->w * cm;
                continue;
            }
            for (; next <= iy; next++) {
                float *row = ring + next % 3 * c->erow;
                if (fe) {
                    expand_row(fe, c->in, c->ih, c->iw, next, row);
                    continue;
                }
                dq_quantise(e->path, c->in + next * c->w * e->in_c, (long)c->w * e->in_c, e->in_inv_scale,
                            e->in_zero, bytes);
                dq_conv_span(e, bytes, c->w, NULL, DQ_OUT_FLOAT, row);
            }
            r[ky] = ring + iy % 3 * c->erow;
        }
        dw3_row(d, r, s.ky0, s.ky1, c->w, 0, c->wo, s.xa, s.xb, dbuf + (size_t)(y - g0) * drow, NULL);
        if (y - g0 + 1 == c->group || y == y1 - 1) {
            long n = (long)(y - g0 + 1) * c->wo;
            size_t at = (size_t)g0 * prow;
            dq_quantise(p->path, dbuf, n * cm, p->in_inv_scale, p->in_zero, bytes);
            dq_conv_span(p, bytes, n, c->res ? c->res + at : NULL, DQ_OUT_FLOAT, c->out + at);
            g0 = y + 1;
        }
    }
}

/* Bands as run_chain's; a map too small to split over the threads runs in fewer bands (no three-apart fallback:
 * these layers are a quarter of the float ones' traffic). */
static int run_qchain(const dq_conv *e, const dk_conv *fe, const dk_conv *d, const dq_conv *p, const float *in,
                      int ih, int iw, const float *res, float *out, int threads)
{
    qchain_job c = {e, p, fe, d, in, res, out, ih, iw, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    dk_chain_sizes(fe, d, ih, iw, &c.h, &c.w, &c.ho, &c.wo);
    int bands = imax(1, chain_bands(e || fe, d, c.h, c.ho, threads));
    chain_rows(c.ho, c.wo, bands, &c.band, &c.group);
    bands = (c.ho + c.band - 1) / c.band;
    const int cin = e ? e->in_c : d->in_c;
    c.erow = e || fe ? ((size_t)c.w * d->in_c + 15) / 16 * 16 : 0;
    c.drows = ((size_t)c.group * c.wo * d->in_c + 15) / 16 * 16;
    size_t bytes = (size_t)c.group * c.wo * d->in_c > (size_t)c.w * cin ? (size_t)c.group * c.wo * d->in_c
                                                                          : (size_t)c.w * cin;
    c.scratch = 3 * c.erow + c.drows + (bytes + 3) / 4;
    dk_parallel(threads, bands, qchain_task, &c);
    return atomic_load(&c.failed) ? -1 : 0;
}

const dk_impl DK_IMPL = {DK_V, run, run_chain, run_qchain};
