package io.dafedge.kernels;

/**
 * This machine's measured single-precision peak: FMA chains in registers on the kernels' own threads (best of five
 * rounds of a few milliseconds each). The benchmark reports achieved GFLOP/s against it, rather than against a
 * clock read from /proc/cpuinfo, which in a VM is the nominal one and misses boost clocks.
 */
public final class Peak {
    private Peak() {
    }

    /** GFLOP/s of {@code isa}'s FMA (multiply plus add on the portable path) on {@code threads} threads. */
    public static double gflops(Isa isa, int threads) {
        NativeKernels.require();
        if (isa == null || !isa.isSupported()) {
            throw new IllegalArgumentException("ISA " + isa + " is not supported by this CPU");
        }
        Conv2d.checkThreads(threads);
        return NativeKernels.peakGflops(isa.ordinal(), threads);
    }

    /**
     * GOP/s of AVX-512 VNNI's {@code vpdpbusd} (u8 x s8 into int32; a multiply and an add per product, 128 per
     * instruction) on {@code threads} threads: the peak of {@link QuantConv1x1}'s VNNI path.
     */
    public static double int8Gops(int threads) {
        if (!QuantConv1x1.Path.supported().contains(QuantConv1x1.Path.AVX512_VNNI)) {
            throw new IllegalArgumentException("this CPU has no AVX-512 VNNI");
        }
        Conv2d.checkThreads(threads);
        return QuantConv1x1.peakGops(threads);
    }
}
