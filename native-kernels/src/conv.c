/* Creating a convolution: choosing the ISA's kernels and packing the weights once into the layout they stream.
 * Compiled for the baseline ISA: it only calls the AVX kernels through dk_impl after checking the CPU. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dk.h"
#include "qconv.h"

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

/* Whether row (tap k, input channel i) of tile t has a weight that is not zero among the tile's valid channels.
 * -0.0f counts as zero (skipping it changes no sum), NaN does not. */
static int row_used(const dk_tile *t, const float *weights, int icg, int taps, int k, int i)
{
    for (int j = 0; j < t->valid; j++) {
        if (weights[((size_t)(t->out0 + j) * icg + i) * taps + k] != 0.0f) return 1;
    }
    return 0;
}

/* Dense and grouped: per group, output channels in tiles of two vectors (one for a remainder that fits one).
 * A tile's block is its biases, then for each tap (ky, kx) and input channel of the group one row of the tile's
 * weights: the kernel's innermost loop reads consecutive rows. Weights arrive as PyTorch's OIHW.
 * Sparse: the same, but a block keeps only the rows that are used (row_used), and the tile lists which they are
 * (dk_tile.tap, .ic), so the kernel's work falls with the kept fraction. */
static float *pack_dense(dk_conv *cv, int lanes, const float *weights, const float *bias)
{
    int icg = cv->in_c / cv->groups, ocg = cv->out_c / cv->groups, taps = cv->kh * cv->kw;
    int per_group = 0;
    for (int o = 0; o < ocg; o += 2 * lanes) per_group++;
    cv->ntiles = per_group * cv->groups;
    cv->tiles = calloc((size_t)cv->ntiles, sizeof(dk_tile));
    if (!cv->tiles) return NULL;
    dk_tile *t = cv->tiles;
    for (int g = 0; g < cv->groups; g++) {
        for (int o = 0; o < ocg; o += 2 * lanes, t++) {
            t->in0 = g * icg;
            t->out0 = g * ocg + o;
            t->width = ocg - o <= lanes ? lanes : 2 * lanes;
            t->valid = ocg - o < t->width ? ocg - o : t->width;
        }
    }
    size_t total = 0, index = 0;
    for (t = cv->tiles; t < cv->tiles + cv->ntiles; t++) {
        t->rows = taps * icg;
        if (cv->sparse) {
            t->rows = 0;
            for (int k = 0; k < taps; k++) {
                for (int i = 0; i < icg; i++) t->rows += row_used(t, weights, icg, taps, k, i);
            }
            index += (size_t)taps + 1 + t->rows;
        }
        t->packed = total;
        total += ((size_t)t->rows + 1) * t->width;
    }
    if (cv->sparse) {
        cv->index = malloc(index * sizeof(int));
        if (!cv->index) return NULL;
    }
    float *p = aligned_alloc(64, round_up(total * sizeof(float), 64));
    if (!p) return NULL;
    memset(p, 0, total * sizeof(float));
    int *x = cv->index;
    for (t = cv->tiles; t < cv->tiles + cv->ntiles; t++) {
        float *b = p + t->packed;
        for (int j = 0; j < t->valid; j++) b[j] = bias ? bias[t->out0 + j] : 0.0f;
        if (cv->sparse) {
            int *tap = x, *ic = x + taps + 1, r = 0;
            x = ic + t->rows;
            t->tap = tap;
            t->ic = ic;
            for (int k = 0; k < taps; k++) {
                tap[k] = r;
                for (int i = 0; i < icg; i++) {
                    if (!row_used(t, weights, icg, taps, k, i)) continue;
                    ic[r] = i;
                    float *row = b + ((size_t)r + 1) * t->width; /* after the biases */
                    for (int j = 0; j < t->valid; j++) {
                        row[j] = weights[((size_t)(t->out0 + j) * icg + i) * taps + k];
                    }
                    r++;
                }
            }
            tap[taps] = r;
            continue;
        }
        for (int j = 0; j < t->valid; j++) {
            int oc = t->out0 + j;
            for (int i = 0; i < icg; i++) {
                for (int k = 0; k < taps; k++) {
                    b[((size_t)k * icg + i + 1) * t->width + j] = weights[((size_t)oc * icg + i) * taps + k];
                }
            }
        }
    }
    return p;
}

