package io.dafedge.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Loading the library and choosing the ISA. */
class NativeKernelsTest {
    @Test
    void aMissingLibraryIsNamed() {
        KernelsUnavailableException e = assertThrows(KernelsUnavailableException.class,
                () -> NativeKernels.load("/native/no-such/libdafkernels.so"));
        assertTrue(e.getMessage().contains("/native/no-such/libdafkernels.so is not on the classpath"),
                e.getMessage());
    }

    @Test
    void theBuiltLibraryLoadsAndReportsThisCpu() {
        NativeKernels.require();
        Set<Isa> supported = Isa.supported();
        assertTrue(supported.contains(Isa.PORTABLE));
        String flags = cpuFlags();
        assertEquals(flags.contains(" avx2 ") && flags.contains(" fma "), supported.contains(Isa.AVX2), flags);
        assertEquals(flags.contains(" avx512f "), supported.contains(Isa.AVX512), flags);
    }

    @Test
    void theBestIsaUnlessOverridden() {
        Set<Isa> all = EnumSet.allOf(Isa.class);
        assertEquals(Isa.AVX512, Isa.selected(null, all));
        assertEquals(Isa.AVX2, Isa.selected("", EnumSet.of(Isa.PORTABLE, Isa.AVX2)));
        assertEquals(Isa.PORTABLE, Isa.selected(" Portable ", all));
        assertEquals(Isa.AVX2, Isa.selected("avx2", all));
        IllegalStateException unsupported = assertThrows(IllegalStateException.class,
                () -> Isa.selected("avx512", EnumSet.of(Isa.PORTABLE, Isa.AVX2)));
        assertEquals("DAF_KERNELS_ISA=avx512 but this CPU supports only portable, avx2", unsupported.getMessage());
        IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> Isa.selected("sse9", all));
        assertEquals("DAF_KERNELS_ISA=sse9: unknown ISA 'sse9', expected one of portable, avx2, avx512",
                unknown.getMessage());
    }

    /** The CPU's flags as the kernel reports them, space-delimited on both ends. */
    private static String cpuFlags() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("flags")).findFirst().map(l -> " " + l.split(":", 2)[1].strip() + " ")
                    .orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
