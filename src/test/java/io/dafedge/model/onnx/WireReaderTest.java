package io.dafedge.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/** The protobuf wire-format decoder on hand-built bytes. */
class WireReaderTest {
    @Test
    void decodesVarintsOfEveryLength() {
        long[] values = {0, 1, 127, 128, 300, 16_383, 16_384, 1L << 31, 1L << 35, Long.MAX_VALUE, -1, -2,
                Long.MIN_VALUE};
        for (long v : values) {
            WireReader r = new WireReader(Pb.varintBytes(v));
            assertEquals(v, r.varint());
            assertFalse(r.hasMore());
        }
        assertArrayEquals(bytes(0xAC, 0x02), Pb.varintBytes(300));
        // negative int64 (and int32) values always take 10 bytes, the last holding only bit 63
        assertArrayEquals(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), Pb.varintBytes(-1));
    }

    @Test
    void readsNegativeInt32InTenByteAndFiveByteForm() {
        WireReader tenBytes = new WireReader(new Pb().varint(2, -2).toBytes());
        assertEquals(-2, tenBytes.int32(tenBytes.key(), "x"));
        Pb fiveByteVarint = new Pb().key(2, WireReader.VARINT).raw(0xFE, 0xFF, 0xFF, 0xFF, 0x0F);
        WireReader fiveBytes = new WireReader(fiveByteVarint.toBytes());
        assertEquals(-2, fiveBytes.int32(fiveBytes.key(), "x"));
    }

    @Test
    void refusesTruncatedAndOverlongVarints() {
        assertRefused(bytes(0x80), r -> r.varint(), "truncated varint at byte 0");
        assertRefused(bytes(0x08, 0xFF, 0xFF), r -> r.int64(r.key(), "x"), "truncated varint at byte 1");
        assertRefused(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), r -> r.varint(),
                "varint longer than 10 bytes at byte 0");
    }

    @Test
    void packedAndUnpackedRepeatedFieldsGiveTheSameValues() {
        long[] ints = {1, 300, -1, 0, Long.MAX_VALUE};
        Pb unpacked = new Pb();
        for (long v : ints) {
            unpacked.varint(8, v);
        }
        assertArrayEquals(ints, repeated(unpacked, WireReader.VARINT).toLongs());
        assertArrayEquals(ints, repeated(new Pb().packedVarints(8, ints), WireReader.VARINT).toLongs());
        // a writer may split one field into packed runs and single elements
        Pb mixed = new Pb().packedVarints(8, 1, 300).varint(8, -1).packedVarints(8, 0, Long.MAX_VALUE);
        assertArrayEquals(ints, repeated(mixed, WireReader.VARINT).toLongs());

        float[] floats = {1.5f, -2f, 3e-5f, Float.MAX_VALUE};
        Pb unpackedFloats = new Pb();
        for (float v : floats) {
            unpackedFloats.fixed32(7, v);
        }
        assertArrayEquals(floats, repeated(unpackedFloats, WireReader.FIXED32).toFloats());
        assertArrayEquals(floats, repeated(new Pb().packedFloats(7, floats), WireReader.FIXED32).toFloats());

        Pb doubles = new Pb().fixed64(10, 0.1).fixed64(10, -1e300);
        assertArrayEquals(new double[] {0.1, -1e300}, repeated(doubles, WireReader.FIXED64).toDoubles());
        assertEquals(0, repeated(new Pb().packedVarints(8), WireReader.VARINT).size(), "an empty packed run");
    }

    @Test
    void skipsUnknownFieldsOfEveryWireType() {
        Pb group = new Pb().key(96, WireReader.START_GROUP).varint(1, 5)
                .key(2, WireReader.START_GROUP).fixed32(3, 1f).string(4, "inner").key(2, WireReader.END_GROUP)
                .key(96, WireReader.END_GROUP);
        Pb message = new Pb().varint(99, -7).fixed64(98, 2.5).string(97, "skip me").append(group)
                .fixed32(95, 3f).string(1, "kept").varint(1_000_000, 1);
        WireReader r = new WireReader(message.toBytes());
        String kept = null;
        int skipped = 0;
        while (r.hasMore()) {
            int key = r.key();
            if (WireReader.field(key) == 1) {
                kept = r.string(key, "kept");
            } else {
                r.skip(key);
                skipped++;
            }
        }
        assertEquals("kept", kept);
        assertEquals(6, skipped);
    }

    @Test
    void refusesAKnownFieldWithTheWrongWireType() {
        assertRefused(new Pb().varint(1, 3).toBytes(), r -> r.string(r.key(), "NodeProto.name"),
                "NodeProto.name (field 1) has wire type varint, expected length-delimited");
        assertRefused(new Pb().varint(4, 3).toBytes(),
                r -> r.repeated(r.key(), "TensorProto.float_data", WireReader.FIXED32, new ScalarList()),
                "TensorProto.float_data (field 4) has wire type varint, expected fixed32 or packed length-delimited");
        assertRefused(new Pb().string(2, "x").toBytes(), r -> r.float32(r.key(), "AttributeProto.f"),
                "expected fixed32");
    }

    @Test
    void refusesTruncatedValuesAndBrokenKeys() {
        assertRefused(new Pb().key(9, WireReader.LEN).raw(5, 1, 2).toBytes(), r -> r.bytes(r.key(), "raw_data"),
                "length 5 runs past the end of its message (2 bytes left) at byte 1");
        assertRefused(new Pb().key(2, WireReader.FIXED32).raw(1, 2).toBytes(), r -> r.float32(r.key(), "f"),
                "truncated value: needs 4 bytes, 2 left");
        assertRefused(new Pb().key(5, WireReader.FIXED64).raw(1, 2, 3, 4, 5, 6, 7).toBytes(), r -> r.skip(r.key()),
                "needs 8 bytes, 7 left");
        // the last element of a packed run may not run past the run's own length
        assertRefused(new Pb().key(8, WireReader.LEN).raw(1, 0x80, 0x01).toBytes(),
                r -> r.repeated(r.key(), "ints", WireReader.VARINT, new ScalarList()), "truncated varint at byte 2");
        assertRefused(new Pb().key(3, WireReader.START_GROUP).varint(1, 1).toBytes(), r -> r.skip(r.key()),
                "group of field 3 is not closed");
        assertRefused(new Pb().key(3, WireReader.START_GROUP).key(4, WireReader.END_GROUP).toBytes(),
                r -> r.skip(r.key()), "end-group of field 4 closes the group of field 3");
        assertRefused(new Pb().key(3, WireReader.END_GROUP).toBytes(), r -> r.skip(r.key()),
                "end-group of field 3 without a start-group");
        assertRefused(bytes(0x00, 0x01), WireReader::key, "invalid field key 0");
        assertRefused(new Pb().key(1, 6).toBytes(), WireReader::key, "wire type 6");
    }

    @Test
    void aSubMessageEndsAtItsLength() {
        // field 1 holds 2 bytes: a key and the first byte of a varint whose rest lies outside the sub-message
        WireReader outer = new WireReader(new Pb().key(1, WireReader.LEN).raw(2, 0x08, 0x80, 0x01).toBytes());
        WireReader inner = outer.message(outer.key(), "m");
        assertTrue(outer.hasMore());
        assertRefused(inner, r -> r.int64(r.key(), "x"), "truncated varint at byte 3");
    }

    private static ScalarList repeated(Pb field, int elementWireType) {
        WireReader r = new WireReader(field.toBytes());
        ScalarList out = new ScalarList();
        while (r.hasMore()) {
            r.repeated(r.key(), "values", elementWireType, out);
        }
        return out;
    }

    private static void assertRefused(byte[] bytes, Consumer<WireReader> read, String message) {
        assertRefused(new WireReader(bytes), read, message);
    }

    private static void assertRefused(WireReader r, Consumer<WireReader> read, String message) {
        WireFormatException e = assertThrows(WireFormatException.class, () -> read.accept(r));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
