package io.dafedge.cli;

/** Exit codes shared by all subcommands. */
final class CliExit {
    static final int OK = 0;
    static final int FAILED = 1;
    /** Unusable input (dataset layout, teacher or bundle file), like picocli's usage errors. */
    static final int BAD_INPUT = 2;
    /** Finished, but some inputs were skipped (reported on stderr). */
    static final int PARTIAL = 3;

    private CliExit() {
    }
}
