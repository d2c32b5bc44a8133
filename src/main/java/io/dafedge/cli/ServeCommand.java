package io.dafedge.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Runs the appliance: HTTP API and start page, health at /q/health.%n"
                + "Configuration comes from config/application.properties in the working directory, "
                + "system properties (-Dkey=value) and environment variables (DAF_DATA_DIR, ...).")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    Options options = new Options();

    /** Options shared with the root command, whose default action is to serve. */
    public static final class Options {
        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "Where the appliance writes everything (daf.data-dir, default ./data).")
        Path dataDir;

        @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (quarkus.http.port, default 8080).")
        Integer port;
    }

    @Override
    public Integer call() {
        return serve(options);
    }

    static int serve(Options options) {
        // command-line options win over the properties file: Quarkus gives system properties the higher ordinal
        if (options.dataDir != null) {
            System.setProperty("daf.data-dir", options.dataDir.toString());
        }
        if (options.port != null) {
            System.setProperty("quarkus.http.port", options.port.toString());
        }
        int[] exit = {CliExit.OK};
        Quarkus.run(Appliance.class, (code, failure) -> exit[0] = code);
        return exit[0];
    }

    /** The Quarkus application: everything runs in beans started with it; this only waits for shutdown. */
    public static final class Appliance implements QuarkusApplication {
        @Override
        public int run(String... args) {
            Quarkus.waitForExit();
            return CliExit.OK;
        }
    }
}
