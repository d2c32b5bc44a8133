package io.dafedge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** This machine's clock, for a peak-FLOP figure. */
public final class Cpu {
    private Cpu() {
    }

    /** The highest "cpu MHz" of /proc/cpuinfo in GHz (the clock the kernel reports now), NaN when unknown. */
    public static double ghz() {
        try {
            return ghz(Files.readAllLines(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double ghz(List<String> cpuinfo) {
        return cpuinfo.stream().filter(l -> l.startsWith("cpu MHz")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                .mapToDouble(Double::parseDouble).max().orElse(Double.NaN) / 1000;
    }
}
