package io.dafedge.cli;

import java.io.PrintWriter;
import java.util.Locale;

import io.dafedge.train.DafTrainer;

/**
 * Draws a training run's progress on the terminal: one line redrawn in place on a console, a new line every
 * {@code LOG_SECONDS} when the output goes to a file (a nohup log stays readable).
 */
final class ProgressBar implements DafTrainer.Listener {
    private static final int WIDTH = 20;
    private static final long LOG_NANOS = 30_000_000_000L;

    private final PrintWriter out;
    private final boolean console;
    private long lastLine;
    private boolean open;

    ProgressBar(PrintWriter out, boolean console) {
        this.out = out;
        this.console = console;
    }

    @Override
    public void log(String message) {
        finishLine();
        out.println(message);
        out.flush();
    }

    @Override
    public void progress(DafTrainer.Progress p) {
        long now = System.nanoTime();
        boolean last = p.fraction() >= 1;
        if (!console && !last && now - lastLine < LOG_NANOS && lastLine != 0) {
            return;
        }
        lastLine = now;
        int filled = (int) Math.round(Math.min(1, p.fraction()) * WIDTH);
        float[] l = p.losses();
        String line = String.format(Locale.ROOT,
                "epoch %d/%.1f [%s%s] %3.0f%% step %d  loss %.3f (distil %.3f %.3f %.3f  seg %.3f  boost %.3f)"
                        + "  %.1f samples/s  lr %.1e  ETA %s",
                p.epoch(), p.epochsPlanned(), "#".repeat(filled), ".".repeat(WIDTH - filled), p.fraction() * 100,
                p.step(), l[5], l[0], l[1], l[2], l[3], l[4], p.samplesPerSecond(), p.learningRate(),
                clock(p.etaSeconds()));
        if (console) {
            out.print("\r" + line + "\033[K");
            open = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the in-place line before other output. */
    void finishLine() {
        if (open) {
            out.println();
            open = false;
        }
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
