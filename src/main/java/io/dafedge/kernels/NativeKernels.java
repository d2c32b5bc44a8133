package io.dafedge.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The kernels' shared library and its JNI entry points. The build puts the library on the classpath; it is copied
 * to a temporary file and loaded once per JVM (a JVM can only load a library from a file). The file is deleted
 * right after loading: the loaded library stays mapped, and nothing is left behind in /tmp if the JVM dies.
 */
final class NativeKernels {
    static final String RESOURCE = "/native/linux-x86_64/libdafkernels.so";

    private NativeKernels() {
    }

    /** Throws, with the reason, when the library cannot be used. */
    static void require() {
        KernelsUnavailableException failure = Library.FAILURE;
        if (failure != null) {
            throw new KernelsUnavailableException(failure.getMessage(), failure);
        }
    }

    /** Loaded on first use; the outcome, good or bad, is kept for the JVM's life. */
    private static final class Library {
        static final KernelsUnavailableException FAILURE = tryLoad(RESOURCE);

        private static KernelsUnavailableException tryLoad(String resource) {
            try {
                load(resource);
                return null;
            } catch (KernelsUnavailableException e) {
                return e;
            }
        }
    }

    static void load(String resource) {
        String os = System.getProperty("os.name", "?");
        String arch = System.getProperty("os.arch", "?");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new KernelsUnavailableException("the native kernels are built for linux-x86_64 only, this JVM runs on "
                    + os + "/" + arch, null);
        }
        Path file;
        try (InputStream in = NativeKernels.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new KernelsUnavailableException(resource + " is not on the classpath: the Maven build compiles it "
                        + "from native-kernels/ (it needs gcc and make)", null);
            }
            file = Files.createTempFile("libdafkernels", ".so");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new KernelsUnavailableException("cannot copy " + resource + " to a temporary file: " + e, e);
        }
        try {
            System.load(file.toAbsolutePath().toString());
        } catch (UnsatisfiedLinkError e) {
            throw new KernelsUnavailableException("cannot load " + resource + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }

    /** Bit i set when {@code Isa.values()[i]} runs on this CPU. */
    static native int supportedIsas();

    /**
     * Packs the weights (PyTorch's OIHW) for the ISA, dense or keeping only the rows that are not all zero (ignored
     * for a depthwise convolution); 0 when out of memory. shape: in and out channels, kernel height and width,
     * strides, padding top, left, bottom, right, groups, activation code; clamps: an {@link Epilogue}'s four
     * bounds, or null for the activation's.
     */
    /** GFLOP/s of register-only FMA chains on the pool's threads ({@code dk_peak_gflops}). */
    static native double peakGflops(int isa, int threads);

    static native long create(int isa, int[] shape, float[] weights, float[] bias, boolean sparse,
                              float[] clamps);

    /**
     * Into {@code rows} (3 values): weight rows kept and all of them over the tiles, and the multiply-accumulates
     * per output pixel of the kept rows over the tiles' valid channels.
     */
    static native void rows(long handle, long[] rows);

    static native void free(long handle);

    /** 0, or -1 when a length does not fit the shape, -2 when the JVM could not pin an array. */
    static native int run(long handle, float[] input, int height, int width, float[] residual, float[] output,
                          int threads);

    /**
     * A fused inverted-residual block of three convolutions from {@link #create} ({@code expand} 0 for none): 0, -1
     * when a length does not fit the shapes, -2 when the JVM could not pin an array, -3 when the three do not chain,
     * -4 when a thread's scratch buffer could not be allocated.
     */
    static native int runChain(long expand, long depthwise, long project, float[] input, int height, int width,
                               float[] residual, float[] output, int threads);

    /**
     * A fused block with INT8 pointwise convolutions ({@link QuantChain}): {@code expand} and {@code project} from
     * {@link QuantConv1x1}, {@code first} (a float first stage) and {@code depthwise} from {@link #create}
     * ({@code expand} or {@code first} or both 0); returns as {@link #runChain}.
     */
    static native int runQuantChain(long expand, long first, long depthwise, long project, float[] input, int height,
                                    int width, float[] residual, float[] output, int threads);

    /**
     * Loads a library of generated kernels ({@link GeneratedKernels}): its handle, or 0 with dlopen's message in
     * {@code error[0]}.
     */
    static native long openGenerated(String path, String[] error);

    /**
     * Makes the convolution run the generated function {@code symbol} of {@code lib} ({@code lib} 0: the generic
     * kernel again): 0, -1 when it is not a sparse pointwise convolution of one group on AVX2 or AVX-512, -2 when
     * the symbol is missing, -3 when the code was generated for another packing, -4 when the name was unreadable.
     */
    static native int attachGenerated(long handle, long lib, String symbol);

    /** Closes a library from {@link #openGenerated}; no convolution may be attached to it any more. */
    static native void closeGenerated(long lib);

    /**
     * The packing's tiles: their count, then per tile its first output channel, width, valid channels, kept rows
     * and, when packed sparse, the kept rows' input channels.
     */
    static native int[] packedTiles(long handle);

    /** The packed floats: per tile its width of biases, then its rows of width weights. */
    static native float[] packedWeights(long handle);
}
