package io.dafedge.model.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the protobuf wire format, the counterpart of {@link WireReader}: each call appends one field (key, then
 * value). A sub-message is written into its own writer first, since its length must precede it. Repeated numbers
 * are written packed, as proto3 does and every reader of onnx.proto accepts.
 */
final class WireWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    WireWriter varint(int field, long value) {
        key(field, WireReader.VARINT);
        rawVarint(value);
        return this;
    }

    WireWriter float32(int field, float value) {
        key(field, WireReader.FIXED32);
        out.writeBytes(littleEndian(4).putFloat(value).array());
        return this;
    }

    WireWriter bytes(int field, byte[] value) {
        key(field, WireReader.LEN);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    WireWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    WireWriter message(int field, WireWriter message) {
        key(field, WireReader.LEN);
        rawVarint(message.out.size());
        out.writeBytes(message.toBytes());
        return this;
    }

    /** Nothing for an empty list, as protobuf writes an empty repeated field. */
    WireWriter packedVarints(int field, long[] values) {
        if (values.length == 0) {
            return this;
        }
        WireWriter body = new WireWriter();
        for (long v : values) {
            body.rawVarint(v);
        }
        return bytes(field, body.toBytes());
    }

    WireWriter packedFloats(int field, float[] values) {
        if (values.length == 0) {
            return this;
        }
        ByteBuffer b = littleEndian(4 * values.length);
        b.asFloatBuffer().put(values);
        return bytes(field, b.array());
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    private void key(int field, int wireType) {
        rawVarint((long) field << 3 | wireType);
    }

    /** Seven bits at a time, low first; a negative number takes all ten bytes, as protobuf encodes int32 and int64. */
    private void rawVarint(long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    static ByteBuffer littleEndian(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
