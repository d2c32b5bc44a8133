package io.dafedge.cli;

import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into the jar manifest (absent when run from classes, e.g. in tests). */
public final class VersionProvider implements IVersionProvider {
    public static String version() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"daf-edge " + version()};
    }
}
