/* `make check`, second part: the operators of ops.h on random shapes (every ISA this CPU has, 1 to 3 threads)
 * against direct double-precision loops, under AddressSanitizer and UBSan over exactly sized buffers, so that a
 * read or write past an array fails here even where the Java tests' results would still match. (ASan sees the
 * portable ISA's memcpy loads and stores, not the AVX intrinsics.) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/ops.h"

static int failures;

static float *random_floats(size_t n, float lo, float hi)
{
    float *v = malloc((n ? n : 1) * sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = lo + (hi - lo) * (float)rand() / (float)RAND_MAX;
    return v;
}

static void expect(double error, double tolerance, const char *what, int isa, int a, int b, int c)
{
    if (!(error <= tolerance)) {
        failures++;
        if (failures < 20) printf("FAIL %s isa %d (%d, %d, %d): error %g\n", what, isa, a, b, c, error);
    }
}

static double rel(const double *ref, const float *got, size_t n)
{
    double d = 0, r = 0;
    for (size_t i = 0; i < n; i++) {
        d += (ref[i] - got[i]) * (ref[i] - got[i]);
        r += ref[i] * ref[i];
    }
    return r > 0 ? sqrt(d / r) : sqrt(d);
}

static int reflect1(int i, int n) { return i < 0 ? -i : (i < n ? i : 2 * (n - 1) - i); }

static int reflect2(int i, int n)
{
    i %= 2 * n;
    if (i < 0) i += 2 * n;
    return i < n ? i : 2 * n - 1 - i;
}

/* the discrepancy with a direct 11 x 11 window, MIN_MAX scaling, in double */
static void discrepancy_ref(const float *s, const float *t, int h, int w, int c, double *out)
{
    double g[11], sum = 0;
    for (int i = 0; i < 11; i++) sum += g[i] = exp(-(i - 5) * (i - 5) / 4.5);
    for (int ch = 0; ch < c; ch++) {
        double ls = INFINITY, hs = -INFINITY, lt = INFINITY, ht = -INFINITY;
        for (int p = 0; p < h * w; p++) {
            ls = fmin(ls, s[p * c + ch]), hs = fmax(hs, s[p * c + ch]);
            lt = fmin(lt, t[p * c + ch]), ht = fmax(ht, t[p * c + ch]);
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double m[5] = {0};
                for (int i = 0; i < 11; i++) {
                    for (int j = 0; j < 11; j++) {
                        int p = reflect1(y + i - 5, h) * w + reflect1(x + j - 5, w);
                        double a = (s[p * c + ch] - ls) / (hs - ls + 1e-10), b = (t[p * c + ch] - lt) / (ht - lt + 1e-10);
                        double k = g[i] * g[j] / (sum * sum);
                        m[0] += k * a, m[1] += k * b, m[2] += k * a * a, m[3] += k * b * b, m[4] += k * a * b;
                    }
                }
                double v1 = m[2] - m[0] * m[0], v2 = m[3] - m[1] * m[1], cv = m[4] - m[0] * m[1];
                double ssim = (2 * m[0] * m[1] + 1e-4) / (m[0] * m[0] + m[1] * m[1] + 1e-4) * (2 * cv + 9e-4)
                              / (v1 + v2 + 9e-4);
                double st = 0, ss = 0, tt = 0;
                for (int k = 0; k < c; k++) {
                    int p = (y * w + x) * c + k;
                    st += (double)s[p] * t[p], ss += (double)s[p] * s[p], tt += (double)t[p] * t[p];
                }
                out[(y * w + x) * c + ch] = (1 - ssim) + (1 - st / sqrt(fmax(ss * tt, 1e-16)));
            }
        }
    }
}

