/* Creating a convolution: choosing the ISA's kernels and packing the weights once into the layout they stream.
 * Compiled for the baseline ISA: it only calls the AVX kernels through dk_impl after checking the CPU. */
#include <stdlib.h>
#include <string.h>

#include "dk.h"

static const dk_impl *const impls[DK_ISAS] = {&dk_impl_portable, &dk_impl_avx2, &dk_impl_avx512};

int dk_supported_isas(void)
{
    /* libgcc's CPU model also checks that the OS saves the wider registers (XCR0), not just CPUID bits */
    __builtin_cpu_init();
    int isas = 1 << DK_PORTABLE;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) isas |= 1 << DK_AVX2;
    if (__builtin_cpu_supports("avx512f")) isas |= 1 << DK_AVX512;
    return isas;
}

int dk_out_size(int in, int pad0, int pad1, int k, int s)
{
    long span = (long)in + pad0 + pad1 - k;
    return span < 0 ? 0 : (int)(span / s + 1);
}

static size_t round_up(size_t n, size_t m) { return (n + m - 1) / m * m; }

/* Depthwise: [bias][tap 0]...[tap kh*kw-1], each a row of in_c values padded to whole vectors. */
static float *pack_depthwise(dk_conv *cv, int lanes, const float *weights, const float *bias)
{
    int taps = cv->kh * cv->kw;
    cv->cpad = (int)round_up((size_t)cv->in_c, (size_t)lanes);
    float *p = aligned_alloc(64, round_up((size_t)(taps + 1) * cv->cpad * sizeof(float), 64));
    if (!p) return NULL;
    memset(p, 0, (size_t)(taps + 1) * cv->cpad * sizeof(float));
    for (int c = 0; c < cv->in_c; c++) {
        p[c] = bias ? bias[c] : 0.0f;
        for (int t = 0; t < taps; t++) p[(size_t)(t + 1) * cv->cpad + c] = weights[(size_t)c * taps + t];
    }
    return p;
}

/* Dense and grouped: per group, output channels in tiles of two vectors (one for a remainder that fits one).
 * A tile's block is its biases, then for each tap (ky, kx) and input channel of the group one row of the tile's
 * weights: the kernel's innermost loop reads consecutive rows. Weights arrive as PyTorch's OIHW. */
static float *pack_dense(dk_conv *cv, int lanes, const float *weights, const float *bias)
{
    int icg = cv->in_c / cv->groups, ocg = cv->out_c / cv->groups, taps = cv->kh * cv->kw;
    int per_group = 0;
    for (int o = 0; o < ocg; o += 2 * lanes) per_group++;
    cv->ntiles = per_group * cv->groups;
    cv->tiles = malloc((size_t)cv->ntiles * sizeof(dk_tile));
    if (!cv->tiles) return NULL;
    size_t total = 0;
    dk_tile *t = cv->tiles;
    for (int g = 0; g < cv->groups; g++) {
        for (int o = 0; o < ocg; o += 2 * lanes, t++) {
            t->in0 = g * icg;
            t->out0 = g * ocg + o;
            t->width = ocg - o <= lanes ? lanes : 2 * lanes;
            t->valid = ocg - o < t->width ? ocg - o : t->width;
            t->packed = total;
            total += ((size_t)taps * icg + 1) * t->width;
        }
    }
    float *p = aligned_alloc(64, round_up(total * sizeof(float), 64));
    if (!p) return NULL;
    memset(p, 0, total * sizeof(float));
    for (t = cv->tiles; t < cv->tiles + cv->ntiles; t++) {
        float *b = p + t->packed;
        for (int j = 0; j < t->valid; j++) {
            int oc = t->out0 + j;
            b[j] = bias ? bias[oc] : 0.0f;
            for (int i = 0; i < icg; i++) {
                for (int k = 0; k < taps; k++) {
                    b[((size_t)k * icg + i + 1) * t->width + j] = weights[((size_t)oc * icg + i) * taps + k];
                }
            }
        }
    }
    return p;
}

dk_conv *dk_conv_create(int isa, const int shape[12], const float *weights, const float *bias)
{
    if (isa < 0 || isa >= DK_ISAS || !(dk_supported_isas() & (1 << isa))) return NULL;
    dk_conv *cv = calloc(1, sizeof *cv);
    if (!cv) return NULL;
    cv->isa = isa;
    cv->in_c = shape[0];
    cv->out_c = shape[1];
    cv->kh = shape[2];
    cv->kw = shape[3];
    cv->sh = shape[4];
    cv->sw = shape[5];
    cv->pt = shape[6];
    cv->pl = shape[7];
    cv->pb = shape[8];
    cv->pr = shape[9];
    cv->groups = shape[10];
    cv->act = shape[11];
    cv->depthwise = cv->groups == cv->in_c && cv->out_c == cv->in_c;
    int lanes = impls[isa]->lanes;
    cv->packed = cv->depthwise ? pack_depthwise(cv, lanes, weights, bias) : pack_dense(cv, lanes, weights, bias);
    if (!cv->packed) {
        dk_conv_free(cv);
        return NULL;
    }
    return cv;
}

void dk_conv_free(dk_conv *cv)
{
    if (!cv) return;
    free(cv->tiles);
    free(cv->packed);
    free(cv);
}

void dk_conv_run(const dk_conv *cv, const float *in, int h, int w, const float *res, float *out, int threads)
{
    impls[cv->isa]->run(cv, in, h, w, res, out, threads);
}
