package io.dafedge.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import ai.djl.ndarray.NDManager;
import io.dafedge.model.djl.CompiledNetwork;
import io.dafedge.model.djl.Djl;
import io.dafedge.model.djl.OnnxNetwork;
import io.dafedge.synth.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generated kernels against the generic sparse kernel they replace: the same floats to the bit, alone and in a fused
 * block, on 1 and 2 threads, on AVX-512 and AVX2 where the CPU has them (skipped, not passed, where not); the
 * fallback's reasons; the cache.
 */
class KernelGeneratorTest {
    /** A pointwise layer: channels, image, what zeros it has, residual. */
    record Case(String name, int in, int out, int height, int width, Zeros zeros, boolean residual) {
        @Override
        public String toString() {
            return name;
        }
    }

    enum Zeros {
        /** 32-filter row blocks, a third kept (as the pruned student has them). */
        ROW_BLOCKS,
        /** Row blocks, and output channels 32 to 39 without any weight: their tile keeps no row. */
        EMPTY_TILE,
        /** No zero at all, packed sparse all the same. */
        NONE
    }

    static List<Case> cases() {
        return List.of(
                new Case("16->96 at 64x64", 16, 96, 64, 64, Zeros.ROW_BLOCKS, false),
                new Case("96->24 at 64x64 + residual", 96, 24, 64, 64, Zeros.ROW_BLOCKS, true),
                new Case("144->24 at 32x32 + residual", 144, 24, 32, 32, Zeros.ROW_BLOCKS, true),
                new Case("37->19 at 17x23 + residual", 37, 19, 17, 23, Zeros.ROW_BLOCKS, true),
                new Case("24->40, a tile without rows, 7x5", 24, 40, 7, 5, Zeros.EMPTY_TILE, true),
                new Case("48->72 unpruned, 9x11", 48, 72, 9, 11, Zeros.NONE, false),
                new Case("384->64 at 16x16 + residual", 384, 64, 16, 16, Zeros.ROW_BLOCKS, true),
                new Case("5->33 at 1x1", 5, 33, 1, 1, Zeros.ROW_BLOCKS, false));
    }

    static Stream<Arguments> casesOnGeneratedIsas() {
        List<Arguments> all = new ArrayList<>();
        for (Isa isa : List.of(Isa.AVX512, Isa.AVX2)) {
            for (Case c : cases()) {
                all.add(Arguments.of(c, isa));
            }
        }
        return all.stream();
    }

    /** Clamps on both sides of the residual that values reach, so a wrong bound or order shows. */
    private static final Epilogue CLAMPS = new Epilogue(-1.5f, 2.5f, -2f, 3f);

    @TempDir
    Path cache;

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("casesOnGeneratedIsas")
    void generatedCodeGivesTheGenericSparseKernelsBits(Case c, Isa isa) throws Exception {
        assumeTrue(isa.isSupported(), isa + " is not supported by this CPU");
        SplittableRandom random = new SplittableRandom(c.name.hashCode());
        float[] input = Conv2dTest.uniform(random, c.height * c.width * c.in, 2);
        float[] residual = c.residual ? Conv2dTest.uniform(random, c.height * c.width * c.out, 1) : null;
        try (Conv2d conv = pointwise(c.in, c.out, c.zeros, random, isa)) {
            float[] generic1 = conv.run(input, c.height, c.width, residual);
            float[] generic2 = run(conv, input, c.height, c.width, residual, 2);
            assertArrayEquals(generic1, generic2);
            try (GeneratedKernels generated = GeneratedKernels.attach(List.of(conv), cache)) {
                assertEquals(1, generated.attached());
                assertTrue(conv.runsGenerated());
                assertArrayEquals(generic1, run(conv, input, c.height, c.width, residual, 1), "1 thread");
                assertArrayEquals(generic1, run(conv, input, c.height, c.width, residual, 2), "2 threads");
            }
            assertFalse(conv.runsGenerated(), "closing the library puts the convolution back on the generic kernel");
            assertArrayEquals(generic1, conv.run(input, c.height, c.width, residual));
        }
    }

