package io.dafedge.cli;

import static io.dafedge.cli.SynthCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import io.dafedge.synth.ImageFiles;
import io.dafedge.synth.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench pipeline --during-training refuses what could not make a training run, before it measures anything. */
class BenchPipelineTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void refusesTooFewImagesAndMissingFolders() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("good"));
        for (int i = 0; i < 3; i++) {
            ImageFiles.writePng(images.resolve(i + ".png"), TestImages.surface(64, 64, 3, i));
        }
        Path teacher = tmp.resolve("teacher.onnx");
        Files.writeString(teacher, "not read before the options are checked");
        SynthCommandTest.Run r = run("bench", "pipeline", "--model", tmp.resolve("nowhere").toString(),
                "--during-training", images.toString(), "--teacher", teacher.toString());
        assertEquals(CliExit.BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains("holds 3 files; a run needs at least 20"), r.err());
        r = run("bench", "pipeline", "--model", tmp.resolve("nowhere").toString(), "--during-training",
                tmp.resolve("absent").toString(), "--teacher", teacher.toString());
        assertEquals(CliExit.BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains("is not a folder"), r.err());
        r = run("bench", "pipeline", "--model", tmp.resolve("nowhere").toString(), "--during-training",
                images.toString(), "--teacher", teacher.toString(), "--training-threads", "0");
        assertEquals(CliExit.BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains("--training-threads must be at least 1"), r.err());
    }
}
