package io.dafedge.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * float32 arrays in NumPy's .npy format (version 1.0, little-endian, C order): the weights of model bundles and the
 * anomaly maps of evaluation reports, readable by numpy.load for anyone checking our figures.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern HEADER = Pattern.compile(
            "\\{'descr': '<f4', 'fortran_order': False, 'shape': \\(([0-9, ]*)\\), \\}");

    /** A float32 array and its shape. */
    public record Array(int[] shape, float[] data) {
        public Array {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
            }
        }
    }

    private Npy() {
    }

    public static void write(Path file, int[] shape, float[] data) throws IOException {
        new Array(shape, data); // validates the shape
        String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + (shape.length == 1 ? "," : "") + "), }";
        // the whole preamble (magic, version, length, header) is padded to a multiple of 64 bytes, ending in '\n'
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer body = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(data);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(MAGIC);
            out.write(new byte[] {1, 0, (byte) (header.length() & 0xFF), (byte) (header.length() >> 8)});
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            out.write(body.array());
        }
    }

    public static Array read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] pre = in.readNBytes(10);
            if (pre.length < 10 || !Arrays.equals(Arrays.copyOf(pre, 6), MAGIC) || pre[6] != 1) {
                throw new IOException(file + " is not a version 1 .npy file");
            }
            int headerLength = (pre[8] & 0xFF) | (pre[9] & 0xFF) << 8;
            String header = new String(in.readNBytes(headerLength), StandardCharsets.US_ASCII).trim();
            Matcher m = HEADER.matcher(header.replace(",)", ")"));
            if (!m.matches()) {
                throw new IOException(file + " is not a little-endian float32 C-order .npy file: " + header);
            }
            int[] shape = Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .mapToInt(Integer::parseInt).toArray();
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE, n * 4));
            if (bytes.length != n * 4) {
                throw new IOException(file + " is truncated: " + bytes.length + " of " + n * 4 + " data bytes");
            }
            float[] data = new float[(int) n];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            return new Array(shape, data);
        }
    }
}
