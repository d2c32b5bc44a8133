/* JNI binding of io.dafedge.kernels.NativeKernels. The Java side checks every shape and length before calling;
 * the checks here only keep a wrong call from writing out of bounds (it returns an error code instead). */
#include <jni.h>
#include <stdint.h>

#include "dk.h"
#include "jni_pin.h"

JNIEXPORT jint JNICALL Java_io_dafedge_kernels_NativeKernels_supportedIsas(JNIEnv *env, jclass cls)
{
    (void)env;
    (void)cls;
    return dk_supported_isas();
}

JNIEXPORT jlong JNICALL Java_io_dafedge_kernels_NativeKernels_create(JNIEnv *env, jclass cls, jint isa,
                                                                     jintArray shape, jfloatArray weights,
                                                                     jfloatArray bias, jboolean sparse,
                                                                     jfloatArray clamps)
{
    (void)cls;
    jint s[12];
    if ((*env)->GetArrayLength(env, shape) != 12) return 0;
    (*env)->GetIntArrayRegion(env, shape, 0, 12, s);
    jfloat *w = (*env)->GetFloatArrayElements(env, weights, NULL);
    jfloat *b = bias ? (*env)->GetFloatArrayElements(env, bias, NULL) : NULL;
    dk_conv *cv = w && (b || !bias) ? dk_conv_create(isa, s, w, b, sparse == JNI_TRUE) : NULL;
    if (cv && clamps) {
        jfloat c[4];
        (*env)->GetFloatArrayRegion(env, clamps, 0, 4, c);
        dk_conv_set_clamps(cv, c);
    }
    if (b) (*env)->ReleaseFloatArrayElements(env, bias, b, JNI_ABORT);
    if (w) (*env)->ReleaseFloatArrayElements(env, weights, w, JNI_ABORT);
    return (jlong)(intptr_t)cv;
}

JNIEXPORT void JNICALL Java_io_dafedge_kernels_NativeKernels_free(JNIEnv *env, jclass cls, jlong handle)
{
    (void)env;
    (void)cls;
    dk_conv_free((dk_conv *)(intptr_t)handle);
}

/* rows[0..2]: weight rows kept, all weight rows, multiply-accumulates per output pixel (dk_conv_rows). */
JNIEXPORT void JNICALL Java_io_dafedge_kernels_NativeKernels_rows(JNIEnv *env, jclass cls, jlong handle,
                                                                 jlongArray rows)
{
    (void)cls;
    long long v[3];
    dk_conv_rows((const dk_conv *)(intptr_t)handle, &v[0], &v[1], &v[2]);
    jlong j[3] = {v[0], v[1], v[2]};
    if ((*env)->GetArrayLength(env, rows) == 3) (*env)->SetLongArrayRegion(env, rows, 0, 3, j);
}

/* The arrays are pinned, not copied, for the call (the kernels make no JNI calls meanwhile): a copy in and out
 * would cost as much as a depthwise convolution itself. Returns 0, or -1 when a length does not fit the shape,
 * -2 when the JVM could not pin an array. */
JNIEXPORT jint JNICALL Java_io_dafedge_kernels_NativeKernels_run(JNIEnv *env, jclass cls, jlong handle,
                                                                 jfloatArray in, jint h, jint w, jfloatArray res,
                                                                 jfloatArray out, jint threads)
{
    (void)cls;
    const dk_conv *cv = (const dk_conv *)(intptr_t)handle;
    long ho = dk_out_size(h, cv->pt, cv->pb, cv->kh, cv->sh), wo = dk_out_size(w, cv->pl, cv->pr, cv->kw, cv->sw);
    long out_len = ho * wo * cv->out_c;
    if (h < 1 || w < 1 || ho < 1 || wo < 1 || (*env)->GetArrayLength(env, in) != (long)h * w * cv->in_c
        || (*env)->GetArrayLength(env, out) != out_len || (res && (*env)->GetArrayLength(env, res) != out_len)) {
        return -1;
    }
    jint status = -2;
    dk_pinned pin;
    if (dk_pin(env, in, res, out, &pin)) {
        dk_conv_run(cv, pin.in, h, w, pin.res, pin.out, threads);
        status = 0;
    }
    dk_unpin(env, in, res, out, &pin);
    return status;
}

JNIEXPORT jdouble JNICALL Java_io_dafedge_kernels_NativeKernels_peakGflops(JNIEnv *env, jclass cls, jint isa,
                                                                         jint threads)
{
    (void)env;
    (void)cls;
    return dk_peak_gflops(isa, threads);
}

/* A fused block (dk_chain_run) of three convolutions created above, expand 0 for none. Returns 0, -1 when a length
 * does not fit the shapes, -2 when the JVM could not pin an array, -3 when the three do not chain (the Java side
 * checks first), -4 when a thread's scratch buffer could not be allocated. */
