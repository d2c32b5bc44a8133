package io.dafedge.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Emits C specialised to one pruned model: for each sparse pointwise convolution (1x1, stride 1, unpadded, one
 * group, {@link Packing#SPARSE}, AVX2 or AVX-512) a function that computes what the generic sparse kernel computes,
 * with the tiles' kept rows unrolled: each row's input channel is a constant offset from the pixel's input, and its
 * weights a constant offset into a static, 64-byte aligned array holding only the kept rows (no index list, no
 * per-row pointer arithmetic). {@link GeneratedKernels} compiles the source and attaches the functions.
 * <p>
 * The generator reads the packing from the native side ({@link Conv2d#packed()}) rather than re-deriving it from
 * the weights in Java: the generated code then uses exactly the tiles, kept rows, row order and zero-padded weights
 * the generic kernel streams (including what counts as a zero row: -0.0 does, NaN does not), with no second copy of
 * the packing rules to keep in step.
 * <p>
 * The same bits as the generic kernel: the same tiles of one or two vectors, accumulators starting at the biases,
 * the kept rows in the same order, one FMA per row and accumulator, the same epilogue (first clamp, residual, second
 * clamp, the last vector's store masked to the valid channels). The register blocks are the generic ones (12 pixels
 * on AVX-512, 6 on AVX2); a remainder of fewer pixels runs as blocks of 4, 2 and 1 rather than one block of its
 * own size, which bounds the code (and the compile time) per tile and changes no value, as every output value's
 * sum is the same sequence of FMAs whatever block it lands in.
 * <p>
 * The ABI of every generated function (named by {@link Layer#symbol()}), as {@code dk_gen_fn} in {@code dk.h}:
 * <pre>
 * void dkg_N(const float *in, long p0, long p1, int t0, int t1, const float *res, float *out, const float clamp[4])
 * </pre>
 * tiles [t0, t1) over pixels [p0, p1) of HWC tensors taken as one long row ({@code in}, {@code res}, {@code out}
 * point at pixel 0; {@code res} may be NULL). Beside it {@code const long dkg_N_shape[5]} = {ISA, in channels, out
 * channels, tiles, kept rows}, which the native side checks before attaching.
 */
public final class KernelGenerator {
    /** One layer of a generated source: the convolution and the name of its function. */
    public record Layer(Conv2d conv, String symbol) {
    }

    /** A source for one ISA and the layers it has a function for, in the order given. */
    public record Source(Isa isa, String code, List<Layer> layers) {
    }

    private KernelGenerator() {
    }

    /**
     * Whether code can be generated for it: sparse packed, 1x1, stride 1, unpadded, one group, not depthwise, on
     * AVX2 or AVX-512 (the portable kernels' vectors have no intrinsics to emit).
     */
    public static boolean eligible(Conv2d conv) {
        ConvShape s = conv.shape();
        return conv.packing() == Packing.SPARSE && conv.isa() != Isa.PORTABLE && s.kernelHeight() == 1
                && s.kernelWidth() == 1 && s.strideHeight() == 1 && s.strideWidth() == 1 && s.padTop() == 0
                && s.padLeft() == 0 && s.padBottom() == 0 && s.padRight() == 0 && s.groups() == 1
                && !s.isDepthwise();
    }

    /**
     * One C source with a function per convolution ({@code dkg_0}, {@code dkg_1}, ... in the list's order).
     *
     * @throws IllegalArgumentException when one is not {@link #eligible} or they do not share one ISA
     * @throws IllegalStateException    when one is closed
     */
    public static Source generate(List<Conv2d> convs) {
        if (convs.isEmpty()) {
            throw new IllegalArgumentException("no convolutions to generate code for");
        }
        Isa isa = convs.get(0).isa();
        for (Conv2d c : convs) {
            if (!eligible(c)) {
                throw new IllegalArgumentException("no code is generated for " + c + ": only sparse packed 1x1 "
                        + "convolutions (stride 1, unpadded, one group) on avx2 or avx512");
            }
            if (c.isa() != isa) {
                throw new IllegalArgumentException("one source is for one ISA: " + c + " is not on " + isa.key());
            }
        }
        StringBuilder out = new StringBuilder(1 << 16);
        header(out, isa, convs.size());
        List<Layer> layers = new ArrayList<>(convs.size());
        for (int n = 0; n < convs.size(); n++) {
            String symbol = "dkg_" + n;
            layer(out, isa, convs.get(n), n, symbol);
            layers.add(new Layer(convs.get(n), symbol));
        }
        return new Source(isa, out.toString(), List.copyOf(layers));
    }

    /** The register block (pixels) of the generic kernel on this ISA ({@code DK_RMAX}). */
    static int blockPixels(Isa isa) {
        return isa == Isa.AVX512 ? 12 : 6;
    }

    /** The smaller blocks a chunk's remaining pixels (fewer than a register block) run in, largest first. */
    static int[] remainderBlocks() {
        return new int[] {4, 2, 1};
    }

    /** Every block size a tile gets a function for: the register block, then the remainders'. */
    private static int[] blocks(Isa isa) {
        return IntStream.concat(IntStream.of(blockPixels(isa)), IntStream.of(remainderBlocks())).toArray();
    }

    private static void header(StringBuilder out, Isa isa, int layers) {
        out.append("/* Generated by io.dafedge.kernels.KernelGenerator for ").append(isa.key()).append(": ")
                .append(layers).append(" sparse pointwise convolution(s) of one model, each the generic sparse\n"
                + " * kernel's result to the bit with its kept rows unrolled (docs/kernels.md). Do not edit. */\n");
        out.append("#include <immintrin.h>\n#include <stddef.h>\n#include <stdint.h>\n\n");
        out.append("#define AI static inline __attribute__((always_inline))\n");
        out.append("#define V ").append(isa.lanes()).append('\n');
        out.append("#define RMAX ").append(blockPixels(isa)).append("\n\n");
        if (isa == Isa.AVX512) {
            out.append("""
                    typedef __m512 vec;
                    AI __mmask16 first(int n) { return (__mmask16)((1u << n) - 1); }
                    AI vec wload(const float *p) { return _mm512_load_ps(p); }
                    AI vec load_part(const float *p, int n)
                    {
                        return n == V ? _mm512_loadu_ps(p) : _mm512_maskz_loadu_ps(first(n), p);
                    }
                    AI void store_part(float *p, vec v, int n)
                    {
                        if (n == V) _mm512_storeu_ps(p, v);
                        else _mm512_mask_storeu_ps(p, first(n), v);
                    }
                    AI vec set1(float x) { return _mm512_set1_ps(x); }
                    AI vec vadd(vec a, vec b) { return _mm512_add_ps(a, b); }
                    AI vec vmin(vec a, vec b) { return _mm512_min_ps(a, b); }
                    AI vec vmax(vec a, vec b) { return _mm512_max_ps(a, b); }
                    """);
        } else {
            out.append("""
                    typedef __m256 vec;
                    static const int32_t lanes[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
                    AI __m256i first(int n) { return _mm256_loadu_si256((const __m256i *)(lanes + 8 - n)); }
                    AI vec wload(const float *p) { return _mm256_load_ps(p); }
                    AI vec load_part(const float *p, int n)
                    {
                        return n == V ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, first(n));
                    }
                    AI void store_part(float *p, vec v, int n)
                    {
                        if (n == V) _mm256_storeu_ps(p, v);
                        else _mm256_maskstore_ps(p, first(n), v);
                    }
                    AI vec set1(float x) { return _mm256_set1_ps(x); }
                    AI vec vadd(vec a, vec b) { return _mm256_add_ps(a, b); }
                    AI vec vmin(vec a, vec b) { return _mm256_min_ps(a, b); }
                    AI vec vmax(vec a, vec b) { return _mm256_max_ps(a, b); }
                    """);
        }
        out.append("""

                /* conv_body.h's finish: first clamp, residual, second clamp, store of the first n lanes */
                AI void finish(float *o, vec v, const float *q, int n, const float *cl)
                {
                    v = vmin(vmax(v, set1(cl[0])), set1(cl[1]));
                    if (q) v = vadd(v, load_part(q, n));
                    v = vmin(vmax(v, set1(cl[2])), set1(cl[3]));
                    store_part(o, v, n);
                }

                /* A block's R x C accumulators (R: the function's constant) start as the tile's biases (at B). */
                #define START(C, B) \\
                    vec acc[RMAX][2]; \\
                    _Pragma("GCC unroll 2") for (int c = 0; c < (C); c++) { \\
                        vec b = wload((B) + c * V); \\
                        _Pragma("GCC unroll 16") for (int r = 0; r < R; r++) acc[r][c] = b; \\
                    }
                /* The epilogue of every accumulator; the tile's last vector holds LAST valid channels. */
                #define END(C, LAST) \\
                    _Pragma("GCC unroll 16") for (int r = 0; r < R; r++) { \\
                        _Pragma("GCC unroll 2") for (int c = 0; c < (C); c++) { \\
                            long at = (long)r * COUT + c * V; \\
                            finish(o + at, acc[r][c], q ? q + at : NULL, c < (C) - 1 ? V : (LAST), cl); \\
                        } \\
                    }
                /* R pixels of tile T from pixel p on, into the tile's output channels from OUT0. */
                #define BLOCK(T, OUT0, R) \\
                    T##_##R(in + p * CIN, res ? res + p * COUT + (OUT0) : NULL, out + p * COUT + (OUT0), cl)

                """);
    }

    /**
     * One register block of R pixels of a tile: START and END in C, the kept rows as inline assembly over the
     * accumulators. GCC then has one or two opaque instructions per block to schedule around instead of
     * thousands of FMAs: written in C with intrinsics, the pruned student took GCC over a minute (the same
     * instructions, as the generic kernel's dense_row has them: weight vectors loaded, each pixel's input value
     * broadcast, an FMA per accumulator, acc = input x weight + acc, rounded once as _mm*_fmadd_ps).
     */
    private static void block(StringBuilder out, Isa isa, String name, int pixels, int vectors, int last,
                              long offset, int cin, int[] tiles, int ics, int rows) {
        boolean avx512 = isa == Isa.AVX512;
        String reg = avx512 ? "%%zmm" : "%%ymm";
        // scratch registers the accumulators never get: broadcast, then the weight vectors
        int scratch = avx512 ? 29 : 13;
        out.append("__attribute__((noinline)) static void ").append(name)
                .append("(const float *a, const float *q, float *o, const float *cl)\n{\n")
                .append("    enum { R = ").append(pixels).append(" };\n")
                .append("    const float *w = ").append(name, 0, name.indexOf("_t")).append("_w.f + ").append(offset)
                .append(";\n    START(").append(vectors).append(", w)\n");
        // an asm statement takes at most 30 operands, an accumulator (in and out) counts twice: the pixels go in
        // groups of at most 14 accumulators, each group loading the row's weights again (2 more loads per row
        // for 12 x 2 on AVX-512, beside 12 broadcasts and 24 FMAs)
        int groups = (pixels * vectors + 13) / 14;
        for (int g = 0; g < groups && rows > 0; g++) {
            int r0 = pixels * g / groups;
            int r1 = pixels * (g + 1) / groups;
            out.append("    __asm__(\n");
            int bytes = vectors * isa.lanes() * 4;
            for (int k = 0; k < rows; k++) {
                long weights = (long) (k + 1) * bytes;
                out.append("        \"");
                for (int c = 0; c < vectors; c++) {
                    out.append(c > 0 ? "; " : "").append("vmovaps ").append(weights + (long) c * isa.lanes() * 4)
                            .append("(%[w]), ").append(reg).append(scratch + 1 + c);
                }
                out.append("\\n\\t\"\n");
                for (int r = r0; r < r1; r++) {
                    out.append("        \"vbroadcastss ").append(((long) r * cin + tiles[ics + k]) * 4)
                            .append("(%[a]), ").append(reg).append(scratch);
                    for (int c = 0; c < vectors; c++) {
                        out.append("; vfmadd231ps ").append(reg).append(scratch + 1 + c).append(", ").append(reg)
                                .append(scratch).append(", %[r").append(r).append('c').append(c).append(']');
                    }
                    out.append("\\n\\t\"\n");
                }
            }
            out.append("        :");
            String constraint = avx512 ? "\"+v\"" : "\"+x\"";
            for (int r = r0; r < r1; r++) {
                for (int c = 0; c < vectors; c++) {
                    out.append(r > r0 || c > 0 ? ", " : " ").append("[r").append(r).append('c').append(c)
                            .append("] ").append(constraint).append("(acc[").append(r).append("][").append(c)
                            .append("])");
                }
            }
            String clobber = avx512 ? "zmm" : "ymm";
            out.append("\n        : [a] \"r\"(a), [w] \"r\"(w)\n        : ");
            for (int c = 0; c <= vectors; c++) {
                out.append('"').append(clobber).append(scratch + c).append("\", ");
            }
            out.append("\"memory\");\n");
        }
        out.append("    END(").append(vectors).append(", ").append(last).append(")\n}\n");
    }

    private static void layer(StringBuilder out, Isa isa, Conv2d conv, int n, String symbol) {
        Conv2d.Packed packed = conv.packed();
        int[] tiles = packed.tiles();
        float[] w = packed.weights();
        int ntiles = tiles[0];
        int cin = conv.shape().inChannels();
        int cout = conv.shape().outChannels();
        String p = "l" + n;
        out.append("/* ---- ").append(symbol).append(": ").append(conv).append(" ---- */\n");
        out.append("#define CIN ").append(cin).append("\n#define COUT ").append(cout).append('\n');
        out.append("static const union { uint32_t u[").append(w.length).append("]; float f[").append(w.length)
                .append("]; } ").append(p).append("_w __attribute__((aligned(64))) = {{");
        for (int i = 0; i < w.length; i++) {
            // the bits themselves: every value exact, -0.0 and NaN included
            out.append(i % 8 == 0 ? "\n    " : " ").append(String.format(Locale.ROOT, "0x%08xu,",
                    Float.floatToRawIntBits(w[i])));
        }
        out.append("\n}};\n");
        int at = 1;
        long offset = 0;
        long kept = 0;
        int[] out0 = new int[ntiles];
        for (int t = 0; t < ntiles; t++) {
            out0[t] = tiles[at];
            int width = tiles[at + 1];
            int valid = tiles[at + 2];
            int rows = tiles[at + 3];
            int vectors = width / isa.lanes();
            int last = valid - (vectors - 1) * isa.lanes();
            String tile = p + "_t" + t;
            for (int r : blocks(isa)) {
                block(out, isa, tile + "_" + r, r, vectors, last, offset, cin, tiles, at + 4, rows);
            }
            out.append("static void ").append(p).append("_s").append(t)
                    .append("(const float *in, long p0, long p1, const float *res, float *out, const float *cl)\n{\n")
                    .append("    long p = p0;\n")
                    .append("    for (; p + RMAX <= p1; p += RMAX) BLOCK(").append(tile).append(", ").append(out0[t])
                    .append(", ").append(blockPixels(isa)).append(");\n");
            for (int r : remainderBlocks()) {
                out.append("    for (; p + ").append(r).append(" <= p1; p += ").append(r).append(") BLOCK(")
                        .append(tile).append(", ").append(out0[t]).append(", ").append(r).append(");\n");
            }
            out.append("}\n");
            offset += (long) (rows + 1) * width;
            kept += rows;
            at += 4 + rows;
        }
        if (offset != w.length || at != tiles.length) {
            throw new IllegalStateException("the packing of " + conv + " is not the sparse layout the generator "
                    + "reads: " + offset + " of " + w.length + " floats, " + at + " of " + tiles.length + " entries");
        }
        out.append("void ").append(symbol).append("(const float *in, long p0, long p1, int t0, int t1, "
                + "const float *res, float *out, const float clamp[4])\n{\n")
                .append("    for (int t = t0; t < t1; t++) {\n        switch (t) {\n");
        for (int t = 0; t < ntiles; t++) {
            out.append("        case ").append(t).append(": ").append(p).append("_s").append(t)
                    .append("(in, p0, p1, res, out, clamp); break;\n");
        }
        out.append("        default: break;\n        }\n    }\n}\n");
        out.append("const long ").append(symbol).append("_shape[5] = {").append(isa.ordinal()).append(", ")
                .append(cin).append(", ").append(cout).append(", ").append(ntiles).append(", ").append(kept)
                .append("};\n#undef CIN\n#undef COUT\n\n");
    }
}
