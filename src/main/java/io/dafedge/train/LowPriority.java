package io.dafedge.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the calling thread's CPU priority to nice 19, so that inspection wins every contended core. Java's thread
 * priorities do nothing on Linux unless the JVM runs as root with -XX:ThreadPriorityPolicy=1, so this renices the
 * thread itself (Linux gives each thread its own nice value). Threads it starts afterwards inherit the value: ONNX
 * Runtime's and PyTorch's pools, and the compiled kernels' helpers, when they are created on this thread.
 */
final class LowPriority {
    static final int NICE = 19;

    private LowPriority() {
    }

    /** Best effort; returns what happened, for the log. */
    static String lowerCurrentThread() {
        Path self = Path.of("/proc/thread-self");
        if (!Files.exists(self)) {
            return "priority unchanged: no /proc/thread-self on this system";
        }
        try {
            String tid = self.toRealPath().getFileName().toString();
            Process p = new ProcessBuilder("renice", "-n", Integer.toString(NICE), "-p", tid)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "priority unchanged: renice failed: " + out;
            }
            return "thread " + tid + " at nice " + NICE;
        } catch (IOException e) {
            return "priority unchanged: renice not usable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "priority unchanged: interrupted";
        }
    }

    /** The calling thread's nice value as Linux reports it; for checks. */
    static int currentNice() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        // the command name (field 2) may hold spaces; the fields after its closing parenthesis are plain
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]); // field 19 of stat; fields[0] is field 3
    }
}
