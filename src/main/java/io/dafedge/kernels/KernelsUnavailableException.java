package io.dafedge.kernels;

/** The native kernels cannot be used in this JVM; the message names why (platform, missing or unloadable library). */
public class KernelsUnavailableException extends IllegalStateException {
    KernelsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
