/* The CPU's measured peak of single-precision FMA throughput, for the benchmark's "share of peak": a frequency from
 * /proc/cpuinfo is the nominal one in a VM and misses boost clocks, so the figure is measured instead. Each ISA's
 * probe runs 16 independent FMA chains (enough to cover latency x pipes on current x86 cores) in registers. */
#include <immintrin.h>
#include <time.h>

#include "dk.h"

#define CHAINS 16

__attribute__((target("avx512f"))) static void probe_avx512(long n, float *sink)
{
    __m512 a[CHAINS], m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
    for (int i = 0; i < CHAINS; i++) a[i] = _mm512_set1_ps((float)i);
    for (long k = 0; k < n; k++) {
        for (int i = 0; i < CHAINS; i++) a[i] = _mm512_fmadd_ps(a[i], m, c);
    }
    for (int i = 1; i < CHAINS; i++) a[0] = _mm512_add_ps(a[0], a[i]);
    *sink += _mm512_reduce_add_ps(a[0]);
}

__attribute__((target("avx2,fma"))) static void probe_avx2(long n, float *sink)
{
    __m256 a[CHAINS], m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
    for (int i = 0; i < CHAINS; i++) a[i] = _mm256_set1_ps((float)i);
    for (long k = 0; k < n; k++) {
        for (int i = 0; i < CHAINS; i++) a[i] = _mm256_fmadd_ps(a[i], m, c);
    }
    float out[8];
    for (int i = 1; i < CHAINS; i++) a[0] = _mm256_add_ps(a[0], a[i]);
    _mm256_storeu_ps(out, a[0]);
    *sink += out[0];
}

/* vpdpbusd chains: 64 multiply-adds of u8 x s8 per instruction and lane group, the INT8 pointwise kernel's work */
__attribute__((target("avx512f,avx512vnni"))) static void probe_vnni(long n, float *sink)
{
    __m512i a[CHAINS], x = _mm512_set1_epi32(0x01010101), w = _mm512_set1_epi32(0x01ff01ff);
    for (int i = 0; i < CHAINS; i++) a[i] = _mm512_set1_epi32(i);
    for (long k = 0; k < n; k++) {
        for (int i = 0; i < CHAINS; i++) a[i] = _mm512_dpbusd_epi32(a[i], x, w);
    }
    for (int i = 1; i < CHAINS; i++) a[0] = _mm512_add_epi32(a[0], a[i]);
    *sink += (float)_mm512_reduce_add_epi32(a[0]);
}

/* The portable kernels have no FMA: a multiply and an add count as the two FLOP of one. */
static void probe_portable(long n, float *sink)
{
    __m128 a[CHAINS], m = _mm_set1_ps(0.999999f), c = _mm_set1_ps(1e-7f);
    for (int i = 0; i < CHAINS; i++) a[i] = _mm_set1_ps((float)i);
    for (long k = 0; k < n; k++) {
        for (int i = 0; i < CHAINS; i++) a[i] = _mm_add_ps(_mm_mul_ps(a[i], m), c);
    }
    float out[4];
    for (int i = 1; i < CHAINS; i++) a[0] = _mm_add_ps(a[0], a[i]);
    _mm_storeu_ps(out, a[0]);
    *sink += out[0];
}

/* probe_task's code for the VNNI probe, beside the dk_isa values */
#define PROBE_VNNI DK_ISAS

typedef struct {
    int isa;
    long n;
    volatile float sink;
} probe_job;

static void probe_task(void *arg, int task)
{
    (void)task;
    probe_job *j = arg;
    float s = 0;
    if (j->isa == PROBE_VNNI) probe_vnni(j->n, &s);
    else if (j->isa == DK_AVX512) probe_avx512(j->n, &s);
    else if (j->isa == DK_AVX2) probe_avx2(j->n, &s);
    else probe_portable(j->n, &s);
    j->sink += s;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Best of 5 rounds of the probe on `threads` threads, in giga-operations per second, `ops` per instruction. */
static double best_rate(int probe, int threads, double ops)
{
    probe_job j = {probe, 200000, 0};
    int tasks = 4 * threads;
    double best = 0;
    for (int round = 0; round < 5; round++) {
        double t0 = now();
        dk_parallel(threads, tasks, probe_task, &j);
        double t = now() - t0;
        double rate = (double)tasks * j.n * CHAINS * ops / t / 1e9;
        if (rate > best) best = rate;
    }
    return best;
}

double dk_peak_gflops(int isa, int threads)
{
    static const int lanes[DK_ISAS] = {4, 8, 16};
    return best_rate(isa, threads, lanes[isa] * 2.0);
}

double dk_peak_int8_gops(int threads)
{
    return best_rate(PROBE_VNNI, threads, 64 * 2.0); /* 16 lanes x 4 products, a multiply and an add each */
}
