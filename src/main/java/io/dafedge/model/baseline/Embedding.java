package io.dafedge.model.baseline;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dafedge.model.FeatureMap;
import io.dafedge.model.Maps;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelException;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.synth.Image;

/**
 * How PatchCore and PaDiM turn the teacher's pyramid into one feature vector per position of a grid: some levels,
 * each optionally averaged over its 3x3 neighbourhood, upsampled to the grid of the finest level used, concatenated
 * along channels, and optionally reduced to a subset of those channels. The result is position-major
 * ({@code positions x dim}), so one position's vector is contiguous for the nearest-neighbour and Gaussian code.
 */
final class Embedding {
    /** Interpolation of the coarser levels onto the grid. */
    enum Upsample {
        /** PyTorch's {@code mode='nearest'}: source index {@code floor(dst * in / out)}. */
        NEAREST,
        /** {@link Maps#resize}: PyTorch's {@code mode='bilinear', align_corners=False}. */
        BILINEAR
    }

    private final int[] levels;
    private final boolean localAverage;
    private final Upsample upsample;
    private final int[] channels;
    private final int[] levelOf;
    private final int[] channelOf;

    private Embedding(int[] levels, boolean localAverage, Upsample upsample, int[] channels, int[] teacherChannels) {
        this.levels = levels;
        this.localAverage = localAverage;
        this.upsample = upsample;
        this.channels = channels;
        int[] level = new int[total(levels, teacherChannels)];
        int[] channel = new int[level.length];
        int k = 0;
        for (int l : levels) {
            for (int c = 0; c < teacherChannels[l]; c++, k++) {
                level[k] = l;
                channel[k] = c;
            }
        }
        this.levelOf = level;
        this.channelOf = channel;
    }

    /** PatchCore's: strides 8 and 16, locally aware (3x3 average), bilinear onto the stride-8 grid, all channels. */
    static Embedding patchCore(int[] teacherChannels) {
        int[] levels = {1, 2};
        return new Embedding(levels, true, Upsample.BILINEAR,
                IntStream.range(0, total(levels, teacherChannels)).toArray(), teacherChannels);
    }

    /**
     * PaDiM's: strides 4, 8 and 16, nearest-neighbour onto the stride-4 grid (as the reference code does), then
     * {@code keep} channels drawn at random with {@code seed} (all of them when there are fewer), in ascending order.
     */
    static Embedding padim(int[] teacherChannels, int keep, long seed) {
        int[] levels = {0, 1, 2};
        int total = total(levels, teacherChannels);
        int[] chosen = Sampling.subset(total, Math.min(keep, total), new SplittableRandom(seed));
        Arrays.sort(chosen);
        return new Embedding(levels, false, Upsample.NEAREST, chosen, teacherChannels);
    }

    private static int total(int[] levels, int[] teacherChannels) {
        int total = 0;
        for (int l : levels) {
            total += teacherChannels[l];
        }
        return total;
    }

    int dim() {
        return channels.length;
    }

    /** Side of the square grid for an input of {@code inputSize}: the finest level's. */
    int gridSide(int inputSize) {
        return inputSize / OnnxTeacher.STRIDES[levels[0]];
    }

    float[] embed(OnnxTeacher teacher, Preprocessing pre, Image image) {
        return embed(teacher.extract(pre.tensor(image), pre.size()));
    }

    /** The {@code positions x dim} embedding of one image's pyramid. */
    float[] embed(FeatureMap[] maps) {
        FeatureMap grid = maps[levels[0]];
        int w = grid.width();
        int h = grid.height();
        int dim = channels.length;
        float[] out = new float[w * h * dim];
        for (int k = 0; k < dim; k++) {
            FeatureMap m = maps[levelOf[channels[k]]];
            int plane = m.width() * m.height();
            int c = channelOf[channels[k]];
            float[] v = Arrays.copyOfRange(m.data(), c * plane, (c + 1) * plane);
            if (localAverage) {
                v = average3x3(v, m.width(), m.height());
            }
            if (m.width() != w || m.height() != h) {
                v = upsample == Upsample.BILINEAR ? Maps.resize(v, m.width(), m.height(), w, h)
                        : nearest(v, m.width(), m.height(), w, h);
            }
            for (int p = 0; p < v.length; p++) {
                out[p * dim + k] = v[p];
            }
        }
        return out;
    }

