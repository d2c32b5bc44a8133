package io.dafedge.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dafedge.Version;
import io.dafedge.synth.OutputFolders;

/**
 * A trained model on disk: a folder with {@code manifest.json}, the weights as .npy files and a copy of the teacher
 * ({@code teacher.onnx}), so a bundle is self-contained. Written once, atomically (built in a hidden sibling folder
 * and renamed into place), never modified afterwards.
 */
public final class ModelBundle {
    public static final int FORMAT_VERSION = 1;
    public static final String MANIFEST = "manifest.json";
    public static final String TEACHER = "teacher.onnx";
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final ObjectNode manifest;

    private ModelBundle(Path dir, ObjectNode manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    public static ModelBundle open(Path dir) throws ModelException {
        Path file = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new ModelException(dir + " is not a model bundle: " + MANIFEST + " is missing");
        }
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode m) || !m.path("format_version").canConvertToInt() || !m.path("method").isTextual()) {
            throw new ModelException(file + " lacks format_version or method");
        }
        int version = m.get("format_version").intValue();
        if (version > FORMAT_VERSION) {
            throw new ModelException(file + " has bundle format version " + version + "; this daf-edge ("
                    + Version.get() + ") reads up to version " + FORMAT_VERSION + ": upgrade daf-edge");
        }
        return new ModelBundle(dir, m);
    }

    public Path dir() {
        return dir;
    }

    /** The manifest, read-only by convention: a bundle is never modified. */
    public JsonNode manifest() {
        return manifest;
    }

    public String method() {
        return manifest.get("method").asText();
    }

    public String id() {
        return manifest.path("id").asText();
    }

    public Preprocessing preprocessing() {
        JsonNode in = manifest.path("input");
        return new Preprocessing(in.path("size").asInt(), floats(in.path("mean")), floats(in.path("std")));
    }

    /** Opens the bundle's copy of the teacher, checking it is the file the model was trained with. */
    public OnnxTeacher openTeacher(int threads) throws ModelException {
        return OnnxTeacher.open(teacherFile(), threads);
    }

    /** The bundle's copy of the teacher, checked against the SHA-256 the manifest records. */
    public Path teacherFile() throws ModelException {
        Path file = dir.resolve(TEACHER);
        if (!Files.isRegularFile(file)) {
            throw new ModelException("bundle " + dir + " has no " + TEACHER);
        }
        String expected = manifest.path("teacher").path("sha256").asText();
        if (!OnnxTeacher.sha256(file).equals(expected)) {
            throw new ModelException(file + " does not match the SHA-256 in " + MANIFEST + " (" + expected + ")");
        }
        return file;
    }

    public Npy.Array array(String name) throws ModelException {
        Path file = dir.resolve(name + ".npy");
        try {
            return Npy.read(file);
        } catch (IOException e) {
            throw new ModelException("bundle " + dir + ": cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    public static Builder builder(String method, Preprocessing pre, OnnxTeacher teacher) {
        return new Builder(method, pre, teacher);
    }

    /** Collects a new bundle's manifest and arrays; {@link #writeTo} puts it on disk in one step. */
    public static final class Builder {
        private final ObjectNode manifest = JSON.createObjectNode();
        private final Map<String, Npy.Array> arrays = new LinkedHashMap<>();
        private final OnnxTeacher teacher;

        private Builder(String method, Preprocessing pre, OnnxTeacher teacher) {
            this.teacher = teacher;
            manifest.put("format_version", FORMAT_VERSION);
            manifest.put("id", UUID.randomUUID().toString());
            manifest.put("method", method);
            manifest.put("created_at", Instant.now().toString());
            manifest.put("daf_edge_version", Version.get());
            ObjectNode in = manifest.putObject("input");
            in.put("size", pre.size());
            in.put("color", "RGB");
            in.put("scale", "1/255");
            ArrayNode mean = in.putArray("mean");
            ArrayNode std = in.putArray("std");
            for (int c = 0; c < 3; c++) {
                mean.add(pre.mean()[c]);
                std.add(pre.std()[c]);
            }
            in.put("resize", "square, area averaging when shrinking, bilinear when enlarging");
            ObjectNode t = manifest.putObject("teacher");
            t.put("file", teacher.file().getFileName().toString());
            t.put("sha256", teacher.sha256());
            ArrayNode ch = t.putArray("channels");
            for (int c : teacher.channels()) {
                ch.add(c);
            }
            ArrayNode strides = t.putArray("strides");
            for (int s : OnnxTeacher.STRIDES) {
                strides.add(s);
            }
        }

        /** The manifest under construction, for the method's configuration, training summary and metrics. */
        public ObjectNode manifest() {
            return manifest;
        }

        public Builder array(String name, int[] shape, float[] data) {
            arrays.put(name, new Npy.Array(shape, data));
            return this;
        }

        /** Writes the bundle into {@code dir}, which must not exist or be empty; nothing is left behind on failure. */
        public ModelBundle writeTo(Path dir) throws IOException {
            OutputFolders.writeAtomically(dir, tmp -> {
                for (Map.Entry<String, Npy.Array> a : arrays.entrySet()) {
                    Npy.write(tmp.resolve(a.getKey() + ".npy"), a.getValue().shape(), a.getValue().data());
                }
                Files.copy(teacher.file(), tmp.resolve(TEACHER));
                JSON.writeValue(tmp.resolve(MANIFEST).toFile(), manifest);
            });
            return new ModelBundle(dir, manifest.deepCopy());
        }
    }
}
