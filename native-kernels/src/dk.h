/* daf-edge kernels: what the ISA-independent code (packing, dispatch, threads, JNI) shares with the per-ISA
 * kernels. Tensors are HWC (batch 1, channels innermost), float32. */
#ifndef DK_H
#define DK_H

#include <stddef.h>

struct dq_conv; /* the INT8 pointwise convolution (qconv.h), for the fused INT8 block */

enum dk_isa { DK_PORTABLE = 0, DK_AVX2 = 1, DK_AVX512 = 2, DK_ISAS = 3 };
enum dk_act { DK_NONE = 0, DK_RELU = 1, DK_RELU6 = 2 };

/* Output channels of one group computed together by the dense kernel: a register block holds `width` channels
 * (one or two vectors), of which `valid` are real and the rest are zero padding of the packed weights. */
typedef struct {
    int in0;        /* first input channel of the tile's group */
    int out0;       /* first output channel of the tile */
    int width;      /* V or 2V */
    int valid;      /* 1..width */
    size_t packed;  /* offset in floats of the tile's block: width biases, then its rows of width weights */
    int rows;       /* weight rows in the block: kh*kw*icg when dense, the kept ones when sparse */
    /* Sparse packing only, NULL when dense. The block holds only the rows (tap, input channel) whose weights are
     * not all zero across the tile's valid channels, in the dense order: tap k = ky*kw+kx owns rows
     * [tap[k], tap[k+1]) of the block, and ic[r] is row r's input channel within the group. Taps, not input
     * offsets, because the image width (and so a tap's offset) is known only per call, and because a pixel at
     * the border skips whole taps, which is then just a shorter loop over k. */
    const int *tap; /* kh*kw+1 entries */
    const int *ic;  /* rows entries */
} dk_tile;

/* A pointwise convolution's tiles [t0, t1) over pixels [p0, p1) of one long row (in, res, out point at pixel 0),
 * compiled for one model by the generator (gen.c; io.dafedge.kernels.KernelGenerator): the sparse kernel's result
 * to the bit, with the kept rows' input channels and weights built into the code. */
typedef void (*dk_gen_fn)(const float *in, long p0, long p1, int t0, int t1, const float *res, float *out,
                          const float clamp[4]);

typedef struct dk_conv {
    int isa;
    int in_c, out_c, kh, kw, sh, sw, pt, pl, pb, pr, groups, act;
    /* the epilogue: out = min(max(min(max(conv + bias, clamp[0]), clamp[1]) + res, clamp[2]), clamp[3]); set from
     * act (the first pair open, the second act's bounds) unless dk_conv_set_clamps gives others */
    float clamp[4];
    int depthwise;   /* groups == in_c == out_c: one row of biases, then kh*kw rows of weights, cpad apart */
    int cpad;        /* depthwise: in_c rounded up to whole vectors */
    int ntiles;      /* dense only */
    int sparse;      /* dense only: the tiles keep only their rows that are not all zero (dk_tile.tap, .ic) */
    dk_tile *tiles;
    int *index;      /* sparse only: every tile's tap and ic lists */
    float *packed;   /* 64-byte aligned */
    dk_gen_fn gen;   /* NULL, or the generated code that replaces the sparse pointwise kernel (dk_gen_attach) */
} dk_conv;

/* What an ISA file provides: its vector width (the packing depends on it) and its kernels. */
typedef struct {
    int lanes;
    /* out = act(conv(in) + bias [+ res]); in is h x w x in_c, out and res ho x wo x out_c */
    void (*run)(const dk_conv *cv, const float *in, int h, int w, const float *res, float *out, int threads);
    /* dk_chain_run, for convolutions of this ISA */
    int (*chain)(const dk_conv *e, const dk_conv *d, const dk_conv *p, const float *in, int h, int w,
                 const float *res, float *out, int threads);
    /* dk_qchain_run, for a depthwise convolution of this ISA */
    int (*qchain)(const struct dq_conv *e, const dk_conv *fe, const dk_conv *d, const struct dq_conv *p,
                  const float *in, int h, int w, const float *res, float *out, int threads);
} dk_impl;

extern const dk_impl dk_impl_portable, dk_impl_avx2, dk_impl_avx512;

/* 1x1, stride 1, unpadded, not depthwise: what runs as one long row of pixels. */
static inline int dk_pointwise(const dk_conv *cv)
{
    return !cv->depthwise && cv->kh == 1 && cv->kw == 1 && cv->sh == 1 && cv->sw == 1
           && (cv->pt | cv->pl | cv->pb | cv->pr) == 0;
}

/* Bit i set when ISA i can run on this CPU (and OS). */
int dk_supported_isas(void);

/* NULL when out of memory or when the ISA is not supported; shape values are trusted (checked by the caller).
 * sparse: pack only the weight rows that are not all zero across a tile (pruned weights; see dk_tile). Ignored for
 * a depthwise convolution, which is always packed dense: it is bound by memory, and a per-channel pattern of
 * zeros cannot skip whole vectors. */
dk_conv *dk_conv_create(int isa, const int shape[12], const float *weights, const float *bias, int sparse);
void dk_conv_free(dk_conv *cv);
/* A general epilogue in place of act's: a clamp before the residual add and one after it (infinities for none),
 * as quantisation-aware networks clip every layer's output (MobileNetV2 converted from int8). */
