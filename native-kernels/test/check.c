/* `make check`: random convolutions (dense, depthwise, grouped; any kernel, stride, padding, activation, with and
 * without bias and residual; every ISA this CPU has; 1 to 3 threads) against a direct six-loop convolution in
 * double precision, built with AddressSanitizer and UBSan over exactly sized buffers, so a read or write past an
 * array fails here even where the Java tests' results would still match.
 * Half of them have pruned weights (zeros in 32-filter blocks per tap and input channel, 4-of-9 style patterns
 * per block, unstructured zeros, all zeros, none) and are packed sparse: their output must also equal the dense
 * packing's (skipping a zero weight changes no sum), and the rows kept must be those a direct count finds.
 * Then random fused blocks (dk_chain_run: optional expansion, depthwise 3x3 stride 1 or 2, projection, clamps,
 * residual, sparse packing, 1 to 5 threads) must equal their three convolutions run one after the other, bit for
 * bit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/dk.h"

static float *random_floats(size_t n)
{
    float *v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = (float)(rand() % 2001 - 1000) / 500.0f;
    return v;
}

/* relative L2 error of out against the direct convolution */
static double error(const int s[12], const float *wt, const float *bias, const float *in, int h, int w,
                    const float *res, const float *out)
{
    int in_c = s[0], out_c = s[1], kh = s[2], kw = s[3], sh = s[4], sw = s[5], pt = s[6], pl = s[7], g = s[10];
    int ho = dk_out_size(h, pt, s[8], kh, sh), wo = dk_out_size(w, pl, s[9], kw, sw);
    int icg = in_c / g, ocg = out_c / g;
    double diff = 0, norm = 0;
    for (int y = 0; y < ho; y++) {
        for (int x = 0; x < wo; x++) {
            for (int o = 0; o < out_c; o++) {
                double v = bias ? bias[o] : 0;
                for (int i = 0; i < icg; i++) {
                    for (int ky = 0; ky < kh; ky++) {
                        for (int kx = 0; kx < kw; kx++) {
                            int iy = y * sh - pt + ky, ix = x * sw - pl + kx;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                            v += (double)wt[(((size_t)o * icg + i) * kh + ky) * kw + kx]
                                 * in[((size_t)iy * w + ix) * in_c + o / ocg * icg + i];
                        }
                    }
                }
                size_t at = ((size_t)y * wo + x) * out_c + o;
                if (res) v += res[at];
                if (s[11] != DK_NONE && v < 0) v = 0;
                if (s[11] == DK_RELU6 && v > 6) v = 6;
                diff += (v - out[at]) * (v - out[at]);
                norm += v * v;
            }
        }
    }
    return norm > 0 ? sqrt(diff / norm) : sqrt(diff);
}

/* Zeros as pruning leaves them, in OIHW weights of out_c filters x icg input channels x taps. */
static void prune(float *wt, int out_c, int icg, int taps)
{
    int kind = rand() % 5, blocks = (out_c + 31) / 32;
    double rate = (double)(rand() % 101) / 100;
    for (int bo = 0; bo < blocks; bo++) {
        for (int i = 0; i < icg; i++) {
            /* pattern: keep 4 taps (all of a smaller kernel) of this block and channel, or none (30 %) */
            int keep = rand() % 100 >= 30, kept[25] = {0}, n = taps < 4 ? taps : 4; /* kernels are 5x5 at most */
            for (int c = 0; c < n;) {
                int k = rand() % taps;
                if (!kept[k]) kept[k] = 1, c++;
            }
            for (int k = 0; k < taps; k++) {
                int zero_block = rand() < rate * RAND_MAX;
                for (int o = bo * 32; o < out_c && o < bo * 32 + 32; o++) {
                    float *v = &wt[((size_t)o * icg + i) * taps + k];
                    switch (kind) {
                    case 0: if (zero_block) *v = 0; break;                       /* block-punched, 32 x 1 */
                    case 1: if (!keep || !kept[k]) *v = 0; break;                /* pattern + connectivity */
                    case 2: if (rand() < rate * RAND_MAX) *v = 0; break;         /* unstructured */
                    case 3: *v = 0; break;                                       /* everything pruned */
                    default: break;                                              /* nothing pruned */
                    }
                }
            }
        }
    }
}

/* Rows a sparse packing must keep for the ISA: per group and tile of two vectors (one for a remainder that fits
 * one), the (tap, input channel) rows with a weight that is not zero. */
static long long kept_rows(int lanes, const int s[12], const float *wt)
{
    int g = s[10], icg = s[0] / g, ocg = s[1] / g, taps = s[2] * s[3];
    long long kept = 0;
    for (int gi = 0; gi < g; gi++) {
        for (int o = 0; o < ocg; o += 2 * lanes) {
            int n = ocg - o <= lanes ? ocg - o : ocg - o < 2 * lanes ? ocg - o : 2 * lanes;
            for (int k = 0; k < taps; k++) {
                for (int i = 0; i < icg; i++) {
                    int any = 0;
                    for (int j = 0; j < n; j++) any |= wt[((size_t)(gi * ocg + o + j) * icg + i) * taps + k] != 0;
                    kept += any;
                }
            }
        }
    }
    return kept;
}

