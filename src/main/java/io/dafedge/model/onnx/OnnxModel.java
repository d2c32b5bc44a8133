package io.dafedge.model.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import io.dafedge.model.ModelException;

/**
 * An ONNX model file (ModelProto) read without the ONNX libraries: its IR version, operator set versions and main
 * graph. Immutable. Only the fields a converter needs are kept; the rest of the file is skipped.
 */
public final class OnnxModel {
    private final String source;
    private final long irVersion;
    private final String producerName;
    private final Map<String, Long> opsetVersions;
    private final OnnxGraph graph;

    OnnxModel(String source, long irVersion, String producerName, Map<String, Long> opsetVersions, OnnxGraph graph) {
        this.source = source;
        this.irVersion = irVersion;
        this.producerName = producerName;
        this.opsetVersions = Collections.unmodifiableMap(new LinkedHashMap<>(opsetVersions));
        this.graph = graph;
    }

    public static OnnxModel read(Path file) throws ModelException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelException("cannot read ONNX file " + file + ": " + e, e);
        }
        return read(bytes, file.toString());
    }

    /** Reads a model from its bytes; {@code source} names it in messages. */
    public static OnnxModel read(byte[] bytes, String source) throws ModelException {
        return OnnxParser.parse(bytes, source);
    }

    /** Where the model came from: the file's path, or the name given to {@link #read(byte[], String)}. */
    public String source() {
        return source;
    }

    public long irVersion() {
        return irVersion;
    }

    public String producerName() {
        return producerName;
    }

    /** Imported operator set versions by domain, as in the file ("" is the default ONNX domain). */
    public Map<String, Long> opsetVersions() {
        return opsetVersions;
    }

    /** The imported version of a domain's operator set; "" and "ai.onnx" both name the default domain. */
    public OptionalLong opsetVersion(String domain) {
        Long v = opsetVersions.get(domain);
        if (v == null && (domain.isEmpty() || domain.equals("ai.onnx"))) {
            v = opsetVersions.get(domain.isEmpty() ? "ai.onnx" : "");
        }
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    public OnnxGraph graph() {
        return graph;
    }
}
