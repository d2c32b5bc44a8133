/* JNI binding of io.dafedge.kernels.QuantConv1x1 (qconv.h). The Java side checks every argument first; the checks
 * here only keep a wrong call from writing out of bounds. */
#include <jni.h>
#include <stdint.h>

#include "dk.h"
#include "jni_pin.h"
#include "qconv.h"

JNIEXPORT jint JNICALL Java_io_dafedge_kernels_QuantConv1x1_nSupportedPaths(JNIEnv *env, jclass cls)
{
    (void)env;
    (void)cls;
    return dq_supported_paths();
}

JNIEXPORT jlong JNICALL Java_io_dafedge_kernels_QuantConv1x1_nCreate(JNIEnv *env, jclass cls, jint path, jint in_c,
                                                                     jint out_c, jbyteArray weights,
                                                                     jfloatArray scale, jfloatArray bias,
                                                                     jfloat in_inv_scale, jint in_zero, jfloat lo,
                                                                     jfloat hi, jfloat rlo, jfloat rhi,
                                                                     jfloat out_inv_scale, jint out_zero)
{
    (void)cls;
    if ((*env)->GetArrayLength(env, weights) != (jsize)in_c * out_c || (*env)->GetArrayLength(env, scale) != out_c
        || (bias && (*env)->GetArrayLength(env, bias) != out_c)) {
        return 0;
    }
    jbyte *w = (*env)->GetByteArrayElements(env, weights, NULL);
    jfloat *s = (*env)->GetFloatArrayElements(env, scale, NULL);
    jfloat *b = bias ? (*env)->GetFloatArrayElements(env, bias, NULL) : NULL;
    dq_conv *cv = w && s && (b || !bias)
                      ? dq_conv_create(path, in_c, out_c, (const int8_t *)w, s, b, in_inv_scale, in_zero, lo, hi,
                                       rlo, rhi, out_inv_scale, out_zero)
                      : NULL;
    if (b) (*env)->ReleaseFloatArrayElements(env, bias, b, JNI_ABORT);
    if (s) (*env)->ReleaseFloatArrayElements(env, scale, s, JNI_ABORT);
    if (w) (*env)->ReleaseByteArrayElements(env, weights, w, JNI_ABORT);
    return (jlong)(intptr_t)cv;
}

JNIEXPORT void JNICALL Java_io_dafedge_kernels_QuantConv1x1_nFree(JNIEnv *env, jclass cls, jlong handle)
{
    (void)env;
    (void)cls;
    dq_conv_free((dq_conv *)(intptr_t)handle);
}

/* out: int[], float[] or byte[] as kind says (DQ_OUT_*), pixels x out_c; res: float[] like a float out, or NULL.
 * Arrays pinned, not copied. Returns 0, -1 when a length does not fit, -2 when the JVM could not pin an array. */
JNIEXPORT jint JNICALL Java_io_dafedge_kernels_QuantConv1x1_nRun(JNIEnv *env, jclass cls, jlong handle,
                                                                 jbyteArray in, jint pixels, jfloatArray res,
                                                                 jint kind, jarray out, jint threads)
{
    (void)cls;
    const dq_conv *cv = (const dq_conv *)(intptr_t)handle;
    if (pixels < 1 || kind < DQ_OUT_INT32 || kind > DQ_OUT_UINT8 || (res && kind != DQ_OUT_FLOAT)
        || (*env)->GetArrayLength(env, in) != (jlong)pixels * cv->in_c
        || (*env)->GetArrayLength(env, out) != (jlong)pixels * cv->out_c
        || (res && (*env)->GetArrayLength(env, res) != (jlong)pixels * cv->out_c)) {
        return -1;
    }
    jint status = -2;
    dk_pinned pin;
    if (dk_pin(env, in, res, out, &pin)) {
        dq_conv_run(cv, pin.in, pixels, pin.res, kind, pin.out, threads);
        status = 0;
    }
    dk_unpin(env, in, res, out, &pin);
    return status;
}

JNIEXPORT jdouble JNICALL Java_io_dafedge_kernels_QuantConv1x1_nPeakGops(JNIEnv *env, jclass cls, jint threads)
{
    (void)env;
    (void)cls;
    return dk_peak_int8_gops(threads);
}

/* A fused block with INT8 pointwise convolutions (dk_qchain_run): expand (INT8) or first (float) or neither, 0 for
 * none. Returns as runChain (jni.c): 0, -1 when a length does not fit, -2 when an array could not be pinned, -3
 * when they do not chain, -4 when a thread's scratch could not be allocated. */
JNIEXPORT jint JNICALL Java_io_dafedge_kernels_NativeKernels_runQuantChain(JNIEnv *env, jclass cls, jlong expand,
                                                                           jlong first, jlong depthwise,
                                                                           jlong project, jfloatArray in, jint h,
                                                                           jint w, jfloatArray res,
                                                                           jfloatArray out, jint threads)
{
    (void)cls;
    const dq_conv *e = (const dq_conv *)(intptr_t)expand, *p = (const dq_conv *)(intptr_t)project;
    const dk_conv *fe = (const dk_conv *)(intptr_t)first, *d = (const dk_conv *)(intptr_t)depthwise;
    if (dk_qchain_check(e, fe, d, p)) return -3;
    int dh, dw, ho, wo;
    dk_chain_sizes(fe, d, h, w, &dh, &dw, &ho, &wo);
    long out_len = (long)ho * wo * p->out_c;
    if (h < 1 || w < 1 || dh < 1 || dw < 1 || ho < 1 || wo < 1
        || (*env)->GetArrayLength(env, in) != (long)h * w * (e ? e->in_c : fe ? fe->in_c : d->in_c)
        || (*env)->GetArrayLength(env, out) != out_len || (res && (*env)->GetArrayLength(env, res) != out_len)) {
        return -1;
    }
    jint status = -2;
    dk_pinned pin;
    if (dk_pin(env, in, res, out, &pin)) {
        status = dk_qchain_run(e, fe, d, p, pin.in, h, w, pin.res, pin.out, threads) == 0 ? 0 : -4;
    }
    dk_unpin(env, in, res, out, &pin);
    return status;
}
