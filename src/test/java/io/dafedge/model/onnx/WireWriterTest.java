package io.dafedge.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The wire-format encoder, read back by the decoder and compared byte for byte with the tests' own encoder. */
class WireWriterTest {
    @Test
    void everyFieldTypeReadsBackAndMatchesTheTestEncoder() {
        long[] ints = {0, 1, 127, 128, 300, 1L << 35, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        float[] floats = {1.5f, -2f, 3e-5f, Float.MAX_VALUE, Float.NEGATIVE_INFINITY};
        String text = "x".repeat(200) + " ünïcode";
        WireWriter inner = new WireWriter().varint(1, -2).string(2, "in");
        WireWriter w = new WireWriter();
        for (long v : ints) {
            w.varint(3, v);
        }
        w.float32(4, 0.1f).string(5, text).bytes(6, new byte[] {0, -1, 7}).message(7, inner)
                .packedVarints(8, ints).packedFloats(9, floats).packedVarints(10, new long[0])
                .packedFloats(11, new float[0]).varint(536_870_911, 5);

        Pb expected = new Pb();
        for (long v : ints) {
            expected.varint(3, v);
        }
        expected.fixed32(4, 0.1f).string(5, text).bytes(6, new byte[] {0, -1, 7})
                .message(7, new Pb().varint(1, -2).string(2, "in"))
                .packedVarints(8, ints).packedFloats(9, floats).varint(536_870_911, 5);
        assertArrayEquals(expected.toBytes(), w.toBytes(), "empty repeated fields are not written");

        WireReader r = new WireReader(w.toBytes());
        for (long v : ints) {
            assertEquals(v, r.int64(r.key(), "int"));
        }
        assertEquals(0.1f, r.float32(r.key(), "float"));
        assertEquals(text, r.string(r.key(), "string"));
        assertArrayEquals(new byte[] {0, -1, 7}, r.bytes(r.key(), "bytes"));
        WireReader sub = r.message(r.key(), "message");
        assertEquals(-2, sub.int32(sub.key(), "int32"));
        assertEquals("in", sub.string(sub.key(), "string"));
        assertFalse(sub.hasMore());
        ScalarList packedInts = new ScalarList();
        r.repeated(r.key(), "ints", WireReader.VARINT, packedInts);
        assertArrayEquals(ints, packedInts.toLongs());
        ScalarList packedFloats = new ScalarList();
        r.repeated(r.key(), "floats", WireReader.FIXED32, packedFloats);
        assertArrayEquals(floats, packedFloats.toFloats());
        int key = r.key();
        assertEquals(536_870_911, WireReader.field(key), "the largest field number");
        assertEquals(5, r.int64(key, "last"));
        assertFalse(r.hasMore());
    }
}