static float clamp_value(void) { return rand() % 3 ? (float)(rand() % 13 - 6) / 2.0f : INFINITY; }

/* A random epilogue: either the activation's or two clamps (some open), as a quantised network has them. */
static void random_clamps(dk_conv *cv)
{
    if (rand() % 2) return;
    float c[4] = {-clamp_value(), clamp_value(), -clamp_value(), clamp_value()};
    for (int i = 0; i < 4; i += 2) {
        if (c[i] > c[i + 1]) c[i] = c[i + 1];
    }
    dk_conv_set_clamps(cv, c);
}

static int check_chains(int count)
{
    int isas = dk_supported_isas(), runs = 0, failures = 0;
    while (runs < count) {
        int isa = rand() % DK_ISAS;
        if (!(isas & (1 << isa))) continue;
        int expand = rand() % 4 != 0, in_c = 1 + rand() % 40, cm = 1 + rand() % 70, out_c = 1 + rand() % 40;
        if (!expand) cm = in_c;
        /* a 1 -> 1 convolution counts as depthwise, which dk_chain_check refuses for the 1x1 stages */
        if ((expand && in_c == 1 && cm == 1) || (cm == 1 && out_c == 1)) continue;
        /* up to 40 rows, so that several threads get several bands (a band recomputes few halo rows) */
        int h = 1 + rand() % 40, w = 1 + rand() % 20, threads = 1 + rand() % 5;
        int es[12] = {in_c, cm, 1, 1, 1, 1, 0, 0, 0, 0, 1, rand() % 3};
        int ds[12] = {cm, cm, 3, 3, 1 + rand() % 2, 1 + rand() % 2, 1, 1, 1, 1, cm, rand() % 3};
        int ps[12] = {cm, out_c, 1, 1, 1, 1, 0, 0, 0, 0, 1, rand() % 3};
        if (rand() % 4 == 0) {
            for (int i = 6; i < 10; i++) ds[i] = rand() % 2;
        }
        /* a third of the expansions are a general first stage, as MobileNetV2's first 3x3 stride-2 convolution */
        int general = expand && rand() % 3 == 0;
        if (general) {
            es[2] = 1 + rand() % 3, es[3] = 1 + rand() % 3, es[4] = 1 + rand() % 2, es[5] = 1 + rand() % 2;
            for (int i = 6; i < 10; i++) es[i] = rand() % 2;
        }
        int eh = general ? dk_out_size(h, es[6], es[8], es[2], es[4]) : h;
        int ew = general ? dk_out_size(w, es[7], es[9], es[3], es[5]) : w;
        if (eh < 1 || ew < 1) continue;
        int ho = dk_out_size(eh, ds[6], ds[8], 3, ds[4]), wo = dk_out_size(ew, ds[7], ds[9], 3, ds[5]);
        if (ho < 1 || wo < 1) continue;
        int esparse = rand() % 2, psparse = rand() % 2;
        float *ewt = random_floats((size_t)cm * in_c * es[2] * es[3]), *dw = random_floats((size_t)cm * 9);
        float *pw = random_floats((size_t)out_c * cm);
        if (esparse) prune(ewt, cm, in_c, es[2] * es[3]);
        if (psparse) prune(pw, out_c, cm, 1);
        float *eb = rand() % 2 ? random_floats(cm) : NULL, *db = random_floats(cm), *pb = random_floats(out_c);
        dk_conv *e = expand ? dk_conv_create(isa, es, ewt, eb, esparse) : NULL;
        dk_conv *d = dk_conv_create(isa, ds, dw, db, 0), *p = dk_conv_create(isa, ps, pw, pb, psparse);
        if (e) random_clamps(e);
        random_clamps(d);
        random_clamps(p);
        size_t in_n = (size_t)h * w * in_c, out_n = (size_t)ho * wo * out_c;
        float *in = random_floats(in_n), *res = rand() % 2 ? random_floats(out_n) : NULL;
        float *mid = malloc((size_t)eh * ew * cm * sizeof *mid), *dout = malloc((size_t)ho * wo * cm * sizeof *dout);
        float *want = malloc(out_n * sizeof *want), *got = malloc(out_n * sizeof *got);
        if (e) dk_conv_run(e, in, h, w, NULL, mid, 1);
        dk_conv_run(d, e ? mid : in, eh, ew, NULL, dout, 1);
        dk_conv_run(p, dout, ho, wo, res, want, 1);
        /* half the calls with a residual add it in place, into the output */
        int in_place = res && rand() % 2;
        if (in_place) {
            for (size_t i = 0; i < out_n; i++) got[i] = res[i];
        }
        const char *wrong = dk_chain_check(e, d, p);
        if (!wrong && dk_chain_run(e, d, p, in, h, w, in_place ? got : res, got, threads) != 0) wrong = "failed";
        for (size_t i = 0; i < out_n && !wrong; i++) {
            if (memcmp(&got[i], &want[i], sizeof(float)) != 0) wrong = "differs from the three run apart";
        }
        if (wrong && failures++ < 10) {
            printf("chain isa %d: %s%s%d -> %d -> %d stride %d,%d pads %d,%d,%d,%d %dx%d, %d threads%s%s%s: %s\n",
                   isa, e ? "" : "no expansion, ", general ? "general first stage, " : "", in_c, cm, out_c, ds[4],
                   ds[5], ds[6], ds[7], ds[8], ds[9], h, w,
                   threads, esparse ? ", sparse expansion" : "", psparse ? ", sparse projection" : "",
                   res ? ", residual" : "", wrong);
        }
        dk_conv_free(e), dk_conv_free(d), dk_conv_free(p);
        free(ewt), free(dw), free(pw), free(eb), free(db), free(pb);
        free(in), free(res), free(mid), free(dout), free(want), free(got);
        runs++;
    }
    printf("%d random fused blocks, %d wrong\n", runs, failures);
    return failures;
}

