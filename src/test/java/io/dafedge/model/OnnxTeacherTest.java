package io.dafedge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import io.dafedge.synth.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared MobileNetV2 teacher through ONNX Runtime, and the refusals of files that break the contract. */
class OnnxTeacherTest {
    static Path models;

    @TempDir
    Path tmp;

    @BeforeAll
    static void shared() {
        Path shared = TestImages.shared();
        assumeTrue(shared != null, "../shared not present");
        models = shared.resolve("models");
    }

    @Test
    void findsThePyramidAtStrides4816WhateverTheOutputOrder() throws Exception {
        try (OnnxTeacher t = OnnxTeacher.open(models.resolve("mobilenetv2-float-from-int8_feat.onnx"), 2)) {
            assertArrayEquals(new int[] {24, 32, 96}, t.channels());
            assertEquals("73d43b3775e01cb9e41752ce715f73b697a1b88bc754e21eb9c00ba6388dd219", t.sha256());
            Preprocessing pre = Preprocessing.imagenet(256);
            float[] input = pre.tensor(TestImages.surface(300, 200, 3, 1));
            FeatureMap[] f = t.extract(input, 256);
            assertEquals(3, f.length);
            int[] sides = {64, 32, 16};
            for (int l = 0; l < 3; l++) {
                assertEquals(sides[l], f[l].height());
                assertEquals(sides[l], f[l].width());
            }
            assertArrayEquals(f[2].data(), t.extract(input, 256)[2].data(), "deterministic");
            boolean negative = false;
            for (float v : f[0].data()) {
                negative |= v < 0;
            }
            assertTrue(negative, "linear-bottleneck outputs are signed (see daf-method.md)");
        }
    }

    @Test
    void refusesAClassifierWithoutFeatureOutputs() {
        ModelException e = assertThrows(ModelException.class,
                () -> OnnxTeacher.open(models.resolve("mobilenetv2-12-int8.onnx"), 1));
        assertTrue(e.getMessage().contains("mobilenetv2-12-int8.onnx") && e.getMessage().contains("4-D outputs"),
                e.getMessage());
    }

    @Test
    void refusesMissingAndCorruptFiles() throws Exception {
        ModelException e = assertThrows(ModelException.class, () -> OnnxTeacher.open(tmp.resolve("none.onnx"), 1));
        assertTrue(e.getMessage().contains("none.onnx"), e.getMessage());
        Path junk = Files.writeString(tmp.resolve("junk.onnx"), "not a model");
        e = assertThrows(ModelException.class, () -> OnnxTeacher.open(junk, 1));
        assertTrue(e.getMessage().contains("junk.onnx"), e.getMessage());
    }
}
