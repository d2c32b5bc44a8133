package io.dafedge.model.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes protobuf wire format field by field for tests, malformed bytes included. */
final class Pb {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static byte[] varintBytes(long v) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while ((v & ~0x7FL) != 0) {
            b.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b.write((int) v);
        return b.toByteArray();
    }

    Pb raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    /** Appends another writer's fields, as a writer may interleave fields in any order. */
    Pb append(Pb other) {
        out.writeBytes(other.toBytes());
        return this;
    }

    Pb key(int field, int wireType) {
        out.writeBytes(varintBytes((long) field << 3 | wireType));
        return this;
    }

    Pb varint(int field, long v) {
        key(field, WireReader.VARINT);
        out.writeBytes(varintBytes(v));
        return this;
    }

    Pb fixed32(int field, float v) {
        key(field, WireReader.FIXED32);
        int bits = Float.floatToIntBits(v);
        return raw(bits & 0xFF, bits >>> 8 & 0xFF, bits >>> 16 & 0xFF, bits >>> 24);
    }

    Pb fixed64(int field, double v) {
        key(field, WireReader.FIXED64);
        long bits = Double.doubleToLongBits(v);
        for (int i = 0; i < 8; i++) {
            out.write((int) (bits >>> 8 * i) & 0xFF);
        }
        return this;
    }

    Pb bytes(int field, byte[] b) {
        key(field, WireReader.LEN);
        out.writeBytes(varintBytes(b.length));
        out.writeBytes(b);
        return this;
    }

    Pb string(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Pb message(int field, Pb m) {
        return bytes(field, m.toBytes());
    }

    Pb packedVarints(int field, long... values) {
        Pb body = new Pb();
        for (long v : values) {
            body.out.writeBytes(varintBytes(v));
        }
        return bytes(field, body.toBytes());
    }

    Pb packedFloats(int field, float... values) {
        Pb body = new Pb();
        for (float v : values) {
            int bits = Float.floatToIntBits(v);
            body.raw(bits & 0xFF, bits >>> 8 & 0xFF, bits >>> 16 & 0xFF, bits >>> 24);
        }
        return bytes(field, body.toBytes());
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
