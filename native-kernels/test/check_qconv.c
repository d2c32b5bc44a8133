/* `make check`, third part: the INT8 pointwise convolution (qconv.h) on random shapes (channel counts that are and
 * are not multiples of 4, 16 and 64), zero points and clamps, every path this CPU has, 1 to 3 threads, against a
 * direct loop: the int32 sums must be equal, and the float and uint8 outputs equal to the bit to the scalar
 * epilogue applied to those sums. Exactly sized buffers under AddressSanitizer, so a read past a pixel's channels
 * (the last group of 4) or past the output fails here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/dk.h"
#include "../src/qconv.h"

static int pick(const int *v, int n) { return v[rand() % n]; }

static dq_conv *random_qconv(int path, int in_c, int out_c, float in_scale, int in_zero, int residual)
{
    int8_t *w = malloc((size_t)in_c * out_c);
    float *scale = malloc((size_t)out_c * sizeof(float)), *bias = malloc((size_t)out_c * sizeof(float));
    for (int i = 0; i < in_c * out_c; i++) w[i] = (int8_t)(rand() % 255 - 127);
    for (int o = 0; o < out_c; o++) {
        scale[o] = in_scale * (float)(rand() % 1000 + 1) * 1e-5f;
        bias[o] = (float)(rand() % 2001 - 1000) * 1e-3f;
    }
    dq_conv *cv = dq_conv_create(path, in_c, out_c, w, scale, bias, 1.0f / in_scale, in_zero, rand() % 2 ? 0 : -3,
                                 rand() % 2 ? 6 : 1e30f, residual ? -4.0f : -INFINITY, residual ? 5.0f : INFINITY, 1, 0);
    free(w), free(scale), free(bias);
    return cv;
}

/* Fused INT8 blocks (dk_qchain_run) against their stages run apart: quantise, expansion, depthwise, quantise,
 * projection with the residual; bit for bit, on every depthwise ISA and INT8 path, 1 to 5 threads. */
