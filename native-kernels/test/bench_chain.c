/* `make bench-chain`: MobileNetV2's blocks (at a 256x256 input) as three convolutions run one after the other and
 * as one fused block (dk_chain_run), taking turns call by call, on 1 and 2 threads, AVX-512 when the CPU has it.
 * The first line is the network's first 3x3 stride-2 convolution with the first block: "apart" is then that
 * convolution alone followed by the block fused without it (how it ran before it could join), fused is all three.
 * Prints median times in ms (and the best, for a loaded machine) and apart / fused. Argument: calls per figure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/dk.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static float *random_floats(size_t n)
{
    float *v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = (float)(rand() % 2001 - 1000) / 5000.0f;
    return v;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 41, isa = DK_PORTABLE, isas = dk_supported_isas();
    if (reps < 1 || reps > 1001) reps = 41;
    if (isas & (1 << DK_AVX2)) isa = DK_AVX2;
    if (isas & (1 << DK_AVX512)) isa = DK_AVX512;
    /* input channels (0: no expansion), expanded, output, input side, depthwise stride, residual, first-stage
     * kernel and stride (1: a 1x1 expansion) */
    static const int blocks[][8] = {{3, 32, 16, 256, 1, 0, 3, 2}, {0, 32, 16, 128, 1, 0},    {16, 96, 24, 128, 2, 0},  {24, 144, 24, 64, 1, 1},
                                    {24, 144, 32, 64, 2, 0},   {32, 192, 32, 32, 1, 1},  {32, 192, 64, 32, 2, 0},
                                    {64, 384, 64, 16, 1, 1},   {96, 576, 96, 16, 1, 1},  {160, 960, 160, 8, 1, 1}};
    double *apart = malloc(reps * sizeof *apart), *fused = malloc(reps * sizeof *fused);
    printf("isa %d, %d calls each; ms: median (best)\n", isa, reps);
    for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
        int cin = blocks[b][0], cm = blocks[b][1], cout = blocks[b][2], h = blocks[b][3], w = h, s = blocks[b][4];
        int k = blocks[b][6] ? blocks[b][6] : 1, ks = blocks[b][7] ? blocks[b][7] : 1, pad = k / 2;
        int eh = dk_out_size(h, pad, pad, k, ks), ew_ = dk_out_size(w, pad, pad, k, ks);
        int ho = dk_out_size(eh, 1, 1, 3, s), wo = dk_out_size(ew_, 1, 1, 3, s), in_c = cin ? cin : cm;
        int es[12] = {cin, cm, k, k, ks, ks, pad, pad, pad, pad, 1, DK_RELU6};
        int ds[12] = {cm, cm, 3, 3, s, s, 1, 1, 1, 1, cm, DK_RELU6};
        int ps[12] = {cm, cout, 1, 1, 1, 1, 0, 0, 0, 0, 1, DK_NONE};
        float *ew = cin ? random_floats((size_t)cin * cm * k * k) : NULL, *dw = random_floats((size_t)cm * 9);
        float *pw = random_floats((size_t)cm * cout), *eb = random_floats(cm), *db = random_floats(cm);
        float *pb = random_floats(cout);
        dk_conv *e = cin ? dk_conv_create(isa, es, ew, eb, 0) : NULL, *d = dk_conv_create(isa, ds, dw, db, 0);
        dk_conv *p = dk_conv_create(isa, ps, pw, pb, 0);
        float *in = random_floats((size_t)h * w * in_c);
        float *res = blocks[b][5] ? random_floats((size_t)ho * wo * cout) : NULL;
        float *mid = malloc((size_t)eh * ew_ * cm * sizeof(float));
        float *dout = malloc((size_t)ho * wo * cm * sizeof(float));
        float *out = malloc((size_t)ho * wo * cout * sizeof(float));
        float *out2 = malloc((size_t)ho * wo * cout * sizeof(float));
        for (int threads = 1; threads <= 2; threads++) {
            for (int r = 0; r < reps; r++) {
                double t0 = now_ms();
                if (e) dk_conv_run(e, in, h, w, NULL, mid, threads);
                if (k > 1) {
                    dk_chain_run(NULL, d, p, mid, eh, ew_, res, out, threads);
                } else {
                    dk_conv_run(d, e ? mid : in, h, w, NULL, dout, threads);
                    dk_conv_run(p, dout, ho, wo, res, out, threads);
                }
                double t1 = now_ms();
                dk_chain_run(e, d, p, in, h, w, res, out2, threads);
                fused[r] = now_ms() - t1;
                apart[r] = t1 - t0;
            }
            const char *same = memcmp(out, out2, (size_t)ho * wo * cout * sizeof(float)) ? "  DIFFERENT BITS" : "";
            qsort(apart, reps, sizeof *apart, by_value);
            qsort(fused, reps, sizeof *fused, by_value);
            printf("%3d -> %3d -> %3d at %3dx%-3d s%d%s, %d thread%s: apart %.3f (%.3f), fused %.3f (%.3f), "
                   "apart / fused %.2f%s\n", cin, cm, cout, h, w, s, res ? " +res" : "     ", threads,
                   threads > 1 ? "s" : " ", apart[reps / 2], apart[0], fused[reps / 2], fused[0],
                   apart[reps / 2] / fused[reps / 2], same);
        }
        dk_conv_free(e), dk_conv_free(d), dk_conv_free(p);
        free(ew), free(dw), free(pw), free(eb), free(db), free(pb);
        free(in), free(res), free(mid), free(dout), free(out), free(out2);
    }
    free(apart), free(fused);
    return 0;
}