    /** A convolution running another one's code computes that one's layer: the dispatch really takes it. */
    @Test
    void theAttachedCodeIsWhatRuns() throws Exception {
        Isa isa = generatedIsa();
        SplittableRandom random = new SplittableRandom(5);
        float[] input = Conv2dTest.uniform(random, 8 * 8 * 24, 2);
        float[] w = rowBlocks(Conv2dTest.uniform(random, 24 * 48, 0.3), 48, 24);
        float[] doubled = w.clone();
        for (int i = 0; i < doubled.length; i++) {
            doubled[i] *= 2;
        }
        ConvShape shape = ConvShape.of(24, 48, 1);
        try (Conv2d a = Conv2d.create(shape, w, null, isa, 1, Packing.SPARSE);
             Conv2d b = Conv2d.create(shape, doubled, null, isa, 1, Packing.SPARSE);
             GeneratedKernels generated = GeneratedKernels.attach(List.of(a), cache)) {
            float[] want = a.run(input, 8, 8, null);
            assertNotEquals(0, Float.compare(want[0], b.run(input, 8, 8, null)[0]));
            assertEquals(0, b.attachGenerated(generated.handle(), "dkg_0"));
            assertArrayEquals(want, b.run(input, 8, 8, null));
            b.detachGenerated(generated.handle());
        }
    }