JNIEXPORT jint JNICALL Java_io_dafedge_kernels_NativeKernels_runChain(JNIEnv *env, jclass cls, jlong expand,
                                                                      jlong depthwise, jlong project,
                                                                      jfloatArray in, jint h, jint w,
                                                                      jfloatArray res, jfloatArray out, jint threads)
{
    (void)cls;
    const dk_conv *e = (const dk_conv *)(intptr_t)expand, *d = (const dk_conv *)(intptr_t)depthwise,
                  *p = (const dk_conv *)(intptr_t)project;
    if (dk_chain_check(e, d, p)) return -3;
    int dh, dw, ho, wo;
    dk_chain_sizes(e, d, h, w, &dh, &dw, &ho, &wo);
    long out_len = (long)ho * wo * p->out_c;
    if (h < 1 || w < 1 || dh < 1 || dw < 1 || ho < 1 || wo < 1 || (*env)->GetArrayLength(env, in) != (long)h * w * (e ? e : d)->in_c
        || (*env)->GetArrayLength(env, out) != out_len || (res && (*env)->GetArrayLength(env, res) != out_len)) {
        return -1;
    }
    jint status = -2;
    dk_pinned pin;
    if (dk_pin(env, in, res, out, &pin)) {
        status = dk_chain_run(e, d, p, pin.in, h, w, pin.res, pin.out, threads) == 0 ? 0 : -4;
    }
    dk_unpin(env, in, res, out, &pin);
    return status;
}

/* ---- generated kernels (gen.c) ---- */

/* The library's handle, or 0 with dlerror's message in error[0]. */
JNIEXPORT jlong JNICALL Java_io_dafedge_kernels_NativeKernels_openGenerated(JNIEnv *env, jclass cls, jstring path,
                                                                            jobjectArray error)
{
    (void)cls;
    const char *p = (*env)->GetStringUTFChars(env, path, NULL);
    if (!p) return 0;
    const char *why = "dlopen failed";
    void *lib = dk_gen_open(p, &why);
    (*env)->ReleaseStringUTFChars(env, path, p);
    if (!lib) {
        jstring message = (*env)->NewStringUTF(env, why ? why : "dlopen failed");
        if (message) (*env)->SetObjectArrayElement(env, error, 0, message);
    }
    return (jlong)(intptr_t)lib;
}

/* dk_gen_attach; lib 0 detaches. -4 when the symbol's name could not be read. */
JNIEXPORT jint JNICALL Java_io_dafedge_kernels_NativeKernels_attachGenerated(JNIEnv *env, jclass cls, jlong handle,
                                                                             jlong lib, jstring symbol)
{
    (void)cls;
    dk_conv *cv = (dk_conv *)(intptr_t)handle;
    if (!lib) return dk_gen_attach(cv, NULL, NULL);
    const char *s = (*env)->GetStringUTFChars(env, symbol, NULL);
    if (!s) return -4;
    int status = dk_gen_attach(cv, (void *)(intptr_t)lib, s);
    (*env)->ReleaseStringUTFChars(env, symbol, s);
    return status;
}

JNIEXPORT void JNICALL Java_io_dafedge_kernels_NativeKernels_closeGenerated(JNIEnv *env, jclass cls, jlong lib)
{
    (void)env;
    (void)cls;
    dk_gen_close((void *)(intptr_t)lib);
}

/* dk_gen_index as a new array (null when out of memory). */
JNIEXPORT jintArray JNICALL Java_io_dafedge_kernels_NativeKernels_packedTiles(JNIEnv *env, jclass cls, jlong handle)
{
    (void)cls;
    const dk_conv *cv = (const dk_conv *)(intptr_t)handle;
    long n = dk_gen_index(cv, NULL);
    jintArray a = (*env)->NewIntArray(env, (jsize)n);
    if (!a) return NULL;
    jint *p = (*env)->GetIntArrayElements(env, a, NULL);
    if (!p) return NULL;
    dk_gen_index(cv, (int *)p);
    (*env)->ReleaseIntArrayElements(env, a, p, 0);
    return a;
}

/* dk_gen_weights as a new array (null when out of memory). */
JNIEXPORT jfloatArray JNICALL Java_io_dafedge_kernels_NativeKernels_packedWeights(JNIEnv *env, jclass cls,
                                                                                 jlong handle)
{
    (void)cls;
    const dk_conv *cv = (const dk_conv *)(intptr_t)handle;
    long n = dk_gen_weights(cv, NULL);
    jfloatArray a = (*env)->NewFloatArray(env, (jsize)n);
    if (!a) return NULL;
    jfloat *p = (*env)->GetFloatArrayElements(env, a, NULL);
    if (!p) return NULL;
    dk_gen_weights(cv, (float *)p);
    (*env)->ReleaseFloatArrayElements(env, a, p, 0);
    return a;
}
