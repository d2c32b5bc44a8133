package io.dafedge.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Splits a byte stream into encoded frames. With a multipart boundary ({@code multipart/x-mixed-replace}, as MJPEG
 * cameras and ffmpeg's {@code mpjpeg} muxer write it) each part is cut by its Content-Length, which works for any
 * image format; a part without Content-Length, and a stream without a boundary, is cut at JPEG markers (SOI
 * {@code FFD8} to EOI {@code FFD9}). Garbage between parts is skipped; a stream that never yields a frame within
 * {@link #maxFrameBytes} is an error, so a wrong stream cannot make the reader buffer without end.
 */
final class MjpegSplitter {
    /** Bounds one frame's memory; a 4K BMP frame is 25 MB. */
    static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
    /** Header and boundary lines are short; longer lines are binary data being skipped. */
    private static final int MAX_LINE = 1024;

    private final InputStream in;
    private final String boundary;
    private final String delimiter;
    private final int maxFrameBytes;
    /** Bytes the last {@link #readLine()} consumed, including any it did not keep. */
    private long lastLineBytes;

    /**
     * @param in       a buffered stream: it is read a byte at a time
     * @param boundary the multipart boundary as its Content-Type declares it, or null for bare concatenated JPEGs
     */
    MjpegSplitter(InputStream in, String boundary, int maxFrameBytes) {
        this.in = in;
        this.boundary = boundary;
        this.delimiter = boundary == null ? null : "--" + boundary;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * The boundary named in a Content-Type such as {@code multipart/x-mixed-replace; boundary="frame"}, or null when
     * the type is not multipart or names none.
     */
    static String boundaryOf(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return null;
        }
        for (String param : contentType.split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String value = param.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    /** The next frame's bytes, or null at the end of the stream (or at the closing boundary). */
    byte[] next() throws IOException {
        return delimiter == null ? nextJpeg() : nextPart();
    }

    private byte[] nextPart() throws IOException {
        long skipped = 0;
        String line;
        // a boundary line: the RFC's "--" + boundary, or the declared boundary as is, which some cameras write
        while (true) {
            line = readLine();
            if (line == null) {
                return null;
            }
            String trimmed = line.trim();
            if (trimmed.equals(delimiter) || trimmed.equals(boundary)) {
                break;
            }
            if (trimmed.equals(delimiter + "--") || trimmed.equals(boundary + "--")) {
                return null;
            }
            skipped += lastLineBytes;
            if (skipped > maxFrameBytes) {
                throw new IOException("no multipart boundary '" + delimiter + "' within " + maxFrameBytes + " bytes");
            }
        }
        long length = -1;
        while ((line = readLine()) != null && !line.isBlank()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                try {
                    length = Long.parseLong(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length header '" + line.trim() + "'");
                }
                if (length < 0 || length > maxFrameBytes) {
                    throw new IOException("part of " + length + " bytes (limit " + maxFrameBytes + ")");
                }
            }
        }
        if (line == null) {
            return null;
        }
        if (length < 0) {
            return nextJpeg();
        }
        byte[] part = in.readNBytes((int) length);
        return part.length == length ? part : null;
    }

    /** Bytes from the next SOI marker up to and including the following EOI marker. */
    private byte[] nextJpeg() throws IOException {
        int prev = -1;
        int b;
        long skipped = 0;
        while ((b = in.read()) >= 0) {
            if (prev == 0xFF && b == 0xD8) {
                break;
            }
            prev = b;
            if (++skipped > maxFrameBytes) {
                throw new IOException("no JPEG start marker within " + maxFrameBytes + " bytes");
            }
        }
        if (b < 0) {
            return null;
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream(64 * 1024);
        jpeg.write(0xFF);
        jpeg.write(0xD8);
        prev = -1;
        while ((b = in.read()) >= 0) {
            jpeg.write(b);
            if (prev == 0xFF && b == 0xD9) {
                return jpeg.toByteArray();
            }
            prev = b;
            if (jpeg.size() > maxFrameBytes) {
                throw new IOException("JPEG frame without end marker within " + maxFrameBytes + " bytes");
            }
        }
        return null; // the stream ended inside a frame: nothing to decode
    }

    /** One line without its CR LF (ISO-8859-1, truncated at {@link #MAX_LINE}); null at the end of the stream. */
    private String readLine() throws IOException {
        byte[] buf = new byte[MAX_LINE];
        int n = 0;
        int b;
        lastLineBytes = 0;
        while ((b = in.read()) >= 0 && b != '\n') {
            lastLineBytes++;
            if (n < MAX_LINE) {
                buf[n++] = (byte) b;
            }
        }
        if (b < 0 && n == 0) {
            return null;
        }
        if (n > 0 && buf[n - 1] == '\r') {
            n--;
        }
        return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }
}
