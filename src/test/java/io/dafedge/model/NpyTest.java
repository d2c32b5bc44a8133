package io.dafedge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path tmp;

    @Test
    void writesNumpysVersion1LayoutByteForByte() throws Exception {
        Path f = tmp.resolve("a.npy");
        Npy.write(f, new int[] {2, 3}, new float[] {0, 1, 2, 3, 4, 5.5f});
        byte[] b = Files.readAllBytes(f);
        // what numpy.save writes for np.arange(6, dtype='<f4').reshape(2, 3) (with the last value 5.5)
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        int headerLength = 128 - 10;
        assertEquals(128 + 24, b.length);
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) headerLength, 0}, Arrays.copyOf(b, 10));
        String header = new String(b, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith(dict) && header.endsWith("\n") && header.trim().equals(dict), header);
        ByteBuffer data = ByteBuffer.wrap(b, 128, 24).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(5.5f, data.getFloat(128 + 20));
    }

    @Test
    void roundTripsAnyShape() throws Exception {
        for (int[] shape : new int[][] {{7}, {3, 4}, {2, 3, 4}, {1, 1, 1, 1}}) {
            int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            float[] data = new float[n];
            for (int i = 0; i < n; i++) {
                data[i] = i * 0.25f - 3;
            }
            Path f = tmp.resolve("s" + shape.length + ".npy");
            Npy.write(f, shape, data);
            Npy.Array back = Npy.read(f);
            assertArrayEquals(shape, back.shape());
            assertArrayEquals(data, back.data());
        }
    }

    @Test
    void refusesOtherTypesAndTruncatedFiles() throws Exception {
        Path f = tmp.resolve("x.npy");
        Npy.write(f, new int[] {4}, new float[4]);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 3));
        assertThrows(IOException.class, () -> Npy.read(f));
        byte[] f8 = new String(b, StandardCharsets.ISO_8859_1).replace("<f4", "<f8").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(f, f8);
        assertThrows(IOException.class, () -> Npy.read(f));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(f, new int[] {3}, new float[4]));
    }
}
