/* The arrays of one JNI call pinned for its duration (GetPrimitiveArrayCritical: no copy, the garbage collector
 * waits until they are released): input, output and an optional residual. */
#ifndef DK_JNI_PIN_H
#define DK_JNI_PIN_H

#include <jni.h>

typedef struct {
    void *in, *out;
    float *res;
} dk_pinned;

/* 1 when every array given is pinned; call dk_unpin afterwards in any case. */
static inline int dk_pin(JNIEnv *env, jarray in, jfloatArray res, jarray out, dk_pinned *p)
{
    p->out = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    p->in = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    p->res = res ? (*env)->GetPrimitiveArrayCritical(env, res, NULL) : NULL;
    return p->out && p->in && (p->res || !res);
}

/* In reverse order; only the output is written back. */
static inline void dk_unpin(JNIEnv *env, jarray in, jfloatArray res, jarray out, const dk_pinned *p)
{
    if (p->res) (*env)->ReleasePrimitiveArrayCritical(env, res, p->res, JNI_ABORT);
    if (p->in) (*env)->ReleasePrimitiveArrayCritical(env, in, p->in, JNI_ABORT);
    if (p->out) (*env)->ReleasePrimitiveArrayCritical(env, out, p->out, 0);
}

#endif