void dk_conv_set_clamps(dk_conv *cv, const float clamp[4]);

/* What the packing kept: weight rows kept and all of them, summed over the tiles (a depthwise convolution counts
 * one row per tap and channel, all kept), and the multiply-accumulates per output pixel of the kept rows over the
 * tiles' valid channels (kh*kw*in_c/groups*out_c when nothing was skipped). */
void dk_conv_rows(const dk_conv *cv, long long *kept, long long *all, long long *macs_per_pixel);
int dk_out_size(int in, int pad0, int pad1, int k, int s);
void dk_conv_run(const dk_conv *cv, const float *in, int h, int w, const float *res, float *out, int threads);

/* Single-precision GFLOP/s of register-only FMA chains on `threads` threads of the pool, best of 5 short rounds:
 * the measured peak the benchmark reports achieved GFLOP/s against. The ISA must be supported. */
double dk_peak_gflops(int isa, int threads);
/* The same for AVX-512 VNNI's vpdpbusd (u8 x s8 into int32), in giga-operations per second (a multiply and an add
 * per product): the INT8 kernel's peak. The CPU must have AVX512_VNNI (dq_supported_paths). */
double dk_peak_int8_gops(int threads);

/*
 * A fused inverted-residual block: e (any convolution that is not depthwise, dense or grouped: MobileNetV2's 1x1
 * expansion, or its first 3x3 stride-2 convolution before the first block; NULL for none), then d (depthwise 3x3,
 * stride 1 or 2, padding 0 or 1 per side), then p (1x1, stride 1, unpadded, residual added in its epilogue), each
 * with its own packing and epilogue, computed over bands of output rows so that e's and d's outputs exist only as
 * a few rows in a per-thread scratch buffer. The result equals, bit for bit, running the three one after the
 * other. in is h x w x (e ? e : d)->in_c, out and res ho x wo x p->out_c with dk_chain_sizes' output size; out
 * must not overlap in (it may be res). dk_chain_check first: 0 when the three chain, else what is wrong. Returns
 * 0, or -1 when a thread's scratch could not be allocated (the output is then incomplete).
 */
const char *dk_chain_check(const dk_conv *e, const dk_conv *d, const dk_conv *p);
int dk_chain_run(const dk_conv *e, const dk_conv *d, const dk_conv *p, const float *in, int h, int w,
                 const float *res, float *out, int threads);

/*
 * The same block with INT8 pointwise convolutions (qconv.h) and the float depthwise d: the block's input rows are
 * quantised with e's input quantisation, e writes float, d's output is quantised with p's, p writes float with the
 * residual and its clamps. Or, instead of e, a float first stage fe as dk_chain_run's e (at most one of the two).
 * Float in and out like dk_chain_run. dk_qchain_check first: 0 when they chain, else what is wrong. Returns 0 or -1
 * as dk_chain_run.
 */
const char *dk_qchain_check(const struct dq_conv *e, const dk_conv *fe, const dk_conv *d, const struct dq_conv *p);
int dk_qchain_run(const struct dq_conv *e, const dk_conv *fe, const dk_conv *d, const struct dq_conv *p,
                  const float *in, int h, int w, const float *res, float *out, int threads);
/* A chain's depthwise input (e's output, or the chain's input when e is NULL) and output sizes for an input of
 * ih x iw. */
void dk_chain_sizes(const dk_conv *e, const dk_conv *d, int ih, int iw, int *h, int *w, int *ho, int *wo);

/* Runs fn(job, t) for t in [0, tasks) on up to `threads` threads (the caller's included), handing tasks out one
 * at a time so a thread slowed by other load on the machine simply takes fewer. */
typedef void (*dk_task_fn)(void *job, int task);
void dk_parallel(int threads, int tasks, dk_task_fn fn, void *job);

/* The calling thread's scratch buffer of at least `floats` floats, 64-byte aligned, or NULL when out of memory. One
 * per thread, kept (and grown when asked for more) for the thread's life, so it stays warm in that core's caches
 * from call to call; its content is not kept when it grows. */
float *dk_scratch(size_t floats);

/*
 * Generated kernels (gen.c). dk_gen_open loads a library the generator built (NULL, with *error set, on failure).
 * dk_gen_attach looks `symbol` up in it and makes cv run that code: 0; -1 when cv is not a sparse pointwise
 * convolution of one group on AVX2 or AVX-512; -2 when the symbol is missing; -3 when the code was generated for
 * another packing (its companion `<symbol>_shape` differs). lib NULL detaches. The caller keeps the library open
 * while any convolution may run its code, and detaches them all before dk_gen_close.
 * dk_gen_index and dk_gen_weights give the generator the packing: the tile count, then per tile out0, width, valid,
 * rows and the kept rows' input channels; and the packed floats (per tile its biases, then its kept rows). With NULL
 * they only return the length.
 */
void *dk_gen_open(const char *path, const char **error);
int dk_gen_attach(dk_conv *cv, void *lib, const char *symbol);
void dk_gen_close(void *lib);
long dk_gen_index(const dk_conv *cv, int *index);
long dk_gen_weights(const dk_conv *cv, float *weights);

#endif
