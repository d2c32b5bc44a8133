package io.dafedge.cli;

/** Exit codes shared by all subcommands. */
final class CliExit {
    static final int OK = 0;
    static final int FAILED = 1;
    /** Finished, but some inputs were skipped (reported on stderr). */
    static final int PARTIAL = 3;

    private CliExit() {
    }
}
