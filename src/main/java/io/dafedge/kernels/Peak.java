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
        if (threads < 1 || threads > Conv2d.MAX_THREADS) {
            throw new IllegalArgumentException("threads must be in [1, " + Conv2d.MAX_THREADS + "], got " + threads);
        }
        return NativeKernels.peakGflops(isa.ordinal(), threads);
    }
}
