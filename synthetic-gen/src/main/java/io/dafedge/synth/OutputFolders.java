package io.dafedge.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Batch commands write into a new or empty folder only, so a run never mixes with or overwrites another. */
public final class OutputFolders {
    /** Fills a folder. */
    @FunctionalInterface
    public interface Filler {
        void fill(Path dir) throws IOException;
    }

    private OutputFolders() {
    }

    /**
     * Creates {@code dir} (which must be absent or empty) with the content {@code filler} writes, all at once: the
     * filler writes into a hidden sibling folder that is renamed into place when it is done, so a reader never
     * sees half a result, and a failure leaves nothing behind.
     */
    public static void writeAtomically(Path dir, Filler filler) throws IOException {
        requireEmptyOrAbsent(dir);
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".partial-");
        try {
            filler.fill(tmp);
            Files.deleteIfExists(dir); // absent, or empty as checked above: the rename needs the name free
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public static void requireEmptyOrAbsent(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("output folder " + dir + " exists and is not a folder");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new IOException("output folder " + dir + " is not empty; choose a new one");
            }
        }
    }
}
