package io.dafedge.cli;

import io.dafedge.Version;
import picocli.CommandLine.IVersionProvider;

/** {@code --version} of every subcommand. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"daf-edge " + Version.get()};
    }
}
