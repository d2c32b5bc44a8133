package io.dafedge.publish;

import java.io.IOException;
import java.net.ServerSocket;

/** A loopback port nobody listens on right now, for services that need their port before they bind. */
final class FreePort {
    private FreePort() {
    }

    static int find() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
