/* `make check`, third part: the INT8 pointwise convolution (qconv.h) on random shapes (channel counts that are and
 * are not multiples of 4, 16 and 64), zero points and clamps, every path this CPU has, 1 to 3 threads, against a
 * direct loop: the int32 sums must be equal, and the float and uint8 outputs equal to the bit to the scalar
 * epilogue applied to those sums. Exactly sized buffers under AddressSanitizer, so a read past a pixel's channels
 * (the last group of 4) or past the output fails here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/dk.h"
#include "../src/qconv.h"

static int pick(const int *v, int n) { return v[rand() % n]; }

int main(void)
{
    static const int chans[] = {1, 2, 3, 4, 5, 7, 15, 16, 17, 24, 31, 33, 63, 64, 65, 96, 130, 144, 200};
    int nch = (int)(sizeof chans / sizeof *chans), failures = 0, runs = 0;
    int paths = dq_supported_paths();
    srand(7);
    for (int it = 0; it < 400; it++) {
        int in_c = pick(chans, nch), out_c = pick(chans, nch), pixels = 1 + rand() % (it % 4 == 0 ? 700 : 40);
        int zero = it % 3 == 0 ? 0 : rand() % 256, out_zero = rand() % 256;
        float lo = it % 2 ? 0.0f : -1e30f, hi = it % 2 ? 6.0f : 1e30f;
        int8_t *w = malloc((size_t)in_c * out_c);
        float *scale = malloc((size_t)out_c * sizeof(float)), *bias = malloc((size_t)out_c * sizeof(float));
        uint8_t *in = malloc((size_t)pixels * in_c);
        int32_t *ref = malloc((size_t)pixels * out_c * sizeof(int32_t)), *acc = malloc((size_t)pixels * out_c * 4);
        float *f = malloc((size_t)pixels * out_c * sizeof(float));
        uint8_t *q = malloc((size_t)pixels * out_c);
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
            dq_conv *cv = dq_conv_create(path, in_c, out_c, w, scale, it % 5 ? bias : NULL, zero, lo, hi,
                                         (float)(rand() % 50 + 1) * 0.1f, out_zero);
            if (!cv) {
                printf("create failed\n");
                return 1;
            }
            int threads = 1 + rand() % 3;
            dq_conv_run(cv, in, pixels, DQ_OUT_INT32, acc, threads);
            dq_conv_run(cv, in, pixels, DQ_OUT_FLOAT, f, threads);
            dq_conv_run(cv, in, pixels, DQ_OUT_UINT8, q, threads);
            int bad = 0;
            for (int k = 0; k < pixels * out_c && !bad; k++) {
                float y = dq_dequant(cv, ref[k], k % out_c);
                uint8_t z = dq_requant(cv, ref[k], k % out_c);
                if (acc[k] != ref[k] || memcmp(&f[k], &y, sizeof y) != 0 || q[k] != z) {
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
        free(w), free(scale), free(bias), free(in), free(ref), free(acc), free(f), free(q);
    }
    printf("qconv: %d runs (paths %#x), %d failed\n", runs, paths, failures);
    return failures != 0;
}
