package io.dafedge.publish.sparkplug;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.jboss.logging.Logger;

/**
 * Sparkplug's birth/death sequence number: 0 to 255, one step per MQTT connection, carried by the NDEATH will and
 * the NBIRTH of the same connection so a host application can tell a late will of an old session from the death of
 * the current one. Kept in a file so that a restarted appliance does not reuse the number of its last session.
 */
public final class BdSeq {
    private static final Logger LOG = Logger.getLogger(BdSeq.class);
    private final Path file;
    private int next;

    public BdSeq(Path file) {
        this.file = file;
        this.next = read(file);
    }

    private static int read(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            int v = Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim());
            if (v >= 0 && v <= 255) {
                return v;
            }
            LOG.warnf("Sparkplug bdSeq file %s holds %d, outside 0-255; starting at 0", file, v);
        } catch (IOException | NumberFormatException e) {
            LOG.warnf("Sparkplug bdSeq file %s unreadable (%s); starting at 0", file, e.getMessage());
        }
        return 0;
    }

    /** The number for a new connection; the one after it is remembered for the next. */
    public synchronized long take() {
        int v = next;
        next = (v + 1) & 0xFF;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Integer.toString(next), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the session still works; only a restart might repeat a number, which hosts tolerate on a new NBIRTH
            LOG.warnf("Sparkplug bdSeq not saved to %s: %s", file, e.getMessage());
        }
        return v;
    }
}
