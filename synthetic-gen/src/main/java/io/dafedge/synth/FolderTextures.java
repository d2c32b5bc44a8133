package io.dafedge.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Textures from a folder of images (e.g. the DTD set the paper uses), decoded once and kept in memory. */
public final class FolderTextures implements TextureSource {
    /** Textures are shrunk to at most this side on load: plenty for a defect, bounded memory for big photographs. */
    static final int MAX_SIDE = 512;
    private final List<Image> textures;

    private FolderTextures(List<Image> textures) {
        this.textures = textures;
    }

    /**
     * Loads every readable image in {@code dir} (sorted by name, so the order and hence the output is stable);
     * files that cannot be used are reported to {@code warn} and skipped.
     */
    public static FolderTextures load(Path dir, Consumer<String> warn) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("texture folder " + dir + " does not exist or is not a folder");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        List<Image> textures = new ArrayList<>();
        for (Path f : files) {
            try {
                Image img = ImageFiles.read(f).withoutAlpha();
                double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(img.width, img.height));
                textures.add(img.resize(Math.max(1, (int) Math.round(img.width * scale)),
                        Math.max(1, (int) Math.round(img.height * scale))));
            } catch (ImageReadException e) {
                warn.accept("skipping texture " + e.getMessage());
            }
        }
        if (textures.isEmpty()) {
            throw new IOException("texture folder " + dir + " holds no readable image");
        }
        return new FolderTextures(List.copyOf(textures));
    }

    public int size() {
        return textures.size();
    }

    @Override
    public Image texture(int width, int height, int channels, SplittableRandom rnd) {
        return TextureSource.window(textures.get(rnd.nextInt(textures.size())), width, height, channels, rnd);
    }
}
