package io.dafedge.kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * The native handles of a fused block's convolutions, held open for one call ({@link Conv2d#acquire()}: their
 * {@code close()} waits) and released together when the call ends; a closed one throws when it is taken, and the
 * ones taken before are released with the rest.
 */
final class Held implements AutoCloseable {
    private final List<Runnable> releases = new ArrayList<>(4);

    /** The convolution's handle, or 0 for none. */
    long hold(Conv2d conv) {
        if (conv == null) {
            return 0;
        }
        long handle = conv.acquire();
        releases.add(conv::release);
        return handle;
    }

    long hold(QuantConv1x1 conv) {
        if (conv == null) {
            return 0;
        }
        long handle = conv.acquire();
        releases.add(conv::release);
        return handle;
    }

    @Override
    public void close() {
        releases.forEach(Runnable::run);
        releases.clear();
    }
}
