package io.dafedge;

/** The version Maven wrote into the jar manifest ("development" when run from classes, e.g. in tests). */
public final class Version {
    private Version() {
    }

    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }
}
