package io.dafedge.kernels;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The instruction sets the kernels are compiled for, in the library's order. By default a convolution uses the
 * best one the CPU supports; environment variable {@value #ENV} (portable, avx2 or avx512) forces one, and
 * {@link Conv2d#create(ConvShape, float[], float[], Isa, int)} another for one convolution.
 */
public enum Isa {
    /** GCC vector extensions on the baseline x86-64 (SSE2); runs everywhere. */
    PORTABLE(4),
    /** AVX2 with FMA, 8 lanes. */
    AVX2(8),
    /** AVX-512F, 16 lanes. */
    AVX512(16);

    public static final String ENV = "DAF_KERNELS_ISA";

    private final int lanes;

    Isa(int lanes) {
        this.lanes = lanes;
    }

    /**
     * Floats per vector. The dense kernel computes output channels in tiles of two vectors (a remainder of a group
     * that fits one vector gets a one-vector tile): what {@link Packing#SPARSE} skips is decided per tile.
     */
    public int lanes() {
        return lanes;
    }

    /** The name used by {@value #ENV}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The ones this CPU (and OS) can run, from CPUID. */
    public static Set<Isa> supported() {
        NativeKernels.require();
        int bits = NativeKernels.supportedIsas();
        Set<Isa> isas = EnumSet.noneOf(Isa.class);
        for (Isa isa : values()) {
            if ((bits & (1 << isa.ordinal())) != 0) {
                isas.add(isa);
            }
        }
        return isas;
    }

    public boolean isSupported() {
        return supported().contains(this);
    }

    /** What a convolution uses unless told otherwise: {@value #ENV} if set, else the best supported. */
    public static Isa selected() {
        return selected(System.getenv(ENV), supported());
    }

    static Isa selected(String override, Set<Isa> supported) {
        if (override == null || override.isBlank()) {
            return supported.stream().max(Enum::compareTo).orElseThrow();
        }
        Isa isa;
        try {
            isa = parse(override.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(ENV + "=" + override + ": " + e.getMessage(), e);
        }
        if (!supported.contains(isa)) {
            throw new IllegalStateException(ENV + "=" + override + " but this CPU supports only " + keys(supported));
        }
        return isa;
    }

    /**
     * An on/off setting of the kernels from the environment variable {@code variable} ({@code value} its value, null
     * when unset: {@code byDefault}); case and surrounding blanks do not matter, anything else is refused by name.
     */
    static boolean onOff(String variable, String value, boolean byDefault) {
        String s = value == null ? (byDefault ? "on" : "off") : value.strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalStateException(variable + "=" + value + ": expected on or off");
        };
    }

    public static Isa parse(String key) {
        for (Isa isa : values()) {
            if (isa.key().equals(key.toLowerCase(Locale.ROOT))) {
                return isa;
            }
        }
        throw new IllegalArgumentException("unknown ISA '" + key + "', expected one of "
                + keys(EnumSet.allOf(Isa.class)));
    }

    private static String keys(Set<Isa> isas) {
        return isas.stream().map(Isa::key).collect(Collectors.joining(", "));
    }
}
