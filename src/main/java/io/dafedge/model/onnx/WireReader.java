package io.dafedge.model.onnx;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes the protobuf wire format from a byte range: a sequence of fields, each a key (field number and wire type)
 * followed by its value. Message parsers loop over {@link #key()} and hand each key to the reader for the field's
 * type, or to {@link #skip} for fields they do not know. Sub-messages are views over the same array, so byte offsets
 * in error messages are offsets in the whole file.
 */
final class WireReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;
    private static final String[] WIRE_TYPE_NAMES = {"varint", "fixed64", "length-delimited", "start-group",
            "end-group", "fixed32"};
    private static final long MAX_FIELD_NUMBER = (1L << 29) - 1;

    private final byte[] buf;
    private final int limit;
    private int pos;

    WireReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    private WireReader(byte[] buf, int from, int limit) {
        this.buf = buf;
        this.pos = from;
        this.limit = limit;
    }

    static int field(int key) {
        return key >>> 3;
    }

    static int wireType(int key) {
        return key & 7;
    }

    boolean hasMore() {
        return pos < limit;
    }

    /** The next field's key: field number {@code << 3 |} wire type. */
    int key() {
        int at = pos;
        long key = varint();
        long field = key >>> 3;
        if (field == 0 || field > MAX_FIELD_NUMBER || wireType((int) key) > FIXED32) {
            throw error(at, "invalid field key " + key + " (field " + field + ", wire type " + (key & 7) + ")");
        }
        return (int) key;
    }

    long int64(int key, String what) {
        expect(key, VARINT, what);
        return varint();
    }

    /** An int32 field; negative values arrive as 10-byte varints, whose low 32 bits are the value. */
    int int32(int key, String what) {
        return (int) int64(key, what);
    }

    float float32(int key, String what) {
        expect(key, FIXED32, what);
        return Float.intBitsToFloat(fixed32());
    }

    byte[] bytes(int key, String what) {
        expect(key, LEN, what);
        int n = length();
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    String string(int key, String what) {
        expect(key, LEN, what);
        int n = length();
        String out = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return out;
    }

    WireReader message(int key, String what) {
        expect(key, LEN, what);
        int n = length();
        WireReader sub = new WireReader(buf, pos, pos + n);
        pos += n;
        return sub;
    }

    /**
     * One occurrence of a repeated scalar field, appended to {@code out}: either a single element of
     * {@code elementWireType} (unpacked) or a length-delimited run of them (packed). Writers may mix both.
     */
    void repeated(int key, String what, int elementWireType, ScalarList out) {
        if (wireType(key) == elementWireType) {
            out.add(scalar(elementWireType));
            return;
        }
        if (wireType(key) != LEN) {
            throw wrongWireType(key, what, WIRE_TYPE_NAMES[elementWireType] + " or packed length-delimited");
        }
        int n = length();
        WireReader packed = new WireReader(buf, pos, pos + n);
        pos += n;
        while (packed.hasMore()) {
            out.add(packed.scalar(elementWireType));
        }
    }

    /** Skips the value of a field this parser does not know, as protobuf requires. */
    void skip(int key) {
        switch (wireType(key)) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LEN -> advance(length());
            case START_GROUP -> skipGroup(field(key));
            case FIXED32 -> advance(4);
            default -> throw error(pos, "end-group of field " + field(key) + " without a start-group");
        }
    }

    long varint() {
        int start = pos;
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw error(start, "truncated varint");
            }
            byte b = buf[pos++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw error(start, "varint longer than 10 bytes");
    }

    private long scalar(int wireType) {
        return switch (wireType) {
            case VARINT -> varint();
            case FIXED32 -> fixed32();
            case FIXED64 -> fixed64();
            default -> throw new IllegalArgumentException("not a scalar wire type: " + wireType);
        };
    }

    private int fixed32() {
        require(4);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16
                | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    private long fixed64() {
        long low = fixed32() & 0xFFFFFFFFL;
        return low | (long) fixed32() << 32;
    }

    private void skipGroup(int field) {
        while (true) {
            if (!hasMore()) {
                throw error(pos, "group of field " + field + " is not closed");
            }
            int at = pos;
            int key = key();
            if (wireType(key) == END_GROUP) {
                if (field(key) != field) {
                    throw error(at, "end-group of field " + field(key) + " closes the group of field " + field);
                }
                return;
            }
            skip(key);
        }
    }

    private int length() {
        int at = pos;
        long n = varint();
        if (n < 0 || n > limit - pos) {
            throw error(at, "length " + n + " runs past the end of its message (" + (limit - pos) + " bytes left)");
        }
        return (int) n;
    }

    private void advance(int n) {
        require(n);
        pos += n;
    }

    private void require(int n) {
        if (limit - pos < n) {
            throw error(pos, "truncated value: needs " + n + " bytes, " + (limit - pos) + " left");
        }
    }

    private void expect(int key, int wireType, String what) {
        if (wireType(key) != wireType) {
            throw wrongWireType(key, what, WIRE_TYPE_NAMES[wireType]);
        }
    }

    private WireFormatException wrongWireType(int key, String what, String expected) {
        return error(pos, what + " (field " + field(key) + ") has wire type " + WIRE_TYPE_NAMES[wireType(key)]
                + ", expected " + expected);
    }

    private WireFormatException error(int at, String message) {
        return new WireFormatException(message + " at byte " + at);
    }
}