static int check_qchains(int count, int paths)
{
    int isas = dk_supported_isas(), runs = 0, failures = 0;
    while (runs < count) {
        int isa = rand() % DK_ISAS, path = rand() % DQ_PATHS;
        if (!(isas & (1 << isa)) || !(paths & (1 << path))) continue;
        /* 0: none, 1: an INT8 expansion, 2: a float first stage (3x3 stride 1 or 2, as MobileNetV2's first) */
        int kind = rand() % 4 == 0 ? 0 : rand() % 3 == 0 ? 2 : 1;
        int expand = kind != 0, in_c = 1 + rand() % 40, cm = 2 + rand() % 70, out_c = 1 + rand() % 40;
        if (!expand) cm = in_c;
        if (cm == 1) continue; /* a 1 -> 1 depthwise is a plain convolution to dk_conv */
        int h = 1 + rand() % 40, w = 1 + rand() % 20, threads = 1 + rand() % 5;
        int ds[12] = {cm, cm, 3, 3, 1 + rand() % 2, 1 + rand() % 2, 1, 1, 1, 1, cm, DK_RELU6};
        if (rand() % 4 == 0) {
            for (int i = 6; i < 10; i++) ds[i] = rand() % 2;
        }
        int fs[12] = {in_c, cm, 3, 3, 1 + rand() % 2, 1 + rand() % 2, 1, 1, rand() % 2, rand() % 2, 1, DK_RELU6};
        int eh = kind == 2 ? dk_out_size(h, fs[6], fs[8], 3, fs[4]) : h;
        int ew = kind == 2 ? dk_out_size(w, fs[7], fs[9], 3, fs[5]) : w;
        int ho = dk_out_size(eh, ds[6], ds[8], 3, ds[4]), wo = dk_out_size(ew, ds[7], ds[9], 3, ds[5]);
        if (eh < 1 || ew < 1 || ho < 1 || wo < 1) continue;
        float in_scale = (float)(rand() % 100 + 1) * 1e-3f, mid_scale = 6.0f / 255;
        int in_zero = rand() % 256, residual = rand() % 2;
        float *dw = malloc((size_t)cm * 9 * sizeof(float)), *db = malloc((size_t)cm * sizeof(float));
        for (int i = 0; i < cm * 9; i++) dw[i] = (float)(rand() % 2001 - 1000) / 500.0f;
        for (int i = 0; i < cm; i++) db[i] = (float)(rand() % 2001 - 1000) / 500.0f;
        dq_conv *e = kind == 1 ? random_qconv(path, in_c, cm, in_scale, in_zero, 0) : NULL;
        float *fw = malloc((size_t)cm * in_c * 9 * sizeof(float));
        for (int i = 0; i < cm * in_c * 9; i++) fw[i] = (float)(rand() % 2001 - 1000) / 2000.0f;
        dk_conv *fe = kind == 2 ? dk_conv_create(isa, fs, fw, db, rand() % 2) : NULL;
        dk_conv *d = dk_conv_create(isa, ds, dw, db, 0);
        dq_conv *p = random_qconv(path, cm, out_c, mid_scale, 0, residual);
        size_t in_n = (size_t)h * w * in_c, mid_n = (size_t)eh * ew * cm, d_n = (size_t)ho * wo * cm;
        size_t out_n = (size_t)ho * wo * out_c;
        float *in = malloc(in_n * sizeof(float)), *res = residual ? malloc(out_n * sizeof(float)) : NULL;
        for (size_t i = 0; i < in_n; i++) in[i] = (float)(rand() % 2001 - 1000) * in_scale * 0.2f;
        for (size_t i = 0; i < out_n && res; i++) res[i] = (float)(rand() % 2001 - 1000) * 3e-3f;
        uint8_t *qin = malloc(in_n), *qd = malloc(d_n);
        float *mid = malloc(mid_n * sizeof(float)), *dout = malloc(d_n * sizeof(float));
        float *want = malloc(out_n * sizeof(float)), *got = malloc(out_n * sizeof(float));
        if (e) {
            dq_quantise(path, in, (long)in_n, e->in_inv_scale, e->in_zero, qin);
            dq_conv_run(e, qin, (long)h * w, NULL, DQ_OUT_FLOAT, mid, 1);
        }
        if (fe) dk_conv_run(fe, in, h, w, NULL, mid, 1);
        dk_conv_run(d, e || fe ? mid : in, eh, ew, NULL, dout, 1);
        dq_quantise(path, dout, (long)d_n, p->in_inv_scale, p->in_zero, qd);
        dq_conv_run(p, qd, (long)ho * wo, res, DQ_OUT_FLOAT, want, 1);
        const char *wrong = dk_qchain_check(e, fe, d, p);
        if (!wrong && dk_qchain_run(e, fe, d, p, in, h, w, res, got, threads) != 0) wrong = "failed";
        for (size_t i = 0; i < out_n && !wrong; i++) {
            if (memcmp(&got[i], &want[i], sizeof(float)) != 0) wrong = "differs from the stages run apart";
        }
        if (wrong && failures++ < 10) {
            printf("qchain isa %d path %d: %s%d -> %d -> %d stride %d,%d pads %d,%d,%d,%d %dx%d, %d threads%s: %s\n",
                   isa, path, kind == 0 ? "no expansion, " : kind == 2 ? "float first stage, " : "", in_c, cm,
                   out_c, ds[4], ds[5], ds[6], ds[7], ds[8], ds[9], h, w, threads, res ? ", residual" : "", wrong);
        }
        dq_conv_free(e), dk_conv_free(fe), dk_conv_free(d), dq_conv_free(p);
        free(fw);
        free(dw), free(db), free(in), free(res), free(qin), free(qd), free(mid), free(dout), free(want), free(got);
        runs++;
    }
    printf("%d random fused INT8 blocks, %d wrong\n", runs, failures);
    return failures;
}

