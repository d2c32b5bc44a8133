package io.dafedge.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The folder that holds everything the appliance writes, with the checks that keep it usable. */
public final class DataDirectory {
    private final Path root;
    private final long minFreeBytes;

    public DataDirectory(Path root, long minFreeBytes) {
        this.root = root.toAbsolutePath().normalize();
        this.minFreeBytes = minFreeBytes;
    }

    /** Creates the folder if needed and proves it writable, so a misconfiguration fails at start, not mid-shift. */
    public void prepare() throws IOException {
        Files.createDirectories(root);
        Path probe = Files.createTempFile(root, ".write-probe-", ".tmp");
        Files.delete(probe);
    }

    public Path root() {
        return root;
    }

    public long freeBytes() throws IOException {
        return Files.getFileStore(root).getUsableSpace();
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    public boolean hasRoom() throws IOException {
        return freeBytes() >= minFreeBytes;
    }
}
