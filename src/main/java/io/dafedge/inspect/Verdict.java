package io.dafedge.inspect;

/** What inspection says about a part. */
public enum Verdict {
    /** The image score is below the line's threshold. */
    OK,
    /** The image score is at or above the line's threshold. */
    NOK,
    /** The line has no model, so nothing was judged. */
    UNKNOWN
}
