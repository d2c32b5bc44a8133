package io.dafedge.kernels;

/**
 * Why no generated kernels could be built or loaded ({@link GeneratedKernels}): no C compiler, a failed compile, a
 * cache directory that cannot be written, a library that does not load. The convolutions keep the generic kernels;
 * the message says why, for the log.
 */
public class KernelBuildException extends Exception {
    private static final long serialVersionUID = 1L;

    public KernelBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
