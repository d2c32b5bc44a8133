package io.dafedge.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One category in MVTec AD layout: {@code train/good/*} (defect-free only), {@code test/good/*},
 * {@code test/<defect>/*} and {@code ground_truth/<defect>/<stem>_mask.png}. Training reads {@link #trainImages}
 * only: nothing here ever hands a {@code test/} file to training.
 */
public final class MvtecCategory {
    public static final String GOOD = "good";

    /** A test image: its path relative to {@code test/}, its defect type ({@code good} for none) and its mask. */
    public record TestImage(Path file, String relative, String defect, Path mask) {
        public boolean defective() {
            return !GOOD.equals(defect);
        }
    }

    private MvtecCategory() {
    }

    /** The files of {@code train/good}, sorted by name; an error naming the folder when it is missing or empty. */
    public static List<Path> trainImages(Path root) throws DatasetException {
        Path dir = root.resolve("train").resolve(GOOD);
        List<Path> files = files(dir);
        if (files.isEmpty()) {
            throw new DatasetException("training folder " + dir + " is empty: it must hold defect-free images");
        }
        return files;
    }

    /**
     * Every test image, sorted by defect type then name. Masks come from {@code ground_truth/}; a category without
     * that folder has no masks (pixel metrics are then not computed), but a category with it must have a mask for
     * every defective image.
     */
    public static List<TestImage> testImages(Path root) throws DatasetException {
        Path test = root.resolve("test");
        List<Path> types = dirs(test);
        if (types.isEmpty()) {
            throw new DatasetException("test folder " + test + " is missing or has no defect-type folders");
        }
        Path truth = root.resolve("ground_truth");
        boolean masks = Files.isDirectory(truth);
        List<TestImage> out = new ArrayList<>();
        for (Path type : types) {
            String defect = type.getFileName().toString();
            for (Path f : files(type)) {
                Path mask = null;
                if (masks && !GOOD.equals(defect)) {
                    mask = truth.resolve(defect).resolve(stem(f) + "_mask.png");
                    if (!Files.isRegularFile(mask)) {
                        throw new DatasetException("mask " + mask + " for test image " + f + " is missing");
                    }
                }
                out.add(new TestImage(f, defect + "/" + f.getFileName(), defect, mask));
            }
        }
        return out;
    }

    public static boolean hasMasks(Path root) {
        return Files.isDirectory(root.resolve("ground_truth"));
    }

    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static List<Path> files(Path dir) throws DatasetException {
        return list(dir, false);
    }

    private static List<Path> dirs(Path dir) throws DatasetException {
        return list(dir, true);
    }

    private static List<Path> list(Path dir, boolean folders) throws DatasetException {
        if (!Files.isDirectory(dir)) {
            if (folders) {
                return List.of();
            }
            throw new DatasetException("folder " + dir + " does not exist");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> folders ? Files.isDirectory(p) : Files.isRegularFile(p))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new DatasetException("cannot list " + dir + ": " + e.getMessage());
        }
    }
}