    static Stream<Arguments> chains() {
        List<Arguments> all = new ArrayList<>();
        for (Isa isa : List.of(Isa.AVX512, Isa.AVX2)) {
            all.add(Arguments.of("16->96->24 s2, 64x64", 16, 96, 24, 2, 64, 64, isa));
            all.add(Arguments.of("24->144->24 s1 + residual, 41x9", 24, 144, 24, 1, 41, 9, isa));
            all.add(Arguments.of("32->192->32 s1 + residual, 32x32", 32, 192, 32, 1, 32, 32, isa));
            all.add(Arguments.of("24->144->37 s1, 7x5 (a small map)", 24, 144, 37, 1, 7, 5, isa));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} on {7}")
    @MethodSource("chains")
    void generatedExpansionAndProjectionGiveTheFusedBlocksBits(String name, int in, int mid, int out, int stride,
                                                               int height, int width, Isa isa) throws Exception {
        assumeTrue(isa.isSupported(), isa + " is not supported by this CPU");
        SplittableRandom random = new SplittableRandom(name.hashCode());
        ConvShape dw = new ConvShape(mid, mid, 3, 3, stride, stride, 1, 1, 1, 1, mid, Activation.NONE);
        float[] input = Conv2dTest.uniform(random, height * width * in, 2);
        boolean residual = stride == 1 && in == out;
        int ho = dw.outHeight(height);
        int wo = dw.outWidth(width);
        float[] res = residual ? Conv2dTest.uniform(random, ho * wo * out, 1) : null;
        float[] got = new float[ho * wo * out];
        try (Conv2d e = pointwise(in, mid, Zeros.ROW_BLOCKS, random, isa);
             Conv2d d = Conv2d.create(dw, Conv2dTest.uniform(random, mid * 9, 0.3),
                     Conv2dTest.uniform(random, mid, 0.1), isa, 2, Packing.DENSE, CLAMPS);
             Conv2d p = pointwise(mid, out, Zeros.ROW_BLOCKS, random, isa);
             ConvChain chain = ConvChain.of(e, d, p)) {
            float[] want = new float[got.length];
            chain.run(input, height, width, res, want, 1);
            chain.run(input, height, width, res, got, 2);
            assertArrayEquals(want, got, "the generic block on 1 and 2 threads");
            try (GeneratedKernels generated = GeneratedKernels.attach(chain.convs(), cache)) {
                assertEquals(2, generated.attached());
                assertEquals(1, generated.skipped(), "the depthwise");
                for (int threads = 1; threads <= 2; threads++) {
                    got = new float[got.length];
                    chain.run(input, height, width, res, got, threads);
                    assertArrayEquals(want, got, threads + " thread(s)");
                }
            }
        }
    }

    /**
     * The pruned student (as CompiledNetworkTest prunes it: 32-filter row blocks, a third kept, packed sparse) at an
     * odd size, fused blocks and all: every output the same bits on generated kernels; prints the compile time.
     */
    @Test
    void thePrunedStudentGivesTheSameBitsOnGeneratedKernels() throws Exception {
        Isa isa = generatedIsa();
        CompiledNetwork.ConvFactory pruned = (shape, w, b, e) -> {
            if (shape.kernelHeight() == 1 && shape.kernelWidth() == 1 && shape.groups() == 1) {
                rowBlocks(w, shape.outChannels(), shape.inChannels());
            }
            return Conv2d.create(shape, w, b, isa, 2, Packing.SPARSE, e);
        };
        float[] hwc = Conv2dTest.uniform(new SplittableRandom(4), 3 * 80 * 112, 2);
        try (NDManager manager = Djl.newManager();
             CompiledNetwork student = OnnxNetwork.student(TestImages.teacher(), 5, manager)
                     .compile(3, 80, 112, pruned, true)) {
            float[][] want = student.run(hwc, null);
            List<Conv2d> convs = student.steps().stream().flatMap(st -> st.convs().stream()).toList();
            long t0 = System.nanoTime();
            try (GeneratedKernels generated = GeneratedKernels.attach(convs, cache)) {
                System.out.printf("student: %s, %d of %d convolutions, %.1f s%n", generated, generated.attached(),
                        convs.size(), (System.nanoTime() - t0) / 1e9);
                assertTrue(generated.attached() >= 10, generated.toString());
                float[][] got = student.run(hwc, null);
                for (int o = 0; o < want.length; o++) {
                    assertArrayEquals(want[o], got[o], "output " + o);
                }
            }
        }
    }

    @Test
    void withoutACompilerTheGenericKernelsStayAndTheReasonIsGiven() throws Exception {
        Isa isa = generatedIsa();
        SplittableRandom random = new SplittableRandom(7);
        try (Conv2d conv = pointwise(24, 48, Zeros.ROW_BLOCKS, random, isa)) {
            GeneratedKernels.Compiler missing = new GeneratedKernels.Compiler(List.of("/nonexistent/bin/gcc"),
                    Duration.ofSeconds(60));
            KernelBuildException e = assertThrows(KernelBuildException.class,
                    () -> GeneratedKernels.attach(List.of(conv), cache, missing));
            assertTrue(e.getMessage().contains("'/nonexistent/bin/gcc' does not run"), e.getMessage());
            assertFalse(conv.runsGenerated());
            try (Stream<Path> files = Files.list(cache)) {
                assertEquals(0, files.count(), "nothing left behind");
            }
        }
    }

    @Test
    void aFailedCompileGivesTheCompilersMessage() throws Exception {
        Isa isa = generatedIsa();
        try (Conv2d conv = pointwise(24, 48, Zeros.ROW_BLOCKS, new SplittableRandom(8), isa)) {
            GeneratedKernels.Compiler broken = new GeneratedKernels.Compiler(
                    List.of("gcc", "-include", "/nonexistent/header.h"), Duration.ofSeconds(60));
            KernelBuildException e = assertThrows(KernelBuildException.class,
                    () -> GeneratedKernels.attach(List.of(conv), cache, broken));
            assertTrue(e.getMessage().contains("cannot compile the generated kernels"), e.getMessage());
            assertTrue(e.getMessage().contains("/nonexistent/header.h"), e.getMessage());
            assertFalse(conv.runsGenerated());
            try (Stream<Path> files = Files.list(cache)) {
                assertTrue(files.noneMatch(f -> f.toString().endsWith(".so") || f.toString().endsWith(".tmp")));
            }
        }
    }

    @Test
    void anUnwritableCacheGivesTheReason() throws Exception {
        Isa isa = generatedIsa();
        Path file = Files.writeString(cache.resolve("a-file"), "not a directory");
        try (Conv2d conv = pointwise(24, 48, Zeros.ROW_BLOCKS, new SplittableRandom(9), isa)) {
            KernelBuildException e = assertThrows(KernelBuildException.class,
                    () -> GeneratedKernels.attach(List.of(conv), file.resolve("kernels")));
            assertTrue(e.getMessage().contains("cannot write the generated kernels to " + file.resolve("kernels")),
                    e.getMessage());
            assertFalse(conv.runsGenerated());
        }
    }

    @Test
    void theCacheIsReusedAndOtherWeightsGetAnotherLibrary() throws Exception {
        Isa isa = generatedIsa();
        SplittableRandom random = new SplittableRandom(10);
        ConvShape shape = ConvShape.of(32, 64, 1);
        float[] w = rowBlocks(Conv2dTest.uniform(random, 32 * 64, 0.3), 64, 32);
        Path first;
        try (Conv2d conv = Conv2d.create(shape, w, null, isa, 2, Packing.SPARSE)) {
            try (GeneratedKernels built = GeneratedKernels.attach(List.of(conv), cache)) {
                assertTrue(built.compiledNow());
                first = built.library();
            }
            long modified = Files.getLastModifiedTime(first).toMillis();
            try (GeneratedKernels again = GeneratedKernels.attach(List.of(conv), cache)) {
                assertFalse(again.compiledNow(), "the second build finds the library");
                assertEquals(first, again.library());
                assertTrue(conv.runsGenerated());
            }
            assertEquals(modified, Files.getLastModifiedTime(first).toMillis());
        }
        int kept = 0;
        while (w[kept] == 0) {
            kept++;
        }
        w[kept] = Math.nextUp(w[kept]);
        try (Conv2d changed = Conv2d.create(shape, w, null, isa, 2, Packing.SPARSE);
             GeneratedKernels other = GeneratedKernels.attach(List.of(changed), cache)) {
            assertTrue(other.compiledNow());
            assertNotEquals(first, other.library());
        }
    }

    @Test
    void onlySparsePointwiseConvolutionsGetCode() throws Exception {
        Isa isa = generatedIsa();
        SplittableRandom random = new SplittableRandom(11);
        float[] w = rowBlocks(Conv2dTest.uniform(random, 16 * 32, 0.3), 32, 16);
        ConvShape three = ConvShape.of(16, 32, 3).withPadding(1);
        try (Conv2d sparse = Conv2d.create(ConvShape.of(16, 32, 1), w, null, isa, 2, Packing.SPARSE);
             Conv2d dense = Conv2d.create(ConvShape.of(16, 32, 1), w, null, isa, 2, Packing.DENSE);
             Conv2d portable = Conv2d.create(ConvShape.of(16, 32, 1), w, null, Isa.PORTABLE, 2, Packing.SPARSE);
             Conv2d kernel3 = Conv2d.create(three, Conv2dTest.uniform(random, three.weightCount(), 0.1), null, isa, 2,
                     Packing.SPARSE)) {
            assertFalse(KernelGenerator.eligible(dense));
            assertFalse(KernelGenerator.eligible(portable));
            assertFalse(KernelGenerator.eligible(kernel3));
            try (GeneratedKernels none = GeneratedKernels.attach(List.of(dense, portable, kernel3), cache)) {
                assertEquals(0, none.attached());
                assertEquals(3, none.skipped());
                assertFalse(none.compiledNow());
            }
            try (GeneratedKernels one = GeneratedKernels.attach(List.of(dense, sparse, sparse, kernel3), cache)) {
                assertEquals(List.of(sparse), one.convs());
                assertEquals(2, one.skipped());
            }
            assertThrows(IllegalArgumentException.class, () -> KernelGenerator.generate(List.of(dense)));
        }
    }

    /** The best ISA code is generated for; the test is skipped without one. */
    private static Isa generatedIsa() {
        Isa isa = Isa.AVX512.isSupported() ? Isa.AVX512 : Isa.AVX2;
        assumeTrue(isa.isSupported(), "neither AVX-512 nor AVX2 on this CPU");
        return isa;
    }

    private static float[] run(Conv2d conv, float[] input, int height, int width, float[] residual, int threads) {
        float[] out = new float[conv.outputLength(height, width)];
        conv.run(input, height, width, residual, out, threads);
        return out;
    }

    /** Sparse pointwise with bias and {@link #CLAMPS}, zeroed as asked. */
    static Conv2d pointwise(int in, int out, Zeros zeros, SplittableRandom random, Isa isa) {
        float[] w = Conv2dTest.uniform(random, in * out, 1 / Math.sqrt(in));
        if (zeros != Zeros.NONE) {
            rowBlocks(w, out, in);
        }
        if (zeros == Zeros.EMPTY_TILE) {
            for (int o = 32; o < Math.min(40, out); o++) {
                for (int i = 0; i < in; i++) {
                    w[o * in + i] = 0;
                }
            }
        }
        return Conv2d.create(ConvShape.of(in, out, 1), w, Conv2dTest.uniform(random, out, 0.5), isa, 2,
                Packing.SPARSE, CLAMPS);
    }

    /**
     * A third of each 32-filter block's input channels kept, another third per block (as CompiledNetworkTest prunes
     * the student), in place.
     */
    static float[] rowBlocks(float[] w, int out, int in) {
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                if (((o / 32) * 7 + i) % 3 != 0) {
                    w[o * in + i] = 0;
                }
            }
        }
        return w;
    }

    /** Built only when the setting says on (measured slower in the network by default); a wrong one is named. */
    @Test
    void theApplianceBuildsThemOnlyWhenTold() {
        assertFalse(GeneratedKernels.wanted(Isa.AVX2, null));
        assertFalse(GeneratedKernels.wanted(Isa.AVX512, null));
        assertTrue(GeneratedKernels.wanted(Isa.AVX512, " ON "));
        assertTrue(GeneratedKernels.wanted(Isa.AVX2, "on"));
        assertFalse(GeneratedKernels.wanted(Isa.PORTABLE, "on"));
        assertFalse(GeneratedKernels.wanted(Isa.AVX2, "off"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GeneratedKernels.wanted(Isa.AVX2, "auto"));
        assertTrue(e.getMessage().contains(GeneratedKernels.ENV + "=auto"), e.getMessage());
    }
}