    /**
     * Mean over the 3x3 neighbourhood, stride 1, zero padding, always divided by 9 (PyTorch's
     * {@code avg_pool2d(3, 1, 1)} with its default {@code count_include_pad=True}, as anomalib's PatchCore).
     */
    static float[] average3x3(float[] plane, int w, int h) {
        float[] rows = new float[w * h];
        for (int y = 0; y < h; y++) {
            int r = y * w;
            for (int x = 0; x < w; x++) {
                float s = plane[r + x];
                if (x > 0) {
                    s += plane[r + x - 1];
                }
                if (x < w - 1) {
                    s += plane[r + x + 1];
                }
                rows[r + x] = s;
            }
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = rows[y * w + x];
                if (y > 0) {
                    s += rows[(y - 1) * w + x];
                }
                if (y < h - 1) {
                    s += rows[(y + 1) * w + x];
                }
                out[y * w + x] = s / 9f;
            }
        }
        return out;
    }

    /** PyTorch's {@code interpolate(mode='nearest')}: output pixel (x, y) takes source (x * sw / dw, y * sh / dh) rounded down. */
    static float[] nearest(float[] src, int sw, int sh, int dw, int dh) {
        float[] out = new float[dw * dh];
        for (int y = 0; y < dh; y++) {
            int sy = (int) ((long) y * sh / dh);
            for (int x = 0; x < dw; x++) {
                out[y * dw + x] = src[sy * sw + (int) ((long) x * sw / dw)];
            }
        }
        return out;
    }

    /** The recipe as recorded in a bundle's manifest, enough for {@link #fromJson} to rebuild it. */
    ObjectNode toJson() {
        ObjectNode n = ModelBundle.JSON.createObjectNode();
        ArrayNode lv = n.putArray("levels");
        ArrayNode st = n.putArray("strides");
        for (int l : levels) {
            lv.add(l);
            st.add(OnnxTeacher.STRIDES[l]);
        }
        n.put("local_average_3x3", localAverage);
        n.put("upsample", upsample.name().toLowerCase(Locale.ROOT));
        n.put("dim", channels.length);
        ArrayNode ch = n.putArray("channels");
        for (int c : channels) {
            ch.add(c);
        }
        return n;
    }

    /** Rebuilds a recipe from a manifest, refusing one that does not fit {@code teacherChannels}; {@code dir} names the bundle. */
    static Embedding fromJson(JsonNode n, int[] teacherChannels, Path dir) throws ModelException {
        String where = "bundle " + dir + ": config.embedding";
        JsonNode lv = n.path("levels");
        JsonNode ch = n.path("channels");
        if (!lv.isArray() || lv.isEmpty() || !ch.isArray() || ch.isEmpty() || !n.path("local_average_3x3").isBoolean()
                || !n.path("upsample").isTextual()) {
            throw new ModelException(where + " is missing or incomplete (levels, channels, local_average_3x3, upsample)");
        }
        int[] levels = new int[lv.size()];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = lv.get(i).asInt(-1);
            if (levels[i] < 0 || levels[i] >= teacherChannels.length || (i > 0 && levels[i] <= levels[i - 1])) {
                throw new ModelException(where + ".levels " + lv + " is not an ascending list of teacher levels 0.."
                        + (teacherChannels.length - 1));
            }
        }
        int total = total(levels, teacherChannels);
        int[] channels = new int[ch.size()];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = ch.get(i).asInt(-1);
            if (channels[i] < 0 || channels[i] >= total || (i > 0 && channels[i] <= channels[i - 1])) {
                throw new ModelException(where + ".channels is not an ascending list of indices below " + total
                        + ", the channels of the teacher's levels " + lv);
            }
        }
        Upsample up;
        try {
            up = Upsample.valueOf(n.get("upsample").asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelException(where + ".upsample '" + n.get("upsample").asText() + "' is not nearest or bilinear");
        }
        return new Embedding(levels, n.get("local_average_3x3").booleanValue(), up, channels, teacherChannels);
    }
}
