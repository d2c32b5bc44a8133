/* JNI binding of io.dafedge.kernels.Ops. As in jni.c: Java checks every argument first and the checks here only
 * keep a wrong call from reading or writing out of bounds; arrays are pinned for the call, not copied.
 * Each returns 0, -1 when a length or size does not fit, -2 when the JVM could not pin an array, -3 when the
 * kernel had no memory for its scratch buffers. */
#include <jni.h>
#include <math.h>
#include <stdint.h>

#include "ops.h"

#define UNUSED (void)cls

static int fits(JNIEnv *env, jfloatArray a, long need) { return a && need >= 0 && (*env)->GetArrayLength(env, a) >= need; }

static float *pin(JNIEnv *env, jfloatArray a) { return (*env)->GetPrimitiveArrayCritical(env, a, NULL); }

static void unpin(JNIEnv *env, jfloatArray a, float *p, int written)
{
    if (p) (*env)->ReleasePrimitiveArrayCritical(env, a, p, written ? 0 : JNI_ABORT);
}

/* fn(in, out) with both pinned; the output is pinned first, as in jni.c */
#define WITH_IN_OUT(in, out, call)                                                                                \
    do {                                                                                                          \
        jint status = -2;                                                                                         \
        float *po = pin(env, out), *pi = pin(env, in);                                                            \
        if (po && pi) status = (call);                                                                            \
        unpin(env, in, pi, 0);                                                                                    \
        unpin(env, out, po, 1);                                                                                   \
        return status;                                                                                            \
    } while (0)

static jint done(void) { return 0; }

JNIEXPORT jint JNICALL Java_io_dafedge_kernels_Ops_nDiscrepancy(JNIEnv *env, jclass cls, jint isa, jfloatArray s,
                                                                 jfloatArray t, jint h, jint w, jint c,
                                                                 jint scaling, jfloatArray out, jint threads)
{
    UNUSED;
    long n = (long)h * w * c;
    if (h < 6 || w < 6 || c < 1 || !fits(env, s, n) || !fits(env, t, n) || !fits(env, out, n)) return -1;
    jint status = -2;
    float *po = pin(env, out), *ps = pin(env, s), *pt = pin(env, t);
    if (po && ps && pt) status = dk_discrepancy(isa, ps, pt, h, w, c, scaling, po, threads);
    unpin(env, t, pt, 0);
    unpin(env, s, ps, 0);
    unpin(env, out, po, 1);
    return status;
}

JNIEXPORT jint JNICALL Java_io_dafedge_kernels_Ops_nChannelMean(JNIEnv *env, jclass cls, jfloatArray x, jint pixels,
                                                                 jint c, jfloatArray plane)
{
    UNUSED;
    if (pixels < 1 || c < 1 || !fits(env, x, (long)pixels * c) || !fits(env, plane, pixels)) return -1;
    WITH_IN_OUT(x, plane, (dk_channel_mean(pi, pixels, c, po), done()));
}

JNIEXPORT jint JNICALL Java_io_dafedge_kernels_Ops_nFuseNearest(JNIEnv *env, jclass cls, jfloatArray src, jint h,
                                                                 jint w, jint c, jint factor, jfloatArray dst,
                                                                 jint dc, jboolean accumulate)
{
    UNUSED;
    if (h < 1 || w < 1 || c < 1 || factor < 1 || dc < 1 || !fits(env, src, (long)h * w * c)
        || !fits(env, dst, (long)h * factor * w * factor * dc)) {
        return -1;
    }
    WITH_IN_OUT(src, dst, (dk_fuse_nearest(pi, h, w, c, factor, po, dc, accumulate == JNI_TRUE), done()));
}

