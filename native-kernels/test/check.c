/* `make check`: random convolutions (dense, depthwise, grouped; any kernel, stride, padding, activation, with and
 * without bias and residual; every ISA this CPU has; 1 to 3 threads) against a direct six-loop convolution in
 * double precision, built with AddressSanitizer and UBSan over exactly sized buffers, so a read or write past an
 * array fails here even where the Java tests' results would still match. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

int main(void)
{
    srand(7);
    int isas = dk_supported_isas(), runs = 0, failures = 0;
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
        dk_conv *cv = dk_conv_create(isa, s, wt, bias);
        dk_conv_run(cv, in, h, w, res, out, threads);
        double e = error(s, wt, bias, in, h, w, res, out);
        if (!(e <= 1e-5) && failures++ < 10) {
            printf("isa %d: in %d out %d groups %d kernel %dx%d stride %d,%d pads %d,%d,%d,%d act %d, %dx%d: "
                   "relative error %g\n", isa, in_c, out_c, g, s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9],
                   s[11], h, w, e);
        }
        dk_conv_free(cv);
        free(wt), free(bias), free(in), free(res), free(out);
        runs++;
    }
    printf("%d random convolutions, %d wrong\n", runs, failures);
    return failures != 0;
}
