package io.dafedge.model.onnx;

/**
 * Bytes that break the protobuf wire format. Unchecked so the decoder stays terse; {@link OnnxParser} turns it into a
 * {@link io.dafedge.model.ModelException} that names the file.
 */
final class WireFormatException extends RuntimeException {
    WireFormatException(String message) {
        super(message);
    }
}
