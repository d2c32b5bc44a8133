package io.dafedge.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MjpegSplitterTest {
    /** Fake JPEGs: markers only, with an FF byte and an FF D8 inside to catch naive scanning. */
    private static final byte[] A = { (byte) 0xFF, (byte) 0xD8, 1, 2, (byte) 0xFF, 0, (byte) 0xFF, (byte) 0xD9 };
    private static final byte[] B = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD8, 7, (byte) 0xFF, (byte) 0xD9 };

    private static MjpegSplitter splitter(byte[] stream, String boundary, int max) {
        return new MjpegSplitter(new BufferedInputStream(new ByteArrayInputStream(stream)), boundary, max);
    }

    private static byte[] concat(Object... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            out.write(p instanceof byte[] b ? b : ((String) p).getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    @Test
    void readsTheBoundaryFromTheContentType() {
        assertEquals("frame", MjpegSplitter.boundaryOf("multipart/x-mixed-replace;boundary=frame"));
        assertEquals("--my b", MjpegSplitter.boundaryOf("Multipart/x-mixed-replace; charset=x; Boundary=\"--my b\""));
        assertNull(MjpegSplitter.boundaryOf("image/jpeg"));
        assertNull(MjpegSplitter.boundaryOf("multipart/x-mixed-replace"));
        assertNull(MjpegSplitter.boundaryOf(null));
    }

    @Test
    void cutsPartsByContentLengthWhateverTheirBytes() throws IOException {
        byte[] notJpeg = "BM any bytes\r\n--frame\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] stream = concat("preamble\r\n--frame\r\nContent-Type: image/bmp\r\ncontent-length: " + notJpeg.length
                + "\r\n\r\n", notJpeg, "\r\n--frame\r\nContent-Length: " + A.length + "\r\n\r\n", A,
                "\r\n--frame--\r\n", "--frame\r\nContent-Length: 1\r\n\r\nX");
        MjpegSplitter s = splitter(stream, "frame", 1000);
        assertArrayEquals(notJpeg, s.next());
        assertArrayEquals(A, s.next());
        assertNull(s.next(), "the closing boundary ends the stream");
    }

    @Test
    void cutsPartsWithoutContentLengthAtJpegMarkersAndAcceptsEitherBoundaryStyle() throws IOException {
        // declared "--x": the RFC delimiter is "----x", but cameras also write "--x"
        byte[] stream = concat("----x\r\nContent-Type: image/jpeg\r\n\r\n", A, "\r\n--x\r\n\r\n", B, "\r\n",
                "---x\r\n\r\n", A, "\r\n----x--\r\n");
        MjpegSplitter s = splitter(stream, "--x", 1000);
        assertArrayEquals(A, s.next());
        assertArrayEquals(B, s.next());
        assertNull(s.next(), "'---x' is no boundary, so the part after it is skipped up to the closing one");
    }

    @Test
    void cutsABareStreamAtJpegMarkersSkippingGarbage() throws IOException {
        MjpegSplitter s = splitter(concat("junk", A, new byte[] { 0, (byte) 0xFF }, B, A), null, 1000);
        assertArrayEquals(A, s.next());
        assertArrayEquals(B, s.next());
        assertArrayEquals(A, s.next());
        assertNull(s.next());
    }

    @Test
    void aTruncatedFrameEndsTheStream() throws IOException {
        assertNull(splitter(new byte[] { (byte) 0xFF, (byte) 0xD8, 1, 2 }, null, 1000).next());
        assertNull(splitter(concat("--f\r\nContent-Length: 10\r\n\r\nabc"), "f", 1000).next());
    }

    @Test
    void boundsWhatItBuffers() {
        byte[] noEnd = new byte[200];
        noEnd[0] = (byte) 0xFF;
        noEnd[1] = (byte) 0xD8;
        assertThrows(IOException.class, () -> splitter(noEnd, null, 100).next());
        assertThrows(IOException.class, () -> splitter(new byte[200], null, 100).next());
        assertThrows(IOException.class, () -> splitter(new byte[200], "f", 100).next());
        assertThrows(IOException.class, () -> splitter(concat("--f\r\nContent-Length: 101\r\n\r\n"), "f", 100).next());
        assertThrows(IOException.class, () -> splitter(concat("--f\r\nContent-Length: x\r\n\r\n"), "f", 100).next());
    }
}
