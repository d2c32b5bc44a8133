package io.dafedge.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dafedge.model.baseline.Padim;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.TestImages;
import io.dafedge.synth.demo.DemoLine;
import io.dafedge.synth.demo.DemoProduct;

/** Real model bundles for tests that switch lines between models. */
public final class TestBundles {
    public static final int SIDE = 64;
    public static final DemoLine DEMO = new DemoLine(DemoProduct.FLANGE, SIDE, SIDE);

    private TestBundles() {
    }

    /**
     * A real PaDiM bundle fitted on a few small demo parts into {@code dir} (seconds); the calling test is skipped
     * without ../shared's teacher.
     */
    public static ModelBundle padim(Path dir, long seed) throws Exception {
        Path teacher = TestImages.teacher();
        Path images = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-images"));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            files.add(images.resolve(i + ".png"));
            ImageFiles.writePng(files.get(i), DEMO.good(seed + i));
        }
        try (OnnxTeacher t = OnnxTeacher.open(teacher, 1)) {
            return Padim.fit(t, Preprocessing.imagenet(SIDE), files, dir, seed, msg -> { });
        }
    }

    /**
     * A copy of {@code bundle} in {@code dir} as another model: its own id, and {@code extra} merged into the
     * manifest (a recorded threshold, metrics).
     */
    public static ModelBundle copy(ModelBundle bundle, Path dir, String id, ObjectNode extra) throws Exception {
        Files.createDirectories(dir);
        try (var files = Files.list(bundle.dir())) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        ObjectNode manifest = (ObjectNode) bundle.manifest().deepCopy();
        manifest.put("id", id);
        manifest.setAll(extra);
        ModelBundle.JSON.writeValue(dir.resolve(ModelBundle.MANIFEST).toFile(), manifest);
        return ModelBundle.open(dir);
    }
}
