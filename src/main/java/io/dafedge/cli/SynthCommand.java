package io.dafedge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.dafedge.synth.FolderTextures;
import io.dafedge.synth.ProceduralTextures;
import io.dafedge.synth.StrategyMix;
import io.dafedge.synth.SynthRun;
import io.dafedge.synth.TextureSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "synth", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Makes synthetic defects on defect-free images: writes images/, masks/ and manifest.csv "
                + "(image,mask,source,strategy,seed).%nStrategies: perlin-texture, cutpaste, cutpaste-scar, simple, "
                + "simple-color, simple-noise, simple-blur, simple-scratch.",
        subcommands = DemoLineCommand.class)
public final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    // not picocli-required: 'synth demo-line' must not ask for them
    @Option(names = "--input", paramLabel = "DIR", description = "Folder of defect-free images (JPEG, PNG, BMP, ...).")
    Path input;

    @Option(names = "--out", paramLabel = "DIR", description = "New or empty output folder.")
    Path out;

    @Option(names = "--strategy", paramLabel = "NAME[:WEIGHT],...", defaultValue = "perlin-texture",
            description = "Strategies and their weights (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--count", paramLabel = "N", defaultValue = "100", description = "Samples to write (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Run seed; the same seed gives the same bytes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--textures", paramLabel = "DIR",
            description = "Texture images for perlin-texture (e.g. DTD); default: textures made by the generator.")
    Path textures;

    @Override
    public Integer call() throws IOException {
        if (input == null || out == null) {
            throw new ParameterException(spec.commandLine(), "synth needs --input DIR and --out DIR (or the demo-line subcommand)");
        }
        PrintWriter err = spec.commandLine().getErr();
        TextureSource source = textures != null ? FolderTextures.load(textures, err::println) : new ProceduralTextures();
        StrategyMix mix;
        try {
            mix = StrategyMix.parse(strategy, source);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        SynthRun.Result r = SynthRun.run(input, out, mix, count, seed, err::println);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("wrote %d samples to %s in %.1f s (%.1f ms/sample on %d cores)%n", r.samples(), out,
                r.millis() / 1000.0, (double) r.millis() / r.samples(), Runtime.getRuntime().availableProcessors());
        r.perStrategy().forEach((name, n) -> o.printf("  %-16s %d%n", name, n));
        if (!r.skipped().isEmpty()) {
            o.printf("skipped %d unreadable input file(s), listed above%n", r.skipped().size());
            return CliExit.PARTIAL;
        }
        return CliExit.OK;
    }
}
