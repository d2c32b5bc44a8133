package io.dafedge.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Batch commands write into a new or empty folder only, so a run never mixes with or overwrites another. */
public final class OutputFolders {
    private OutputFolders() {
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
