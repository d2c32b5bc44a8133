/* daf-edge kernels: what the ISA-independent code (packing, dispatch, threads, JNI) shares with the per-ISA
 * kernels. Tensors are HWC (batch 1, channels innermost), float32. */
#ifndef DK_H
#define DK_H

#include <stddef.h>

enum dk_isa { DK_PORTABLE = 0, DK_AVX2 = 1, DK_AVX512 = 2, DK_ISAS = 3 };
enum dk_act { DK_NONE = 0, DK_RELU = 1, DK_RELU6 = 2 };

/* Output channels of one group computed together by the dense kernel: a register block holds `width` channels
 * (one or two vectors), of which `valid` are real and the rest are zero padding of the packed weights. */
typedef struct {
    int in0;        /* first input channel of the tile's group */
    int out0;       /* first output channel of the tile */
    int width;      /* V or 2V */
    int valid;      /* 1..width */
    size_t packed;  /* offset in floats of the tile's block: width biases, then kh*kw*icg rows of width weights */
} dk_tile;

typedef struct dk_conv {
    int isa;
    int in_c, out_c, kh, kw, sh, sw, pt, pl, pb, pr, groups, act;
    int depthwise;   /* groups == in_c == out_c: one row of biases, then kh*kw rows of weights, cpad apart */
    int cpad;        /* depthwise: in_c rounded up to whole vectors */
    int ntiles;      /* dense only */
    dk_tile *tiles;
    float *packed;   /* 64-byte aligned */
} dk_conv;

/* What an ISA file provides: its vector width (the packing depends on it) and its kernels. */
typedef struct {
    int lanes;
    /* out = act(conv(in) + bias [+ res]); in is h x w x in_c, out and res ho x wo x out_c */
    void (*run)(const dk_conv *cv, const float *in, int h, int w, const float *res, float *out, int threads);
} dk_impl;

extern const dk_impl dk_impl_portable, dk_impl_avx2, dk_impl_avx512;

/* Bit i set when ISA i can run on this CPU (and OS). */
int dk_supported_isas(void);

/* NULL when out of memory or when the ISA is not supported; shape values are trusted (checked by the caller). */
dk_conv *dk_conv_create(int isa, const int shape[12], const float *weights, const float *bias);
void dk_conv_free(dk_conv *cv);
int dk_out_size(int in, int pad0, int pad1, int k, int s);
void dk_conv_run(const dk_conv *cv, const float *in, int h, int w, const float *res, float *out, int threads);

/* Runs fn(job, t) for t in [0, tasks) on up to `threads` threads (the caller's included), handing tasks out one
 * at a time so a thread slowed by other load on the machine simply takes fewer. */
typedef void (*dk_task_fn)(void *job, int task);
void dk_parallel(int threads, int tasks, dk_task_fn fn, void *job);

#endif