int main(void)
{
    srand(7);
    const int lanes[DK_ISAS] = {dk_impl_portable.lanes, dk_impl_avx2.lanes, dk_impl_avx512.lanes};
    int isas = dk_supported_isas(), runs = 0, failures = 0, sparse_runs = 0;
    while (runs < 3000) {
        int g, in_c, out_c;
        switch (rand() % 3) {
        case 0: g = 1, in_c = 1 + rand() % 40, out_c = 1 + rand() % 70; break;
        case 1: in_c = out_c = g = 1 + rand() % 40; break;
        default: g = 1 + rand() % 6, in_c = g * (1 + rand() % 6), out_c = g * (1 + rand() % 20); break;
        }
        int s[12] = {in_c, out_c, 1 + rand() % 5, 1 + rand() % 5, 1 + rand() % 3, 1 + rand() % 3,
                     rand() % 4, rand() % 4, rand() % 4, rand() % 4, g, rand() % 3};
        int h = 1 + rand() % 20, w = 1 + rand() % 20, isa = rand() % DK_ISAS, threads = 1 + rand() % 3;
        int ho = dk_out_size(h, s[6], s[8], s[2], s[4]), wo = dk_out_size(w, s[7], s[9], s[3], s[5]);
        if (ho < 1 || wo < 1 || !(isas & (1 << isa))) continue;
        size_t out_n = (size_t)ho * wo * out_c;
        float *wt = random_floats((size_t)out_c * (in_c / g) * s[2] * s[3]);
        float *bias = rand() % 2 ? random_floats(out_c) : NULL;
        float *in = random_floats((size_t)h * w * in_c);
        float *res = rand() % 2 ? random_floats(out_n) : NULL;
        float *out = malloc(out_n * sizeof *out);
        int sparse = rand() % 2, depthwise = g == in_c && in_c == out_c;
        if (sparse) prune(wt, out_c, in_c / g, s[2] * s[3]);
        dk_conv *cv = dk_conv_create(isa, s, wt, bias, sparse);
        dk_conv_run(cv, in, h, w, res, out, threads);
        double e = error(s, wt, bias, in, h, w, res, out);
        const char *wrong = e <= 1e-5 ? NULL : "relative error";
        if (sparse) {
            /* the same weights packed dense, on one thread: equal, except maybe the sign of a zero */
            float *dense = malloc(out_n * sizeof *dense);
            dk_conv *dv = dk_conv_create(isa, s, wt, bias, 0);
            dk_conv_run(dv, in, h, w, res, dense, 1);
            for (size_t i = 0; i < out_n && !wrong; i++) {
                if (out[i] != dense[i]) wrong = "differs from dense packing";
            }
            long long kept, all, macs, dkept, dall, dmacs;
            dk_conv_rows(cv, &kept, &all, &macs);
            dk_conv_rows(dv, &dkept, &dall, &dmacs);
            long long expect = depthwise ? dall : kept_rows(lanes[isa], s, wt);
            if (!wrong && (kept != expect || all != dall || dkept != dall || kept > all || macs > dmacs
                           || dmacs != (long long)s[2] * s[3] * (in_c / g) * out_c)) {
                wrong = "rows kept";
            }
            dk_conv_free(dv);
            free(dense);
            sparse_runs++;
        }
        if (wrong && failures++ < 10) {
            printf("isa %d%s: in %d out %d groups %d kernel %dx%d stride %d,%d pads %d,%d,%d,%d act %d, %dx%d: "
                   "%s (relative error %g)\n", isa, sparse ? " sparse" : "", in_c, out_c, g, s[2], s[3], s[4],
                   s[5], s[6], s[7], s[8], s[9], s[11], h, w, wrong, e);
        }
        dk_conv_free(cv);
        free(wt), free(bias), free(in), free(res), free(out);
        runs++;
    }
    printf("%d random convolutions (%d packed sparse), %d wrong\n", runs, sparse_runs, failures);
    failures += check_chains(1000);
    return failures != 0;
}
