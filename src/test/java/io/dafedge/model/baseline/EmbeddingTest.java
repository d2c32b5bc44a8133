package io.dafedge.model.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dafedge.model.FeatureMap;
import io.dafedge.model.Maps;
import io.dafedge.model.ModelException;
import org.junit.jupiter.api.Test;

class EmbeddingTest {
    private static final int[] TEACHER = {3, 4, 5};

    static float[] random(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextDouble() * 4 - 2);
        }
        return v;
    }

    /** A pyramid for a 32 px input: 8x8, 4x4 and 2x2 maps. */
    static FeatureMap[] pyramid(long seed) {
        FeatureMap[] maps = new FeatureMap[3];
        for (int l = 0; l < 3; l++) {
            int side = 8 >> l;
            maps[l] = new FeatureMap(TEACHER[l], side, side, random(TEACHER[l] * side * side, seed + l));
        }
        return maps;
    }

    @Test
    void average3x3EqualsANaiveZeroPaddedMeanOverNine() {
        int w = 7;
        int h = 5;
        float[] v = random(w * h, 1);
        float[] fast = Embedding.average3x3(v, w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        s += yy >= 0 && yy < h && xx >= 0 && xx < w ? v[yy * w + xx] : 0;
                    }
                }
                assertEquals(s / 9, fast[y * w + x], 1e-6, "(" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void nearestReplicatesEachSourcePixelOverItsBlock() {
        float[] v = random(3 * 2, 2);
        float[] up = Embedding.nearest(v, 3, 2, 12, 8);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 12; x++) {
                assertEquals(v[(y / 4) * 3 + x / 4], up[y * 12 + x]);
            }
        }
    }

    @Test
    void patchCoreEmbeddingIsPooledUpsampledAndConcatenatedPerPosition() {
        FeatureMap[] maps = pyramid(3);
        Embedding e = Embedding.patchCore(TEACHER);
        assertEquals(4 + 5, e.dim());
        assertEquals(4, e.gridSide(32));
        float[] out = e.embed(maps);
        assertEquals(16 * 9, out.length);
        float[] level2 = Maps.resize(Embedding.average3x3(plane(maps[2], 3), 2, 2), 2, 2, 4, 4);
        for (int p = 0; p < 16; p++) {
            assertEquals(Embedding.average3x3(plane(maps[1], 1), 4, 4)[p], out[p * 9 + 1], 1e-6);
            assertEquals(level2[p], out[p * 9 + 4 + 3], 1e-6);
        }
    }

    @Test
    void padimEmbeddingKeepsASeededSubsetOfAllLevelsAtStride4() {
        FeatureMap[] maps = pyramid(4);
        Embedding e = Embedding.padim(TEACHER, 7, 11);
        assertEquals(7, e.dim());
        assertEquals(8, e.gridSide(32));
        int[] chosen = channels(e);
        assertArrayEquals(chosen, channels(Embedding.padim(TEACHER, 7, 11)), "same seed, same channels");
        assertNotEquals(Arrays.toString(chosen), Arrays.toString(channels(Embedding.padim(TEACHER, 7, 12))));
        float[] out = e.embed(maps);
        for (int k = 0; k < 7; k++) {
            int g = chosen[k];
            int level = g < 3 ? 0 : g < 7 ? 1 : 2;
            int c = g - (level == 0 ? 0 : level == 1 ? 3 : 7);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    assertEquals(maps[level].get(c, y >> level, x >> level), out[(y * 8 + x) * 7 + k]);
                }
            }
        }
        assertEquals(12, Embedding.padim(TEACHER, 100, 1).dim(), "never more channels than the teacher has");
    }

    @Test
    void manifestRoundTripRebuildsTheSameEmbeddingAndRefusesAMismatch() throws Exception {
        FeatureMap[] maps = pyramid(5);
        for (Embedding e : new Embedding[] {Embedding.patchCore(TEACHER), Embedding.padim(TEACHER, 6, 3)}) {
            Embedding back = Embedding.fromJson(e.toJson(), TEACHER, Path.of("b"));
            assertArrayEquals(e.embed(maps), back.embed(maps));
        }
        ObjectNode json = Embedding.patchCore(TEACHER).toJson();
        ModelException ex = assertThrows(ModelException.class, () -> Embedding.fromJson(json, new int[] {3, 4, 2}, Path.of("b")));
        assertTrue(ex.getMessage().contains("channels"), ex.getMessage());
        json.put("upsample", "cubic");
        ex = assertThrows(ModelException.class, () -> Embedding.fromJson(json, TEACHER, Path.of("b")));
        assertTrue(ex.getMessage().contains("cubic"), ex.getMessage());
    }

    private static float[] plane(FeatureMap m, int c) {
        int n = m.width() * m.height();
        return Arrays.copyOfRange(m.data(), c * n, (c + 1) * n);
    }

    private static int[] channels(Embedding e) {
        return StreamSupport.stream(e.toJson().get("channels").spliterator(), false).mapToInt(JsonNode::asInt).toArray();
    }
}