int main(void)
{
    static const int chans[] = {1, 2, 3, 4, 5, 7, 15, 16, 17, 24, 31, 33, 63, 64, 65, 96, 130, 144, 200};
    int nch = (int)(sizeof chans / sizeof *chans), failures = 0, runs = 0;
    int paths = dq_supported_paths();
    srand(7);
    for (int it = 0; it < 400; it++) {
        int in_c = pick(chans, nch), out_c = pick(chans, nch), pixels = 1 + rand() % (it % 4 == 0 ? 700 : 40);
        int zero = it % 3 == 0 ? 0 : rand() % 256, out_zero = rand() % 256;
        float lo = it % 2 ? 0.0f : -1e30f, hi = it % 2 ? 6.0f : 1e30f, rlo = it % 3 ? -2.5f : -INFINITY,
              rhi = it % 3 ? 7.5f : INFINITY;
        int8_t *w = malloc((size_t)in_c * out_c);
        float *scale = malloc((size_t)out_c * sizeof(float)), *bias = malloc((size_t)out_c * sizeof(float));
        uint8_t *in = malloc((size_t)pixels * in_c);
        int32_t *ref = malloc((size_t)pixels * out_c * sizeof(int32_t)), *acc = malloc((size_t)pixels * out_c * 4);
        float *f = malloc((size_t)pixels * out_c * sizeof(float));
        uint8_t *q = malloc((size_t)pixels * out_c);
        float *res = malloc((size_t)pixels * out_c * sizeof(float)), *fr = malloc((size_t)pixels * out_c * 4);
        for (int k = 0; k < pixels * out_c; k++) res[k] = (float)(rand() % 2001 - 1000) * 4e-3f;
        for (int i = 0; i < in_c * out_c; i++) w[i] = (int8_t)(rand() % 255 - 127);
        for (int o = 0; o < out_c; o++) {
            scale[o] = (float)(rand() % 1000 + 1) * 1e-6f;
            bias[o] = (float)(rand() % 2001 - 1000) * 1e-3f;
        }
        for (int i = 0; i < pixels * in_c; i++) in[i] = (uint8_t)(rand() % 256);
        for (int p = 0; p < pixels; p++) {
            for (int o = 0; o < out_c; o++) {
                int32_t s = 0;
                for (int i = 0; i < in_c; i++) s += (in[p * in_c + i] - zero) * w[o * in_c + i];
                ref[p * out_c + o] = s;
            }
        }
        for (int path = 0; path < DQ_PATHS; path++) {
            if (!(paths & (1 << path))) continue;
            dq_conv *cv = dq_conv_create(path, in_c, out_c, w, scale, it % 5 ? bias : NULL, 1.0f, zero, lo, hi,
                                         rlo, rhi, (float)(rand() % 50 + 1) * 0.1f, out_zero);
            if (!cv) {
                printf("create failed\n");
                return 1;
            }
            int threads = 1 + rand() % 3;
            dq_conv_run(cv, in, pixels, NULL, DQ_OUT_INT32, acc, threads);
            dq_conv_run(cv, in, pixels, NULL, DQ_OUT_FLOAT, f, threads);
            dq_conv_run(cv, in, pixels, NULL, DQ_OUT_UINT8, q, threads);
            dq_conv_run(cv, in, pixels, res, DQ_OUT_FLOAT, fr, threads);
            int bad = 0;
            for (int k = 0; k < pixels * out_c && !bad; k++) {
                float y = dq_dequant(cv, ref[k], k % out_c, NULL), yr = dq_dequant(cv, ref[k], k % out_c, res + k);
                uint8_t z = dq_requant(cv, ref[k], k % out_c);
                if (acc[k] != ref[k] || memcmp(&f[k], &y, sizeof y) != 0 || q[k] != z
                    || memcmp(&fr[k], &yr, sizeof yr) != 0) {
                    printf("path %d %d -> %d, %d pixels, zero %d, %d threads: value %d: sum %d (want %d), float %g "
                           "(want %g), uint8 %d (want %d)\n", path, in_c, out_c, pixels, zero, threads, k, acc[k],
                           ref[k], f[k], y, q[k], z);
                    bad = 1;
                }
            }
            failures += bad;
            runs++;
            dq_conv_free(cv);
        }
        free(w), free(scale), free(bias), free(in), free(ref), free(acc), free(f), free(q), free(res), free(fr);
    }
    /* quantising floats: every path equal to the scalar definition, including NaN, infinities and halves */
    for (int it = 0; it < 200; it++) {
        long n = 1 + rand() % 300;
        float *x = malloc((size_t)n * sizeof(float)), inv = (float)(rand() % 1000 + 1) * 0.05f;
        uint8_t *q = malloc((size_t)n);
        int zero = rand() % 256;
        for (long i = 0; i < n; i++) x[i] = (float)(rand() % 4001 - 2000) / inv * 0.0625f;
        x[rand() % n] = __builtin_nanf("");
        x[rand() % n] = it % 2 ? __builtin_inff() : -__builtin_inff();
        for (int path = 0; path < DQ_PATHS; path++) {
            if (!(paths & (1 << path))) continue;
            dq_quantise(path, x, n, inv, zero, q);
            for (long i = 0; i < n; i++) {
                if (q[i] != dq_quantise1(x[i], inv, zero)) {
                    printf("quantise path %d: x %g, inv %g, zero %d: %d (want %d)\n", path, x[i], inv, zero, q[i],
                           dq_quantise1(x[i], inv, zero));
                    failures++;
                    break;
                }
            }
            runs++;
        }
        free(x), free(q);
    }
    failures += check_qchains(500, paths);
    printf("qconv: %d runs (paths %#x), %d failed\n", runs, paths, failures);
    return failures != 0;
}
