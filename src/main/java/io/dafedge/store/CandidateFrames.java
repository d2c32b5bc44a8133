package io.dafedge.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.ingest.Frame;
import io.dafedge.inspect.FrameGeometry;
import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.ResultSink;
import io.dafedge.inspect.Verdict;
import io.dafedge.synth.Image;
import io.dafedge.synth.ImageFiles;
import io.dafedge.train.TrainingMaterial;

/**
 * Keeps the frames of lines that have no model yet as candidate good images ({@code lines/<line>/collected/}), the
 * material of the line's first training run; at most {@code limit} per line, the rest are counted and not kept. A
 * frame is kept as its camera's model would see it (ROI cropped, rotated), so a model trained on them fits the
 * frames it will inspect.
 */
public final class CandidateFrames implements ResultSink {
    private static final Logger LOG = Logger.getLogger(CandidateFrames.class);

    private final Path linesDir;
    private final int limit;
    private final Function<String, CameraSettings> cameras;
    private final Map<String, AtomicInteger> kept = new ConcurrentHashMap<>();

    /** @param cameras a camera's settings by id, with the ROI in force when asked (an engineer may move it) */
    public CandidateFrames(Path linesDir, int limit, Function<String, CameraSettings> cameras) {
        this.linesDir = linesDir;
        this.limit = limit;
        this.cameras = cameras;
    }

    @Override
    public void accept(InspectionResult r, Frame frame) {
        if (r.verdict() != Verdict.UNKNOWN) {
            return;
        }
        Path dir = TrainingMaterial.folder(linesDir, r.line());
        AtomicInteger n = kept.computeIfAbsent(r.line(), l -> new AtomicInteger(count(dir)));
        if (n.get() >= limit) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Image image = frame.image();
            Image inspected = FrameGeometry.of(cameras.apply(r.camera()), image.width, image.height).inspected(image);
            ImageFiles.writePng(dir.resolve(r.camera() + "-" + r.resultId() + ".png"), inspected);
            n.incrementAndGet();
        } catch (IOException e) {
            LOG.warnf("line %s: candidate frame %s not kept: %s", r.line(), r.resultId(), e.getMessage());
        }
    }

    /** Frames kept for the line so far. */
    public int kept(String line) {
        AtomicInteger n = kept.get(line);
        return n == null ? count(TrainingMaterial.folder(linesDir, line)) : n.get();
    }

    private static int count(Path dir) {
        try {
            return TrainingMaterial.frames(dir).size();
        } catch (IOException e) {
            return 0;
        }
    }
}
