package io.dafedge.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where a line's good frames for training live: {@code <data-dir>/lines/<line>/collected/}, as PNGs. The frames of a
 * line without a model and the good frames operators keep from reviews are written there; on-site training reads
 * them, and the pages count them, all through this one definition.
 */
public final class TrainingMaterial {
    private TrainingMaterial() {
    }

    /** The line's folder, below the data folder's {@code lines/}. */
    public static Path folder(Path linesDir, String line) {
        return linesDir.resolve(line).resolve("collected");
    }

    /**
     * The PNGs in the folder, in a stable order (files being written are not PNGs by name yet); none when the folder
     * does not exist.
     */
    public static List<Path> frames(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> Files.isRegularFile(p)
                    && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")).sorted().toList();
        }
    }
}
