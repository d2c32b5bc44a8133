package io.dafedge.model.baseline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelException;
import io.dafedge.model.OnnxTeacher;
import io.dafedge.model.Preprocessing;
import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.ImageReadException;

/**
 * Decodes the training images and embeds them, several at a time on the given threads, handing each embedding to
 * a sink in file order (so fitting is deterministic whatever the thread count). Unreadable files are skipped with
 * their reason logged and counted; if none is readable there is nothing to fit.
 *
 * <p>With several threads the images run on a private single-threaded session of the teacher's file, whatever
 * threads the caller's session has: on the 2-core build machine, 2 images at a time on 1-thread sessions took
 * 7.4 ms per magnetic-tile image, one at a time on a 2-thread session 10.3 ms, and 2 at a time on a 2-thread
 * session (oversubscribed) 14.7 ms.
 */
final class TrainingFeatures {
    /** What was read: embeddings handed over, the reasons of those skipped, and seconds spent extracting features. */
    record Summary(int images, List<String> skipped, double seconds) {
        /** The manifest's {@code training} object: counts, skipped files and timing; methods add their own fields. */
        ObjectNode toJson(long seed, int inputSize) {
            ObjectNode n = ModelBundle.JSON.createObjectNode();
            n.put("images", images);
            n.put("skipped", skipped.size());
            ArrayNode reasons = n.putArray("skipped_files");
            skipped.forEach(reasons::add);
            n.put("seed", seed);
            n.put("input_size", inputSize);
            n.put("seconds_features", Math.round(seconds * 10) / 10.0);
            return n;
        }
    }

    private record Item(float[] embedding, String skipped) {
    }

    /** How many images each thread embeds between hand-overs to the sink. */
    private static final int PER_THREAD = 2;
    private static final int LOG_EVERY = 100;

    private TrainingFeatures() {
    }

    static Summary stream(OnnxTeacher teacher, Preprocessing pre, Embedding embedding, List<Path> files, Parallel par,
                          Consumer<String> log, Consumer<float[]> sink) throws ModelException {
        if (par.threads() > 1) {
            try (OnnxTeacher single = OnnxTeacher.open(teacher.file(), 1)) {
                return run(single, pre, embedding, files, par, log, sink);
            }
        }
        return run(teacher, pre, embedding, files, par, log, sink);
    }

    private static Summary run(OnnxTeacher teacher, Preprocessing pre, Embedding embedding, List<Path> files,
                               Parallel par, Consumer<String> log, Consumer<float[]> sink) throws ModelException {
        List<String> skipped = new ArrayList<>();
        int images = 0;
        long sinkNanos = 0;
        long start = System.nanoTime();
        int batch = PER_THREAD * par.threads();
        for (int b0 = 0; b0 < files.size(); b0 += batch) {
            List<Path> part = files.subList(b0, Math.min(files.size(), b0 + batch));
            Item[] items = new Item[part.size()];
            par.forRanges(items.length, (from, to) -> {
                for (int i = from; i < to; i++) {
                    try {
                        items[i] = new Item(embedding.embed(teacher, pre, ImageFiles.read(part.get(i))), null);
                    } catch (ImageReadException e) {
                        items[i] = new Item(null, e.getMessage());
                    }
                }
            });
            for (Item item : items) {
                if (item.skipped() != null) {
                    skipped.add(item.skipped());
                    log.accept("skipping " + item.skipped());
                    continue;
                }
                long t = System.nanoTime();
                sink.accept(item.embedding());
                sinkNanos += System.nanoTime() - t;
                images++;
            }
            int done = b0 + part.size();
            if (done / LOG_EVERY != b0 / LOG_EVERY || done == files.size()) {
                log.accept("features: " + done + "/" + files.size() + " images");
            }
        }
        if (images == 0) {
            throw new ModelException("none of the " + files.size() + " training images could be read"
                    + (skipped.isEmpty() ? "" : "; first: " + skipped.get(0)));
        }
        return new Summary(images, List.copyOf(skipped), (System.nanoTime() - start - sinkNanos) / 1e9);
    }
}
