/* Generated kernels: loading the library io.dafedge.kernels.KernelGenerator built for one model, attaching its
 * functions to the convolutions they were generated for, and handing the generator the packing to generate from.
 * Compiled for the baseline ISA: the generated code is entered only through dk_conv.gen, on a convolution of the
 * ISA it was generated for. */
#include <dlfcn.h>
#include <string.h>

#include "dk.h"

void *dk_gen_open(const char *path, const char **error)
{
    /* RTLD_NOW: a missing symbol fails here, not in the middle of a run; RTLD_LOCAL: two models' libraries may
     * use the same names */
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) *error = dlerror();
    return lib;
}

static long kept_rows(const dk_conv *cv)
{
    long rows = 0;
    for (int t = 0; t < cv->ntiles; t++) rows += cv->tiles[t].rows;
    return rows;
}

int dk_gen_attach(dk_conv *cv, void *lib, const char *symbol)
{
    if (!lib) {
        cv->gen = NULL;
        return 0;
    }
    if (cv->isa == DK_PORTABLE || !cv->sparse || !dk_pointwise(cv) || cv->groups != 1) return -1;
    dk_gen_fn fn = (dk_gen_fn)dlsym(lib, symbol);
    char name[256];
    if (!fn || strlen(symbol) + sizeof "_shape" > sizeof name) return -2;
    strcpy(name, symbol);
    strcat(name, "_shape");
    /* what the code was generated for: a stale or foreign library would compute another layer */
    const long *shape = dlsym(lib, name);
    if (!shape || shape[0] != cv->isa || shape[1] != cv->in_c || shape[2] != cv->out_c || shape[3] != cv->ntiles
        || shape[4] != kept_rows(cv)) {
        return -3;
    }
    cv->gen = fn;
    return 0;
}

void dk_gen_close(void *lib) { dlclose(lib); }

long dk_gen_index(const dk_conv *cv, int *index)
{
    long n = 1;
    if (index) index[0] = cv->ntiles;
    for (const dk_tile *t = cv->tiles; t < cv->tiles + cv->ntiles; t++) {
        if (index) {
            index[n] = t->out0;
            index[n + 1] = t->width;
            index[n + 2] = t->valid;
            index[n + 3] = t->rows;
            /* one tap for a pointwise convolution; for others the list is all taps' rows, which the generator
             * does not take */
            if (t->ic) memcpy(index + n + 4, t->ic, (size_t)t->rows * sizeof(int));
        }
        n += 4 + (t->ic ? t->rows : 0);
    }
    return n;
}

long dk_gen_weights(const dk_conv *cv, float *weights)
{
    if (cv->depthwise || cv->ntiles == 0) return 0;
    const dk_tile *last = &cv->tiles[cv->ntiles - 1];
    long n = (long)last->packed + ((long)last->rows + 1) * last->width;
    if (weights) memcpy(weights, cv->packed, (size_t)n * sizeof(float));
    return n;
}