JNIEXPORT jint JNICALL Java_io_dafedge_kernels_Ops_nResizeBilinear(JNIEnv *env, jclass cls, jint isa,
                                                                    jfloatArray src, jint h, jint w, jint c, jint oh,
                                                                    jint ow, jfloatArray dst, jint dc, jint off,
                                                                    jint threads)
{
    UNUSED;
    if (h < 1 || w < 1 || c < 1 || oh < 1 || ow < 1 || off < 0 || off + c > dc || !fits(env, src, (long)h * w * c)
        || !fits(env, dst, (long)oh * ow * dc)) {
        return -1;
    }
    WITH_IN_OUT(src, dst, dk_resize_bilinear(isa, pi, h, w, c, oh, ow, po, dc, off, threads));
}

JNIEXPORT jint JNICALL Java_io_dafedge_kernels_Ops_nCopyChannels(JNIEnv *env, jclass cls, jfloatArray src,
                                                                  jint pixels, jint c, jfloatArray dst, jint dc,
                                                                  jint off)
{
    UNUSED;
    if (pixels < 1 || c < 1 || off < 0 || off + c > dc || !fits(env, src, (long)pixels * c)
        || !fits(env, dst, (long)pixels * dc)) {
        return -1;
    }
    WITH_IN_OUT(src, dst, (dk_copy_channels(pi, pixels, c, po, dc, off), done()));
}

JNIEXPORT jint JNICALL Java_io_dafedge_kernels_Ops_nDepthToSpace(JNIEnv *env, jclass cls, jfloatArray src, jint h,
                                                                  jint w, jint c4, jfloatArray dst)
{
    UNUSED;
    long n = (long)h * w * c4;
    if (h < 1 || w < 1 || c4 < 4 || c4 % 4 != 0 || !fits(env, src, n) || !fits(env, dst, n)) return -1;
    WITH_IN_OUT(src, dst, (dk_depth_to_space(pi, h, w, c4, po), done()));
}

JNIEXPORT jint JNICALL Java_io_dafedge_kernels_Ops_nSigmoid(JNIEnv *env, jclass cls, jint isa, jfloatArray x, jint n)
{
    UNUSED;
    if (n < 0 || !fits(env, x, n)) return -1;
    float *p = pin(env, x);
    if (!p) return -2;
    dk_sigmoid(isa, p, n);
    unpin(env, x, p, 1);
    return 0;
}

JNIEXPORT jint JNICALL Java_io_dafedge_kernels_Ops_nRelu(JNIEnv *env, jclass cls, jfloatArray x, jint n)
{
    UNUSED;
    if (n < 0 || !fits(env, x, n)) return -1;
    float *p = pin(env, x);
    if (!p) return -2;
    dk_relu(p, n);
    unpin(env, x, p, 1);
    return 0;
}

JNIEXPORT jint JNICALL Java_io_dafedge_kernels_Ops_nGaussianBlur(JNIEnv *env, jclass cls, jint isa, jfloatArray in,
                                                                  jint w, jint h, jdouble sigma, jfloatArray out,
                                                                  jint threads)
{
    UNUSED;
    if (w < 1 || h < 1 || !(sigma > 0 && sigma <= 1e4) || !fits(env, in, (long)w * h)
        || !fits(env, out, (long)w * h)) {
        return -1;
    }
    WITH_IN_OUT(in, out, dk_gaussian_blur(isa, pi, w, h, sigma, po, threads));
}

/* The mean, or an IllegalStateException when the array cannot be used (Java has checked it can, so only a JVM
 * that cannot pin it gets here): a NaN would read as a score. */
JNIEXPORT jfloat JNICALL Java_io_dafedge_kernels_Ops_nTopKMean(JNIEnv *env, jclass cls, jfloatArray x, jint n,
                                                                jint k)
{
    UNUSED;
    float *p = n >= 1 && k >= 1 && fits(env, x, n) ? pin(env, x) : NULL;
    if (!p) {
        jclass ise = (*env)->FindClass(env, "java/lang/IllegalStateException");
        if (ise) (*env)->ThrowNew(env, ise, "top-k mean: the JVM could not pin the array");
        return NAN;
    }
    float mean = dk_top_k_mean(p, n, k);
    unpin(env, x, p, 0);
    return mean;
}
