/* The worker threads behind dk_parallel: started on first need, kept for the life of the process, asleep between
 * calls. One call runs at a time (concurrent callers take turns); a call with one thread never touches the pool.
 *
 * A call does not wait for its helpers to wake up, only for its tasks to finish: on a loaded machine a helper that
 * is not scheduled in time just finds no task left. After a call a helper watches for the next one for SPIN_NS
 * before it sleeps, and a caller waiting for its last tasks watches as long before it sleeps: the network's head
 * makes a dozen calls back to back, and waking a sleeping thread costs tens of microseconds each time. Tasks are claimed from `ticket`, which carries the call's
 * number beside the next task index, so a helper that wakes late cannot claim a task of a later call with the
 * function of an earlier one. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "dk.h"

#define MAX_HELPERS 63

static pthread_mutex_t turn = PTHREAD_MUTEX_INITIALIZER; /* one call at a time */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* guards the call's description below */
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER, finished = PTHREAD_COND_INITIALIZER;
static int started;            /* helper threads running */
static uint32_t call;          /* number of the current call */
static int helpers;            /* helpers taking part in it */
static dk_task_fn call_fn;
static void *call_job;
static int call_tasks;
static _Atomic uint64_t ticket; /* call number << 32 | next task */
static atomic_int pending;      /* tasks of the current call not finished */
static _Atomic uint32_t latest; /* `call`, readable without the lock: what a watching helper looks at */

/* How long a thread watches before it sleeps: long enough to span the gap between back-to-back calls, short enough
 * to give the core back soon on a busy machine. */
#define SPIN_NS 50000

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Until done() or SPIN_NS have passed, with pauses between the looks. */
static void watch(int (*done)(uint32_t), uint32_t arg)
{
    int64_t until = now_ns() + SPIN_NS;
    for (int i = 1; !done(arg); i++) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause(); /* lets the sibling hyperthread run, and saves power while watching */
#endif
        if (i % 64 == 0 && now_ns() > until) return;
    }
}

static int new_call(uint32_t seen) { return atomic_load_explicit(&latest, memory_order_acquire) != seen; }
static int tasks_done(uint32_t unused) { (void)unused; return atomic_load(&pending) == 0; }

/* Claims and runs tasks of call `c` until none are left; the last one to finish wakes the caller. */
static void work(uint32_t c, dk_task_fn fn, void *job, int tasks)
{
    uint64_t t = atomic_load(&ticket);
    while ((uint32_t)(t >> 32) == c && (int)(uint32_t)t < tasks) {
        if (!atomic_compare_exchange_weak(&ticket, &t, t + 1)) continue;
        fn(job, (int)(uint32_t)t);
        if (atomic_fetch_sub(&pending, 1) == 1) {
            pthread_mutex_lock(&lock);
            pthread_cond_signal(&finished);
            pthread_mutex_unlock(&lock);
        }
        t = atomic_load(&ticket);
    }
}

static void *helper(void *arg)
{
    int id = (int)(intptr_t)arg;
    pthread_mutex_lock(&lock);
    uint32_t seen = call - 1; /* started by the call it is to help with */
    for (;;) {
        while (call == seen) pthread_cond_wait(&wake, &lock);
        seen = call;
        if (id >= helpers) continue;
        dk_task_fn fn = call_fn;
        void *job = call_job;
        int tasks = call_tasks;
        pthread_mutex_unlock(&lock);
        work(seen, fn, job, tasks);
        watch(new_call, seen);
        pthread_mutex_lock(&lock);
    }
    return NULL;
}

void dk_parallel(int threads, int tasks, dk_task_fn fn, void *job)
{
    if (threads <= 1 || tasks <= 1) {
        for (int t = 0; t < tasks; t++) fn(job, t);
        return;
    }
    pthread_mutex_lock(&turn);
    pthread_mutex_lock(&lock);
    int want = threads - 1 < MAX_HELPERS ? threads - 1 : MAX_HELPERS;
    call++;
    while (started < want) {
        pthread_t thread;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attr, helper, (void *)(intptr_t)started);
        pthread_attr_destroy(&attr);
        if (failed) break; /* fewer threads: the tasks still all run */
        started++;
    }
    helpers = want < started ? want : started;
    call_fn = fn;
    call_job = job;
    call_tasks = tasks;
    atomic_store(&pending, tasks);
    atomic_store(&ticket, (uint64_t)call << 32);
    atomic_store_explicit(&latest, call, memory_order_release);
    uint32_t c = call;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);

    work(c, fn, job, tasks);
    watch(tasks_done, 0);

    pthread_mutex_lock(&lock);
    while (atomic_load(&pending) > 0) pthread_cond_wait(&finished, &lock);
    pthread_mutex_unlock(&lock);
    pthread_mutex_unlock(&turn);
}

/* ---- per-thread scratch (dk_scratch) ---- */

typedef struct {
    size_t floats;
    float *data;
} scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *arg)
{
    scratch *s = arg;
    free(s->data);
    free(s);
}

static void scratch_init(void) { pthread_key_create(&scratch_key, scratch_free); }

float *dk_scratch(size_t floats)
{
    pthread_once(&scratch_once, scratch_init);
    scratch *s = pthread_getspecific(scratch_key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s || pthread_setspecific(scratch_key, s) != 0) {
            free(s);
            return NULL;
        }
    }
    if (s->floats < floats) {
        free(s->data);
        size_t bytes = (floats * sizeof(float) + 63) / 64 * 64;
        s->data = aligned_alloc(64, bytes);
        s->floats = s->data ? floats : 0;
    }
    return s->data;
}
