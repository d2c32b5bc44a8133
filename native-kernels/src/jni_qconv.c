/* JNI binding of io.dafedge.kernels.QuantConv1x1 (qconv.h). The Java side checks every argument first; the checks
 * here only keep a wrong call from writing out of bounds. */
#include <jni.h>
#include <stdint.h>

#include "dk.h"
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
                                                                     jint in_zero, jfloat lo, jfloat hi,
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
                      ? dq_conv_create(path, in_c, out_c, (const int8_t *)w, s, b, in_zero, lo, hi, out_inv_scale,
                                       out_zero)
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

/* out: int[], float[] or byte[] as kind says (DQ_OUT_*), pixels x out_c. Arrays pinned, not copied. Returns 0, -1
 * when a length does not fit, -2 when the JVM could not pin an array. */
JNIEXPORT jint JNICALL Java_io_dafedge_kernels_QuantConv1x1_nRun(JNIEnv *env, jclass cls, jlong handle,
                                                                 jbyteArray in, jint pixels, jint kind, jarray out,
                                                                 jint threads)
{
    (void)cls;
    const dq_conv *cv = (const dq_conv *)(intptr_t)handle;
    if (pixels < 1 || kind < DQ_OUT_INT32 || kind > DQ_OUT_UINT8
        || (*env)->GetArrayLength(env, in) != (jlong)pixels * cv->in_c
        || (*env)->GetArrayLength(env, out) != (jlong)pixels * cv->out_c) {
        return -1;
    }
    jint status = -2;
    void *po = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    uint8_t *pi = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    if (po && pi) {
        dq_conv_run(cv, pi, pixels, kind, po, threads);
        status = 0;
    }
    if (pi) (*env)->ReleasePrimitiveArrayCritical(env, in, pi, JNI_ABORT);
    if (po) (*env)->ReleasePrimitiveArrayCritical(env, out, po, 0);
    return status;
}

JNIEXPORT jdouble JNICALL Java_io_dafedge_kernels_QuantConv1x1_nPeakGops(JNIEnv *env, jclass cls, jint threads)
{
    (void)env;
    (void)cls;
    return dk_peak_int8_gops(threads);
}