/* one axis of the resize, independently of ops.c: bilinear with clamping when growing, antialiased when shrinking */
static double weight(int in, int out, int i, int k)
{
    if (in == out) return i == k;
    double scale = (double)in / out;
    if (out > in) {
        double f = fmax(0, (i + 0.5) * scale - 0.5);
        int i0 = (int)f < in - 1 ? (int)f : in - 1, i1 = i0 + 1 < in ? i0 + 1 : in - 1;
        double l = f - i0;
        return (k == i0) * (1 - l) + (k == i1) * l;
    }
    double centre = scale * (i + 0.5), total = 0;
    int lo = (int)(centre - scale + 0.5), hi = (int)(centre + scale + 0.5);
    lo = lo < 0 ? 0 : lo;
    hi = hi > in ? in : hi;
    for (int j = lo; j < hi; j++) total += fmax(0, 1 - fabs((j - centre + 0.5) / scale));
    return k < lo || k >= hi ? 0 : fmax(0, 1 - fabs((k - centre + 0.5) / scale)) / total;
}

static int cmp_desc(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x < y) - (x > y);
}

int main(void)
{
    srand(11);
    int isas = dk_supported_isas(), runs = 0;
    for (int isa = 0; isa < DK_ISAS; isa++) {
        if (!(isas >> isa & 1)) continue;
        for (int r = 0; r < 60; r++, runs++) {
            int threads = 1 + rand() % 3;
            /* discrepancy */
            int h = 6 + rand() % 12, w = 6 + rand() % 12, c = 1 + rand() % 40;
            size_t n = (size_t)h * w * c;
            float *s = random_floats(n, -1, 3), *t = random_floats(n, -1, 3), *out = malloc(n * sizeof *out);
            double *ref = malloc(n * sizeof *ref);
            if (dk_discrepancy(isa, s, t, h, w, c, DK_SCALE_MIN_MAX, out, threads)) failures++;
            discrepancy_ref(s, t, h, w, c, ref);
            expect(rel(ref, out, n), 1e-4, "discrepancy", isa, h, w, c);
            free(s), free(t), free(out), free(ref);

            /* resize into a channel range of a wider output */
            h = 1 + rand() % 20, w = 1 + rand() % 20, c = 1 + rand() % 40;
            int oh = 1 + rand() % 40, ow = 1 + rand() % 40, off = rand() % 5, dc = c + off + rand() % 5;
            float *src = random_floats((size_t)h * w * c, -1, 1), *dst = malloc((size_t)oh * ow * dc * sizeof *dst);
            ref = malloc((size_t)oh * ow * c * sizeof *ref);
            float *got = malloc((size_t)oh * ow * c * sizeof *got);
            if (dk_resize_bilinear(isa, src, h, w, c, oh, ow, dst, dc, off, threads)) failures++;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    for (int k = 0; k < c; k++) {
                        double v = 0;
                        for (int i = 0; i < h; i++) {
                            double wy = weight(h, oh, y, i);
                            if (wy == 0) continue;
                            for (int j = 0; j < w; j++) v += wy * weight(w, ow, x, j) * src[(i * w + j) * c + k];
                        }
                        ref[(y * ow + x) * c + k] = v;
                        got[(y * ow + x) * c + k] = dst[(y * ow + x) * dc + off + k];
                    }
                }
            }
            expect(rel(ref, got, (size_t)oh * ow * c), 1e-5, "resize", isa, h * 100 + w, oh * 100 + ow, c);
            free(src), free(dst), free(ref), free(got);

            /* Gaussian blur */
            h = 1 + rand() % 40, w = 1 + rand() % 40;
            double sigma = 0.2 + rand() % 60 / 10.0;
            float *in = random_floats((size_t)h * w, 0, 1);
            out = malloc((size_t)h * w * sizeof *out);
            ref = malloc((size_t)h * w * sizeof *ref);
            if (dk_gaussian_blur(isa, in, w, h, sigma, out, threads)) failures++;
            int rad = (int)(4 * sigma + 0.5);
            double ksum = 0;
            for (int i = -rad; i <= rad; i++) ksum += exp(-0.5 * i * i / (sigma * sigma));
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = 0;
                    for (int i = -rad; i <= rad; i++) {
                        for (int j = -rad; j <= rad; j++) {
                            v += exp(-0.5 * (i * i + j * j) / (sigma * sigma)) / (ksum * ksum)
                                 * in[reflect2(y + i, h) * w + reflect2(x + j, w)];
                        }
                    }
                    ref[y * w + x] = v;
                }
            }
            expect(rel(ref, out, (size_t)h * w), 1e-5, "blur", isa, h, w, (int)(sigma * 10));
            free(in), free(out), free(ref);

            /* sigmoid */
            n = (size_t)(rand() % 100);
            float *x = random_floats(n, -100, 100);
            ref = malloc((n ? n : 1) * sizeof *ref);
            for (size_t i = 0; i < n; i++) ref[i] = 1 / (1 + exp(-(double)x[i]));
            dk_sigmoid(isa, x, (long)n);
            double worst = 0;
            for (size_t i = 0; i < n; i++) {
                if (ref[i] > 1e-37) worst = fmax(worst, fabs(x[i] - ref[i]) / ref[i]);
            }
            expect(worst, 5e-7, "sigmoid", isa, (int)n, 0, 0);
            free(x), free(ref);
        }
    }

    /* the ISA-independent ones */
    for (int r = 0; r < 200; r++, runs++) {
        int h = 1 + rand() % 9, w = 1 + rand() % 9, c = 1 + rand() % 20, f = 1 + rand() % 4, dc = 1 + rand() % 40;
        size_t n = (size_t)h * w * c, m = (size_t)h * f * w * f * dc;
        float *src = random_floats(n, -1, 1), *dst = random_floats(m, -1, 1), *before = malloc(m * sizeof *before);
        memcpy(before, dst, m * sizeof *dst);
        dk_fuse_nearest(src, h, w, c, f, dst, dc, 1);
        for (size_t i = 0; i < m; i++) {
            size_t k = i % dc, x = i / dc % ((size_t)w * f), y = i / dc / ((size_t)w * f);
            if (dst[i] != before[i] + src[(y / f * w + x / f) * c + k % c]) failures++;
        }
        float *plane = malloc((size_t)h * w * sizeof *plane);
        dk_channel_mean(src, (long)h * w, c, plane);
        for (int p = 0; p < h * w; p++) {
            double sum = 0;
            for (int k = 0; k < c; k++) sum += src[p * c + k];
            if (plane[p] != (float)(sum / c)) failures++;
        }
        int c4 = 4 * c;
        float *d2s_in = random_floats((size_t)h * w * c4, -1, 1), *d2s = malloc((size_t)h * w * c4 * sizeof *d2s);
        dk_depth_to_space(d2s_in, h, w, c4, d2s);
        for (int i = 0; i < h * w * c4; i++) {
            int k = i % c4, p = i / c4, y = p / w, x = p % w, a = k % 4 / 2, b = k % 2;
            if (d2s[((2 * y + a) * 2 * w + 2 * x + b) * c + k / 4] != d2s_in[i]) failures++;
        }
        int off = rand() % 3, cc = c + off + rand() % 3;
        float *cat = random_floats((size_t)h * w * cc, -1, 1);
        dk_copy_channels(src, (long)h * w, c, cat, cc, off);
        for (int p = 0; p < h * w; p++) {
            if (memcmp(cat + (size_t)p * cc + off, src + (size_t)p * c, (size_t)c * sizeof *src)) failures++;
        }
        long len = 1 + rand() % 3000, k = 1 + rand() % 3100;
        float *v = random_floats((size_t)len, -2, 2), *sorted = malloc((size_t)len * sizeof *sorted);
        if (rand() % 2) {
            for (long i = 0; i < len; i++) v[i] = (float)(rand() % 7) / 4;  /* ties */
        }
        memcpy(sorted, v, (size_t)len * sizeof *v);
        qsort(sorted, (size_t)len, sizeof *sorted, cmp_desc);
        double sum = 0;
        long kk = k < len ? k : len;
        for (long i = 0; i < kk; i++) sum += sorted[i];
        if (fabs(dk_top_k_mean(v, len, k) - sum / kk) > 1e-6 * (1 + fabs(sum / kk))) failures++;
        free(src), free(dst), free(before), free(plane), free(d2s_in), free(d2s), free(cat), free(v), free(sorted);
    }
    printf("%d operator runs, %d failures\n", runs, failures);
    return failures != 0;
}