void dk_conv_set_clamps(dk_conv *cv, const float clamp[4])
{
    for (int i = 0; i < 4; i++) cv->clamp[i] = clamp[i];
}

dk_conv *dk_conv_create(int isa, const int shape[12], const float *weights, const float *bias, int sparse)
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
    cv->clamp[0] = -INFINITY;
    cv->clamp[1] = INFINITY;
    cv->clamp[2] = cv->act == DK_NONE ? -INFINITY : 0.0f;
    cv->clamp[3] = cv->act == DK_RELU6 ? 6.0f : INFINITY;
    cv->depthwise = cv->groups == cv->in_c && cv->out_c == cv->in_c;
    cv->sparse = sparse && !cv->depthwise;
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
    free(cv->index);
    free(cv->packed);
    free(cv);
}

void dk_conv_rows(const dk_conv *cv, long long *kept, long long *all, long long *macs_per_pixel)
{
    long long taps = (long long)cv->kh * cv->kw;
    if (cv->depthwise) {
        *kept = *all = *macs_per_pixel = taps * cv->in_c;
        return;
    }
    *kept = *all = *macs_per_pixel = 0;
    for (const dk_tile *t = cv->tiles; t < cv->tiles + cv->ntiles; t++) {
        *kept += t->rows;
        *all += taps * (cv->in_c / cv->groups);
        *macs_per_pixel += (long long)t->rows * t->valid;
    }
}

void dk_conv_run(const dk_conv *cv, const float *in, int h, int w, const float *res, float *out, int threads)
{
    impls[cv->isa]->run(cv, in, h, w, res, out, threads);
}

int dk_pointwise(const dk_conv *cv)
{
    return !cv->depthwise && cv->kh == 1 && cv->kw == 1 && cv->sh == 1 && cv->sw == 1
           && (cv->pt | cv->pl | cv->pb | cv->pr) == 0;
}

static const char *depthwise_check(const dk_conv *d)
{
    if (!d->depthwise || d->kh != 3 || d->kw != 3) return "the middle convolution must be depthwise 3x3";
    if (d->sh < 1 || d->sh > 2 || d->sw < 1 || d->sw > 2) return "the depthwise stride must be 1 or 2";
    if (d->pt > 1 || d->pl > 1 || d->pb > 1 || d->pr > 1) return "the depthwise padding must be 0 or 1";
    return NULL;
}

const char *dk_chain_check(const dk_conv *e, const dk_conv *d, const dk_conv *p)
{
    if (!d || !p) return "the depthwise and the projection are required";
    if (e && !dk_pointwise(e)) return "the expansion must be 1x1, stride 1, unpadded, not depthwise";
    if (depthwise_check(d)) return depthwise_check(d);
    if (!dk_pointwise(p)) return "the projection must be 1x1, stride 1, unpadded, not depthwise";
    if ((e && e->out_c != d->in_c) || p->in_c != d->out_c) return "the channels do not chain";
    if ((e && e->isa != d->isa) || p->isa != d->isa) return "the three must use the same ISA";
    return NULL;
}

int dk_chain_run(const dk_conv *e, const dk_conv *d, const dk_conv *p, const float *in, int h, int w,
                 const float *res, float *out, int threads)
{
    return impls[d->isa]->chain(e, d, p, in, h, w, res, out, threads);
}

const char *dk_qchain_check(const dq_conv *e, const dk_conv *d, const dq_conv *p)
{
    if (!d || !p) return "the depthwise and the projection are required";
    if (depthwise_check(d)) return depthwise_check(d);
    if ((e && e->out_c != d->in_c) || p->in_c != d->out_c) return "the channels do not chain";
    return NULL;
}

int dk_qchain_run(const dq_conv *e, const dk_conv *d, const dq_conv *p, const float *in, int h, int w,
                  const float *res, float *out, int threads)
{
    return impls[d->isa]->qchain(e, d, p, in, h, w, res, out, threads);
}
