package io.dafedge.kernels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Kernels generated for one model's sparse pointwise convolutions ({@link KernelGenerator}), compiled with the
 * system C compiler into a cache directory (the model bundle's {@code kernels/} folder) and attached: from then on
 * those convolutions, alone and in a {@link ConvChain}, run the generated code, with the same results to the bit.
 * <p>
 * The library's name is a SHA-256 of the source, the compiler's flags and its {@code --version}, so a library built
 * from other weights or by another compiler is never reused; it is compiled under a temporary name and renamed, so
 * a half-written one is never loaded. When no code can be had (no compiler, a failed compile, a directory that
 * cannot be written, a library that does not load) {@link #attach} throws {@link KernelBuildException} with the
 * reason and changes nothing: the convolutions keep the generic kernels.
 * <p>
 * {@link #close()} puts every convolution it attached back on the generic kernel (waiting for running calls) and
 * then unloads the library, so it may be closed before or after the convolutions.
 */
public final class GeneratedKernels implements AutoCloseable {
    /** Environment variable: {@code on} makes the appliance build and use generated kernels ({@link #wanted}). */
    public static final String ENV = "DAF_KERNELS_GENERATED";

    /**
     * Whether the appliance should build generated kernels for a network on {@code isa}: only when {@value #ENV} is
     * {@code on} (and never on the portable ISA, which they do not cover). Off by default because in the whole
     * network they measured slower than the generic kernels on both ISAs, although single layers ran 1.0 to 1.15
     * times as fast on AVX-512 and 1.1 to 1.55 on AVX2: the pruned student's stages took 4.0 to 4.8 ms on them
     * against 3.5 to 3.6 on AVX-512, and the pruned frame 0.95 to 1.01 of the dense one on AVX2 against 0.78 to
     * 0.87 (docs/kernels.md); by all appearances the fully unrolled code's size.
     *
     * @throws IllegalStateException when {@value #ENV} is neither on nor off
     */
    public static boolean wanted(Isa isa) {
        return wanted(isa, System.getenv(ENV));
    }

    static boolean wanted(Isa isa, String setting) {
        return Isa.onOff(ENV, setting, false) && isa != Isa.PORTABLE;
    }

    /** How to run the C compiler: the command (program and any fixed arguments) and how long a compile may take. */
    public record Compiler(List<String> command, Duration timeout) {
        public Compiler {
            if (command == null || command.isEmpty()) {
                throw new IllegalArgumentException("the compiler command must not be empty");
            }
            command = List.copyOf(command);
        }

        /** {@code gcc} from the PATH, 60 s. */
        public static Compiler gcc() {
            return new Compiler(List.of("gcc"), Duration.ofSeconds(60));
        }
    }

    private final long library;
    private final Path file;
    private final List<Conv2d> convs;
    private final boolean compiled;
    private final int skipped;
    private boolean closed;

    private GeneratedKernels(long library, Path file, List<Conv2d> convs, boolean compiled, int skipped) {
        this.library = library;
        this.file = file;
        this.convs = convs;
        this.compiled = compiled;
        this.skipped = skipped;
    }

    /** With {@link Compiler#gcc()}. */
    public static GeneratedKernels attach(List<Conv2d> convs, Path cacheDir) throws KernelBuildException {
        return attach(convs, cacheDir, Compiler.gcc());
    }

    /**
     * Generates, compiles (or finds in {@code cacheDir}) and attaches code for every {@link KernelGenerator#eligible}
     * convolution of the list that shares the first eligible one's ISA; the others are left alone and counted in
     * {@link #skipped()}. With none eligible nothing is compiled and {@link #attached()} is 0.
     *
     * @throws KernelBuildException with the reason when no code could be built or loaded; nothing is attached then
     */
    public static GeneratedKernels attach(List<Conv2d> convs, Path cacheDir, Compiler compiler)
            throws KernelBuildException {
        Set<Conv2d> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Conv2d> chosen = new ArrayList<>();
        Isa isa = null;
        for (Conv2d c : convs) {
            if (!seen.add(c) || !KernelGenerator.eligible(c) || (isa != null && c.isa() != isa)) {
                continue;
            }
            isa = c.isa();
            chosen.add(c);
        }
        int skipped = seen.size() - chosen.size();
        if (chosen.isEmpty()) {
            return new GeneratedKernels(0, null, List.of(), false, skipped);
        }
        KernelGenerator.Source source = KernelGenerator.generate(chosen);
        List<String> flags = flags(source.isa());
        String version = version(compiler, cacheDir);
        String name = "dkg-" + sha256(source.code() + "\n" + String.join(" ", flags) + "\n" + version);
        Path file = cacheDir.resolve(name + ".so");
        boolean compiled = false;
        if (!Files.isRegularFile(file)) {
            compile(source.code(), cacheDir, name, flags, compiler);
            compiled = true;
        }
        long library;
        try {
            library = open(file);
        } catch (KernelBuildException e) {
            if (compiled) {
                throw e;
            }
            // a cached library that no longer loads (damaged on disk): built again, once
            compile(source.code(), cacheDir, name, flags, compiler);
            compiled = true;
            library = open(file);
        }
        List<Conv2d> attached = new ArrayList<>(chosen.size());
        for (KernelGenerator.Layer layer : source.layers()) {
            int status;
            try {
                status = layer.conv().attachGenerated(library, layer.symbol());
            } catch (IllegalStateException e) {
                status = Integer.MIN_VALUE;
            }
            if (status != 0) {
                for (Conv2d c : attached) {
                    c.detachGenerated(library);
                }
                NativeKernels.closeGenerated(library);
                throw new KernelBuildException("cannot attach " + layer.symbol() + " of " + file + " to "
                        + layer.conv() + ": " + attachError(status), null);
            }
            attached.add(layer.conv());
        }
        return new GeneratedKernels(library, file, List.copyOf(attached), compiled, skipped);
    }

    /** The convolutions that run generated code (until {@link #close()}). */
    public List<Conv2d> convs() {
        return convs;
    }

    public int attached() {
        return convs.size();
    }

    /** Convolutions of the list that got no code: not sparse pointwise, portable, or another ISA than the first. */
    public int skipped() {
        return skipped;
    }

    /** The library, or null when nothing was eligible. */
    public Path library() {
        return file;
    }

    /** Whether this call ran the compiler (false: the library was in the cache, or nothing was eligible). */
    public boolean compiledNow() {
        return compiled;
    }

    /** The native library handle (0 when nothing was eligible), for tests that attach its code by hand. */
    long handle() {
        return library;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (library != 0) {
            convs.forEach(c -> c.detachGenerated(library));
            NativeKernels.closeGenerated(library);
        }
    }

    @Override
    public String toString() {
        return attached() == 0 ? "no generated kernels (" + skipped + " convolutions not eligible)"
                : attached() + " convolutions on generated kernels from " + file + (compiled ? " (compiled now)" : "")
                + (skipped > 0 ? ", " + skipped + " not eligible" : "");
    }

    static List<String> flags(Isa isa) {
        List<String> flags = new ArrayList<>(List.of("-O3", "-std=gnu11", "-shared", "-fPIC"));
        flags.addAll(isa == Isa.AVX512 ? List.of("-mavx512f", "-mfma") : List.of("-mavx2", "-mfma"));
        return flags;
    }

    /** The compiler's first line of {@code --version}: part of the library's name. */
    private static String version(Compiler compiler, Path cacheDir) throws KernelBuildException {
        List<String> command = new ArrayList<>(compiler.command());
        command.add("--version");
        String output = run(command, compiler.timeout(), null, "query the C compiler");
        return output.lines().findFirst().orElse("").strip();
    }

    /** Writes the source and compiles it to {@code name}.so, both under temporary names until complete. */
    private static void compile(String code, Path dir, String name, List<String> flags, Compiler compiler)
            throws KernelBuildException {
        Path source = dir.resolve(name + ".c");
        Path temp = null;
        try {
            Files.createDirectories(dir);
            Path tempSource = Files.createTempFile(dir, name, ".c.tmp");
            Files.writeString(tempSource, code, StandardCharsets.US_ASCII);
            move(tempSource, source);
            temp = Files.createTempFile(dir, name, ".so.tmp");
            List<String> command = new ArrayList<>(compiler.command());
            command.addAll(flags);
            command.addAll(List.of("-o", temp.toString(), source.toString()));
            run(command, compiler.timeout(), dir, "compile the generated kernels");
            move(temp, dir.resolve(name + ".so"));
            temp = null;
        } catch (IOException e) {
            throw new KernelBuildException("cannot write the generated kernels to " + dir + ": " + e, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover temporary file is never loaded (only the final name is)
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Runs a command to completion within the timeout: its output (stdout and stderr, through a temporary file in
     * {@code dir}, or the system's temporary directory when null), or why it failed.
     */
    private static String run(List<String> command, Duration timeout, Path dir, String what)
            throws KernelBuildException {
        Path log = null;
        try {
            log = dir == null ? Files.createTempFile("dkg-", ".log") : Files.createTempFile(dir, "dkg-", ".log");
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new KernelBuildException("cannot " + what + ": '" + command.get(0) + "' does not run ("
                        + e.getMessage() + ")", e);
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new KernelBuildException("cannot " + what + ": '" + String.join(" ", command)
                        + "' took more than " + timeout.toSeconds() + " s", null);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new KernelBuildException("cannot " + what + ": '" + String.join(" ", command) + "' exited with "
                        + process.exitValue() + ": " + tail(output), null);
            }
            return output;
        } catch (IOException e) {
            throw new KernelBuildException("cannot " + what + (dir == null ? "" : " in " + dir) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelBuildException("interrupted while trying to " + what, e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a leftover log is harmless
                }
            }
        }
    }

    /** The end of the compiler's output, where its errors are; enough for a log line. */
    private static String tail(String output) {
        String s = output.strip();
        return s.length() <= 2000 ? s : "..." + s.substring(s.length() - 2000);
    }

    private static long open(Path file) throws KernelBuildException {
        String[] error = new String[1];
        long library = NativeKernels.openGenerated(file.toAbsolutePath().toString(), error);
        if (library == 0) {
            throw new KernelBuildException("cannot load the generated kernels " + file + ": " + error[0], null);
        }
        return library;
    }

    private static String attachError(int status) {
        return switch (status) {
            case -1 -> "not a sparse pointwise convolution on avx2 or avx512";
            case -2 -> "the library has no such function";
            case -3 -> "the library was generated for another packing";
            case Integer.MIN_VALUE -> "the convolution is closed";
            default -> "status " + status;
        };
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
